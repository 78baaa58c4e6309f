package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	accord "github.com/nhs-accord/accord"
)

const assessmentColumns = `a.indicator_id, a.org_code, a.breakdown_key, a.points, a.first_period, a.latest_period, a.latest_value,
	a.lower_ci, a.upper_ci, a.variation_icon, a.assurance_icon, a.latest_point_type, a.england_value, a.vs_england,
	a.peer_mean, a.vs_peers, a.peer_rank, a.peer_count, a.trajectory, a.target_id, a.computed_at`

// assessmentRows is how many assessments one INSERT writes (21 columns).
const assessmentRows = 80

// saveAssessmentsSQL upserts rows assessments.
func saveAssessmentsSQL(rows int) string {
	const cols = `indicator_id, org_code, breakdown_key, points, first_period, latest_period, latest_value, lower_ci, upper_ci,
		variation_icon, assurance_icon, latest_point_type, england_value, vs_england, peer_mean, vs_peers, peer_rank, peer_count,
		trajectory, target_id, computed_at`
	const update = ` ON CONFLICT (indicator_id, org_code, breakdown_key) DO UPDATE SET points = excluded.points,
		first_period = excluded.first_period, latest_period = excluded.latest_period, latest_value = excluded.latest_value,
		lower_ci = excluded.lower_ci, upper_ci = excluded.upper_ci, variation_icon = excluded.variation_icon,
		assurance_icon = excluded.assurance_icon, latest_point_type = excluded.latest_point_type,
		england_value = excluded.england_value, vs_england = excluded.vs_england, peer_mean = excluded.peer_mean,
		vs_peers = excluded.vs_peers, peer_rank = excluded.peer_rank, peer_count = excluded.peer_count,
		trajectory = excluded.trajectory, target_id = excluded.target_id, computed_at = excluded.computed_at`
	row := "(" + placeholders(21) + ")"
	return `INSERT INTO assessments (` + cols + `) VALUES ` + strings.Repeat(row+", ", rows-1) + row + update
}

// fullAssessmentsSQL is saveAssessmentsSQL(assessmentRows), built once.
var fullAssessmentsSQL = saveAssessmentsSQL(assessmentRows)

// SaveAssessments replaces the assessments of the given series in one
// transaction: each is written whole, so a reader never sees half of one.
// Rows go in as multi-row upserts, prepared once, since a recompute writes
// every series of an indicator at once.
func (db *DB) SaveAssessments(ctx context.Context, as []accord.Assessment) error {
	if len(as) == 0 {
		return nil
	}
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	var full *sql.Stmt
	if len(as) >= assessmentRows {
		if full, err = t.prepare(ctx, fullAssessmentsSQL); err != nil {
			return fmt.Errorf("save assessments: %w", err)
		}
		defer full.Close()
	}
	args := make([]any, 0, min(len(as), assessmentRows)*21)
	// A recompute stamps every assessment with one time: format it once.
	var stamped time.Time
	var stamp string
	for len(as) > 0 {
		n := min(len(as), assessmentRows)
		args = args[:0]
		for _, a := range as[:n] {
			if at := a.ComputedAt.UTC().Truncate(time.Second); stamp == "" || !at.Equal(stamped) {
				stamped, stamp = at, at.Format(time.RFC3339)
			}
			args = append(args, a.IndicatorID, a.OrgCode, a.Breakdown.Key(), a.Points, a.First.String(), a.Latest.String(), a.Value,
				nullFloat(a.LowerCI), nullFloat(a.UpperCI), a.VariationIcon, a.AssuranceIcon, a.PointType, nullFloat(a.England),
				a.VsEngland, nullFloat(a.PeerMean), a.VsPeers, a.PeerRank, a.PeerCount, a.Trajectory, nullInt(a.TargetID), stamp)
		}
		if n == assessmentRows {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = t.exec(ctx, saveAssessmentsSQL(n), args...)
		}
		if err != nil {
			if isForeignKeyViolation(err) {
				return accord.Errorf(accord.EINVALID, "assessments of %s: an indicator or organisation is not known", as[0].IndicatorID)
			}
			return fmt.Errorf("save assessments: %w", err)
		}
		as = as[n:]
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("save assessments: commit: %w", err)
	}
	return nil
}

