-- Peer review and the learning exchange: reviews of one ICB by its peers,
-- their stages, team, conflicts of interest, position statement, rated
-- findings with their evidence and the reviewed system's responses, the
-- report, the action plan and the progress review; and practice notes with
-- their indicator evidence and where else they were tried. Timestamps are
-- TEXT RFC 3339 in UTC and dates TEXT YYYY-MM-DD, as in 0001. Short lists
-- that are never searched (a focus area's indicators, a finding's evidence,
-- what an action should move) are JSON text; the store checks what they
-- name exists.

CREATE TABLE peer_reviews (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    org_code           TEXT NOT NULL REFERENCES organisations (code),
    region_code        TEXT NOT NULL DEFAULT '',   -- the overseeing region when asked
    on_site_start      TEXT NOT NULL,
    on_site_end        TEXT NOT NULL,
    position_statement TEXT NOT NULL DEFAULT '',
    report_summary     TEXT NOT NULL DEFAULT '',
    published_on       TEXT,                       -- NULL: the report is a draft
    published_by       TEXT NOT NULL DEFAULT '',
    requested_by       TEXT NOT NULL,              -- email
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX peer_reviews_org ON peer_reviews (org_code, id);

CREATE TABLE peer_review_stages (
    review_id    INTEGER NOT NULL REFERENCES peer_reviews (id),
    seq          INTEGER NOT NULL,
    name         TEXT NOT NULL,
    due          TEXT,
    started_on   TEXT,
    completed_on TEXT,
    state        TEXT NOT NULL,
    PRIMARY KEY (review_id, name),
    UNIQUE (review_id, seq)
);
CREATE INDEX peer_review_stages_due ON peer_review_stages (state, due);

CREATE TABLE peer_review_focus_areas (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id     INTEGER NOT NULL REFERENCES peer_reviews (id),
    seq           INTEGER NOT NULL,
    title         TEXT NOT NULL,
    indicator_ids TEXT NOT NULL                -- JSON array of indicator IDs
);
CREATE INDEX peer_review_focus_areas_review ON peer_review_focus_areas (review_id, seq);

CREATE TABLE peer_review_team (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id   INTEGER NOT NULL REFERENCES peer_reviews (id),
    user_id     INTEGER REFERENCES users (id), -- NULL: a lay peer without an account
    name        TEXT NOT NULL,
    home_org    TEXT NOT NULL REFERENCES organisations (code),
    team_role   TEXT NOT NULL,
    why         TEXT NOT NULL,
    chosen_for  TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL
);
CREATE INDEX peer_review_team_review ON peer_review_team (review_id, id);
CREATE INDEX peer_review_team_user ON peer_review_team (user_id);
-- A person serves once on a team.
CREATE UNIQUE INDEX peer_review_team_once ON peer_review_team (review_id, user_id) WHERE user_id IS NOT NULL;

CREATE TABLE peer_review_conflicts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id     INTEGER NOT NULL REFERENCES peer_review_team (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    declared      TEXT NOT NULL,
    decision      TEXT NOT NULL DEFAULT '',    -- '': not yet decided
    decision_note TEXT NOT NULL DEFAULT '',
    decided_by    TEXT NOT NULL DEFAULT '',
    decided_at    TEXT
);
CREATE INDEX peer_review_conflicts_member ON peer_review_conflicts (member_id, id);

CREATE TABLE peer_review_findings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id      INTEGER NOT NULL REFERENCES peer_reviews (id),
    theme_id       TEXT NOT NULL DEFAULT '',
    focus_area_id  INTEGER REFERENCES peer_review_focus_areas (id),
    rating         TEXT NOT NULL,
    text           TEXT NOT NULL,
    recommendation TEXT NOT NULL DEFAULT '',
    evidence       TEXT NOT NULL,              -- JSON array of accord.Evidence
    by_actor       TEXT NOT NULL,
    by_name        TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX peer_review_findings_review ON peer_review_findings (review_id, id);

-- Candour: once the report is published its findings stand as written. The
-- store refuses first with a message; these catch anything that gets past.
CREATE TRIGGER peer_review_findings_published_update BEFORE UPDATE ON peer_review_findings
WHEN (SELECT published_on FROM peer_reviews WHERE id = OLD.review_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a finding of a published report cannot change');
END;

CREATE TRIGGER peer_review_findings_published_delete BEFORE DELETE ON peer_review_findings
WHEN (SELECT published_on FROM peer_reviews WHERE id = OLD.review_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a finding of a published report cannot change');
END;

-- Responses are added, never edited, so the record shows what was said when.
CREATE TABLE peer_review_responses (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id INTEGER NOT NULL REFERENCES peer_review_findings (id),
    text       TEXT NOT NULL,
    by_actor   TEXT NOT NULL,
    by_name    TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
);
CREATE INDEX peer_review_responses_finding ON peer_review_responses (finding_id, id);

CREATE TRIGGER peer_review_responses_no_update BEFORE UPDATE ON peer_review_responses
BEGIN
    SELECT RAISE(ABORT, 'responses to findings are append-only');
END;

CREATE TRIGGER peer_review_responses_no_delete BEFORE DELETE ON peer_review_responses
BEGIN
    SELECT RAISE(ABORT, 'responses to findings are append-only');
END;

CREATE TABLE peer_review_actions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id     INTEGER NOT NULL REFERENCES peer_reviews (id),
    title         TEXT NOT NULL,
    owner_name    TEXT NOT NULL,
    owner_org     TEXT NOT NULL REFERENCES organisations (code),
    due           TEXT NOT NULL,
    status        TEXT NOT NULL,
    finding_ids   TEXT NOT NULL,               -- JSON arrays
    target_ids    TEXT NOT NULL,
    indicator_ids TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX peer_review_actions_review ON peer_review_actions (review_id, id);

CREATE TABLE peer_review_action_notes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id INTEGER NOT NULL REFERENCES peer_review_actions (id),
    text      TEXT NOT NULL,
    status    TEXT NOT NULL,                   -- the status the note left the action in
    by_actor  TEXT NOT NULL,
    by_name   TEXT NOT NULL DEFAULT '',
    at        TEXT NOT NULL
);
CREATE INDEX peer_review_action_notes_action ON peer_review_action_notes (action_id, id);

CREATE TABLE peer_review_progress (
    review_id   INTEGER PRIMARY KEY REFERENCES peer_reviews (id),
    held_on     TEXT NOT NULL,
    summary     TEXT NOT NULL,
    by_actor    TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE TABLE peer_review_assessments (
    review_id INTEGER NOT NULL REFERENCES peer_review_progress (review_id),
    action_id INTEGER NOT NULL REFERENCES peer_review_actions (id),
    rating    TEXT NOT NULL,
    comment   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (review_id, action_id)
);

CREATE TABLE practice_notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_code    TEXT NOT NULL REFERENCES organisations (code),
    author      TEXT NOT NULL,                 -- email
    author_name TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL,
    problem     TEXT NOT NULL,
    tried       TEXT NOT NULL,
    happened    TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX practice_notes_org ON practice_notes (org_code);
CREATE INDEX practice_notes_updated ON practice_notes (updated_at, id);

CREATE TABLE practice_note_topics (
    note_id INTEGER NOT NULL REFERENCES practice_notes (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    topic   TEXT NOT NULL,                     -- accord.NormalTopic
    PRIMARY KEY (note_id, topic)
);
CREATE INDEX practice_note_topics_topic ON practice_note_topics (topic);

CREATE TABLE practice_note_evidence (
    note_id      INTEGER NOT NULL REFERENCES practice_notes (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    indicator_id TEXT NOT NULL REFERENCES indicators (id),
    org_code     TEXT NOT NULL REFERENCES organisations (code),
    period_from  TEXT NOT NULL,
    from_start   TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    to_start     TEXT NOT NULL,
    verdict      TEXT NOT NULL,                -- as the SPC chart said when the note was written
    PRIMARY KEY (note_id, seq)
);
CREATE INDEX practice_note_evidence_indicator ON practice_note_evidence (indicator_id, org_code);

CREATE TABLE practice_tried_elsewhere (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    note_id     INTEGER NOT NULL REFERENCES practice_notes (id) ON DELETE CASCADE,
    org_code    TEXT NOT NULL REFERENCES organisations (code),
    by_name     TEXT NOT NULL,
    tried_on    TEXT NOT NULL,
    result      TEXT NOT NULL,
    verdict     TEXT NOT NULL,
    recorded_by TEXT NOT NULL,                 -- email
    at          TEXT NOT NULL
);
CREATE INDEX practice_tried_elsewhere_note ON practice_tried_elsewhere (note_id, id);
