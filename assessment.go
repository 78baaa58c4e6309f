package accord

import (
	"context"
	"time"
)

// Assessment is what the statistics say of one series (an indicator for an
// organisation and breakdown) as of its latest observation: the value, its
// SPC variation and assurance (Making Data Count), how it compares with
// England and with its peers, and, when it has a target, whether it is on
// track. Assessments are recomputed for the series an import touched.
type Assessment struct {
	IndicatorID string    `json:"indicator_id"`
	OrgCode     string    `json:"organisation_code"`
	Breakdown   Breakdown `json:"breakdown"`
	Points      int       `json:"points"` // observations in the series
	First       Period    `json:"first_period"`
	Latest      Period    `json:"latest_period"`
	Value       float64   `json:"latest_value"`
	LowerCI     *float64  `json:"lower_ci"` // 95% interval of the latest value, published or computed
	UpperCI     *float64  `json:"upper_ci"`

	// SPC, from the latest group of the series; empty when the series is too
	// short or not monthly or quarterly.
	VariationIcon string `json:"variation_icon,omitempty"`
	AssuranceIcon string `json:"assurance_icon,omitempty"`
	PointType     string `json:"latest_point_type,omitempty"`

	England    *float64  `json:"england_value"`
	VsEngland  string    `json:"compared_with_england"` // better / similar / worse / higher / lower / not_compared
	PeerMean   *float64  `json:"peer_mean"`
	VsPeers    string    `json:"compared_with_peers"`
	PeerRank   int       `json:"peer_rank,omitempty"` // 1 = best among itself and its peers
	PeerCount  int       `json:"peer_count,omitempty"`
	Trajectory string    `json:"trajectory_status,omitempty"` // on_track / at_risk / off_track, when a target exists
	TargetID   int64     `json:"target_id,omitempty"`
	ComputedAt time.Time `json:"computed_at"`
}

// SeriesKey names one series.
type SeriesKey struct {
	IndicatorID string
	OrgCode     string
	Breakdown   Breakdown
}

// Key returns the series an assessment or observation belongs to.
func (a Assessment) Key() SeriesKey { return SeriesKey{a.IndicatorID, a.OrgCode, a.Breakdown} }

// AssessmentFilter selects assessments. Zero fields do not filter; only
// whole-population series unless AnyBreakdown.
type AssessmentFilter struct {
	IndicatorID  string
	OrgCodes     []string
	OrgType      OrgType
	AnyBreakdown bool
	Offset       int
	Limit        int
}

// Peer is one of an ICB's nearest ICBs by population, age, deprivation and
// rurality.
type Peer struct {
	OrgCode  string  `json:"organisation_code"`
	PeerCode string  `json:"peer_code"`
	Rank     int     `json:"rank"` // 1 = nearest
	Distance float64 `json:"distance"`
}

// AssessmentStore keeps assessments and peer groups.
type AssessmentStore interface {
	// SaveAssessments replaces the assessments of the given series in one
	// transaction.
	SaveAssessments(ctx context.Context, as []Assessment) error
	FindAssessments(ctx context.Context, f AssessmentFilter) ([]Assessment, int, error)
	// SavePeers replaces every peer group.
	SavePeers(ctx context.Context, ps []Peer) error
	// FindPeers returns an organisation's peers, nearest first.
	FindPeers(ctx context.Context, orgCode string) ([]Peer, error)
}
