// Package accord holds Accord's domain: organisations, indicators,
// observations, periods, national priorities and local targets, the rules
// about them that need no I/O, and the interfaces that storage, importers
// and the web layer implement or consume. It depends on nothing of ours.
package accord
