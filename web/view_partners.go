package web

import (
	"cmp"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
)

// partnersPath is the mutual accountability page of an ICB.
func partnersPath(code string) string { return "/icbs/" + url.PathEscape(code) + "/partners" }

// partnerTarget is one of the system's targets on an indicator.
type partnerTarget struct {
	Title    string
	Promise  string
	Status   string
	Progress publicProgress
}

// partnerRow is one partner's own figure for the period the system's
// figure is for.
type partnerRow struct {
	Code, Name                    string
	Yours                         bool // the viewer holds a role for this organisation
	Value, Numerator, Denominator pubFigure
	Note                          string // why there is no figure
}

// partnerGroup is the partners of one kind (NHS trusts, places), their
// total and how it compares with the system's own figure.
type partnerGroup struct {
	Label     string // "NHS trusts"
	Noun      string // "trusts", for sentences
	Caption   string
	Rows      []partnerRow
	Reporting int // partners with a figure for the period
	// Total, TotalNumerator and TotalDenominator add up the partners'
	// unrounded counts; Total is empty when they cannot be added up.
	Total, TotalNumerator, TotalDenominator pubFigure
	// Difference and its counts are the total less the system's figure;
	// "" when not worked out.
	Difference                                 string
	DifferenceNumerator, DifferenceDenominator pubFigure
	Verdict                                    string // the parts against the whole, in a sentence
	Why                                        string // why they may differ
}

// partnerIndicator is one indicator the system has targets on: the
// system's figure and each partner's contribution to it.
type partnerIndicator struct {
	IndicatorID, Name string
	Counts            bool   // numerators and denominators are shown
	NumeratorLabel    string // what the numerator and denominator count
	DenominatorLabel  string
	Targets           []partnerTarget
	Period            string // "" when neither the system nor a partner has a figure
	System            pubFigure
	SystemNumerator   pubFigure
	SystemDenominator pubFigure
	Groups            []partnerGroup
	Additive          string // why the figures cannot be added, when they cannot
}

type partnersView struct {
	page
	Org        accord.Organisation
	Indicators []partnerIndicator
	Yours      []string // names of the partners the viewer holds roles for
	SignedIn   bool
	Suppressed bool
}

// partnersAdditive reports whether partners' figures of an indicator add up to a
// system's: counts add, and so do the numerators and denominators of
// proportions, crude rates and means. Standardised rates, life expectancy,
// scores and ratios are worked out from each area's own population and do
// not.
func partnersAdditive(ind accord.Indicator) bool {
	switch ind.Method {
	case accord.MethodCount, accord.MethodProportion, accord.MethodRate, accord.MethodMean:
		return true
	}
	return false
}

