-- Imports: every file brought into Accord, what it changed, and the values
-- a revised publication replaced, so an import can be rolled back.

-- AUTOINCREMENT so that an id is never given to another import: ids appear
-- in observations, revisions and messages ("held by import #12").
CREATE TABLE imports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    format       TEXT NOT NULL,                 -- rtt, ae, cwt, fingertips, long, iod
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,                 -- of the file's bytes as given
    publisher    TEXT NOT NULL,
    dataset      TEXT NOT NULL,                 -- a later file of the same dataset revises it
    imported_by  TEXT NOT NULL,
    imported_at  TEXT NOT NULL,                 -- RFC 3339, UTC
    status       TEXT NOT NULL,                 -- applied, rolled_back
    rows_read    INTEGER NOT NULL DEFAULT 0,
    added        INTEGER NOT NULL DEFAULT 0,
    replaced     INTEGER NOT NULL DEFAULT 0,
    skipped      TEXT NOT NULL DEFAULT '[]',    -- JSON list of {reason, count, example}
    first_period TEXT,
    last_period  TEXT
);
-- "Has this file been imported already?"
CREATE INDEX imports_sha256 ON imports (sha256);

-- SQLite cannot add a foreign key to an existing column, so observations
-- is rebuilt with import_id referring to imports, a dataset column beside
-- it, an ethnicity column for the breakdown by ethnic group, and the
-- publisher's own comparison with England. No import
-- was ever recorded before this migration, so an import_id already held
-- refers to nothing and becomes NULL, like every observation added outside
-- an import. Ethnicity is recovered from the breakdown key, where it comes
-- last (eth=…). Nothing refers to observations, so dropping it with foreign
-- keys on is safe.
CREATE TABLE observations_0002 (
    id            INTEGER PRIMARY KEY,
    indicator_id  TEXT NOT NULL REFERENCES indicators (id),
    org_code      TEXT NOT NULL REFERENCES organisations (code),
    period        TEXT NOT NULL,
    period_start  TEXT NOT NULL,
    period_months INTEGER NOT NULL,
    breakdown_key TEXT NOT NULL DEFAULT '',     -- '' is the whole population
    sex           TEXT,
    age_band      TEXT,
    imd_decile    INTEGER,
    ethnicity     TEXT,                         -- the publisher's ethnic group label
    value         REAL NOT NULL,
    numerator     REAL,
    denominator   REAL,
    lower_ci      REAL,
    upper_ci      REAL,
    ci_level      REAL,
    status        TEXT NOT NULL,
    comparison    TEXT,                         -- the publisher's own verdict against England, as published
    source        TEXT NOT NULL DEFAULT '',
    import_id     INTEGER REFERENCES imports (id), -- NULL: added outside an import
    dataset       TEXT NOT NULL DEFAULT '',        -- its import's dataset, '' outside an import
    UNIQUE (indicator_id, org_code, period, breakdown_key)
);
INSERT INTO observations_0002 (id, indicator_id, org_code, period, period_start, period_months, breakdown_key,
        sex, age_band, imd_decile, ethnicity, value, numerator, denominator, lower_ci, upper_ci, ci_level, status, source,
        import_id, dataset)
    SELECT id, indicator_id, org_code, period, period_start, period_months, breakdown_key,
        sex, age_band, imd_decile,
        CASE WHEN instr(breakdown_key, 'eth=') > 0 THEN substr(breakdown_key, instr(breakdown_key, 'eth=') + 4) END,
        value, numerator, denominator, lower_ci, upper_ci, ci_level, status, source,
        NULL, ''
    FROM observations;
DROP TABLE observations;
ALTER TABLE observations_0002 RENAME TO observations;
-- A series in time order: one indicator for some organisations.
CREATE INDEX observations_series ON observations (indicator_id, org_code, breakdown_key, period_start, period_months);
-- Everything held for an organisation.
CREATE INDEX observations_org ON observations (org_code, breakdown_key, period_start);
CREATE INDEX observations_import ON observations (import_id);
-- What a revised publication replaces: the same dataset, indicator and period.
CREATE INDEX observations_dataset ON observations (dataset, indicator_id, period);

-- Earlier values, replaced when a revised publication of the same dataset
-- was imported; rolling back the import that replaced them restores them.
CREATE TABLE observation_revisions (
    id            INTEGER PRIMARY KEY,
    indicator_id  TEXT NOT NULL REFERENCES indicators (id),
    org_code      TEXT NOT NULL REFERENCES organisations (code),
    period        TEXT NOT NULL,
    period_start  TEXT NOT NULL,
    period_months INTEGER NOT NULL,
    breakdown_key TEXT NOT NULL DEFAULT '',
    sex           TEXT,
    age_band      TEXT,
    imd_decile    INTEGER,
    ethnicity     TEXT,                         -- the publisher's ethnic group label
    value         REAL NOT NULL,
    numerator     REAL,
    denominator   REAL,
    lower_ci      REAL,
    upper_ci      REAL,
    ci_level      REAL,
    status        TEXT NOT NULL,
    comparison    TEXT,
    source        TEXT NOT NULL DEFAULT '',
    import_id     INTEGER REFERENCES imports (id),          -- the import it came from
    dataset       TEXT NOT NULL DEFAULT '',
    replaced_by   INTEGER NOT NULL REFERENCES imports (id), -- the import that replaced it
    replaced_at   TEXT NOT NULL                             -- RFC 3339, UTC
);
-- What an import replaced (to restore it), and what replaced an import's
-- values (to refuse its rollback).
CREATE INDEX observation_revisions_replaced_by ON observation_revisions (replaced_by);
CREATE INDEX observation_revisions_import ON observation_revisions (import_id, replaced_by);
CREATE INDEX observation_revisions_series ON observation_revisions (indicator_id, org_code, breakdown_key, period_start, period_months);
