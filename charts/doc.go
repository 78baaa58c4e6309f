// Package charts draws Accord's statistical charts as accessible SVG on the
// server: a Making Data Count SPC chart, a caterpillar plot of organisations
// against a benchmark and a funnel plot. Each function is pure: plain data in,
// one self-contained <svg> element out, so pages show charts without
// JavaScript and the same input always gives the same bytes.
//
// Every chart has role="img", a <title> and a <desc> that says in words what
// the chart shows, referenced by aria-labelledby and aria-describedby; the
// page should still give the chart's data as a table. All text is escaped.
// Colours and their contrast with white are listed in palette.go.
package charts
