package review

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/nhs-accord/accord"
)

// The kinds of evidence for suggesting a reviewer.
const (
	// ReasonSimilar: the reviewer's ICB is one of the reviewed ICB's
	// nearest peers by population, age, deprivation and rurality.
	ReasonSimilar = "statistically_similar"
	// ReasonImproved: the reviewer's ICB is among the most improved ICBs
	// on one of the review's focus indicators.
	ReasonImproved = "most_improved"
)

// The kinds of conflict of interest flagged.
const (
	// ConflictSameRegion: both ICBs are in one NHS region, whose
	// oversight team has an interest in how each is seen.
	ConflictSameRegion = "same_region"
	// ConflictSharedProviders: trusts serve both systems, so a reviewer
	// judges partners of their own.
	ConflictSharedProviders = "shared_providers"
)

// ImprovedPlaces is how many of the most improved ICBs on a focus
// indicator are suggested for it.
const ImprovedPlaces = 5

// Points of the score; docs/peer-review-evidence.md explains them.
const (
	similarBase     = 11 // a peer ranked r scores 11 − r: the nearest 10, the tenth 1
	improvedBase    = ImprovedPlaces + 1
	realChangeBonus = 2 // for an improvement SPC shows is not chance
)

// Suggestion is an ICB suggested to review the reviewed system, with the
// evidence for it and the conflicts of interest to weigh against it.
type Suggestion struct {
	OrgCode    string     `json:"organisation_code"`
	Name       string     `json:"organisation_name"`
	RegionCode string     `json:"region_code"`
	RegionName string     `json:"region_name"`
	Score      int        `json:"score"`
	Reasons    []Reason   `json:"reasons"`
	Conflicts  []Conflict `json:"conflicts"`
}

// Reason is one piece of evidence for a suggestion.
type Reason struct {
	Kind string `json:"kind"` // ReasonSimilar or ReasonImproved
	// Rank is, for ReasonSimilar, the place among the reviewed ICB's
	// nearest peers (1 = nearest); for ReasonImproved, the place among
	// the ICBs compared on the indicator (1 = most improved).
	Rank int `json:"rank"`
	// Distance is the stored distance between the two ICBs' standardised
	// characteristics (ReasonSimilar only).
	Distance *float64 `json:"distance,omitempty"`
	// IndicatorID, IndicatorName and Improvement are set for
	// ReasonImproved.
	IndicatorID   string       `json:"indicator_id,omitempty"`
	IndicatorName string       `json:"indicator_name,omitempty"`
	Improvement   *Improvement `json:"improvement,omitempty"`
	Points        int          `json:"points"` // what the reason adds to the score
	Text          string       `json:"text"`   // the reason in a sentence, as it is recorded
}

// Conflict is a conflict of interest between the reviewer's ICB and the
// reviewed one.
type Conflict struct {
	Kind       string           `json:"kind"` // ConflictSameRegion or ConflictSharedProviders
	RegionCode string           `json:"region_code,omitempty"`
	RegionName string           `json:"region_name,omitempty"`
	Providers  []SharedProvider `json:"providers,omitempty"`
	Text       string           `json:"text"`
}

