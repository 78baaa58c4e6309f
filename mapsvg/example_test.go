package mapsvg_test

import (
	"fmt"
	"strings"

	"github.com/nhs-accord/accord/mapsvg"
)

func ExampleRender() {
	const geojson = `{"type":"FeatureCollection","features":[{"type":"Feature",
		"properties":{"ICB23CD":"E54000001","ICB23NM":"NHS Example ICB"},
		"geometry":{"type":"Polygon","coordinates":[[[-1,52],[0,52],[0,53],[-1,52]]]}}]}`
	features, err := mapsvg.ParseGeoJSON(strings.NewReader(geojson), "ICB23CD", "ICB23NM")
	if err != nil {
		fmt.Println(err)
		return
	}
	m := mapsvg.Render(features, 200, 0.5)
	fmt.Printf("<svg viewBox=%q>\n", m.ViewBox())
	for _, s := range m.Shapes {
		fmt.Printf("<path id=%q d=%q><title>%s</title></path>\n", s.Code, s.Path, s.Name)
	}
	fmt.Println("</svg>")
	// Output:
	// <svg viewBox="0 0 200 323.4">
	// <path id="E54000001" d="M196 4L196 319.4L4 319.4Z"><title>NHS Example ICB</title></path>
	// </svg>
}
