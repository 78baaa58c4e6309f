-- Each series (an indicator for an organisation and breakdown) packed into
-- one row, so that assessing every series reads a few thousand rows rather
-- than every observation (docs/benchmarks.md, "Assessing every series").
-- The observations table stays the record; this is a copy the store keeps
-- in step with it and can always rebuild.
--
-- packed is the series' values in period order as the store encodes them
-- (store/observation.go: packSeries), little-endian binary, so floating
-- point values come back to the bit.
CREATE TABLE series_values (
    indicator_id  TEXT NOT NULL,
    org_code      TEXT NOT NULL,
    breakdown_key TEXT NOT NULL,
    points        INTEGER NOT NULL,
    packed        BLOB NOT NULL,
    PRIMARY KEY (indicator_id, org_code, breakdown_key)
);

-- The series whose packed copy is out of date or missing. The triggers
-- below mark a series in the same transaction as any change to its
-- observations, whatever makes it (an import, a revision, a rollback), so a
-- packed copy is only ever read for a series not marked here; the store
-- repacks marked series and clears their marks.
CREATE TABLE series_stale (
    indicator_id  TEXT NOT NULL,
    org_code      TEXT NOT NULL,
    breakdown_key TEXT NOT NULL,
    PRIMARY KEY (indicator_id, org_code, breakdown_key)
) WITHOUT ROWID;

CREATE TRIGGER observations_series_insert AFTER INSERT ON observations
BEGIN
    INSERT INTO series_stale (indicator_id, org_code, breakdown_key)
    VALUES (NEW.indicator_id, NEW.org_code, NEW.breakdown_key) ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER observations_series_delete AFTER DELETE ON observations
BEGIN
    INSERT INTO series_stale (indicator_id, org_code, breakdown_key)
    VALUES (OLD.indicator_id, OLD.org_code, OLD.breakdown_key) ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER observations_series_update AFTER UPDATE ON observations
BEGIN
    INSERT INTO series_stale (indicator_id, org_code, breakdown_key)
    VALUES (OLD.indicator_id, OLD.org_code, OLD.breakdown_key) ON CONFLICT DO NOTHING;
    INSERT INTO series_stale (indicator_id, org_code, breakdown_key)
    VALUES (NEW.indicator_id, NEW.org_code, NEW.breakdown_key) ON CONFLICT DO NOTHING;
END;

-- Series held before this migration are packed when first read.
INSERT INTO series_stale (indicator_id, org_code, breakdown_key)
SELECT DISTINCT indicator_id, org_code, breakdown_key FROM observations;
