// Package spc is statistical process control as NHS England's Making Data
// Count, computed exactly as the NHSRplotthedots R package version 0.2.2 does:
// XmR limits per group, the four special-cause rules, point types and the
// variation and assurance icons. Everything here is a pure function of its
// inputs; storage only fetches the series.
package spc
