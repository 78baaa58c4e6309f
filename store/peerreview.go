package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	accord "github.com/nhs-accord/accord"
)

var _ accord.PeerReviewStore = (*DB)(nil)

const peerReviewColumns = `r.id, r.org_code, r.region_code, r.on_site_start, r.on_site_end, r.position_statement,
	r.report_summary, r.published_on, r.published_by, r.requested_by, r.created_at, r.updated_at`

// RequestPeerReview stores a new review of an ICB; see
// accord.PeerReviewStore. The request and scope stage starts today, or on
// the day r's request-and-scope stage says it started when that is not in
// the future: a review held before Accord was in use is entered after the
// event with its real dates, as MoveStage allows for the later stages.
func (db *DB) RequestPeerReview(ctx context.Context, r *accord.PeerReview, by accord.Actor) error {
	if r == nil {
		return accord.Errorf(accord.EINVALID, "no peer review given")
	}
	if err := by.Validate(); err != nil {
		return err
	}
	scope := normalScope(r.Scope())
	p, err := problemsOf(scope.Validate())
	if err != nil {
		return err
	}
	if r.OrgCode == "" {
		p.Add("organisation", "is required: the ICB to be reviewed")
	}
	requested := deadlineToday()
	if st, ok := r.Stage(accord.StageRequestAndScope); ok && !st.Started.IsZero() {
		if st.Started.After(requested.Time) {
			p.Add("requested_on", "%s is in the future: a review is requested today or was requested on a past day", st.Started)
		} else {
			requested = st.Started
		}
	}
	x, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer x.Rollback()
	if err := x.lockAudit(ctx); err != nil {
		return fmt.Errorf("request peer review: %w", err)
	}
	var region string
	if r.OrgCode != "" {
		var typ string
		var parent sql.NullString
		err := x.queryRow(ctx, `SELECT type, parent_code FROM organisations WHERE code = ?`, r.OrgCode).Scan(&typ, &parent)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			p.Add("organisation", "%q is not known", r.OrgCode)
		case err != nil:
			return fmt.Errorf("request peer review: %w", err)
		case accord.OrgType(typ) != accord.OrgICB:
			p.Add("organisation", "a peer review is of an ICB, and %s is not one (%s)", r.OrgCode, accord.OrgType(typ).Label())
		default:
			region = parent.String
		}
	}
	if p, err = x.checkIndicators(ctx, "focus_areas", scopeIndicators(scope), p); err != nil {
		return fmt.Errorf("request peer review: %w", err)
	}
	if err := p.Err("peer review of " + r.OrgCode); err != nil {
		return err
	}
	now := stampNow()
	stamp := now.Format(time.RFC3339)
	var id int64
	if err := x.queryRow(ctx, `INSERT INTO peer_reviews (org_code, region_code, on_site_start, on_site_end, requested_by,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.OrgCode, region, dateArg(scope.OnSiteStart), dateArg(scope.OnSiteEnd), by.Email, stamp, stamp).Scan(&id); err != nil {
		return fmt.Errorf("request peer review: %w", err)
	}
	for i, s := range accord.PlanStages(scope.OnSiteStart, scope.OnSiteEnd) {
		if s.Name == accord.StageRequestAndScope {
			s.State, s.Started = accord.StageInProgress, requested
		}
		if _, err := x.exec(ctx, `INSERT INTO peer_review_stages (review_id, seq, name, due, started_on, completed_on, state)
			VALUES (?, ?, ?, ?, ?, NULL, ?)`, id, i+1, string(s.Name), dateArg(s.Due), dateArg(s.Started), string(s.State)); err != nil {
			return fmt.Errorf("request peer review: stage %s: %w", s.Name, err)
		}
	}
	if err := x.insertFocusAreas(ctx, id, scope.FocusAreas); err != nil {
		return fmt.Errorf("request peer review: %w", err)
	}
	if err := x.recordReview(ctx, by, "peer_review.request", id, "", map[string]any{
		"organisation": r.OrgCode, "region": region, "scope": scope,
	}); err != nil {
		return fmt.Errorf("request peer review: %w", err)
	}
	stored, err := x.findPeerReview(ctx, id)
	if err != nil {
		return err
	}
	if err := x.Commit(); err != nil {
		return fmt.Errorf("request peer review: commit: %w", err)
	}
	*r = stored
	return nil
}

// ScopePeerReview replaces the scope of a review whose request and scope
// stage is not done; see accord.PeerReviewStore.
func (db *DB) ScopePeerReview(ctx context.Context, id int64, s accord.ReviewScope, by accord.Actor) (accord.PeerReview, error) {
	return db.reviewWrite(ctx, id, by, "scope peer review", func(x *tx, r accord.PeerReview) error {
		if err := stageOpen(r, accord.StageRequestAndScope, "its scope is settled"); err != nil {
			return err
		}
		scope := normalScope(s)
		p, err := problemsOf(scope.Validate())
		if err != nil {
			return err
		}
		if p, err = x.checkIndicators(ctx, "focus_areas", scopeIndicators(scope), p); err != nil {
			return err
		}
		if err := p.Err("scope of peer review " + strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		if len(r.Findings) > 0 {
			// Findings name focus areas; the stage order keeps this from
			// happening, and this keeps it from happening silently.
			return accord.Errorf(accord.ECONFLICT, "peer review %d has findings, so its focus areas cannot change", id)
		}
		if _, err := x.exec(ctx, `DELETE FROM peer_review_focus_areas WHERE review_id = ?`, id); err != nil {
			return err
		}
		if err := x.insertFocusAreas(ctx, id, scope.FocusAreas); err != nil {
			return err
		}
		if _, err := x.exec(ctx, `UPDATE peer_reviews SET on_site_start = ?, on_site_end = ? WHERE id = ?`,
			dateArg(scope.OnSiteStart), dateArg(scope.OnSiteEnd), id); err != nil {
			return err
		}
		for _, st := range r.Stages {
			if st.State == accord.StageDone {
				continue
			}
			if _, err := x.exec(ctx, `UPDATE peer_review_stages SET due = ? WHERE review_id = ? AND name = ?`,
				dateArg(accord.StageDue(st.Name, scope.OnSiteStart, scope.OnSiteEnd)), id, string(st.Name)); err != nil {
				return err
			}
		}
		return x.recordReview(ctx, by, "peer_review.scope", id, "", map[string]any{"from": r.Scope(), "to": scope})
	})
}

// AddTeamMember adds a member to the team of a review whose team is not yet
// settled; see accord.PeerReviewStore.
func (db *DB) AddTeamMember(ctx context.Context, reviewID int64, m *accord.TeamMember, by accord.Actor) error {
	if m == nil {
		return accord.Errorf(accord.EINVALID, "no team member given")
	}
	member := *m
	member.Name, member.Why = strings.TrimSpace(member.Name), strings.TrimSpace(member.Why)
	member.Conflicts = slices.Clone(member.Conflicts)
	_, err := db.reviewWrite(ctx, reviewID, by, "add team member", func(x *tx, r accord.PeerReview) error {
		if err := stageOpen(r, accord.StageTeamFormation, "its team is settled"); err != nil {
			return err
		}
		p, err := problemsOf(member.Validate())
		if err != nil {
			return err
		}
		if member.HomeOrg != "" {
			if member.HomeOrg == r.OrgCode {
				p.Add("home_organisation", "a peer comes from another system, not from %s, the one reviewed", r.OrgCode)
			} else if ok, err := x.exists(ctx, `SELECT 1 FROM organisations WHERE code = ?`, member.HomeOrg); err != nil {
				return err
			} else if !ok {
				p.Add("home_organisation", "%q is not known", member.HomeOrg)
			}
		}
		if member.UserID != 0 {
			if ok, err := x.exists(ctx, `SELECT 1 FROM users WHERE id = ?`, member.UserID); err != nil {
				return err
			} else if !ok {
				p.Add("user", "user %d is not known", member.UserID)
			} else if other, on := r.Member(member.UserID); on {
				p.Add("user", "%s is already on the team", other.Name)
			}
		}
		if member.Role == accord.TeamLeadReviewer {
			if lead, ok := r.Lead(); ok {
				p.Add("role", "the team already has a lead reviewer, %s", lead.Name)
			}
			if member.UserID != 0 {
				ok, err := x.exists(ctx, `SELECT 1 FROM user_grants WHERE user_id = ? AND role = ?`, member.UserID, string(accord.RolePeerReviewer))
				if err != nil {
					return err
				}
				if !ok {
					p.Add("user", "the lead reviewer publishes the report, so needs a peer reviewer grant, which %s does not hold", member.Name)
				}
			}
		}
		if err := p.Err("team member " + member.Name); err != nil {
			return err
		}
		now := stampNow()
		member.AddedBy, member.AddedAt = by.Email, now
		if err := x.queryRow(ctx, `INSERT INTO peer_review_team (review_id, user_id, name, home_org, team_role, why, chosen_for,
				added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			reviewID, nullInt(member.UserID), member.Name, member.HomeOrg, string(member.Role), member.Why,
			string(member.ChosenFor), by.Email, now.Format(time.RFC3339)).Scan(&member.ID); err != nil {
			if isUniqueViolation(err) {
				return accord.Errorf(accord.ECONFLICT, "%s was added to the team of peer review %d at the same time", member.Name, reviewID)
			}
			return err
		}
		for i := range member.Conflicts {
			if err := x.insertConflict(ctx, member.ID, &member.Conflicts[i], by, now); err != nil {
				return err
			}
		}
		if err := x.startStage(ctx, r, accord.StageTeamFormation); err != nil {
			return err
		}
		return x.recordReview(ctx, by, "peer_review.team_add", reviewID, "", map[string]any{"member": member})
	})
	if err != nil {
		return err
	}
	*m = member
	return nil
}

