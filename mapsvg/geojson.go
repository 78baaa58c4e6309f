package mapsvg

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nhs-accord/accord"
)

// Point is a position: longitude and latitude as parsed, projected output
// units once projected.
type Point struct{ X, Y float64 }

// Feature is one area of a boundary file, such as one ICB. Each polygon is
// a list of rings: the first is the outer boundary, any others are holes.
type Feature struct {
	Code, Name string
	Polygons   [][][]Point
}

// Limits on what ParseGeoJSON accepts. The generalised ONS boundary files
// drawn on pages are well under a megabyte; anything near these limits is
// either the wrong file (full resolution, far too detailed for a page map)
// or not a boundary file at all, and is refused before it exhausts memory.
const (
	maxGeoJSONBytes  = 64 << 20
	maxGeoJSONPoints = 4_000_000
)

// ParseGeoJSON reads a GeoJSON FeatureCollection of Polygon and
// MultiPolygon features in EPSG:4326 longitude/latitude, such as the ONS
// ICB boundaries. Each feature's code and name are read from the properties
// codeProp and nameProp (for example "ICB23CD" and "ICB23NM"); nameProp may
// be empty when names are not needed. Codes must be unique.
//
// The input is decoded one feature at a time. Problems with the input are
// returned as accord EINVALID errors naming the feature and the problem,
// for example `feature 3: property "ICB23CD" missing`; a failure of r itself
// is returned wrapped.
func ParseGeoJSON(r io.Reader, codeProp, nameProp string) ([]Feature, error) {
	return parseGeoJSON(r, codeProp, nameProp, limits{bytes: maxGeoJSONBytes, points: maxGeoJSONPoints})
}

// limits bound what parseGeoJSON reads; tests use small ones.
type limits struct {
	bytes  int64
	points int
}

func parseGeoJSON(r io.Reader, codeProp, nameProp string, lim limits) ([]Feature, error) {
	cr := &cappedReader{r: r, left: lim.bytes}
	p := &collectionParser{
		dec:      json.NewDecoder(cr),
		input:    cr,
		limits:   lim,
		codeProp: codeProp,
		nameProp: nameProp,
		codes:    map[string]int{},
	}
	return p.parse()
}

// collectionParser walks the top level of a FeatureCollection by token and
// decodes each feature whole, so only one feature's JSON is held at a time.
type collectionParser struct {
	dec                *json.Decoder
	input              *cappedReader
	limits             limits
	codeProp, nameProp string
	codes              map[string]int // code → index of the feature that has it
	points             int
}

func (p *collectionParser) parse() ([]Feature, error) {
	tok, err := p.dec.Token()
	if err == io.EOF {
		return nil, invalid("GeoJSON is empty")
	}
	if err != nil {
		return nil, p.fail("", err)
	}
	if tok != json.Delim('{') {
		return nil, invalid("GeoJSON is not an object")
	}

	var (
		typ         string
		features    []Feature
		hasFeatures bool
	)
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.fail("", err)
		}
		key, _ := tok.(string)
		switch key {
		case "type":
			var v json.RawMessage
			if err := p.dec.Decode(&v); err != nil {
				return nil, p.fail("", err)
			}
			if json.Unmarshal(v, &typ) != nil {
				return nil, invalid(`type is not a string`)
			}
		case "features":
			if hasFeatures {
				return nil, invalid(`"features" appears twice`)
			}
			hasFeatures = true
			if features, err = p.features(); err != nil {
				return nil, err
			}
		default:
			// crs, bbox, name and the like: not needed to draw.
			var skip json.RawMessage
			if err := p.dec.Decode(&skip); err != nil {
				return nil, p.fail("", err)
			}
		}
	}
	if _, err := p.dec.Token(); err != nil { // the closing '}'
		return nil, p.fail("", err)
	}
	if _, err := p.dec.Token(); err != io.EOF {
		if err != nil {
			return nil, p.fail("", err)
		}
		return nil, invalid("unexpected data after the FeatureCollection")
	}

	switch {
	case typ == "":
		return nil, invalid(`type missing, want "FeatureCollection"`)
	case typ != "FeatureCollection":
		return nil, invalid(`type %q not supported, want "FeatureCollection"`, typ)
	case !hasFeatures:
		return nil, invalid(`"features" missing`)
	}
	if features == nil {
		features = []Feature{}
	}
	return features, nil
}

// features reads the features array, the decoder being just before its '['.
func (p *collectionParser) features() ([]Feature, error) {
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.fail("", err)
	}
	if tok != json.Delim('[') {
		return nil, invalid(`"features" is not an array`)
	}
	var out []Feature
	for i := 0; p.dec.More(); i++ {
		where := fmt.Sprintf("feature %d", i)
		var raw rawFeature
		if err := p.dec.Decode(&raw); err != nil {
			return nil, p.fail(where, err)
		}
		f, n, err := raw.feature(p.codeProp, p.nameProp)
		if err != nil {
			return nil, invalid("%s: %s", where, err)
		}
		if prev, ok := p.codes[f.Code]; ok {
			return nil, invalid("%s: code %q already used by feature %d", where, f.Code, prev)
		}
		p.codes[f.Code] = i
		p.points += n
		if p.points > p.limits.points {
			return nil, invalid("%s: more than %d points in all; use generalised boundaries", where, p.limits.points)
		}
		out = append(out, f)
	}
	if _, err := p.dec.Token(); err != nil { // the closing ']'
		return nil, p.fail("", err)
	}
	return out, nil
}

