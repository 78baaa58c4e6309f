package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	accord "github.com/nhs-accord/accord"
)

var _ accord.ConsultationStore = (*DB)(nil)

// Respond records a consultee's response on the open consultation of a
// target in consultation; see accord.ConsultationStore. Who responds is
// by: the response takes its user, name, role and organisation from it.
// A second response by the same person replaces the first in place,
// keeping its ID; if what it says changed, the themes that answered the
// old one no longer count for it, so the ICB answers it afresh.
func (db *DB) Respond(ctx context.Context, targetID int64, r *accord.ConsultationResponse, by accord.Actor) error {
	if r == nil {
		return accord.Errorf(accord.EINVALID, "no response given")
	}
	if err := by.Validate(); err != nil {
		return err
	}
	if by.UserID <= 0 {
		return accord.Errorf(accord.EINVALID, "a consultation response is recorded against a signed-in user, and %s has no user id", by.Email)
	}
	resp := *r
	resp.UserID, resp.Name, resp.Role, resp.OrgCode = by.UserID, by.Name, by.Role, by.OrgCode
	resp.Comment = strings.TrimSpace(resp.Comment)
	if err := resp.Validate(); err != nil {
		return err
	}
	x, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer x.Rollback()
	if err := x.lockAudit(ctx); err != nil {
		return fmt.Errorf("respond to target %d: %w", targetID, err)
	}
	c, err := x.consultationInProgress(ctx, targetID, "responses are taken")
	if err != nil {
		return err
	}
	resp.ConsultationID = c.ID
	now := stampNow()
	resp.At = now
	detail := map[string]any{"consultation": c.ID, "stance": resp.Stance, "comment": resp.Comment}

	var prev *accord.ConsultationResponse
	for i := range c.Responses {
		if c.Responses[i].UserID == resp.UserID {
			prev = &c.Responses[i]
		}
	}
	if prev == nil {
		err = x.queryRow(ctx, `INSERT INTO consultation_responses (consultation_id, user_id, name, role, org_code, stance, comment, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, resp.UserID, resp.Name, string(resp.Role), resp.OrgCode,
			string(resp.Stance), resp.Comment, now.Format(time.RFC3339)).Scan(&resp.ID)
	} else {
		resp.ID = prev.ID
		_, err = x.exec(ctx, `UPDATE consultation_responses SET name = ?, role = ?, org_code = ?, stance = ?, comment = ?, at = ?
			WHERE id = ?`, resp.Name, string(resp.Role), resp.OrgCode, string(resp.Stance), resp.Comment,
			now.Format(time.RFC3339), resp.ID)
		detail["replaces"] = map[string]any{"stance": prev.Stance, "comment": prev.Comment, "at": prev.At}
		if err == nil && (prev.Stance != resp.Stance || prev.Comment != resp.Comment) {
			var n int64
			n, err = x.unlinkResponse(ctx, resp.ID)
			if n > 0 {
				detail["unlinked_from_themes"] = n
			}
		}
	}
	if err != nil {
		switch {
		case isForeignKeyViolation(err):
			return accord.Errorf(accord.EINVALID, "response to target %d: user %d or organisation %q is not known", targetID, resp.UserID, resp.OrgCode)
		case isUniqueViolation(err):
			return accord.Errorf(accord.ECONFLICT, "response to target %d: %s responded at the same time; reload and try again", targetID, by.Email)
		}
		return fmt.Errorf("respond to target %d: %w", targetID, err)
	}
	detail["response"] = resp.ID
	if err := x.record(ctx, by, "consultation.respond", targetID, "", detail); err != nil {
		return fmt.Errorf("respond to target %d: %w", targetID, err)
	}
	if err := x.Commit(); err != nil {
		return fmt.Errorf("respond to target %d: commit: %w", targetID, err)
	}
	*r = resp
	return nil
}

// AnswerTheme records the ICB's answer to some of the responses of the
// open consultation; see accord.ConsultationStore.
func (db *DB) AnswerTheme(ctx context.Context, targetID int64, th *accord.Theme, by accord.Actor) error {
	if th == nil {
		return accord.Errorf(accord.EINVALID, "no theme given")
	}
	if err := by.Validate(); err != nil {
		return err
	}
	theme := *th
	theme.YouSaid, theme.WeDid = strings.TrimSpace(theme.YouSaid), strings.TrimSpace(theme.WeDid)
	theme.ResponseIDs = slices.Clone(theme.ResponseIDs)
	if err := theme.Validate(); err != nil {
		return err
	}
	x, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer x.Rollback()
	if err := x.lockAudit(ctx); err != nil {
		return fmt.Errorf("answer theme on target %d: %w", targetID, err)
	}
	c, err := x.consultationInProgress(ctx, targetID, "themes are answered")
	if err != nil {
		return err
	}
	var p accord.Problems
	for _, id := range theme.ResponseIDs {
		if !slices.ContainsFunc(c.Responses, func(r accord.ConsultationResponse) bool { return r.ID == id }) {
			p.Add("responses", "response %d is not a response to the consultation on target %d", id, targetID)
		}
	}
	if err := p.Err("theme"); err != nil {
		return err
	}
	now := stampNow()
	theme.ConsultationID, theme.By, theme.At = c.ID, by.Email, now
	if err := x.queryRow(ctx, `INSERT INTO consultation_themes (consultation_id, you_said, we_did, changed, by_actor, at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, theme.YouSaid, theme.WeDid, theme.Changed, by.Email,
		now.Format(time.RFC3339)).Scan(&theme.ID); err != nil {
		return fmt.Errorf("answer theme on target %d: %w", targetID, err)
	}
	for _, id := range theme.ResponseIDs {
		if _, err := x.exec(ctx, `INSERT INTO consultation_theme_responses (theme_id, response_id) VALUES (?, ?)`, theme.ID, id); err != nil {
			return fmt.Errorf("answer theme on target %d: link response %d: %w", targetID, id, err)
		}
	}
	if err := x.record(ctx, by, "consultation.theme", targetID, "", map[string]any{
		"consultation": c.ID, "theme": theme.ID, "you_said": theme.YouSaid, "we_did": theme.WeDid,
		"changed": theme.Changed, "responses": theme.ResponseIDs,
	}); err != nil {
		return fmt.Errorf("answer theme on target %d: %w", targetID, err)
	}
	if err := x.Commit(); err != nil {
		return fmt.Errorf("answer theme on target %d: commit: %w", targetID, err)
	}
	*th = theme
	return nil
}

// Consultations returns the target's consultations with their responses
// and themes, oldest first, or ENOTFOUND for an unknown target.
func (db *DB) Consultations(ctx context.Context, targetID int64) ([]accord.Consultation, error) {
	x, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer x.Rollback()
	if err := x.targetExists(ctx, targetID); err != nil {
		return nil, err
	}
	return x.consultations(ctx, targetID, false)
}

// consultationInProgress returns the open consultation of a target that is
// in consultation: ENOTFOUND for an unknown target, ECONFLICT for one not
// in consultation (it moved on since the page was loaded). doing says what
// is refused, for the message.
func (x *tx) consultationInProgress(ctx context.Context, targetID int64, doing string) (accord.Consultation, error) {
	var status string
	err := x.queryRow(ctx, `SELECT status FROM targets WHERE id = ?`, targetID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return accord.Consultation{}, accord.Errorf(accord.ENOTFOUND, "target %d not found", targetID)
	}
	if err != nil {
		return accord.Consultation{}, fmt.Errorf("target %d: %w", targetID, err)
	}
	if accord.TargetStatus(status) != accord.TargetConsultation {
		return accord.Consultation{}, accord.Errorf(accord.ECONFLICT, "target %d is %s: %s only while it is in consultation", targetID, status, doing)
	}
	c, err := x.openConsultation(ctx, targetID)
	if err != nil {
		return accord.Consultation{}, fmt.Errorf("target %d: %w", targetID, err)
	}
	if c == nil {
		// Every move into consultation opens one, so this is a damaged record.
		return accord.Consultation{}, fmt.Errorf("target %d is in consultation but has no open consultation", targetID)
	}
	return *c, nil
}

// openConsultation returns the target's open consultation, or nil.
func (x *tx) openConsultation(ctx context.Context, targetID int64) (*accord.Consultation, error) {
	cs, err := x.consultations(ctx, targetID, true)
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	return &cs[0], nil
}

// consultations reads the target's consultations (only the open one, if
// openOnly) with their responses and themes, oldest first.
func (x *tx) consultations(ctx context.Context, targetID int64, openOnly bool) ([]accord.Consultation, error) {
	open := ""
	if openOnly {
		open = " AND c.closed_at IS NULL"
	}
	out := []accord.Consultation{}
	at := map[int64]int{}
	err := x.eachRow(ctx, func(rows *sql.Rows) error {
		var c accord.Consultation
		if err := rows.Scan(&c.ID, &c.TargetID, &c.TargetVersion, &c.Question, &c.OpenedBy, timestamp{&c.OpenedAt},
			nullTimestamp{&c.ClosedAt}); err != nil {
			return err
		}
		c.Responses, c.Themes = []accord.ConsultationResponse{}, []accord.Theme{}
		at[c.ID] = len(out)
		out = append(out, c)
		return nil
	}, `SELECT c.id, c.target_id, c.target_version, c.question, c.opened_by, c.opened_at, c.closed_at
		FROM consultations c WHERE c.target_id = ?`+open+` ORDER BY c.id`, targetID)
	if err != nil {
		return nil, fmt.Errorf("consultations: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	err = x.eachRow(ctx, func(rows *sql.Rows) error {
		var r accord.ConsultationResponse
		var role, stance string
		if err := rows.Scan(&r.ID, &r.ConsultationID, &r.UserID, &r.Name, &role, &r.OrgCode, &stance, &r.Comment,
			timestamp{&r.At}); err != nil {
			return err
		}
		r.Role, r.Stance = accord.Role(role), accord.Stance(stance)
		c := &out[at[r.ConsultationID]]
		c.Responses = append(c.Responses, r)
		return nil
	}, `SELECT r.id, r.consultation_id, r.user_id, r.name, r.role, r.org_code, r.stance, r.comment, r.at
		FROM consultation_responses r JOIN consultations c ON c.id = r.consultation_id
		WHERE c.target_id = ?`+open+` ORDER BY r.id`, targetID)
	if err != nil {
		return nil, fmt.Errorf("consultation responses: %w", err)
	}
	themeAt := map[int64][2]int{}
	err = x.eachRow(ctx, func(rows *sql.Rows) error {
		var th accord.Theme
		if err := rows.Scan(&th.ID, &th.ConsultationID, &th.YouSaid, &th.WeDid, &th.Changed, &th.By, timestamp{&th.At}); err != nil {
			return err
		}
		th.ResponseIDs = []int64{}
		ci := at[th.ConsultationID]
		themeAt[th.ID] = [2]int{ci, len(out[ci].Themes)}
		out[ci].Themes = append(out[ci].Themes, th)
		return nil
	}, `SELECT t.id, t.consultation_id, t.you_said, t.we_did, t.changed, t.by_actor, t.at
		FROM consultation_themes t JOIN consultations c ON c.id = t.consultation_id
		WHERE c.target_id = ?`+open+` ORDER BY t.id`, targetID)
	if err != nil {
		return nil, fmt.Errorf("consultation themes: %w", err)
	}
	err = x.eachRow(ctx, func(rows *sql.Rows) error {
		var theme, response int64
		if err := rows.Scan(&theme, &response); err != nil {
			return err
		}
		if i, ok := themeAt[theme]; ok {
			th := &out[i[0]].Themes[i[1]]
			th.ResponseIDs = append(th.ResponseIDs, response)
		}
		return nil
	}, `SELECT l.theme_id, l.response_id FROM consultation_theme_responses l
		JOIN consultation_themes t ON t.id = l.theme_id JOIN consultations c ON c.id = t.consultation_id
		WHERE c.target_id = ?`+open+` ORDER BY l.theme_id, l.response_id`, targetID)
	if err != nil {
		return nil, fmt.Errorf("consultation theme responses: %w", err)
	}
	return out, nil
}

// eachRow runs query and calls scan for every row.
func (x *tx) eachRow(ctx context.Context, scan func(*sql.Rows) error, query string, args ...any) error {
	rows, err := x.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// unansweredProblem is EINVALID, naming the field "themes", while any
// response that asks for something has no theme answering it: the ICB
// answers everyone before it agrees the target.
func unansweredProblem(c accord.Consultation) error {
	left := c.Unanswered()
	if len(left) == 0 {
		return nil
	}
	names := make([]string, len(left))
	for i, r := range left {
		names[i] = fmt.Sprintf("%s (%s, %s)", r.Name, r.Role.Label(), r.Stance.Label())
	}
	var p accord.Problems
	are := "responses are"
	if len(left) == 1 {
		are = "response is"
	}
	p.Add("themes", "%d consultation %s not yet answered by a theme: %s", len(left), are, strings.Join(names, "; "))
	return p.Err(fmt.Sprintf("target %d cannot be agreed", c.TargetID))
}

// unlinkResponse takes a response out of the themes that answered it, and
// says from how many.
func (x *tx) unlinkResponse(ctx context.Context, id int64) (int64, error) {
	res, err := x.exec(ctx, `DELETE FROM consultation_theme_responses WHERE response_id = ?`, id)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
