// Package mapsvg draws maps of NHS geographies (ICBs, sub-ICB locations,
// regions) as SVG on the server, so pages show maps without JavaScript.
//
// ParseGeoJSON reads ONS boundary files; Render projects, fits and
// simplifies them into SVG path data that a template drops into
//
//	<svg viewBox="{{.ViewBox}}"> {{range .Shapes}}<path d="{{.Path}}"><title>{{.Name}}</title></path>{{end}} </svg>
//
// Outer rings and holes are wound in opposite directions, so holes show
// with SVG's default fill-rule.
package mapsvg
