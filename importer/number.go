package importer

import (
	"strconv"
	"strings"
)

// parseNumber reads a published number: thousands separators and
// surrounding spaces are allowed ("1,234"), blanks and text are not.
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, ",") {
		s = strings.ReplaceAll(s, ",", "")
	}
	return strconv.ParseFloat(s, 64)
}