// partnersPage is GET /icbs/{code}/partners: the system's shared targets
// (those the viewer may see: the public ones for anyone, more for those
// taking part) and, for each target's indicator, each NHS trust's and
// place's own latest figure, their total, and the total set against the
// system's own figure. A partner sees its own organisation marked.
func (s *Server) partnersPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code := r.PathValue("code")
	org, err := s.findOrganisation(ctx, code)
	if err != nil {
		return err
	}
	if org.Type != accord.OrgICB {
		return accord.Errorf(accord.ENOTFOUND, "%s is not an integrated care board.", org.Code)
	}
	if code != org.Code {
		http.Redirect(w, r, partnersPath(org.Code), http.StatusMovedPermanently)
		return nil
	}
	u := s.currentUser(r)
	orgs, err := s.loadViewOrgs(ctx)
	if err != nil {
		return err
	}
	v := partnersView{page: page{Title: "Partners’ contributions", Section: "icbs",
		Crumbs: []crumb{{"/", "Home"}, {"/icbs/" + org.Code, org.Name}}}, Org: org, SignedIn: u != nil}

	var trusts, places []accord.Organisation
	for _, o := range orgs {
		if o.ParentCode != org.Code {
			continue
		}
		switch o.Type {
		case accord.OrgProvider:
			trusts = append(trusts, o)
		case accord.OrgPlace:
			places = append(places, o)
		}
	}
	slices.SortFunc(trusts, byName)
	slices.SortFunc(places, byName)
	yours := map[string]bool{}
	if u != nil && !u.Disabled {
		for _, g := range u.Grants {
			if o, ok := orgs[g.OrgCode]; ok && o.ParentCode == org.Code && (o.Type == accord.OrgProvider || o.Type == accord.OrgPlace) && !yours[o.Code] {
				yours[o.Code] = true
				v.Yours = append(v.Yours, o.Name)
			}
		}
	}

	ts, _, err := s.store.FindTargets(ctx, accord.TargetFilter{OrgCode: org.Code})
	if err != nil {
		return err
	}
	byIndicator := map[string][]accord.Target{}
	var ids []string
	for _, t := range ts {
		if t.Status == accord.TargetWithdrawn || !accord.CanView(u, t, orgs.parentOf) {
			continue
		}
		if _, ok := byIndicator[t.IndicatorID]; !ok {
			ids = append(ids, t.IndicatorID)
		}
		byIndicator[t.IndicatorID] = append(byIndicator[t.IndicatorID], t)
	}
	codes := []string{org.Code}
	for _, o := range slices.Concat(trusts, places) {
		codes = append(codes, o.Code)
	}
	for _, id := range ids {
		ind, err := s.store.FindIndicator(ctx, id)
		if err != nil {
			return err
		}
		obs, _, err := s.store.FindObservations(ctx, accord.ObservationFilter{IndicatorID: id, OrgCodes: codes})
		if err != nil {
			return err
		}
		pi := partnerIndicatorOf(ind, org, byIndicator[id], obs, trusts, places, yours, orgs)
		for _, g := range pi.Groups {
			for _, row := range g.Rows {
				v.Suppressed = v.Suppressed || row.Value.Suppressed || row.Numerator.Suppressed || row.Denominator.Suppressed
			}
			v.Suppressed = v.Suppressed || g.Total.Suppressed || g.TotalNumerator.Suppressed || g.TotalDenominator.Suppressed ||
				g.DifferenceNumerator.Suppressed || g.DifferenceDenominator.Suppressed
		}
		v.Suppressed = v.Suppressed || pi.System.Suppressed || pi.SystemNumerator.Suppressed || pi.SystemDenominator.Suppressed
		v.Indicators = append(v.Indicators, pi)
	}
	slices.SortFunc(v.Indicators, func(a, b partnerIndicator) int { return strings.Compare(a.Name, b.Name) })
	return s.render(w, "partners", &v)
}

