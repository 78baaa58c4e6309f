-- Each series (an indicator for an organisation and breakdown) packed into
-- one row, so that assessing every series reads a few thousand rows rather
-- than every observation (docs/benchmarks.md, "Assessing every series").
-- The same tables as the SQLite migration of the same number, in
-- PostgreSQL's types. The observations table stays the record; this is a
-- copy the store keeps in step with it and can always rebuild.
--
-- packed is the series' values in period order as the store encodes them
-- (store/observation.go: packSeries), little-endian binary, so floating
-- point values come back to the bit.
CREATE TABLE series_values (
    indicator_id  TEXT NOT NULL,
    org_code      TEXT NOT NULL,
    breakdown_key TEXT NOT NULL,
    points        INTEGER NOT NULL,
    packed        BYTEA NOT NULL,
    PRIMARY KEY (indicator_id, org_code, breakdown_key)
);

-- The series whose packed copy is out of date or missing, marked by the
-- triggers below in the same transaction as any change to its
-- observations. Not unique: two writers marking the same series at once
-- would otherwise wait on each other's mark, and could deadlock.
CREATE TABLE series_stale (
    indicator_id  TEXT NOT NULL,
    org_code      TEXT NOT NULL,
    breakdown_key TEXT NOT NULL
);
CREATE INDEX series_stale_series ON series_stale (indicator_id, org_code, breakdown_key);

-- Every statement that changes observations takes the series lock shared,
-- until its transaction ends. The store repacks only while holding it
-- alone, so it never packs from a table another transaction is part-way
-- through changing, and a mark made after it began is never cleared by it.
CREATE FUNCTION observations_series_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtext('accord series ' || current_schema()));
    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
        INSERT INTO series_stale (indicator_id, org_code, breakdown_key)
        SELECT DISTINCT n.indicator_id, n.org_code, n.breakdown_key FROM new_rows n
        WHERE NOT EXISTS (SELECT 1 FROM series_stale s WHERE s.indicator_id = n.indicator_id
                          AND s.org_code = n.org_code AND s.breakdown_key = n.breakdown_key);
    END IF;
    IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
        INSERT INTO series_stale (indicator_id, org_code, breakdown_key)
        SELECT DISTINCT o.indicator_id, o.org_code, o.breakdown_key FROM old_rows o
        WHERE NOT EXISTS (SELECT 1 FROM series_stale s WHERE s.indicator_id = o.indicator_id
                          AND s.org_code = o.org_code AND s.breakdown_key = o.breakdown_key);
    END IF;
    RETURN NULL;
END;
$$;

-- Statement triggers, one per kind of change (a trigger with transition
-- tables takes one event): an import writes a hundred rows a statement.
CREATE TRIGGER observations_series_insert AFTER INSERT ON observations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION observations_series_stale();
CREATE TRIGGER observations_series_delete AFTER DELETE ON observations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION observations_series_stale();
CREATE TRIGGER observations_series_update AFTER UPDATE ON observations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION observations_series_stale();

-- TRUNCATE has no transition table; nothing is left to pack.
CREATE FUNCTION observations_series_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtext('accord series ' || current_schema()));
    DELETE FROM series_values;
    DELETE FROM series_stale;
    RETURN NULL;
END;
$$;
CREATE TRIGGER observations_series_truncate AFTER TRUNCATE ON observations
    FOR EACH STATEMENT EXECUTE FUNCTION observations_series_truncate();

-- Series held before this migration are packed when first read.
INSERT INTO series_stale (indicator_id, org_code, breakdown_key)
SELECT DISTINCT indicator_id, org_code, breakdown_key FROM observations;