// FindAssessments returns the assessments f selects, ordered by indicator,
// organisation and breakdown, with the total.
func (db *DB) FindAssessments(ctx context.Context, f accord.AssessmentFilter) ([]accord.Assessment, int, error) {
	if err := checkPage(f.Offset, f.Limit); err != nil {
		return nil, 0, err
	}
	var w where
	if f.IndicatorID != "" {
		w.add("a.indicator_id = ?", f.IndicatorID)
	}
	if len(f.OrgCodes) > 0 {
		w.in("a.org_code", f.OrgCodes)
	}
	if f.OrgType != "" {
		w.add("a.org_code IN (SELECT code FROM organisations WHERE type = ?)", string(f.OrgType))
	}
	if !f.AnyBreakdown {
		w.add("a.breakdown_key = ''")
	}
	t, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer t.Rollback()
	var total int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM assessments a`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find assessments: %w", err)
	}
	q := `SELECT ` + assessmentColumns + ` FROM assessments a` + w.String() + ` ORDER BY a.indicator_id, a.org_code, a.breakdown_key`
	pageSQL, pageArgs := db.page(f.Offset, f.Limit)
	q += pageSQL
	args := append(w.args, pageArgs...)
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find assessments: %w", err)
	}
	defer rows.Close()
	var out []accord.Assessment
	for rows.Next() {
		var a accord.Assessment
		var key string
		var lo, hi, eng, peer sql.NullFloat64
		var target sql.NullInt64
		if err := rows.Scan(&a.IndicatorID, &a.OrgCode, &key, &a.Points, &a.First, &a.Latest, &a.Value, &lo, &hi,
			&a.VariationIcon, &a.AssuranceIcon, &a.PointType, &eng, &a.VsEngland, &peer, &a.VsPeers, &a.PeerRank, &a.PeerCount,
			&a.Trajectory, &target, timestamp{&a.ComputedAt}); err != nil {
			return nil, 0, fmt.Errorf("find assessments: %w", err)
		}
		if a.Breakdown, err = accord.ParseBreakdown(key); err != nil {
			return nil, 0, fmt.Errorf("find assessments: stored breakdown %q: %w", key, err)
		}
		a.LowerCI, a.UpperCI, a.England, a.PeerMean, a.TargetID = floatPtr(lo), floatPtr(hi), floatPtr(eng), floatPtr(peer), target.Int64
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find assessments: %w", err)
	}
	return out, total, nil
}

// SavePeers replaces every peer group in one transaction.
func (db *DB) SavePeers(ctx context.Context, ps []accord.Peer) error {
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if _, err := t.exec(ctx, `DELETE FROM peer_groups`); err != nil {
		return fmt.Errorf("save peers: %w", err)
	}
	ins, err := t.prepare(ctx, `INSERT INTO peer_groups (org_code, rank, peer_code, distance) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("save peers: %w", err)
	}
	defer ins.Close()
	for _, p := range ps {
		if p.Rank < 1 || p.OrgCode == p.PeerCode {
			return accord.Errorf(accord.EINVALID, "peer %s of %s: rank must be 1 or more and a peer is not itself", p.PeerCode, p.OrgCode)
		}
		if _, err := ins.ExecContext(ctx, p.OrgCode, p.Rank, p.PeerCode, p.Distance); err != nil {
			if isForeignKeyViolation(err) {
				return accord.Errorf(accord.EINVALID, "peer %s of %s: organisation not known", p.PeerCode, p.OrgCode)
			}
			if isUniqueViolation(err) {
				return accord.Errorf(accord.EINVALID, "%s has two peers ranked %d", p.OrgCode, p.Rank)
			}
			return fmt.Errorf("save peers: %w", err)
		}
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("save peers: commit: %w", err)
	}
	return nil
}

// FindPeers returns an organisation's peers, nearest first.
func (db *DB) FindPeers(ctx context.Context, orgCode string) ([]accord.Peer, error) {
	t, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer t.Rollback()
	rows, err := t.query(ctx, `SELECT org_code, rank, peer_code, distance FROM peer_groups WHERE org_code = ? ORDER BY rank`, orgCode)
	if err != nil {
		return nil, fmt.Errorf("find peers: %w", err)
	}
	defer rows.Close()
	var out []accord.Peer
	for rows.Next() {
		var p accord.Peer
		if err := rows.Scan(&p.OrgCode, &p.Rank, &p.PeerCode, &p.Distance); err != nil {
			return nil, fmt.Errorf("find peers: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
