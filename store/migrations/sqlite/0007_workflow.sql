-- The target workflow: the dates a target went for review and was
-- approved, why a target short of its national standard is still right,
-- every superseded version of a target, its moves along the lifecycle, and
-- its consultations with their responses and the ICB's themes ("you said,
-- we did"). Timestamps are TEXT RFC 3339 in UTC, as in 0001.

ALTER TABLE targets ADD COLUMN floor_justification TEXT NOT NULL DEFAULT '';
ALTER TABLE targets ADD COLUMN submitted_at TEXT;  -- NULL: never submitted
ALTER TABLE targets ADD COLUMN approved_at TEXT;   -- NULL: never approved
-- Reviews waiting longest first.
CREATE INDEX targets_status_submitted ON targets (status, submitted_at);

-- A version as it stood when the next replaced it: the accord.Target as
-- JSON, trajectory included, so that a snapshot keeps every field the
-- domain has whatever later migrations add to targets.
CREATE TABLE target_versions (
    target_id  INTEGER NOT NULL REFERENCES targets (id),
    version    INTEGER NOT NULL,
    snapshot   TEXT NOT NULL,
    created_at TEXT NOT NULL,                   -- when it was superseded
    PRIMARY KEY (target_id, version)
);

-- The review history: append-only like the audit log, because a target's
-- accountability rests on who moved it when and why.
CREATE TABLE target_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    target_id   INTEGER NOT NULL REFERENCES targets (id),
    version     INTEGER NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,                  -- email
    actor_name  TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL
);
CREATE INDEX target_events_target ON target_events (target_id, id);

CREATE TRIGGER target_events_no_update BEFORE UPDATE ON target_events
BEGIN
    SELECT RAISE(ABORT, 'the target history is append-only');
END;

CREATE TRIGGER target_events_no_delete BEFORE DELETE ON target_events
BEGIN
    SELECT RAISE(ABORT, 'the target history is append-only');
END;

CREATE TABLE consultations (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    target_id      INTEGER NOT NULL REFERENCES targets (id),
    target_version INTEGER NOT NULL,            -- the version consulted on
    question       TEXT NOT NULL,
    opened_by      TEXT NOT NULL,               -- email
    opened_at      TEXT NOT NULL,
    closed_at      TEXT                         -- NULL: still open
);
CREATE INDEX consultations_target ON consultations (target_id, id);
-- A target has at most one open consultation.
CREATE UNIQUE INDEX consultations_open ON consultations (target_id) WHERE closed_at IS NULL;

-- One response per person per consultation: answering again replaces it.
CREATE TABLE consultation_responses (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    org_code        TEXT NOT NULL REFERENCES organisations (code), -- whom they speak for
    stance          TEXT NOT NULL,
    comment         TEXT NOT NULL DEFAULT '',
    at              TEXT NOT NULL,
    UNIQUE (consultation_id, user_id)
);

CREATE TABLE consultation_themes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    you_said        TEXT NOT NULL,
    we_did          TEXT NOT NULL,
    changed         BOOLEAN NOT NULL DEFAULT FALSE,
    by_actor        TEXT NOT NULL,              -- email
    at              TEXT NOT NULL
);
CREATE INDEX consultation_themes_consultation ON consultation_themes (consultation_id, id);

-- Which responses a theme answers.
CREATE TABLE consultation_theme_responses (
    theme_id    INTEGER NOT NULL REFERENCES consultation_themes (id) ON DELETE CASCADE,
    response_id INTEGER NOT NULL REFERENCES consultation_responses (id) ON DELETE CASCADE,
    PRIMARY KEY (theme_id, response_id)
);
CREATE INDEX consultation_theme_responses_response ON consultation_theme_responses (response_id);
