package mapsvg

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

// The real limits are tens of megabytes; these tests show the same checks
// with small ones.
func TestParseGeoJSONLimits(t *testing.T) {
	const square = `{"type":"Feature","properties":{"CD":"%s"},` +
		`"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}`
	two := `{"type":"FeatureCollection","features":[` +
		strings.Replace(square, "%s", "A", 1) + "," + strings.Replace(square, "%s", "B", 1) + `]}`

	tests := []struct {
		name string
		in   string
		lim  limits
		want string
	}{
		{"within both", two, limits{bytes: int64(len(two)), points: 10}, ""},
		{"one byte over", two, limits{bytes: int64(len(two)) - 1, points: 10}, fmt.Sprintf("GeoJSON is larger than %d bytes; use generalised boundaries", len(two)-1)},
		{"whitespace counts", two + strings.Repeat(" ", 10), limits{bytes: int64(len(two)), points: 10},
			fmt.Sprintf("GeoJSON is larger than %d bytes; use generalised boundaries", len(two))},
		{"megabytes named as such", strings.Repeat(" ", 1<<20+1), limits{bytes: 1 << 20, points: 10},
			"GeoJSON is larger than 1 MiB; use generalised boundaries"},
		{"too many points", two, limits{bytes: 1 << 20, points: 9}, "feature 1: more than 9 points in all; use generalised boundaries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseGeoJSON(strings.NewReader(tt.in), "CD", "", tt.lim)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			if code := accord.ErrorCode(err); code != accord.EINVALID {
				t.Errorf("error code %q, want %q", code, accord.EINVALID)
			}
		})
	}
}
