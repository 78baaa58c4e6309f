package review

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
)

// CSVHeader is the first row of Pack.CSV.
var CSVHeader = []string{
	"section", "indicator_id", "organisation_code", "organisation_name", "period", "breakdown",
	"value", "lower", "upper", "benchmark", "comparison", "detail",
}

// The sections of Pack.CSV, in the order they are written for each
// indicator; docs/peer-review-evidence.md says what each column holds in
// each.
const (
	SectionPack          = "pack"
	SectionPeerGroup     = "peer_group"
	SectionSeries        = "series"
	SectionSPC           = "spc"
	SectionSPCIcons      = "spc_icons"
	SectionLatestEngland = "latest_vs_england"
	SectionLatestPeers   = "latest_vs_peers"
	SectionEngland       = "england"
	SectionPeer          = "peer"
	SectionTarget        = "target"
	SectionMilestone     = "milestone"
	SectionForecast      = "forecast"
	SectionInequality    = "inequality"
)

// notYetObserved marks a milestone whose period has no value yet.
const notYetObserved = "not_yet_observed"

// CSV writes every figure of the pack as one long table, one figure (with
// its interval and what it is compared with) a row, in full precision.
func (p Pack) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	row := func(section, ind string, org OrgRef, period, breakdown, value, lower, upper, benchmark, comparison, detail string) {
		// Errors stick in the writer and come out of Flush.
		_ = cw.Write([]string{section, ind, org.Code, org.Name, period, breakdown, value, lower, upper, benchmark, comparison, detail})
	}
	_ = cw.Write(CSVHeader)
	row(SectionPack, "", p.Reviewed, p.Generated.String(), "", "", "", "", "", "", "reviewed system; peers "+p.PeersFrom)
	for _, pr := range p.Peers {
		detail := "chosen peer"
		if pr.Rank > 0 {
			detail = nearestWords(pr.Rank)
		}
		row(SectionPeerGroup, "", pr, "", "", optNum(pr.Distance), "", "", "", "", detail)
	}
	for _, ip := range p.Indicators {
		id := ip.Indicator.ID
		for _, v := range ip.Series {
			row(SectionSeries, id, p.Reviewed, v.Period.String(), "", csvNum(v.Value), optNum(v.Lower), optNum(v.Upper), "", "", v.IntervalSource)
		}
		if sc := ip.SPC; sc != nil {
			for i, pt := range sc.Result.Points {
				row(SectionSPC, id, p.Reviewed, sc.Periods[i].String(), "", csvNum(pt.Value), csvNum(pt.LPL), csvNum(pt.UPL), csvNum(pt.Mean),
					pt.PointType, pt.SpecialCauseType)
			}
			std, detail := "", "no national standard"
			if sc.Standard != nil {
				std = csvNum(sc.Standard.Standard)
				detail = fmt.Sprintf("assurance %s against %s (%s %s)", orNone(sc.Result.AssuranceIcon), sc.Standard.ID,
					sc.Standard.Comparator, csvNum(sc.Standard.Standard))
			}
			last := sc.Periods[len(sc.Periods)-1].String()
			row(SectionSPCIcons, id, p.Reviewed, last, "", "", "", "", std, sc.Result.VariationIcon, detail)
		}
		if l := ip.Latest; l != nil {
			eng := ""
			if ip.England != nil {
				eng = csvNum(ip.England.Value)
			}
			row(SectionLatestEngland, id, p.Reviewed, l.Period.String(), "", csvNum(l.Value), optNum(l.Lower), optNum(l.Upper), eng,
				string(ip.VsEngland), "")
			detail := ""
			if ip.PeerCount > 0 {
				detail = fmt.Sprintf("mean of %d peer%s; ranked %d of %d", ip.PeerCount, plural(ip.PeerCount), ip.PeerRank, ip.PeerCount+1)
			}
			row(SectionLatestPeers, id, p.Reviewed, l.Period.String(), "", csvNum(l.Value), optNum(l.Lower), optNum(l.Upper), optNum(ip.PeerMean),
				string(ip.VsPeers), detail)
			if e := ip.England; e != nil {
				row(SectionEngland, id, OrgRef{Code: accord.EnglandCode, Name: "England"}, e.Period.String(), "", csvNum(e.Value),
					optNum(e.Lower), optNum(e.Upper), "", "", "")
			}
		}
		for _, pr := range ip.Peers {
			if pr.Value == nil {
				row(SectionPeer, id, pr.OrgRef, "", "", "", "", "", "", "", "no value held")
				continue
			}
			v := pr.Value
			row(SectionPeer, id, pr.OrgRef, v.Period.String(), "", csvNum(v.Value), optNum(v.Lower), optNum(v.Upper), optNum(pr.England),
				string(pr.VsEngland), "")
		}
		for _, t := range ip.Targets {
			row(SectionTarget, id, p.Reviewed, t.Deadline.String(), "", csvNum(t.Value), "", "", optNum(t.BaselineValue), string(t.Trajectory),
				fmt.Sprintf("target %d: %s (%s; %s %s by %s)", t.ID, t.Title, t.Status, t.Comparator, csvNum(t.Value), t.Deadline))
			observed := map[accord.Period]int{}
			for i, m := range t.Milestones {
				observed[m.Period] = i
			}
			for _, m := range t.Plan {
				value, verdict := "", notYetObserved
				if i, ok := observed[m.Period]; ok {
					value, verdict = csvNum(t.Milestones[i].Observed), "not_met"
					if t.Milestones[i].Met {
						verdict = "met"
					}
				}
				row(SectionMilestone, id, p.Reviewed, m.Period.String(), "", value, "", "", csvNum(m.Value), verdict, fmt.Sprintf("target %d", t.ID))
			}
			if f := t.Forecast; f != nil {
				row(SectionForecast, id, p.Reviewed, f.Period.String(), "", csvNum(f.Value), csvNum(f.Lower), csvNum(f.Upper), csvNum(t.Value),
					string(t.Trajectory), fmt.Sprintf("target %d: %s%% prediction interval; probability of meeting the target %s",
						t.ID, csvNum(f.Level*100), csvNum(f.Probability)))
			}
		}
		for _, g := range ip.Inequality {
			org := OrgRef{Code: g.OrgCode, Name: g.Name}
			switch g.Kind {
			case GapIMDDecile:
				row(SectionInequality, g.IndicatorID, org, g.Period.String(), "imd=1 minus imd=10", csvNum(g.Value), "", "", "", g.Direction,
					fmt.Sprintf("most deprived decile %s, least deprived %s", optNum(g.MostDeprived), optNum(g.LeastDeprived)))
			default:
				row(SectionInequality, g.IndicatorID, org, g.Period.String(), "", csvNum(g.Value), optNum(g.Lower), optNum(g.Upper), "", g.Direction,
					"slope index of inequality for "+id)
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvNum writes a number in full precision; NaN (a limit SPC cannot set)
// is left empty.
func csvNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func optNum(v *float64) string {
	if v == nil {
		return ""
	}
	return csvNum(*v)
}

// number writes a value for a sentence, to 2 decimal places at most.
func number(v float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64), ".0")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
