package accord_test

import (
	"testing"

	"github.com/nhs-accord/accord"
)

func TestTargetShortOf(t *testing.T) {
	atLeast := accord.Priority{ID: "rtt_92", Comparator: accord.AtLeast, Standard: 92}
	atMost := accord.Priority{ID: "cancer_62", Comparator: accord.AtMost, Standard: 10}
	cases := []struct {
		name string
		t    accord.Target
		p    accord.Priority
		want bool
	}{
		{"below an at-least standard", accord.Target{PriorityID: "rtt_92", Value: 65}, atLeast, true},
		{"at the standard", accord.Target{PriorityID: "rtt_92", Value: 92}, atLeast, false},
		{"beyond it", accord.Target{PriorityID: "rtt_92", Value: 95}, atLeast, false},
		{"above an at-most standard", accord.Target{PriorityID: "cancer_62", Value: 12}, atMost, true},
		{"under an at-most standard", accord.Target{PriorityID: "cancer_62", Value: 8}, atMost, false},
		{"another priority", accord.Target{PriorityID: "rtt_65", Value: 10}, atLeast, false},
		{"a local priority", accord.Target{LocalTag: accord.TagInequality, Value: 10}, accord.Priority{Comparator: accord.AtLeast, Standard: 92}, false},
	}
	for _, c := range cases {
		if got := c.t.ShortOf(c.p); got != c.want {
			t.Errorf("%s: ShortOf = %v, want %v", c.name, got, c.want)
		}
	}
}
