-- Accord's foundation: the organisation map, the indicator catalogue,
-- observations, national priorities, and local targets with their
-- trajectories. In SQLite, dates are TEXT YYYY-MM-DD and timestamps TEXT
-- RFC 3339 in UTC, so that text order is time order; periods are their
-- canonical text (accord.Period), with period_start and period_months kept
-- beside them for range queries and ordering.

CREATE TABLE organisations (
    code        TEXT PRIMARY KEY,               -- ODS code (ONS code for a place)
    ons_code    TEXT,                           -- current ONS code
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    parent_code TEXT REFERENCES organisations (code),
    valid_from  TEXT,
    valid_to    TEXT                            -- NULL: still open
);
CREATE INDEX organisations_parent ON organisations (parent_code);
CREATE INDEX organisations_ons_code ON organisations (ons_code);

-- Every ONS code an organisation has held, so that data published under an
-- old code still finds its organisation.
CREATE TABLE organisation_ons_codes (
    org_code   TEXT NOT NULL REFERENCES organisations (code) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,                -- order as given
    ons_code   TEXT NOT NULL,
    valid_from TEXT,
    valid_to   TEXT,
    PRIMARY KEY (org_code, seq)
);
CREATE INDEX organisation_ons_codes_ons_code ON organisation_ons_codes (ons_code);

CREATE TABLE indicators (
    id                     TEXT PRIMARY KEY,
    name                   TEXT NOT NULL,
    definition             TEXT NOT NULL,
    area                   TEXT NOT NULL DEFAULT '',
    unit                   TEXT NOT NULL,
    polarity               TEXT NOT NULL,
    method                 TEXT NOT NULL,
    numerator_definition   TEXT NOT NULL DEFAULT '',
    denominator_definition TEXT NOT NULL DEFAULT '',
    source                 TEXT NOT NULL,
    source_url             TEXT NOT NULL DEFAULT '',
    frequency              TEXT NOT NULL,
    tags                   TEXT NOT NULL DEFAULT '', -- comma list, in the order given
    fingertips_id          INTEGER                   -- NULL when not a Fingertips indicator
);
CREATE INDEX indicators_area ON indicators (area);

CREATE TABLE observations (
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
    value         REAL NOT NULL,
    numerator     REAL,
    denominator   REAL,
    lower_ci      REAL,
    upper_ci      REAL,
    ci_level      REAL,
    status        TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT '',
    import_id     INTEGER,                      -- the import it came from; a later change adds imports
    UNIQUE (indicator_id, org_code, period, breakdown_key)
);
-- A series in time order: one indicator for some organisations.
CREATE INDEX observations_series ON observations (indicator_id, org_code, breakdown_key, period_start, period_months);
-- Everything held for an organisation.
CREATE INDEX observations_org ON observations (org_code, breakdown_key, period_start);
CREATE INDEX observations_import ON observations (import_id);

CREATE TABLE priorities (
    id            TEXT PRIMARY KEY,
    area          TEXT NOT NULL DEFAULT '',
    name          TEXT NOT NULL,
    standard_type TEXT NOT NULL,
    metric        TEXT NOT NULL DEFAULT '',
    indicator_id  TEXT REFERENCES indicators (id), -- NULL while Accord does not measure it
    comparator    TEXT NOT NULL,
    standard      REAL NOT NULL,
    unit          TEXT NOT NULL DEFAULT '',
    deadline      TEXT,                            -- NULL for a standing standard
    source        TEXT NOT NULL,
    set_by        TEXT NOT NULL DEFAULT '',
    confidence    TEXT NOT NULL
);
CREATE INDEX priorities_indicator ON priorities (indicator_id);

-- AUTOINCREMENT so that a deleted target's id is never given to another:
-- ids appear in links, reports and the audit log.
CREATE TABLE targets (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    org_code            TEXT NOT NULL REFERENCES organisations (code),
    indicator_id        TEXT NOT NULL REFERENCES indicators (id),
    priority_id         TEXT REFERENCES priorities (id),
    local_tag           TEXT NOT NULL DEFAULT '',
    title               TEXT NOT NULL,
    comparator          TEXT NOT NULL,
    value               REAL NOT NULL,
    baseline_period     TEXT,
    baseline_value      REAL,
    deadline            TEXT NOT NULL,
    local_circumstances TEXT NOT NULL DEFAULT '',
    rationale           TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    version             INTEGER NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX targets_org ON targets (org_code);
CREATE INDEX targets_indicator ON targets (indicator_id);
CREATE INDEX targets_priority ON targets (priority_id);

CREATE TABLE target_milestones (
    target_id    INTEGER NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,              -- trajectory order
    period       TEXT NOT NULL,
    period_start TEXT NOT NULL,
    value        REAL NOT NULL,
    PRIMARY KEY (target_id, seq)
);