// partnerIndicatorOf works out one indicator's contributions from obs:
// every whole-population observation of the system and its partners.
func partnerIndicatorOf(ind accord.Indicator, icb accord.Organisation, targets []accord.Target, obs []accord.Observation,
	trusts, places []accord.Organisation, yours map[string]bool, orgs viewOrgs) partnerIndicator {
	pi := partnerIndicator{IndicatorID: ind.ID, Name: ind.Name, System: pubNone}
	own := viewSeries(obs, icb.Code)
	for _, t := range targets {
		pi.Targets = append(pi.Targets, partnerTarget{Title: t.Title, Promise: publicPromise(t, ind),
			Status: viewStatusLabel(t.Status), Progress: publicProgressOf(t, own)})
	}
	// The period compared is the system's latest; without one, the latest
	// any partner has, so partners' figures still show.
	var period accord.Period
	sys, hasSystem := viewLatestTotal(own)
	if hasSystem {
		period = sys.Period
	} else {
		for _, o := range obs {
			if o.Breakdown.IsTotal() && o.Period.Compare(period) > 0 {
				period = o.Period
			}
		}
	}
	if period.IsZero() {
		return pi
	}
	pi.Period = periodWords(period)
	pi.Counts = ind.Method == accord.MethodProportion || ind.Method == accord.MethodRate || ind.Method == accord.MethodMean
	pi.NumeratorLabel, pi.DenominatorLabel = cmp.Or(ind.Numerator, "Numerator"), cmp.Or(ind.Denominator, "Denominator")
	if hasSystem {
		pi.System = pubValue(sys, ind, true)
		if pi.Counts {
			pi.SystemNumerator, pi.SystemDenominator = pubCounts(sys, true)
		}
	}
	if !partnersAdditive(ind) {
		pi.Additive = "Figures for " + strings.ToLower(partnersMethodWords(ind.Method)) + " are worked out from each area’s own population, so partners’ figures do not add up to the system’s."
	}
	at := map[string]accord.Observation{}
	latest := map[string]accord.Period{}
	for _, o := range obs {
		if !o.Breakdown.IsTotal() {
			continue
		}
		if o.Period == period {
			at[o.OrgCode] = o
		}
		if o.Period.Compare(latest[o.OrgCode]) > 0 {
			latest[o.OrgCode] = o.Period
		}
	}
	for _, grp := range []struct {
		label, noun, why string
		members          []accord.Organisation
	}{
		{"NHS trusts", "trusts", "Trusts count everyone they treat, including patients who live in other systems, and the system’s own residents are also treated by trusts elsewhere. " +
			"A system’s figure may also count people by where they live or are registered rather than where they are treated.", trusts},
		{"Places", "places", "Places are upper-tier local authorities. Their figures count the people who live there, and a local authority’s boundary does not always match the system’s.", places},
	} {
		if len(grp.members) == 0 {
			continue
		}
		g := partnerGroup{Label: grp.label, Noun: grp.noun,
			Caption: grp.label + " in " + icb.Name + ": " + ind.Name + ", " + periodWords(period)}
		var num, den, total float64
		complete := partnersAdditive(ind)
		for _, m := range grp.members {
			row := partnerRow{Code: m.Code, Name: m.Name, Yours: yours[m.Code], Value: pubNone}
			o, ok := at[m.Code]
			switch {
			case ok:
				g.Reporting++
				row.Value = pubValue(o, ind, viewDiscloses(orgs, m.Code))
				if pi.Counts {
					row.Numerator, row.Denominator = pubCounts(o, viewDiscloses(orgs, m.Code))
					if o.Numerator == nil || o.Denominator == nil {
						complete = false
					} else {
						num, den = num+*o.Numerator, den+*o.Denominator
					}
				}
				total += o.Value
			case !latest[m.Code].IsZero():
				row.Note = "No figure for " + periodWords(period) + "; the latest is for " + periodWords(latest[m.Code]) + "."
			default:
				row.Note = "No figures published."
			}
			g.Rows = append(g.Rows, row)
		}
		if g.Reporting == 0 {
			g.Verdict = "None of the " + grp.noun + " has a figure for " + periodWords(period) + "."
			if !partnersAnyPublished(grp.members, latest) {
				g.Rows = nil // a table of blanks says no more than the sentence
				g.Verdict = "None of the " + grp.noun + " publishes figures for this measure."
			}
			pi.Groups = append(pi.Groups, g)
			continue
		}
		if !complete {
			if pi.Additive == "" {
				g.Verdict = "The " + grp.noun + "’ figures cannot be added up, because not all of them publish the counts they are worked out from."
			}
			pi.Groups = append(pi.Groups, g)
			continue
		}
		partnersAddUp(&g, ind, sys, hasSystem, num, den, total, len(grp.members), periodWords(period), grp.why)
		pi.Groups = append(pi.Groups, g)
	}
	return pi
}

// partnersAnyPublished reports whether any of members has a figure for
// some period.
func partnersAnyPublished(members []accord.Organisation, latest map[string]accord.Period) bool {
	for _, m := range members {
		if !latest[m.Code].IsZero() {
			return true
		}
	}
	return false
}

