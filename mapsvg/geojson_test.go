package mapsvg_test

import (
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/mapsvg"
)

// icbFile is the ONS ICB boundary file (April 2023, generalised to 5 dp),
// real data used as it stands.
const icbFile = "../reference/data/Integrated_Care_Boards_April_2023_EN_BSC_5dp.geojson"

func parseICBs(tb testing.TB) []mapsvg.Feature {
	tb.Helper()
	f, err := os.Open(icbFile)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	features, err := mapsvg.ParseGeoJSON(f, "ICB23CD", "ICB23NM")
	if err != nil {
		tb.Fatalf("parse %s: %v", icbFile, err)
	}
	return features
}

// collection wraps feature JSON in a FeatureCollection.
func collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

// feature is an ICB-like feature with the given geometry JSON.
func feature(code, geometry string) string {
	return `{"type":"Feature","properties":{"ICB23CD":"` + code + `","ICB23NM":"NHS ` + code + ` ICB"},"geometry":` + geometry + `}`
}

const (
	squareGeometry = `{"type":"Polygon","coordinates":[[[0,-0.5],[1,-0.5],[1,0.5],[0,0.5],[0,-0.5]]]}`
	holeGeometry   = `{"type":"Polygon","coordinates":[
		[[0,-0.5],[1,-0.5],[1,0.5],[0,0.5],[0,-0.5]],
		[[0.25,-0.25],[0.25,0.25],[0.75,0.25],[0.75,-0.25],[0.25,-0.25]]]}`
	multiGeometry = `{"type":"MultiPolygon","coordinates":[
		[[[0,0],[1,0],[1,1],[0,1],[0,0]]],
		[[[2,0],[3,0],[3,1],[2,1],[2,0]]]]}`
)