// fail turns a decoder error into the error ParseGeoJSON returns: the
// input's fault (EINVALID) unless the reader itself failed.
func (p *collectionParser) fail(where string, err error) error {
	prefix := ""
	if where != "" {
		prefix = where + ": "
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case p.input.over:
		return invalid("GeoJSON is larger than %s; use generalised boundaries", byteSize(p.limits.bytes))
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("%sGeoJSON ends unexpectedly", prefix)
	case errors.As(err, &syntax):
		return invalid("%smalformed JSON near byte %d: %s", prefix, syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		return invalid("%s%s is %s, want %s", prefix, jsonPlace(typ), typ.Value, jsonKind(typ.Type.Kind().String()))
	}
	return fmt.Errorf("read GeoJSON: %w", err)
}

// jsonPlace names the member an UnmarshalTypeError is about.
func jsonPlace(e *json.UnmarshalTypeError) string {
	if e.Field == "" {
		return "value"
	}
	return fmt.Sprintf("%q", e.Field)
}

func jsonKind(kind string) string {
	switch kind {
	case "struct", "map":
		return "object"
	case "slice":
		return "array"
	}
	return kind
}

func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

func invalid(format string, args ...any) error {
	return accord.Errorf(accord.EINVALID, format, args...)
}

type rawFeature struct {
	Type       string                     `json:"type"`
	Properties map[string]json.RawMessage `json:"properties"`
	Geometry   *rawGeometry               `json:"geometry"`
}

type rawGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// feature checks raw and converts it, returning also its number of points.
// Its errors are plain: the caller prefixes the feature index.
func (raw rawFeature) feature(codeProp, nameProp string) (Feature, int, error) {
	if raw.Type != "Feature" {
		if raw.Type == "" {
			return Feature{}, 0, errors.New(`type missing, want "Feature"`)
		}
		return Feature{}, 0, fmt.Errorf(`type %q not supported, want "Feature"`, raw.Type)
	}
	code, err := raw.property(codeProp)
	if err != nil {
		return Feature{}, 0, err
	}
	var name string
	if nameProp != "" {
		if name, err = raw.property(nameProp); err != nil {
			return Feature{}, 0, err
		}
	}
	polygons, n, err := raw.Geometry.polygons()
	if err != nil {
		return Feature{}, 0, err
	}
	return Feature{Code: code, Name: name, Polygons: polygons}, n, nil
}

func (raw rawFeature) property(name string) (string, error) {
	v, ok := raw.Properties[name]
	if !ok || string(v) == "null" {
		return "", fmt.Errorf("property %q missing", name)
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fmt.Errorf("property %q is not a string", name)
	}
	if strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("property %q is empty", name)
	}
	return s, nil
}

// polygons converts a Polygon or MultiPolygon geometry, checking that every
// ring could be drawn and every position is a plausible longitude/latitude.
func (g *rawGeometry) polygons() ([][][]Point, int, error) {
	if g == nil {
		return nil, 0, errors.New("geometry missing")
	}
	if len(g.Coordinates) == 0 || string(g.Coordinates) == "null" {
		if g.Type != "Polygon" && g.Type != "MultiPolygon" {
			return nil, 0, fmt.Errorf("geometry type %q not supported", g.Type)
		}
		return nil, 0, fmt.Errorf("%s has no coordinates", g.Type)
	}
	var multi [][][][]float64
	switch g.Type {
	case "Polygon":
		var one [][][]float64
		if err := json.Unmarshal(g.Coordinates, &one); err != nil {
			return nil, 0, errors.New("Polygon coordinates are not an array of rings of [lon, lat] positions")
		}
		multi = [][][][]float64{one}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &multi); err != nil {
			return nil, 0, errors.New("MultiPolygon coordinates are not an array of polygons of rings of [lon, lat] positions")
		}
	case "":
		return nil, 0, errors.New("geometry type missing")
	default:
		return nil, 0, fmt.Errorf("geometry type %q not supported", g.Type)
	}
	if len(multi) == 0 {
		return nil, 0, fmt.Errorf("%s has no polygons", g.Type)
	}

	n := 0
	out := make([][][]Point, len(multi))
	for pi, rings := range multi {
		if len(rings) == 0 {
			return nil, 0, fmt.Errorf("polygon %d has no rings", pi)
		}
		out[pi] = make([][]Point, len(rings))
		for ri, ring := range rings {
			// RFC 7946 §3.1.6: a closed ring has at least four positions.
			if len(ring) < 4 {
				return nil, 0, fmt.Errorf("polygon %d ring %d has %d positions, need at least 4", pi, ri, len(ring))
			}
			pts := make([]Point, len(ring))
			for i, pos := range ring {
				if len(pos) < 2 {
					return nil, 0, fmt.Errorf("polygon %d ring %d position %d has %d numbers, need [lon, lat]", pi, ri, i, len(pos))
				}
				lon, lat := pos[0], pos[1]
				if lon < -180 || lon > 180 || lat < -90 || lat > 90 {
					return nil, 0, fmt.Errorf("polygon %d ring %d position %d [%g, %g] is not a longitude/latitude; is the file in EPSG:4326?", pi, ri, i, lon, lat)
				}
				pts[i] = Point{X: lon, Y: lat}
			}
			out[pi][ri] = pts
			n += len(pts)
		}
	}
	return out, n, nil
}

// cappedReader reads at most left bytes from r and then fails, noting that
// it is over, if r has more: a huge input is refused, not read to the end.
type cappedReader struct {
	r    io.Reader
	left int64
	over bool
}

func (c *cappedReader) Read(b []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			c.over = true
			return 0, errors.New("GeoJSON too large")
		}
		return 0, err
	}
	if int64(len(b)) > c.left {
		b = b[:c.left]
	}
	n, err := c.r.Read(b)
	c.left -= int64(n)
	return n, err
}
