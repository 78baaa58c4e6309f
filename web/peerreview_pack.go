package web

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/charts"
	"github.com/nhs-accord/accord/review"
	"github.com/nhs-accord/accord/stats/compare"
	"github.com/nhs-accord/accord/stats/trajectory"
)

// The data pack of a review: for the reviewed system and its nearest
// peers, each focus indicator's SPC chart with its data, how the latest
// value compares with England and the peers, the peers' values, the
// published targets and their trajectories, and the inequality gaps.
// Package review gathers it; this draws it, and ?format=csv downloads
// every figure of it.

type packPeerRow struct {
	Name, Code, Rank, Distance string
}

type packValueRow struct {
	Name, Code, Value, Interval, Period, VsEngland string
}

type packTargetRow struct {
	ID                          int64
	Title, Status, Aim          string
	Trajectory, TrajectoryColor string
	Milestones, Forecast        string
}

type packGapRow struct {
	Org, Kind, Period, Gap, Interval, Detail string
}

type packIndicatorView struct {
	ID, Name, Definition, Unit, Better string
	SeriesURL                          string
	SVG                                template.HTML
	SPCSpan, Variation, Assurance      string
	SPCNote                            string
	SPCRows                            []spcRow
	Latest, England, VsEngland         string
	PeerMean, VsPeers, Rank            string
	Peers                              []packValueRow
	Targets                            []packTargetRow
	Gaps                               []packGapRow
}

type packView struct {
	page
	ReviewURL  string
	OrgName    string
	Generated  string
	PeersFrom  string
	Peers      []packPeerRow
	Indicators []packIndicatorView
	CSVURL     string
}