// RemoveTeamMember takes a member off a team not yet settled; see
// accord.PeerReviewStore.
func (db *DB) RemoveTeamMember(ctx context.Context, reviewID, memberID int64, by accord.Actor, reason string) error {
	_, err := db.reviewWrite(ctx, reviewID, by, "remove team member", func(x *tx, r accord.PeerReview) error {
		i := slices.IndexFunc(r.Team, func(m accord.TeamMember) bool { return m.ID == memberID })
		if i < 0 {
			return accord.Errorf(accord.ENOTFOUND, "team member %d is not on the team of peer review %d", memberID, reviewID)
		}
		if err := stageOpen(r, accord.StageTeamFormation, "its team is settled"); err != nil {
			return err
		}
		if _, err := x.exec(ctx, `DELETE FROM peer_review_conflicts WHERE member_id = ?`, memberID); err != nil {
			return err
		}
		if _, err := x.exec(ctx, `DELETE FROM peer_review_team WHERE id = ?`, memberID); err != nil {
			return err
		}
		return x.recordReview(ctx, by, "peer_review.team_remove", reviewID, reason, map[string]any{"member": r.Team[i]})
	})
	return err
}

// FlagConflict flags a conflict of interest on a member of a team not yet
// settled; see accord.PeerReviewStore.
func (db *DB) FlagConflict(ctx context.Context, reviewID, memberID int64, c *accord.Conflict, by accord.Actor) error {
	if c == nil {
		return accord.Errorf(accord.EINVALID, "no conflict of interest given")
	}
	conflict := *c
	conflict.Declared, conflict.DecisionNote = strings.TrimSpace(conflict.Declared), strings.TrimSpace(conflict.DecisionNote)
	if err := conflict.Validate(); err != nil {
		return err
	}
	_, err := db.reviewWrite(ctx, reviewID, by, "flag conflict of interest", func(x *tx, r accord.PeerReview) error {
		i := slices.IndexFunc(r.Team, func(m accord.TeamMember) bool { return m.ID == memberID })
		if i < 0 {
			return accord.Errorf(accord.ENOTFOUND, "team member %d is not on the team of peer review %d", memberID, reviewID)
		}
		if err := stageOpen(r, accord.StageTeamFormation, "its team is settled"); err != nil {
			return err
		}
		if err := x.insertConflict(ctx, memberID, &conflict, by, stampNow()); err != nil {
			return err
		}
		return x.recordReview(ctx, by, "peer_review.conflict", reviewID, "", map[string]any{
			"member": memberID, "name": r.Team[i].Name, "conflict": conflict,
		})
	})
	if err != nil {
		return err
	}
	*c = conflict
	return nil
}

// DecideConflict records oversight's decision on a conflict of interest;
// see accord.PeerReviewStore.
func (db *DB) DecideConflict(ctx context.Context, reviewID, conflictID int64, d accord.ConflictDecision, note string, by accord.Actor) error {
	note = strings.TrimSpace(note)
	var p accord.Problems
	switch {
	case d == accord.ConflictUndecided:
		p.Add("decision", "choose managed or excluded")
	case !d.Valid():
		p.Add("decision", "%q must be managed or excluded", d)
	case d == accord.ConflictManaged && note == "":
		p.Add("decision_note", "say how the conflict is managed")
	}
	if err := p.Err("conflict decision"); err != nil {
		return err
	}
	_, err := db.reviewWrite(ctx, reviewID, by, "decide conflict of interest", func(x *tx, r accord.PeerReview) error {
		var member accord.TeamMember
		var before accord.Conflict
		for _, m := range r.Team {
			for _, c := range m.Conflicts {
				if c.ID == conflictID {
					member, before = m, c
				}
			}
		}
		if before.ID == 0 {
			return accord.Errorf(accord.ENOTFOUND, "conflict of interest %d is not on the team of peer review %d", conflictID, reviewID)
		}
		if err := stageOpen(r, accord.StageTeamFormation, "its team is settled"); err != nil {
			return err
		}
		now := stampNow()
		if _, err := x.exec(ctx, `UPDATE peer_review_conflicts SET decision = ?, decision_note = ?, decided_by = ?, decided_at = ?
			WHERE id = ?`, string(d), note, by.Email, now.Format(time.RFC3339), conflictID); err != nil {
			return err
		}
		return x.recordReview(ctx, by, "peer_review.conflict_decision", reviewID, note, map[string]any{
			"member": member.ID, "name": member.Name, "conflict": conflictID, "kind": before.Kind,
			"from": before.Decision, "to": d,
		})
	})
	return err
}

// WritePositionStatement replaces the reviewed system's position
// statement; see accord.PeerReviewStore.
func (db *DB) WritePositionStatement(ctx context.Context, reviewID int64, text string, by accord.Actor) (accord.PeerReview, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		var p accord.Problems
		p.Add("position_statement", "is required: the system's own account of where it stands")
		return accord.PeerReview{}, p.Err("position statement")
	}
	return db.reviewWrite(ctx, reviewID, by, "write position statement", func(x *tx, r accord.PeerReview) error {
		if err := stageOpen(r, accord.StagePositionStatement, "its position statement is final"); err != nil {
			return err
		}
		if _, err := x.exec(ctx, `UPDATE peer_reviews SET position_statement = ? WHERE id = ?`, text, reviewID); err != nil {
			return err
		}
		if err := x.startStage(ctx, r, accord.StagePositionStatement); err != nil {
			return err
		}
		return x.recordReview(ctx, by, "peer_review.position_statement", reviewID, "", map[string]any{
			"from": r.PositionStatement, "to": text,
		})
	})
}