// SuggestReviewers suggests ICBs to review the reviewed ICB: its stored
// nearest peers, and the ICBs most improved on each focus indicator (those
// on which neither higher nor lower is better are passed over), each with
// its reasons and its conflicts of interest. The best evidence comes first:
// by score, then with fewer conflicts, then by name. ICBs with no evidence
// are left out; ICBs closed on today are not candidates.
func SuggestReviewers(ctx context.Context, st accord.Store, reviewed string, focusIndicators []string, today accord.Date) ([]Suggestion, error) {
	org, err := st.FindOrganisation(ctx, reviewed)
	if err != nil {
		return nil, err
	}
	if org.Type != accord.OrgICB {
		return nil, accord.Errorf(accord.EINVALID, "%s is a %s; reviewers are suggested for integrated care boards.", org.Name, strings.ToLower(org.Type.Label()))
	}
	icbs, err := organisations(ctx, st, nil, today)
	if err != nil {
		return nil, err
	}
	regions, _, err := st.FindOrganisations(ctx, accord.OrganisationFilter{Type: accord.OrgRegion})
	if err != nil {
		return nil, err
	}
	regionName := map[string]string{}
	for _, r := range regions {
		regionName[r.Code] = r.Name
	}

	cands := map[string]*Suggestion{}
	var candidates []accord.Organisation
	for _, o := range icbs {
		if o.Code == org.Code {
			continue
		}
		candidates = append(candidates, o)
		cands[o.Code] = &Suggestion{OrgCode: o.Code, Name: o.Name, RegionCode: o.ParentCode, RegionName: regionName[o.ParentCode]}
	}

	peers, err := st.FindPeers(ctx, org.Code)
	if err != nil {
		return nil, err
	}
	for _, p := range peers {
		s := cands[p.PeerCode]
		if s == nil {
			continue
		}
		r := Reason{Kind: ReasonSimilar, Rank: p.Rank, Distance: accord.Float(p.Distance), Points: max(1, similarBase-p.Rank)}
		r.Text = fmt.Sprintf("Statistically similar to %s: its %s by population, age, deprivation and rurality (distance %.2f).",
			org.Name, nearestWords(p.Rank), p.Distance)
		s.Reasons = append(s.Reasons, r)
	}

	seen := map[string]bool{}
	for _, id := range focusIndicators {
		if seen[id] {
			continue
		}
		seen[id] = true
		ind, err := st.FindIndicator(ctx, id)
		if err != nil {
			return nil, err
		}
		if ind.Polarity != accord.HigherIsBetter && ind.Polarity != accord.LowerIsBetter {
			continue
		}
		codes := make([]string, len(candidates))
		for i, o := range candidates {
			codes[i] = o.Code
		}
		data, err := series(ctx, st, ind.ID, codes, false, today)
		if err != nil {
			return nil, err
		}
		imps := improvements(ind, candidates, data)
		compared := 0
		for _, imp := range imps {
			if imp.Place > 0 {
				compared++
			}
		}
		for _, imp := range imps {
			if imp.Place < 1 || imp.Place > ImprovedPlaces || imp.Improvement <= 0 {
				continue
			}
			r := Reason{Kind: ReasonImproved, Rank: imp.Place, IndicatorID: ind.ID, IndicatorName: ind.Name,
				Improvement: &imp, Points: improvedBase - imp.Place}
			verdict := "SPC does not show the change is more than chance"
			switch imp.Verdict {
			case VerdictImprovement:
				r.Points += realChangeBonus
				verdict = "SPC shows special-cause improvement"
			case VerdictNotEnoughData:
				verdict = "there are too few consecutive values for SPC"
			}
			place := "Most"
			if imp.Place > 1 {
				place = ordinal(imp.Place) + " most"
			}
			r.Text = fmt.Sprintf("%s improved of the %d ICBs compared on %s over the %s (%s to %s); %s.",
				place, compared, ind.Name, imp.Span, number(imp.FromValue), number(imp.ToValue), verdict)
			cands[imp.OrgCode].Reasons = append(cands[imp.OrgCode].Reasons, r)
		}
	}

	links, err := loadProviderLinks(ctx, st, today)
	if err != nil {
		return nil, err
	}
	var out []Suggestion
	for _, o := range candidates {
		s := cands[o.Code]
		if len(s.Reasons) == 0 {
			continue
		}
		for _, r := range s.Reasons {
			s.Score += r.Points
		}
		if o.ParentCode == org.ParentCode {
			name := cmp.Or(regionName[o.ParentCode], o.ParentCode)
			s.Conflicts = append(s.Conflicts, Conflict{Kind: ConflictSameRegion, RegionCode: o.ParentCode, RegionName: regionName[o.ParentCode],
				Text: fmt.Sprintf("In the same NHS region as %s (%s), whose oversight team has an interest in both.", org.Name, name)})
		}
		if ps := links.shared(org.Code, o.Code); len(ps) > 0 {
			words := make([]string, len(ps))
			for i, p := range ps {
				words[i] = p.Describe()
			}
			s.Conflicts = append(s.Conflicts, Conflict{Kind: ConflictSharedProviders, Providers: ps,
				Text: fmt.Sprintf("Shares %d trust%s with %s: %s.", len(ps), plural(len(ps)), org.Name, strings.Join(words, "; "))})
		}
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Suggestion) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(len(a.Conflicts), len(b.Conflicts)),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.OrgCode, b.OrgCode))
	})
	return out, nil
}

// nearestWords places a peer: "nearest peer", "2nd nearest peer".
func nearestWords(rank int) string {
	if rank == 1 {
		return "nearest peer"
	}
	return ordinal(rank) + " nearest peer"
}

// ordinal writes 1 as "1st", 2 as "2nd", 11 as "11th".
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