// peerReviewPackPage is GET /peer-reviews/{id}/pack: the review's data
// pack, to read or print, for anyone who may see the review; it holds only
// published figures and the targets anyone may see. ?format=csv downloads
// it as one table.
func (s *Server) peerReviewPackPage(w http.ResponseWriter, r *http.Request) error {
	a := s.reviewAccess(r)
	pr, err := s.findReview(r, a)
	if err != nil {
		return err
	}
	asCSV, err := wantCSV(r)
	if err != nil {
		return err
	}
	peers, peersFrom, err := s.packPeers(r, pr)
	if err != nil {
		return err
	}
	pack, err := review.BuildPack(r.Context(), s.store, pr.OrgCode, pr.IndicatorIDs(), peers, s.viewToday())
	if err != nil {
		return err
	}
	if asCSV {
		var b bytes.Buffer
		if err := pack.CSV(&b); err != nil {
			return err
		}
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="peer-review-%d-data-pack.csv"`, pr.ID))
		writeBody(w, http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
		return nil
	}
	v := packView{
		page: page{Title: "Data pack: " + pack.Reviewed.Name, Section: "peer-reviews",
			Crumbs: []crumb{{"/", "Home"}, {"/peer-reviews", "Peer reviews"}, {peerReviewPath(pr.ID), "Peer review of " + pack.Reviewed.Name}}},
		ReviewURL: peerReviewPath(pr.ID), OrgName: pack.Reviewed.Name, Generated: formatDate(pack.Generated),
		CSVURL: peerReviewPath(pr.ID) + "/pack?format=csv",
	}
	v.PeersFrom = peersFrom
	for _, p := range pack.Peers {
		row := packPeerRow{Name: p.Name, Code: p.Code, Rank: "Not a nearest peer", Distance: "Not measured"}
		if p.Rank > 0 {
			row.Rank = strconv.Itoa(p.Rank)
		}
		if p.Distance != nil {
			row.Distance = strconv.FormatFloat(*p.Distance, 'f', 2, 64)
		}
		v.Peers = append(v.Peers, row)
	}
	for _, ip := range pack.Indicators {
		v.Indicators = append(v.Indicators, packIndicatorOf(ip, pack, pr.OrgCode))
	}
	return s.render(w, "peerreview_pack", &v)
}

// packPeers is who the pack compares the reviewed ICB with, and where
// they come from in words: nil for its stored nearest peers, when it has
// any. Without them, review.BuildPack would take every ICB, the reviewed
// one included, and refuse; so the pack compares it with the ICBs its
// reviewers come from, or else the other ICBs of its region.
func (s *Server) packPeers(r *http.Request, pr accord.PeerReview) ([]string, string, error) {
	ctx := r.Context()
	nearest, err := s.store.FindPeers(ctx, pr.OrgCode)
	if err != nil {
		return nil, "", err
	}
	if len(nearest) > 0 {
		return nil, "its nearest peers: the integrated care boards most like it in population, age, deprivation and rurality", nil
	}
	var out []string
	for _, m := range pr.Team {
		if m.HomeOrg != pr.OrgCode && m.HomeOrg != accord.EnglandCode && !slices.Contains(out, m.HomeOrg) {
			out = append(out, m.HomeOrg)
		}
	}
	if len(out) > 0 {
		return out, "the integrated care boards its reviewers come from, as no nearest peers are on record for it", nil
	}
	if pr.RegionCode != "" {
		icbs, err := s.children(ctx, pr.RegionCode, accord.OrgICB)
		if err != nil {
			return nil, "", err
		}
		for _, o := range icbs {
			if o.Code != pr.OrgCode && o.ValidOn(s.viewToday().Time) {
				out = append(out, o.Code)
			}
		}
	}
	if len(out) == 0 {
		return nil, "", accord.Errorf(accord.ECONFLICT, "The data pack compares the board with its peers, and none are on record yet: no nearest peers, no review team and no other board in its region.")
	}
	return out, "the other integrated care boards in its region, as no nearest peers or reviewers are on record for it", nil
}

func packIndicatorOf(ip review.IndicatorPack, pack review.Pack, orgCode string) packIndicatorView {
	ind := ip.Indicator
	format := func(v float64) string { return formatValue(v, ind.Unit) }
	iv := packIndicatorView{ID: ind.ID, Name: ind.Name, Definition: ind.Definition, Unit: unitLabel(ind.Unit),
		Better: ind.Polarity.Label(), SeriesURL: seriesPath(orgCode, ind.ID)}
	if sc := ip.SPC; sc != nil {
		iv.SVG = template.HTML(charts.SPC(sc.Chart("spc-"+ind.ID, ind.Name+" for "+pack.Reviewed.Name+": statistical process control chart",
			unitLabel(ind.Unit), format)))
		iv.SPCSpan = sc.Span()
		iv.Variation = charts.VariationText(sc.Result.VariationIcon)
		iv.Assurance = charts.AssuranceText(sc.Result.AssuranceIcon)
		if sc.Standard != nil {
			sentence, _ := targetWords(*sc.Standard, ind.Unit)
			iv.SPCNote = sentence
		}
		for i, p := range sc.Result.Points {
			period := ""
			if i < len(sc.Periods) {
				period = periodWords(sc.Periods[i])
			}
			iv.SPCRows = append(iv.SPCRows, spcRow{Period: period, Value: format(p.Value), Mean: optionalValue(p.Mean, ind.Unit),
				Lower: optionalValue(p.LPL, ind.Unit), Upper: optionalValue(p.UPL, ind.Unit), PointType: charts.PointTypeText(p.PointType)})
		}
	} else {
		iv.SPCNote = fmt.Sprintf("There is no SPC chart: it needs at least %d consecutive months or quarters of %s's values.", minSPCPoints, pack.Reviewed.Name)
	}
	if l := ip.Latest; l != nil {
		iv.Latest = format(l.Value) + " in " + periodWords(l.Period) + packInterval(l.Lower, l.Upper, format)
		iv.VsEngland = ip.VsEngland.Label("England", compare.Level95)
		if e := ip.England; e != nil {
			iv.England = format(e.Value)
		} else {
			iv.England, iv.VsEngland = "Not held for the same period", "Not compared"
		}
		if ip.PeerMean != nil {
			iv.PeerMean = fmt.Sprintf("%s, the mean of %d %s", format(*ip.PeerMean), ip.PeerCount, plural(ip.PeerCount, "peer", "peers"))
			iv.VsPeers = ip.VsPeers.Label("the peer mean", compare.Level95)
			if ip.PeerRank > 0 {
				iv.Rank = fmt.Sprintf("%s of %d (1 is best)", packOrdinal(ip.PeerRank), ip.PeerCount+1)
			}
		} else {
			iv.PeerMean, iv.VsPeers = "No peer has a value for the same period", "Not compared"
		}
	} else {
		iv.Latest = "No value is held for " + pack.Reviewed.Name + "."
	}
	for _, p := range ip.Peers {
		row := packValueRow{Name: p.Name, Code: p.Code, Value: "No value held"}
		if p.Value != nil {
			row.Value, row.Period = format(p.Value.Value), periodWords(p.Value.Period)
			row.Interval = packInterval(p.Value.Lower, p.Value.Upper, format)
			row.VsEngland = "Not compared"
			if p.England != nil {
				row.VsEngland = p.VsEngland.Label("England", compare.Level95)
			}
		}
		iv.Peers = append(iv.Peers, row)
	}
	for _, t := range ip.Targets {
		row := packTargetRow{ID: t.ID, Title: t.Title, Aim: t.Comparator.Label() + " " + format(t.Value) + " by " + formatDate(t.Deadline)}
		row.Status, _ = statusLabel(t.Status)
		row.Trajectory, row.TrajectoryColor = packTrajectory(t.Trajectory)
		met := 0
		for _, m := range t.Milestones {
			if m.Met {
				met++
			}
		}
		if len(t.Milestones) > 0 {
			row.Milestones = fmt.Sprintf("%d of %d milestones met so far", met, len(t.Milestones))
		} else {
			row.Milestones = "No milestone observed yet"
		}
		if f := t.Forecast; f != nil {
			row.Forecast = fmt.Sprintf("%s forecast for %s; a %.0f%% chance of meeting the target", format(f.Value), periodWords(f.Period), f.Probability*100)
		}
		iv.Targets = append(iv.Targets, row)
	}
	for _, g := range ip.Inequality {
		row := packGapRow{Org: g.Name, Period: periodWords(g.Period)}
		switch g.Kind {
		case review.GapIMDDecile:
			row.Kind = "Most deprived tenth minus least deprived"
			row.Gap = packSigned(g.Value, ind.Unit)
			if g.MostDeprived != nil && g.LeastDeprived != nil {
				row.Detail = fmt.Sprintf("%s in the most deprived tenth, %s in the least", format(*g.MostDeprived), format(*g.LeastDeprived))
			}
			switch g.Direction {
			case review.WorseForMostDeprived:
				row.Detail += "; worse for the most deprived"
			case review.BetterForMostDeprived:
				row.Detail += "; better for the most deprived"
			case review.NoGap:
				row.Detail += "; no gap"
			}
		case review.GapSlopeIndex:
			row.Kind = "Slope index of inequality"
			row.Gap = formatNumber(g.Value)
			row.Interval = packInterval(g.Lower, g.Upper, formatNumber)
			if g.IndicatorID != ind.ID {
				row.Detail = "Published as its own indicator, " + g.IndicatorID
			}
		}
		iv.Gaps = append(iv.Gaps, row)
	}
	return iv
}

// packInterval is a 95% interval in brackets, "" without one.
func packInterval(lo, hi *float64, format func(float64) string) string {
	if lo == nil || hi == nil || math.IsNaN(*lo) || math.IsNaN(*hi) {
		return ""
	}
	return " (95% interval " + format(*lo) + " to " + format(*hi) + ")"
}

// packSigned writes a difference with its sign: +2.5, −1.
func packSigned(v float64, u accord.Unit) string {
	if v > 0 {
		return "+" + formatValue(v, u)
	}
	return formatValue(v, u)
}

func packOrdinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// packTrajectory is a trajectory status as a tag.
func packTrajectory(st trajectory.Status) (label, colour string) {
	switch st {
	case trajectory.OnTrack:
		return "On track", "green"
	case trajectory.AtRisk:
		return "At risk", "yellow"
	case trajectory.OffTrack:
		return "Off track", "red"
	case trajectory.Achieved:
		return "Achieved", "green"
	case trajectory.Missed:
		return "Missed", "red"
	case trajectory.NotEnoughData:
		return "Not enough data", "grey"
	}
	return "Not assessed", "grey"
}