// RecordFinding adds a finding to the draft report; see
// accord.PeerReviewStore.
func (db *DB) RecordFinding(ctx context.Context, reviewID int64, f *accord.Finding, by accord.Actor) error {
	if f == nil {
		return accord.Errorf(accord.EINVALID, "no finding given")
	}
	finding := normalFinding(*f)
	_, err := db.reviewWrite(ctx, reviewID, by, "record finding", func(x *tx, r accord.PeerReview) error {
		if err := findingsOpen(r); err != nil {
			return err
		}
		if err := x.checkFinding(ctx, r, finding); err != nil {
			return err
		}
		now := stampNow()
		finding.ReviewID, finding.By, finding.ByName, finding.CreatedAt, finding.UpdatedAt = reviewID, by.Email, by.Name, now, now
		finding.Responses = []accord.FindingResponse{}
		evidence, err := jsonText(finding.Evidence)
		if err != nil {
			return err
		}
		if err := x.queryRow(ctx, `INSERT INTO peer_review_findings (review_id, theme_id, focus_area_id, rating, text,
				recommendation, evidence, by_actor, by_name, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			reviewID, finding.ThemeID, nullInt(finding.FocusAreaID), string(finding.Rating), finding.Text, finding.Recommendation,
			evidence, by.Email, by.Name, now.Format(time.RFC3339), now.Format(time.RFC3339)).Scan(&finding.ID); err != nil {
			return err
		}
		if err := x.startStage(ctx, r, accord.StageReview); err != nil {
			return err
		}
		return x.recordReview(ctx, by, "peer_review.finding", reviewID, "", map[string]any{"finding": finding})
	})
	if err != nil {
		return err
	}
	*f = finding
	return nil
}

// UpdateFinding replaces a draft finding; see accord.PeerReviewStore.
func (db *DB) UpdateFinding(ctx context.Context, reviewID int64, f accord.Finding, by accord.Actor) (accord.Finding, error) {
	next := normalFinding(f)
	_, err := db.reviewWrite(ctx, reviewID, by, "update finding", func(x *tx, r accord.PeerReview) error {
		cur, ok := r.Finding(f.ID)
		if !ok {
			return accord.Errorf(accord.ENOTFOUND, "finding %d is not a finding of peer review %d", f.ID, reviewID)
		}
		if err := findingStands(r, cur.ID); err != nil {
			return err
		}
		if err := x.checkFinding(ctx, r, next); err != nil {
			return err
		}
		now := stampNow()
		evidence, err := jsonText(next.Evidence)
		if err != nil {
			return err
		}
		if _, err := x.exec(ctx, `UPDATE peer_review_findings SET theme_id = ?, focus_area_id = ?, rating = ?, text = ?,
				recommendation = ?, evidence = ?, updated_at = ? WHERE id = ?`,
			next.ThemeID, nullInt(next.FocusAreaID), string(next.Rating), next.Text, next.Recommendation, evidence,
			now.Format(time.RFC3339), cur.ID); err != nil {
			return err
		}
		stored := cur
		stored.ThemeID, stored.FocusAreaID, stored.Rating, stored.Text = next.ThemeID, next.FocusAreaID, next.Rating, next.Text
		stored.Recommendation, stored.Evidence, stored.UpdatedAt = next.Recommendation, next.Evidence, now
		next = stored
		return x.recordReview(ctx, by, "peer_review.finding_update", reviewID, "", map[string]any{
			"finding": cur.ID, "from": cur, "to": stored,
		})
	})
	if err != nil {
		return accord.Finding{}, err
	}
	return next, nil
}

// DeleteFinding removes a draft finding; see accord.PeerReviewStore.
func (db *DB) DeleteFinding(ctx context.Context, reviewID, findingID int64, by accord.Actor, reason string) error {
	_, err := db.reviewWrite(ctx, reviewID, by, "delete finding", func(x *tx, r accord.PeerReview) error {
		cur, ok := r.Finding(findingID)
		if !ok {
			return accord.Errorf(accord.ENOTFOUND, "finding %d is not a finding of peer review %d", findingID, reviewID)
		}
		if err := findingStands(r, cur.ID); err != nil {
			return err
		}
		if _, err := x.exec(ctx, `DELETE FROM peer_review_findings WHERE id = ?`, findingID); err != nil {
			return err
		}
		return x.recordReview(ctx, by, "peer_review.finding_delete", reviewID, reason, map[string]any{"finding": cur})
	})
	return err
}

// SaveReportSummary replaces the draft report's summary; see
// accord.PeerReviewStore.
func (db *DB) SaveReportSummary(ctx context.Context, reviewID int64, summary string, by accord.Actor) (accord.PeerReview, error) {
	summary = strings.TrimSpace(summary)
	if summary == "" {
		var p accord.Problems
		p.Add("summary", "is required")
		return accord.PeerReview{}, p.Err("report")
	}
	return db.reviewWrite(ctx, reviewID, by, "save report summary", func(x *tx, r accord.PeerReview) error {
		if err := findingsOpen(r); err != nil {
			return err
		}
		if _, err := x.exec(ctx, `UPDATE peer_reviews SET report_summary = ? WHERE id = ?`, summary, reviewID); err != nil {
			return err
		}
		if err := x.startStage(ctx, r, accord.StageReport); err != nil {
			return err
		}
		return x.recordReview(ctx, by, "peer_review.report_draft", reviewID, "", map[string]any{
			"from": r.Report.Summary, "to": summary,
		})
	})
}

// PublishReport publishes the report and finishes its stage; see
// accord.PeerReviewStore.
func (db *DB) PublishReport(ctx context.Context, reviewID int64, on accord.Date, by accord.Actor) (accord.PeerReview, error) {
	on, err := stageDay(on)
	if err != nil {
		return accord.PeerReview{}, err
	}
	return db.reviewWrite(ctx, reviewID, by, "publish report", func(x *tx, r accord.PeerReview) error {
		if r.Published() {
			return accord.Errorf(accord.ECONFLICT, "the report of peer review %d was published on %s", reviewID, r.Report.PublishedAt)
		}
		if review, _ := r.Stage(accord.StageReview); review.State != accord.StageDone {
			return accord.Errorf(accord.ECONFLICT, "the report of peer review %d cannot be published before the review on site is done", reviewID)
		}
		if len(r.Findings) == 0 {
			return accord.Errorf(accord.ECONFLICT, "the report of peer review %d has no findings: record at least one before publishing it", reviewID)
		}
		if strings.TrimSpace(r.Report.Summary) == "" {
			return accord.Errorf(accord.ECONFLICT, "the report of peer review %d has no summary: write one before publishing it", reviewID)
		}
		published := r
		published.Report.PublishedAt, published.Report.PublishedBy = on, by.Email
		if err := published.CheckStageMove(accord.StageReport, accord.StageDone, on); err != nil {
			return err
		}
		if _, err := x.exec(ctx, `UPDATE peer_reviews SET published_on = ?, published_by = ? WHERE id = ?`,
			dateArg(on), by.Email, reviewID); err != nil {
			return err
		}
		if err := x.finishStage(ctx, r, accord.StageReport, on); err != nil {
			return err
		}
		return x.recordReview(ctx, by, "peer_review.publish", reviewID, "", map[string]any{
			"published_on": on, "findings": len(r.Findings),
		})
	})
}

// RespondToFinding adds the reviewed system's response to a published
// finding; see accord.PeerReviewStore.
func (db *DB) RespondToFinding(ctx context.Context, reviewID, findingID int64, resp *accord.FindingResponse, by accord.Actor) error {
	if resp == nil {
		return accord.Errorf(accord.EINVALID, "no response given")
	}
	response := *resp
	response.Text = strings.TrimSpace(response.Text)
	if err := response.Validate(); err != nil {
		return err
	}
	_, err := db.reviewWrite(ctx, reviewID, by, "respond to finding", func(x *tx, r accord.PeerReview) error {
		if _, ok := r.Finding(findingID); !ok {
			return accord.Errorf(accord.ENOTFOUND, "finding %d is not a finding of peer review %d", findingID, reviewID)
		}
		if !r.Published() {
			return accord.Errorf(accord.ECONFLICT, "the report of peer review %d is not yet published: findings are responded to once it is", reviewID)
		}
		now := stampNow()
		response.FindingID, response.By, response.ByName, response.At = findingID, by.Email, by.Name, now
		if err := x.queryRow(ctx, `INSERT INTO peer_review_responses (finding_id, text, by_actor, by_name, at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, findingID, response.Text, by.Email, by.Name, now.Format(time.RFC3339)).
			Scan(&response.ID); err != nil {
			return err
		}
		if err := x.startStage(ctx, r, accord.StageResponseAndActionPlan); err != nil {
			return err
		}
		return x.recordReview(ctx, by, "peer_review.response", reviewID, "", map[string]any{
			"finding": findingID, "response": response.ID, "text": response.Text,
		})
	})
	if err != nil {
		return err
	}
	*resp = response
	return nil
}

// SaveAction adds or replaces an action of the plan; see
// accord.PeerReviewStore.
func (db *DB) SaveAction(ctx context.Context, reviewID int64, a *accord.ReviewAction, by accord.Actor) error {
	if a == nil {
		return accord.Errorf(accord.EINVALID, "no action given")
	}
	action := *a
	action.Title, action.OwnerName = strings.TrimSpace(action.Title), strings.TrimSpace(action.OwnerName)
	if action.Status == "" {
		action.Status = accord.ActionPlanned // a new action is planned unless the form says otherwise
	}
	action.FindingIDs, action.TargetIDs, action.IndicatorIDs = nonNil(action.FindingIDs), nonNil(action.TargetIDs), nonNil(action.IndicatorIDs)
	_, err := db.reviewWrite(ctx, reviewID, by, "save action", func(x *tx, r accord.PeerReview) error {
		var cur accord.ReviewAction
		if action.ID != 0 {
			var ok bool
			if cur, ok = r.Action(action.ID); !ok {
				return accord.Errorf(accord.ENOTFOUND, "action %d is not an action of peer review %d", action.ID, reviewID)
			}
		}
		if !r.Published() {
			return accord.Errorf(accord.ECONFLICT, "the report of peer review %d is not yet published: the action plan answers it once it is", reviewID)
		}
		if err := stageOpen(r, accord.StageResponseAndActionPlan, "its action plan is agreed; record progress on the actions instead"); err != nil {
			return err
		}
		if err := x.checkAction(ctx, r, action); err != nil {
			return err
		}
		now := stampNow()
		findings, err := jsonText(action.FindingIDs)
		if err != nil {
			return err
		}
		targets, err := jsonText(action.TargetIDs)
		if err != nil {
			return err
		}
		indicators, err := jsonText(action.IndicatorIDs)
		if err != nil {
			return err
		}
		action.ReviewID, action.UpdatedAt = reviewID, now
		detail := map[string]any{}
		if action.ID == 0 {
			action.CreatedAt, action.Notes = now, []accord.ActionNote{}
			err = x.queryRow(ctx, `INSERT INTO peer_review_actions (review_id, title, owner_name, owner_org, due, status,
					finding_ids, target_ids, indicator_ids, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				reviewID, action.Title, action.OwnerName, action.OwnerOrg, dateArg(action.Due), string(action.Status),
				findings, targets, indicators, now.Format(time.RFC3339), now.Format(time.RFC3339)).Scan(&action.ID)
			detail["action"] = action
		} else {
			action.CreatedAt, action.Notes = cur.CreatedAt, cur.Notes
			_, err = x.exec(ctx, `UPDATE peer_review_actions SET title = ?, owner_name = ?, owner_org = ?, due = ?, status = ?,
					finding_ids = ?, target_ids = ?, indicator_ids = ?, updated_at = ? WHERE id = ?`,
				action.Title, action.OwnerName, action.OwnerOrg, dateArg(action.Due), string(action.Status),
				findings, targets, indicators, now.Format(time.RFC3339), action.ID)
			detail["action"], detail["from"] = action, cur
		}
		if err != nil {
			return err
		}
		if err := x.startStage(ctx, r, accord.StageResponseAndActionPlan); err != nil {
			return err
		}
		return x.recordReview(ctx, by, "peer_review.action", reviewID, "", detail)
	})
	if err != nil {
		return err
	}
	*a = action
	return nil
}

// UpdateActionProgress sets an action's status with a note; see
// accord.PeerReviewStore.
func (db *DB) UpdateActionProgress(ctx context.Context, reviewID, actionID int64, status accord.ActionStatus, note string,
	by accord.Actor) (accord.ReviewAction, error) {
	note = strings.TrimSpace(note)
	var p accord.Problems
	if !status.Valid() {
		p.Add("status", "%q must be planned, in_progress, done or dropped", status)
	}
	if note == "" {
		p.Add("note", "say what progress has been made")
	}
	if err := p.Err("progress on action " + strconv.FormatInt(actionID, 10)); err != nil {
		return accord.ReviewAction{}, err
	}
	var out accord.ReviewAction
	_, err := db.reviewWrite(ctx, reviewID, by, "update action", func(x *tx, r accord.PeerReview) error {
		cur, ok := r.Action(actionID)
		if !ok {
			return accord.Errorf(accord.ENOTFOUND, "action %d is not an action of peer review %d", actionID, reviewID)
		}
		if err := stageOpen(r, accord.StageProgressReview, "its progress review is done"); err != nil {
			return err
		}
		now := stampNow()
		if _, err := x.exec(ctx, `UPDATE peer_review_actions SET status = ?, updated_at = ? WHERE id = ?`,
			string(status), now.Format(time.RFC3339), actionID); err != nil {
			return err
		}
		n := accord.ActionNote{ActionID: actionID, Text: note, Status: status, By: by.Email, ByName: by.Name, At: now}
		if err := x.queryRow(ctx, `INSERT INTO peer_review_action_notes (action_id, text, status, by_actor, by_name, at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, actionID, note, string(status), by.Email, by.Name, now.Format(time.RFC3339)).
			Scan(&n.ID); err != nil {
			return err
		}
		out = cur
		out.Status, out.UpdatedAt, out.Notes = status, now, append(slices.Clone(cur.Notes), n)
		return x.recordReview(ctx, by, "peer_review.action_progress", reviewID, "", map[string]any{
			"action": actionID, "from": cur.Status, "to": status, "note": note,
		})
	})
	if err != nil {
		return accord.ReviewAction{}, err
	}
	return out, nil
}

// RecordProgressReview records the progress review and finishes its stage;
// see accord.PeerReviewStore.
func (db *DB) RecordProgressReview(ctx context.Context, reviewID int64, pr *accord.ProgressReview, by accord.Actor) error {
	if pr == nil {
		return accord.Errorf(accord.EINVALID, "no progress review given")
	}
	progress := *pr
	progress.Summary = strings.TrimSpace(progress.Summary)
	progress.Assessments = slices.Clone(progress.Assessments)
	p, err := problemsOf(progress.Validate())
	if err != nil {
		return err
	}
	if progress.Date.After(deadlineToday().Time) {
		p.Add("date", "%s is in the future: record a progress review once it is held", progress.Date)
	}
	_, err = db.reviewWrite(ctx, reviewID, by, "record progress review", func(x *tx, r accord.PeerReview) error {
		if r.Progress != nil {
			return accord.Errorf(accord.ECONFLICT, "the progress review of peer review %d was recorded on %s", reviewID, r.Progress.Date)
		}
		plan, _ := r.Stage(accord.StageResponseAndActionPlan)
		if plan.State != accord.StageDone {
			return accord.Errorf(accord.ECONFLICT, "the progress review of peer review %d comes after its response and action plan, which is not done", reviewID)
		}
		for _, a := range progress.Assessments {
			if _, ok := r.Action(a.ActionID); !ok && a.ActionID != 0 {
				p.Add("assessments", "action %d is not an action of peer review %d", a.ActionID, reviewID)
			}
		}
		for _, a := range r.Actions {
			if !slices.ContainsFunc(progress.Assessments, func(as accord.ActionAssessment) bool { return as.ActionID == a.ID }) {
				p.Add("assessments", "action %d (%s) is not assessed", a.ID, a.Title)
			}
		}
		if !progress.Date.IsZero() && progress.Date.Before(plan.Completed.Time) {
			p.Add("date", "%s is before the action plan was agreed (%s)", progress.Date, plan.Completed)
		}
		if err := p.Err("progress review"); err != nil {
			return err
		}
		now := stampNow()
		progress.By, progress.RecordedAt = by.Email, now
		if _, err := x.exec(ctx, `INSERT INTO peer_review_progress (review_id, held_on, summary, by_actor, recorded_at)
			VALUES (?, ?, ?, ?, ?)`, reviewID, dateArg(progress.Date), progress.Summary, by.Email, now.Format(time.RFC3339)); err != nil {
			if isUniqueViolation(err) {
				return accord.Errorf(accord.ECONFLICT, "the progress review of peer review %d was recorded at the same time", reviewID)
			}
			return err
		}
		for _, a := range progress.Assessments {
			if _, err := x.exec(ctx, `INSERT INTO peer_review_assessments (review_id, action_id, rating, comment) VALUES (?, ?, ?, ?)`,
				reviewID, a.ActionID, string(a.Rating), strings.TrimSpace(a.Comment)); err != nil {
				return err
			}
		}
		done := r
		done.Progress = &progress
		if err := done.CheckStageMove(accord.StageProgressReview, accord.StageDone, progress.Date); err != nil {
			return err
		}
		if err := x.finishStage(ctx, r, accord.StageProgressReview, progress.Date); err != nil {
			return err
		}
		return x.recordReview(ctx, by, "peer_review.progress_review", reviewID, "", map[string]any{"progress_review": progress})
	})
	if err != nil {
		return err
	}
	*pr = progress
	return nil
}

// MoveStage moves a stage forward; see accord.PeerReviewStore.
func (db *DB) MoveStage(ctx context.Context, reviewID int64, name accord.StageName, to accord.StageState, on accord.Date,
	by accord.Actor) (accord.PeerReview, error) {
	on, err := stageDay(on)
	if err != nil {
		return accord.PeerReview{}, err
	}
	return db.reviewWrite(ctx, reviewID, by, "move stage", func(x *tx, r accord.PeerReview) error {
		if err := r.CheckStageMove(name, to, on); err != nil {
			return err
		}
		cur, _ := r.Stage(name)
		if to == accord.StageDone {
			if err := x.finishStage(ctx, r, name, on); err != nil {
				return err
			}
		} else if _, err := x.exec(ctx, `UPDATE peer_review_stages SET state = ?, started_on = ? WHERE review_id = ? AND name = ?`,
			string(to), dateArg(on), reviewID, string(name)); err != nil {
			return err
		}
		return x.recordReview(ctx, by, "peer_review.stage", reviewID, "", map[string]any{
			"stage": name, "from": cur.State, "to": to, "on": on,
		})
	})
}

// FindPeerReview returns the review with everything it holds, or ENOTFOUND.
func (db *DB) FindPeerReview(ctx context.Context, id int64) (accord.PeerReview, error) {
	x, err := db.beginRead(ctx)
	if err != nil {
		return accord.PeerReview{}, err
	}
	defer x.Rollback()
	return x.findPeerReview(ctx, id)
}

// FindPeerReviews returns the reviews f selects, newest first, and how many
// there are in all; see accord.PeerReviewStore.
func (db *DB) FindPeerReviews(ctx context.Context, f accord.PeerReviewFilter) ([]accord.PeerReview, int, error) {
	if err := checkPage(f.Offset, f.Limit); err != nil {
		return nil, 0, err
	}
	var p accord.Problems
	if f.State != "" && !f.State.Valid() {
		p.Add("state", "%q must be open, published or closed", f.State)
	}
	if f.Stage != "" && !f.Stage.Valid() {
		p.Add("stage", "%q is not a stage of a peer review", f.Stage)
	}
	if err := p.Err("peer review filter"); err != nil {
		return nil, 0, err
	}
	var w where
	if f.OrgCode != "" {
		w.add("r.org_code = ?", f.OrgCode)
	}
	progressDone := `EXISTS (SELECT 1 FROM peer_review_stages s WHERE s.review_id = r.id AND s.name = '` +
		string(accord.StageProgressReview) + `' AND s.state = '` + string(accord.StageDone) + `')`
	switch f.State {
	case accord.PeerReviewOpen:
		w.add("r.published_on IS NULL")
	case accord.PeerReviewPublished:
		w.add("r.published_on IS NOT NULL AND NOT " + progressDone)
	case accord.PeerReviewClosed:
		w.add(progressDone)
	}
	if f.Stage != "" {
		w.add(`(SELECT s.name FROM peer_review_stages s WHERE s.review_id = r.id AND s.state <> 'done' ORDER BY s.seq LIMIT 1) = ?`,
			string(f.Stage))
	}
	if !f.OverdueOn.IsZero() {
		w.add(`EXISTS (SELECT 1 FROM peer_review_stages s WHERE s.review_id = r.id AND s.state <> 'done' AND s.due < ?)`,
			dateArg(f.OverdueOn))
	}
	if v := f.Visible; v != nil && !v.All {
		conds := []string{"r.published_on IS NOT NULL"}
		var args []any
		if len(v.OrgCodes) > 0 {
			conds = append(conds, "r.org_code IN ("+placeholders(len(v.OrgCodes))+")")
			args = append(args, anyArgs(v.OrgCodes)...)
		}
		if len(v.Regions) > 0 {
			conds = append(conds, "r.org_code IN (SELECT o.code FROM organisations o WHERE o.parent_code IN ("+placeholders(len(v.Regions))+"))")
			args = append(args, anyArgs(v.Regions)...)
		}
		if v.TeamUserID != 0 {
			conds = append(conds, "EXISTS (SELECT 1 FROM peer_review_team t WHERE t.review_id = r.id AND t.user_id = ?)")
			args = append(args, v.TeamUserID)
		}
		w.add("("+strings.Join(conds, " OR ")+")", args...)
	}
	x, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer x.Rollback()
	var total int
	if err := x.queryRow(ctx, `SELECT COUNT(*) FROM peer_reviews r`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count peer reviews: %w", err)
	}
	limit, largs := db.page(f.Offset, f.Limit)
	rs, err := x.loadPeerReviews(ctx, `SELECT `+peerReviewColumns+` FROM peer_reviews r`+w.String()+` ORDER BY r.id DESC`+limit,
		append(w.args, largs...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find peer reviews: %w", err)
	}
	return rs, total, nil
}

// reviewWrite runs change on the review as stored, in one transaction
// holding the audit lock, and returns the review as stored afterwards. An
// error that is not an *accord.Error is wrapped with doing and the review.
func (db *DB) reviewWrite(ctx context.Context, id int64, by accord.Actor, doing string,
	change func(x *tx, r accord.PeerReview) error) (accord.PeerReview, error) {
	if err := by.Validate(); err != nil {
		return accord.PeerReview{}, err
	}
	x, err := db.begin(ctx)
	if err != nil {
		return accord.PeerReview{}, err
	}
	defer x.Rollback()
	if err := x.lockAudit(ctx); err != nil {
		return accord.PeerReview{}, fmt.Errorf("%s on peer review %d: %w", doing, id, err)
	}
	r, err := x.findPeerReview(ctx, id)
	if err != nil {
		return accord.PeerReview{}, err
	}
	if err := change(x, r); err != nil {
		var e *accord.Error
		if errors.As(err, &e) {
			return accord.PeerReview{}, err
		}
		if isForeignKeyViolation(err) {
			return accord.PeerReview{}, accord.Errorf(accord.EINVALID, "%s on peer review %d: something it names was removed at the same time; try again", doing, id)
		}
		return accord.PeerReview{}, fmt.Errorf("%s on peer review %d: %w", doing, id, err)
	}
	if _, err := x.exec(ctx, `UPDATE peer_reviews SET updated_at = ? WHERE id = ?`, stampNow().Format(time.RFC3339), id); err != nil {
		return accord.PeerReview{}, fmt.Errorf("%s on peer review %d: %w", doing, id, err)
	}
	stored, err := x.findPeerReview(ctx, id)
	if err != nil {
		return accord.PeerReview{}, err
	}
	if err := x.Commit(); err != nil {
		return accord.PeerReview{}, fmt.Errorf("%s on peer review %d: commit: %w", doing, id, err)
	}
	return stored, nil
}

// recordReview appends the audit entry for a change to peer review id.
func (x *tx) recordReview(ctx context.Context, by accord.Actor, action string, id int64, reason string, detail map[string]any) error {
	return x.recordSubject(ctx, by, action, fmt.Sprintf("peer_review/%d", id), reason, detail)
}

// recordSubject appends the audit entry for a change to subject, saying in
// the detail under which grant by acted.
func (x *tx) recordSubject(ctx context.Context, by accord.Actor, action, subject, reason string, detail map[string]any) error {
	detail["as"] = map[string]any{"name": by.Name, "role": by.Role, "organisation": by.OrgCode}
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	_, err = x.appendAudit(ctx, accord.AuditEntry{Actor: by.Email, Action: action, Subject: subject, Reason: reason, Detail: string(b)})
	return err
}

// stageOpen is ECONFLICT once the named stage is done: what belongs to it
// is settled. why says what is settled, for the message.
func stageOpen(r accord.PeerReview, name accord.StageName, why string) error {
	if s, _ := r.Stage(name); s.State == accord.StageDone {
		return accord.Errorf(accord.ECONFLICT, "the %s stage of peer review %d was done on %s: %s", name.Label(), r.ID, s.Completed, why)
	}
	return nil
}

// findingsOpen is nil while the team may draft findings and the report:
// after the team is formed and before the report is published.
func findingsOpen(r accord.PeerReview) error {
	if team, _ := r.Stage(accord.StageTeamFormation); team.State != accord.StageDone {
		return accord.Errorf(accord.ECONFLICT, "the team of peer review %d is not yet formed: findings are recorded once it is", r.ID)
	}
	if r.Published() {
		return accord.Errorf(accord.ECONFLICT, "the report of peer review %d was published on %s: its findings stand as published, and the system responds to them",
			r.ID, r.Report.PublishedAt)
	}
	return nil
}

// findingStands is ECONFLICT once the report holding finding id is published.
func findingStands(r accord.PeerReview, id int64) error {
	if r.Published() {
		return accord.Errorf(accord.ECONFLICT, "finding %d is part of the report of peer review %d published on %s: it cannot be edited or deleted, only responded to",
			id, r.ID, r.Report.PublishedAt)
	}
	return nil
}

// stageDay is on, or today when on is zero; a day after today is EINVALID,
// because a stage records what has happened.
func stageDay(on accord.Date) (accord.Date, error) {
	today := deadlineToday()
	if on.IsZero() {
		return today, nil
	}
	if on.After(today.Time) {
		var p accord.Problems
		p.Add("on", "%s is in the future: a stage is moved on the day it happens", on)
		return accord.Date{}, p.Err("stage")
	}
	return on, nil
}

// startStage marks the named stage in progress from today if it has not
// started: writing what belongs to a stage is starting it.
func (x *tx) startStage(ctx context.Context, r accord.PeerReview, name accord.StageName) error {
	if s, _ := r.Stage(name); s.State != accord.StageNotStarted {
		return nil
	}
	_, err := x.exec(ctx, `UPDATE peer_review_stages SET state = ?, started_on = ? WHERE review_id = ? AND name = ? AND state = ?`,
		string(accord.StageInProgress), dateArg(deadlineToday()), r.ID, string(name), string(accord.StageNotStarted))
	return err
}

// finishStage marks the named stage done on the day on, and started then
// if it never was or was recorded as starting later: writing a stage's
// records starts it today, and a stage recorded afterwards as done on an
// earlier day (a review entered after the event) began by then.
func (x *tx) finishStage(ctx context.Context, r accord.PeerReview, name accord.StageName, on accord.Date) error {
	s, _ := r.Stage(name)
	started := s.Started
	if started.IsZero() || on.Before(started.Time) {
		started = on
	}
	_, err := x.exec(ctx, `UPDATE peer_review_stages SET state = ?, started_on = ?, completed_on = ? WHERE review_id = ? AND name = ?`,
		string(accord.StageDone), dateArg(started), dateArg(on), r.ID, string(name))
	return err
}

func (x *tx) insertFocusAreas(ctx context.Context, reviewID int64, fs []accord.FocusArea) error {
	for i, f := range fs {
		ids, err := jsonText(f.IndicatorIDs)
		if err != nil {
			return err
		}
		if _, err := x.exec(ctx, `INSERT INTO peer_review_focus_areas (review_id, seq, title, indicator_ids) VALUES (?, ?, ?, ?)`,
			reviewID, i+1, f.Title, ids); err != nil {
			return fmt.Errorf("focus area %d: %w", i+1, err)
		}
	}
	return nil
}

func (x *tx) insertConflict(ctx context.Context, memberID int64, c *accord.Conflict, by accord.Actor, now time.Time) error {
	c.Declared, c.DecisionNote = strings.TrimSpace(c.Declared), strings.TrimSpace(c.DecisionNote)
	c.DecidedBy, c.DecidedAt = "", nil
	if c.Decision != accord.ConflictUndecided {
		c.DecidedBy, c.DecidedAt = by.Email, &now
	}
	return x.queryRow(ctx, `INSERT INTO peer_review_conflicts (member_id, kind, declared, decision, decision_note, decided_by, decided_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, memberID, string(c.Kind), c.Declared, string(c.Decision), c.DecisionNote,
		c.DecidedBy, nullTime(c.DecidedAt)).Scan(&c.ID)
}

// checkFinding validates f against r: its own rules, its focus area being
// one of r's, and its indicators and organisations being known.
func (x *tx) checkFinding(ctx context.Context, r accord.PeerReview, f accord.Finding) error {
	p, err := problemsOf(f.Validate())
	if err != nil {
		return err
	}
	if f.FocusAreaID != 0 && f.ThemeID == "" {
		if _, ok := r.FocusArea(f.FocusAreaID); !ok {
			p.Add("theme", "focus area %d is not one of peer review %d's", f.FocusAreaID, r.ID)
		}
	}
	var indicators, orgs []string
	for _, e := range f.Evidence {
		if e.IndicatorID != "" {
			indicators = append(indicators, e.IndicatorID)
		}
		if e.OrgCode != "" {
			orgs = append(orgs, e.OrgCode)
		}
	}
	if p, err = x.checkIndicators(ctx, "evidence", indicators, p); err != nil {
		return err
	}
	if p, err = x.checkOrgs(ctx, "evidence", orgs, p); err != nil {
		return err
	}
	return p.Err("finding")
}

// checkAction validates a against r: its own rules, its findings being r's,
// its targets being the reviewed ICB's, and its indicators and owner known.
func (x *tx) checkAction(ctx context.Context, r accord.PeerReview, a accord.ReviewAction) error {
	p, err := problemsOf(a.Validate())
	if err != nil {
		return err
	}
	for _, id := range a.FindingIDs {
		if _, ok := r.Finding(id); !ok {
			p.Add("findings", "finding %d is not a finding of peer review %d", id, r.ID)
		}
	}
	for _, id := range a.TargetIDs {
		var org string
		err := x.queryRow(ctx, `SELECT org_code FROM targets WHERE id = ?`, id).Scan(&org)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			p.Add("targets", "target %d is not known", id)
		case err != nil:
			return err
		case org != r.OrgCode:
			p.Add("targets", "target %d is %s's, not a target of %s, the ICB reviewed", id, org, r.OrgCode)
		}
	}
	if p, err = x.checkIndicators(ctx, "indicators", a.IndicatorIDs, p); err != nil {
		return err
	}
	if a.OwnerOrg != "" {
		if p, err = x.checkOrgs(ctx, "owner_organisation", []string{a.OwnerOrg}, p); err != nil {
			return err
		}
	}
	return p.Err("action " + a.Title)
}

// checkIndicators adds to p, under field, a problem for each of ids not in
// the catalogue.
func (x *tx) checkIndicators(ctx context.Context, field string, ids []string, p accord.Problems) (accord.Problems, error) {
	return x.checkKnown(ctx, field, `SELECT 1 FROM indicators WHERE id = ?`, "%q is not in the indicator catalogue", ids, p)
}

// checkOrgs adds to p, under field, a problem for each of codes not known.
func (x *tx) checkOrgs(ctx context.Context, field string, codes []string, p accord.Problems) (accord.Problems, error) {
	return x.checkKnown(ctx, field, `SELECT 1 FROM organisations WHERE code = ?`, "organisation %q is not known", codes, p)
}

func (x *tx) checkKnown(ctx context.Context, field, query, msg string, values []string, p accord.Problems) (accord.Problems, error) {
	seen := map[string]bool{}
	for _, v := range values {
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		ok, err := x.exists(ctx, query, v)
		if err != nil {
			return p, err
		}
		if !ok {
			p.Add(field, msg, v)
		}
	}
	return p, nil
}

// findPeerReview reads one review with everything it holds, or ENOTFOUND.
func (x *tx) findPeerReview(ctx context.Context, id int64) (accord.PeerReview, error) {
	rs, err := x.loadPeerReviews(ctx, `SELECT `+peerReviewColumns+` FROM peer_reviews r WHERE r.id = ?`, id)
	if err != nil {
		return accord.PeerReview{}, fmt.Errorf("find peer review %d: %w", id, err)
	}
	if len(rs) == 0 {
		return accord.PeerReview{}, accord.Errorf(accord.ENOTFOUND, "peer review %d not found", id)
	}
	return rs[0], nil
}

// loadPeerReviews reads the reviews query selects (peerReviewColumns), in
// its order, with their stages, focus areas, team, findings, actions and
// progress review.
func (x *tx) loadPeerReviews(ctx context.Context, query string, args ...any) ([]accord.PeerReview, error) {
	out := []accord.PeerReview{}
	err := x.eachRow(ctx, func(rows *sql.Rows) error {
		var r accord.PeerReview
		if err := rows.Scan(&r.ID, &r.OrgCode, &r.RegionCode, &r.OnSiteStart, &r.OnSiteEnd, &r.PositionStatement,
			&r.Report.Summary, &r.Report.PublishedAt, &r.Report.PublishedBy, &r.RequestedBy, timestamp{&r.CreatedAt},
			timestamp{&r.UpdatedAt}); err != nil {
			return err
		}
		r.FocusAreas, r.Stages, r.Team = []accord.FocusArea{}, []accord.Stage{}, []accord.TeamMember{}
		r.Findings, r.Actions = []accord.Finding{}, []accord.ReviewAction{}
		out = append(out, r)
		return nil
	}, query, args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	at := make(map[int64]int, len(out))
	ids := make([]int64, len(out))
	for i, r := range out {
		at[r.ID], ids[i] = i, r.ID
	}
	for _, chunk := range chunks(ids) {
		if err := x.loadReviewParts(ctx, out, at, chunk); err != nil {
			return nil, err
		}
	}
	for i := range out {
		out[i] = out[i].WithOwners()
	}
	return out, nil
}

// loadReviewParts fills in the parts of the reviews whose IDs are in chunk;
// at maps a review ID to its place in rs.
func (x *tx) loadReviewParts(ctx context.Context, rs []accord.PeerReview, at map[int64]int, chunk []int64) error {
	in := "(" + placeholders(len(chunk)) + ")"
	args := anyArgs(chunk)
	err := x.eachRow(ctx, func(rows *sql.Rows) error {
		var id int64
		var s accord.Stage
		var name, state string
		if err := rows.Scan(&id, &name, &s.Due, &s.Started, &s.Completed, &state); err != nil {
			return err
		}
		s.Name, s.State = accord.StageName(name), accord.StageState(state)
		rs[at[id]].Stages = append(rs[at[id]].Stages, s)
		return nil
	}, `SELECT review_id, name, due, started_on, completed_on, state FROM peer_review_stages
		WHERE review_id IN `+in+` ORDER BY review_id, seq`, args...)
	if err != nil {
		return fmt.Errorf("peer review stages: %w", err)
	}
	err = x.eachRow(ctx, func(rows *sql.Rows) error {
		var id int64
		var f accord.FocusArea
		var ids string
		if err := rows.Scan(&id, &f.ID, &f.Title, &ids); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(ids), &f.IndicatorIDs); err != nil {
			return err
		}
		rs[at[id]].FocusAreas = append(rs[at[id]].FocusAreas, f)
		return nil
	}, `SELECT review_id, id, title, indicator_ids FROM peer_review_focus_areas
		WHERE review_id IN `+in+` ORDER BY review_id, seq`, args...)
	if err != nil {
		return fmt.Errorf("peer review focus areas: %w", err)
	}
	members := map[int64][2]int{}
	err = x.eachRow(ctx, func(rows *sql.Rows) error {
		var id int64
		var m accord.TeamMember
		var user sql.NullInt64
		var role, chosen string
		if err := rows.Scan(&id, &m.ID, &user, &m.Name, &m.HomeOrg, &role, &m.Why, &chosen, &m.AddedBy, timestamp{&m.AddedAt}); err != nil {
			return err
		}
		m.UserID, m.Role, m.ChosenFor, m.Conflicts = user.Int64, accord.TeamRole(role), accord.ChosenFor(chosen), []accord.Conflict{}
		r := &rs[at[id]]
		members[m.ID] = [2]int{at[id], len(r.Team)}
		r.Team = append(r.Team, m)
		return nil
	}, `SELECT review_id, id, user_id, name, home_org, team_role, why, chosen_for, added_by, added_at FROM peer_review_team
		WHERE review_id IN `+in+` ORDER BY review_id, id`, args...)
	if err != nil {
		return fmt.Errorf("peer review team: %w", err)
	}
	err = x.eachRow(ctx, func(rows *sql.Rows) error {
		var member int64
		var c accord.Conflict
		var kind, decision string
		if err := rows.Scan(&member, &c.ID, &kind, &c.Declared, &decision, &c.DecisionNote, &c.DecidedBy, nullTimestamp{&c.DecidedAt}); err != nil {
			return err
		}
		c.Kind, c.Decision = accord.ConflictKind(kind), accord.ConflictDecision(decision)
		if i, ok := members[member]; ok {
			m := &rs[i[0]].Team[i[1]]
			m.Conflicts = append(m.Conflicts, c)
		}
		return nil
	}, `SELECT c.member_id, c.id, c.kind, c.declared, c.decision, c.decision_note, c.decided_by, c.decided_at
		FROM peer_review_conflicts c JOIN peer_review_team t ON t.id = c.member_id
		WHERE t.review_id IN `+in+` ORDER BY c.member_id, c.id`, args...)
	if err != nil {
		return fmt.Errorf("peer review conflicts: %w", err)
	}
	findings := map[int64][2]int{}
	err = x.eachRow(ctx, func(rows *sql.Rows) error {
		var f accord.Finding
		var focus sql.NullInt64
		var rating, evidence string
		if err := rows.Scan(&f.ReviewID, &f.ID, &f.ThemeID, &focus, &rating, &f.Text, &f.Recommendation, &evidence, &f.By,
			&f.ByName, timestamp{&f.CreatedAt}, timestamp{&f.UpdatedAt}); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(evidence), &f.Evidence); err != nil {
			return err
		}
		f.FocusAreaID, f.Rating, f.Responses = focus.Int64, accord.FindingRating(rating), []accord.FindingResponse{}
		r := &rs[at[f.ReviewID]]
		findings[f.ID] = [2]int{at[f.ReviewID], len(r.Findings)}
		r.Findings = append(r.Findings, f)
		return nil
	}, `SELECT review_id, id, theme_id, focus_area_id, rating, text, recommendation, evidence, by_actor, by_name, created_at,
		updated_at FROM peer_review_findings WHERE review_id IN `+in+` ORDER BY review_id, id`, args...)
	if err != nil {
		return fmt.Errorf("peer review findings: %w", err)
	}
	err = x.eachRow(ctx, func(rows *sql.Rows) error {
		var resp accord.FindingResponse
		if err := rows.Scan(&resp.FindingID, &resp.ID, &resp.Text, &resp.By, &resp.ByName, timestamp{&resp.At}); err != nil {
			return err
		}
		if i, ok := findings[resp.FindingID]; ok {
			f := &rs[i[0]].Findings[i[1]]
			f.Responses = append(f.Responses, resp)
		}
		return nil
	}, `SELECT p.finding_id, p.id, p.text, p.by_actor, p.by_name, p.at FROM peer_review_responses p
		JOIN peer_review_findings f ON f.id = p.finding_id WHERE f.review_id IN `+in+` ORDER BY p.finding_id, p.id`, args...)
	if err != nil {
		return fmt.Errorf("peer review responses: %w", err)
	}
	actions := map[int64][2]int{}
	err = x.eachRow(ctx, func(rows *sql.Rows) error {
		var a accord.ReviewAction
		var status, findingIDs, targetIDs, indicatorIDs string
		if err := rows.Scan(&a.ReviewID, &a.ID, &a.Title, &a.OwnerName, &a.OwnerOrg, &a.Due, &status, &findingIDs, &targetIDs,
			&indicatorIDs, timestamp{&a.CreatedAt}, timestamp{&a.UpdatedAt}); err != nil {
			return err
		}
		for _, l := range []struct {
			text string
			into any
		}{{findingIDs, &a.FindingIDs}, {targetIDs, &a.TargetIDs}, {indicatorIDs, &a.IndicatorIDs}} {
			if err := json.Unmarshal([]byte(l.text), l.into); err != nil {
				return err
			}
		}
		a.Status, a.Notes = accord.ActionStatus(status), []accord.ActionNote{}
		r := &rs[at[a.ReviewID]]
		actions[a.ID] = [2]int{at[a.ReviewID], len(r.Actions)}
		r.Actions = append(r.Actions, a)
		return nil
	}, `SELECT review_id, id, title, owner_name, owner_org, due, status, finding_ids, target_ids, indicator_ids, created_at,
		updated_at FROM peer_review_actions WHERE review_id IN `+in+` ORDER BY review_id, id`, args...)
	if err != nil {
		return fmt.Errorf("peer review actions: %w", err)
	}
	err = x.eachRow(ctx, func(rows *sql.Rows) error {
		var n accord.ActionNote
		var status string
		if err := rows.Scan(&n.ActionID, &n.ID, &n.Text, &status, &n.By, &n.ByName, timestamp{&n.At}); err != nil {
			return err
		}
		n.Status = accord.ActionStatus(status)
		if i, ok := actions[n.ActionID]; ok {
			a := &rs[i[0]].Actions[i[1]]
			a.Notes = append(a.Notes, n)
		}
		return nil
	}, `SELECT n.action_id, n.id, n.text, n.status, n.by_actor, n.by_name, n.at FROM peer_review_action_notes n
		JOIN peer_review_actions a ON a.id = n.action_id WHERE a.review_id IN `+in+` ORDER BY n.action_id, n.id`, args...)
	if err != nil {
		return fmt.Errorf("peer review action notes: %w", err)
	}
	err = x.eachRow(ctx, func(rows *sql.Rows) error {
		var id int64
		pr := accord.ProgressReview{Assessments: []accord.ActionAssessment{}}
		if err := rows.Scan(&id, &pr.Date, &pr.Summary, &pr.By, timestamp{&pr.RecordedAt}); err != nil {
			return err
		}
		rs[at[id]].Progress = &pr
		return nil
	}, `SELECT review_id, held_on, summary, by_actor, recorded_at FROM peer_review_progress WHERE review_id IN `+in, args...)
	if err != nil {
		return fmt.Errorf("peer review progress: %w", err)
	}
	err = x.eachRow(ctx, func(rows *sql.Rows) error {
		var id int64
		var a accord.ActionAssessment
		var rating string
		if err := rows.Scan(&id, &a.ActionID, &rating, &a.Comment); err != nil {
			return err
		}
		a.Rating = accord.AssessmentRating(rating)
		if pr := rs[at[id]].Progress; pr != nil {
			pr.Assessments = append(pr.Assessments, a)
		}
		return nil
	}, `SELECT review_id, action_id, rating, comment FROM peer_review_assessments WHERE review_id IN `+in+`
		ORDER BY review_id, action_id`, args...)
	if err != nil {
		return fmt.Errorf("peer review assessments: %w", err)
	}
	return nil
}

// normalScope trims titles and drops blank indicator IDs left by a form.
func normalScope(s accord.ReviewScope) accord.ReviewScope {
	out := s
	out.FocusAreas = make([]accord.FocusArea, len(s.FocusAreas))
	for i, f := range s.FocusAreas {
		f.ID = 0
		f.Title = strings.TrimSpace(f.Title)
		ids := []string{}
		for _, id := range f.IndicatorIDs {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
		f.IndicatorIDs = ids
		out.FocusAreas[i] = f
	}
	return out
}

func scopeIndicators(s accord.ReviewScope) []string {
	var out []string
	for _, f := range s.FocusAreas {
		out = append(out, f.IndicatorIDs...)
	}
	return out
}

// normalFinding trims what a form leaves around a finding's text.
func normalFinding(f accord.Finding) accord.Finding {
	f.Text, f.Recommendation = strings.TrimSpace(f.Text), strings.TrimSpace(f.Recommendation)
	f.Evidence = slices.Clone(f.Evidence)
	for i := range f.Evidence {
		e := &f.Evidence[i]
		e.IndicatorID, e.OrgCode = strings.TrimSpace(e.IndicatorID), strings.TrimSpace(e.OrgCode)
		e.DocumentTitle, e.URL = strings.TrimSpace(e.DocumentTitle), strings.TrimSpace(e.URL)
	}
	return f
}

// jsonText is v as JSON text for a list column; a nil list is "[]".
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	if string(b) == "null" {
		return "[]", nil
	}
	return string(b), nil
}

// nonNil makes a nil list empty, so that it reads back as it was stored.
func nonNil[T any](vs []T) []T {
	if vs == nil {
		return []T{}
	}
	return slices.Clone(vs)
}