// partnersAddUp fills a group's total from the partners' unrounded counts (or
// values, for a count) and sets it against the system's own figure.
func partnersAddUp(g *partnerGroup, ind accord.Indicator, sys accord.Observation, hasSystem bool, num, den, total float64, members int, period, why string) {
	var value float64
	if ind.Method == accord.MethodCount {
		g.Total = pubCount(total, true)
		if !g.Total.Suppressed {
			g.Total.Text += ind.Unit.Symbol()
		}
		value = total
	} else {
		g.TotalNumerator, g.TotalDenominator = pubCount(num, true), pubCount(den, true)
		if den == 0 {
			g.Total = pubNone
			return
		}
		value = num / den * assess.Multiplier(ind.Unit)
		g.Total = pubValue(accord.Observation{Value: value, Numerator: &num, Denominator: &den}, ind, true)
	}
	missing := ""
	if g.Reporting < members {
		missing = " " + plural(members-g.Reporting, "One of the "+g.Noun+" has", formatNumber(float64(members-g.Reporting))+" of the "+g.Noun+" have") +
			" no figure for " + period + ", so the total leaves " + plural(members-g.Reporting, "it", "them") + " out."
	}
	if !hasSystem {
		g.Verdict = "The system has no figure of its own for " + period + " to compare the total with." + missing
		return
	}
	sysFig := pubValue(sys, ind, true)
	hidden := g.Total.Suppressed || sysFig.Suppressed
	diff := value - sys.Value
	if !hidden {
		unit := ind.Unit
		if unit == accord.UnitPercent {
			unit = accord.UnitPoints
		}
		g.Difference = partnersSigned(formatValue(diff, unit), math.Round(diff*100) > 0)
	}
	countsDiffer := false
	countDiff := func(total float64, own *float64) pubFigure {
		if own == nil {
			return pubFigure{}
		}
		d := total - *own
		countsDiffer = countsDiffer || math.Abs(d) >= 0.5
		f := pubCount(d, true)
		f.Text = partnersSigned(f.Text, d > 0 && !f.Suppressed && f.Text != "0")
		return f
	}
	if ind.Method != accord.MethodCount {
		g.DifferenceNumerator, g.DifferenceDenominator = countDiff(num, sys.Numerator), countDiff(den, sys.Denominator)
	}
	if math.Abs(diff) < 0.005 && !countsDiffer {
		g.Difference, g.DifferenceNumerator, g.DifferenceDenominator = "", pubFigure{}, pubFigure{}
		g.Verdict = "The " + g.Noun + "’ figures add up to the system’s own figure." + missing
		return
	}
	g.Verdict = "The total of the " + g.Noun + " differs from the system’s own figure." + missing
	g.Why = why
}

// partnersSigned puts a plus sign before a positive difference, so the direction
// reads at a glance.
func partnersSigned(text string, positive bool) string {
	if positive {
		return "+" + text
	}
	return text
}

// partnersMethodWords names a method in a sentence.
func partnersMethodWords(m accord.Method) string {
	switch m {
	case accord.MethodDSR:
		return "Directly standardised rates"
	case accord.MethodLifeExpectancy:
		return "Life expectancy"
	case accord.MethodSlopeIndex:
		return "Slope indices of inequality"
	case accord.MethodRatio:
		return "Ratios"
	case accord.MethodScore:
		return "Scores"
	}
	return sentence(string(m))
}

// viewStatusLabel names a target's status for those who may see it
// before it is public.
func viewStatusLabel(s accord.TargetStatus) string {
	switch s {
	case accord.TargetDraft:
		return "Draft"
	case accord.TargetConsultation:
		return "In consultation"
	case accord.TargetAgreed:
		return "Agreed locally"
	case accord.TargetSubmitted:
		return "Submitted to NHS England"
	case accord.TargetChallenged:
		return "Challenged by NHS England"
	case accord.TargetWithdrawn:
		return "Withdrawn"
	}
	return publicStatus(s)
}
