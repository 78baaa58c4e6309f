package sample

import (
	"slices"
	"testing"
)

// A date filed under a misspelt name would silently leave its file undated.
func TestPublishedNamesShippedFiles(t *testing.T) {
	for name := range published {
		if !slices.Contains(Files(), name) {
			t.Errorf("publication date for %s, which is not shipped", name)
		}
	}
}