func TestParseGeoJSON(t *testing.T) {
	square := [][]mapsvg.Point{{{0, -0.5}, {1, -0.5}, {1, 0.5}, {0, 0.5}, {0, -0.5}}}
	tests := []struct {
		name string
		in   string
		want []mapsvg.Feature
	}{
		{
			"square", collection(feature("E54000001", squareGeometry)),
			[]mapsvg.Feature{{Code: "E54000001", Name: "NHS E54000001 ICB", Polygons: [][][]mapsvg.Point{square}}},
		},
		{
			"polygon with hole", collection(feature("E54000001", holeGeometry)),
			[]mapsvg.Feature{{Code: "E54000001", Name: "NHS E54000001 ICB", Polygons: [][][]mapsvg.Point{{
				square[0],
				{{0.25, -0.25}, {0.25, 0.25}, {0.75, 0.25}, {0.75, -0.25}, {0.25, -0.25}},
			}}}},
		},
		{
			"multipolygon", collection(feature("E54000002", multiGeometry)),
			[]mapsvg.Feature{{Code: "E54000002", Name: "NHS E54000002 ICB", Polygons: [][][]mapsvg.Point{
				{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}},
				{{{2, 0}, {3, 0}, {3, 1}, {2, 1}, {2, 0}}},
			}}},
		},
		{
			"order kept, extra members and altitude ignored",
			`{"crs":{"type":"name","properties":{"name":"EPSG:4326"}},"bbox":[0,0,1,1],"features":[` +
				feature("E54000009", `{"type":"Polygon","coordinates":[[[0,0,10],[1,0,10],[1,1,10],[0,0,10]]]}`) + `,` +
				`{"type":"Feature","id":7,"properties":{"ICB23CD":"E54000003","ICB23NM":"Three","FID":3,"LAT":52.1},` +
				`"geometry":{"coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"type":"Polygon"}}` +
				`],"type":"FeatureCollection","name":"ICB"}`,
			[]mapsvg.Feature{
				{Code: "E54000009", Name: "NHS E54000009 ICB", Polygons: [][][]mapsvg.Point{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}}},
				{Code: "E54000003", Name: "Three", Polygons: [][][]mapsvg.Point{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}}},
			},
		},
		{"empty collection", `{"type":"FeatureCollection","features":[]}`, []mapsvg.Feature{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mapsvg.ParseGeoJSON(strings.NewReader(tt.in), "ICB23CD", "ICB23NM")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseGeoJSONWithoutNames(t *testing.T) {
	in := collection(`{"type":"Feature","properties":{"ICB23CD":"E54000001"},"geometry":` + squareGeometry + `}`)
	got, err := mapsvg.ParseGeoJSON(strings.NewReader(in), "ICB23CD", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Code != "E54000001" || got[0].Name != "" {
		t.Errorf("got %+v, want one feature E54000001 with no name", got)
	}
}

func TestParseGeoJSONErrors(t *testing.T) {
	good := feature("E54000001", squareGeometry)
	withProps := func(props string) string {
		return collection(good, `{"type":"Feature","properties":`+props+`,"geometry":`+squareGeometry+`}`)
	}
	withGeometry := func(geometry string) string { return collection(good, feature("E54000002", geometry)) }
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "GeoJSON is empty"},
		{"blank", " \n\t", "GeoJSON is empty"},
		{"not JSON", "<html>", "malformed JSON near byte 1: invalid character '<' looking for beginning of value"},
		{"array at top", "[1,2]", "GeoJSON is not an object"},
		{"single feature", good, `type "Feature" not supported, want "FeatureCollection"`},
		{"type missing", `{"features":[]}`, `type missing, want "FeatureCollection"`},
		{"type not string", `{"type":7,"features":[]}`, `type is not a string`},
		{"features missing", `{"type":"FeatureCollection"}`, `"features" missing`},
		{"features twice", `{"type":"FeatureCollection","features":[],"features":[]}`, `"features" appears twice`},
		{"features not array", `{"type":"FeatureCollection","features":{}}`, `"features" is not an array`},
		{"truncated", collection(good)[:60], "feature 0: GeoJSON ends unexpectedly"},
		{"truncated between features", `{"type":"FeatureCollection","features":[` + good + `,`, "feature 1: GeoJSON ends unexpectedly"},
		{"trailing data", collection(good) + ` {}`, "unexpected data after the FeatureCollection"},
		{"trailing garbage", collection(good) + `]`, "malformed JSON near byte 218: invalid character ']' looking for beginning of value"},
		{"feature not object", collection(good, `42`), "feature 1: value is number, want object"},
		{"feature type wrong", collection(`{"type":"Thing"}`), `feature 0: type "Thing" not supported, want "Feature"`},
		{"feature type missing", collection(`{"properties":{}}`), `feature 0: type missing, want "Feature"`},
		{"properties not object", withProps(`[]`), `feature 1: "properties" is array, want object`},
		{"code missing", withProps(`{"ICB23NM":"x"}`), `feature 1: property "ICB23CD" missing`},
		{"properties null", withProps(`null`), `feature 1: property "ICB23CD" missing`},
		{"code null", withProps(`{"ICB23CD":null,"ICB23NM":"x"}`), `feature 1: property "ICB23CD" missing`},
		{"code not string", withProps(`{"ICB23CD":54,"ICB23NM":"x"}`), `feature 1: property "ICB23CD" is not a string`},
		{"code empty", withProps(`{"ICB23CD":" ","ICB23NM":"x"}`), `feature 1: property "ICB23CD" is empty`},
		{"name missing", withProps(`{"ICB23CD":"E54000002"}`), `feature 1: property "ICB23NM" missing`},
		{"duplicate code", collection(good, good), `feature 1: code "E54000001" already used by feature 0`},
		{"geometry null", withGeometry(`null`), "feature 1: geometry missing"},
		{"geometry type missing", withGeometry(`{"coordinates":[]}`), "feature 1: geometry type missing"},
		{"line string", collection(feature("E54000001", `{"type":"LineString","coordinates":[[0,0],[1,1]]}`)),
			`feature 0: geometry type "LineString" not supported`},
		{"point", withGeometry(`{"type":"Point","coordinates":[0,0]}`), `feature 1: geometry type "Point" not supported`},
		{"geometry collection", withGeometry(`{"type":"GeometryCollection","geometries":[]}`),
			`feature 1: geometry type "GeometryCollection" not supported`},
		{"coordinates missing", withGeometry(`{"type":"Polygon"}`), "feature 1: Polygon has no coordinates"},
		{"coordinates wrong shape", withGeometry(`{"type":"Polygon","coordinates":[[0,0],[1,1]]}`),
			"feature 1: Polygon coordinates are not an array of rings of [lon, lat] positions"},
		{"coordinates not numbers", withGeometry(`{"type":"MultiPolygon","coordinates":[[[["0","0"]]]]}`),
			"feature 1: MultiPolygon coordinates are not an array of polygons of rings of [lon, lat] positions"},
		{"number too big", withGeometry(`{"type":"Polygon","coordinates":[[[1e999,0],[1,0],[1,1],[0,0]]]}`),
			"feature 1: Polygon coordinates are not an array of rings of [lon, lat] positions"},
		{"no polygons", withGeometry(`{"type":"MultiPolygon","coordinates":[]}`), "feature 1: MultiPolygon has no polygons"},
		{"no rings", withGeometry(`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[]]}`),
			"feature 1: polygon 1 has no rings"},
		{"ring too short", withGeometry(`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0,0],[1,1],[0,0]]]}`),
			"feature 1: polygon 0 ring 1 has 3 positions, need at least 4"},
		{"position too short", withGeometry(`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1],[0,0]]]}`),
			"feature 1: polygon 0 ring 0 position 2 has 1 numbers, need [lon, lat]"},
		{"British National Grid", withGeometry(`{"type":"Polygon","coordinates":[[[374405,380936],[374406,380936],[374406,380937],[374405,380936]]]}`),
			"feature 1: polygon 0 ring 0 position 0 [374405, 380936] is not a longitude/latitude; is the file in EPSG:4326?"},
		{"latitude beyond the pole", withGeometry(`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,91],[0,0]]]}`),
			"feature 1: polygon 0 ring 0 position 2 [1, 91] is not a longitude/latitude; is the file in EPSG:4326?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mapsvg.ParseGeoJSON(strings.NewReader(tt.in), "ICB23CD", "ICB23NM")
			if err == nil {
				t.Fatalf("no error, got %+v", got)
			}
			if err.Error() != tt.want {
				t.Errorf("error %q\n want %q", err, tt.want)
			}
			if code := accord.ErrorCode(err); code != accord.EINVALID {
				t.Errorf("error code %q, want %q", code, accord.EINVALID)
			}
			if got != nil {
				t.Errorf("features %+v alongside an error, want nil", got)
			}
		})
	}
}

