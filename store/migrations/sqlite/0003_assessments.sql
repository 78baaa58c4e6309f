-- What the statistics say of each series (an indicator for an organisation
-- and breakdown): recomputed for the series an import touched. And each
-- ICB's nearest peers by population, age, deprivation and rurality.
CREATE TABLE assessments (
    indicator_id      TEXT NOT NULL REFERENCES indicators (id),
    org_code          TEXT NOT NULL REFERENCES organisations (code),
    breakdown_key     TEXT NOT NULL DEFAULT '',
    points            INTEGER NOT NULL,
    first_period      TEXT NOT NULL,
    latest_period     TEXT NOT NULL,
    latest_value      REAL NOT NULL,
    lower_ci          REAL,
    upper_ci          REAL,
    variation_icon    TEXT NOT NULL DEFAULT '',
    assurance_icon    TEXT NOT NULL DEFAULT '',
    latest_point_type TEXT NOT NULL DEFAULT '',
    england_value     REAL,
    vs_england        TEXT NOT NULL DEFAULT '',
    peer_mean         REAL,
    vs_peers          TEXT NOT NULL DEFAULT '',
    peer_rank         INTEGER NOT NULL DEFAULT 0,
    peer_count        INTEGER NOT NULL DEFAULT 0,
    trajectory        TEXT NOT NULL DEFAULT '',
    target_id         BIGINT,
    computed_at       TEXT NOT NULL,
    PRIMARY KEY (indicator_id, org_code, breakdown_key)
);
CREATE INDEX assessments_org ON assessments (org_code, breakdown_key);

CREATE TABLE peer_groups (
    org_code  TEXT NOT NULL REFERENCES organisations (code),
    rank      INTEGER NOT NULL,
    peer_code TEXT NOT NULL REFERENCES organisations (code),
    distance  REAL NOT NULL,
    PRIMARY KEY (org_code, rank)
);
