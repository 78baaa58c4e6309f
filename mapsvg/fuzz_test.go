package mapsvg_test

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/mapsvg"
)

func FuzzParseGeoJSON(f *testing.F) {
	for _, seed := range []string{
		collection(feature("E54000001", squareGeometry)),
		collection(feature("E54000001", holeGeometry), feature("E54000002", multiGeometry)),
		collection(feature("E54000001", `{"type":"Polygon","coordinates":[[[0,0,5],[1,0,5],[1,1,5],[0,0,5]]]}`)),
		collection(feature("E54000001", `{"type":"LineString","coordinates":[[0,0],[1,1]]}`)),
		collection(feature("E54000001", squareGeometry), feature("E54000001", squareGeometry)),
		collection(feature("E54000001", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1],[0,0]]]}`)),
		collection(feature("E54000001", `{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,-90]]]}`)),
		collection(feature("E54000001", `{"type":"Polygon","coordinates":[[[1,1],[1,1],[1,1],[1,1]]]}`)),
		`{"type":"FeatureCollection","features":[]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ICB23CD":null},"geometry":null}]}`,
		`{"type":"Feature"}`,
		`[]`,
		``,
		`{"type":"FeatureCollection","features":[` + feature("E54000001", squareGeometry) + `,`,
	} {
		f.Add([]byte(seed))
	}
	// The start of the real file, cut off mid-feature.
	if real, err := os.ReadFile(icbFile); err == nil {
		f.Add(real[:4096])
	}

	f.Fuzz(func(t *testing.T, in []byte) {
		features, err := mapsvg.ParseGeoJSON(strings.NewReader(string(in)), "ICB23CD", "ICB23NM")
		if err != nil {
			// A bytes reader cannot fail, so every error is the input's.
			if code := accord.ErrorCode(err); code != accord.EINVALID || err.Error() == "" {
				t.Fatalf("error %q has code %q, want a message and %q", err, code, accord.EINVALID)
			}
			if features != nil {
				t.Fatalf("features %v alongside error %v", features, err)
			}
			return
		}
		codes := map[string]bool{}
		for i, f := range features {
			if strings.TrimSpace(f.Code) == "" || strings.TrimSpace(f.Name) == "" || codes[f.Code] {
				t.Fatalf("feature %d: code %q name %q: want both set and the code unique", i, f.Code, f.Name)
			}
			codes[f.Code] = true
			if len(f.Polygons) == 0 {
				t.Fatalf("feature %d: no polygons", i)
			}
			for _, rings := range f.Polygons {
				if len(rings) == 0 {
					t.Fatalf("feature %d: a polygon with no rings", i)
				}
				for _, ring := range rings {
					if len(ring) < 4 {
						t.Fatalf("feature %d: ring of %d points", i, len(ring))
					}
					for _, p := range ring {
						if !(p.X >= -180 && p.X <= 180 && p.Y >= -90 && p.Y <= 90) {
							t.Fatalf("feature %d: point %v is not a longitude/latitude", i, p)
						}
					}
				}
			}
		}

		// Whatever parses must draw: one shape each, in order, inside the box.
		m := mapsvg.Render(features, 300, 0.5)
		if len(m.Shapes) != len(features) || m.Width != 300 || !(m.Height >= 0) || math.IsInf(m.Height, 0) {
			t.Fatalf("Render gave %d shapes in %s for %d features", len(m.Shapes), m.ViewBox(), len(features))
		}
		for i, s := range m.Shapes {
			if s.Code != features[i].Code {
				t.Fatalf("shape %d is %s, want %s", i, s.Code, features[i].Code)
			}
			rings(t, m, s.Path)
		}
	})
}