func TestParseGeoJSONReadError(t *testing.T) {
	// A failing reader is not the input's fault, so it is not EINVALID.
	gone := errors.New("disk gone")
	in := io.MultiReader(strings.NewReader(`{"type":"FeatureCollection","features":[`), iotest.ErrReader(gone))
	_, err := mapsvg.ParseGeoJSON(in, "ICB23CD", "ICB23NM")
	if !errors.Is(err, gone) {
		t.Fatalf("error %v, want it to wrap %v", err, gone)
	}
	if code := accord.ErrorCode(err); code != accord.EINTERNAL {
		t.Errorf("error code %q, want %q", code, accord.EINTERNAL)
	}
}

func TestParseICBBoundaries(t *testing.T) {
	features := parseICBs(t)
	if len(features) != 42 {
		t.Fatalf("got %d ICBs, want 42", len(features))
	}
	for i, f := range features {
		if !strings.HasPrefix(f.Code, "E54") || len(f.Code) != 9 {
			t.Errorf("feature %d: code %q is not an ICB code", i, f.Code)
		}
		if !strings.HasPrefix(f.Name, "NHS ") || !strings.HasSuffix(f.Name, " Integrated Care Board") {
			t.Errorf("feature %d: name %q is not an ICB name", i, f.Name)
		}
		if len(f.Polygons) == 0 {
			t.Errorf("feature %d (%s): no polygons", i, f.Code)
		}
		for _, rings := range f.Polygons {
			for _, ring := range rings {
				for _, p := range ring {
					// England, Scilly to the Tweed.
					if p.X < -6.5 || p.X > 1.8 || p.Y < 49.8 || p.Y > 55.9 {
						t.Fatalf("feature %d (%s): point %v outside England", i, f.Code, p)
					}
				}
			}
		}
	}
	if features[0].Code != "E54000008" {
		t.Errorf("first ICB %s, want E54000008 as in the file", features[0].Code)
	}
}
