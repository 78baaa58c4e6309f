-- The audit log: who did what to which record, and why. Append-only: each
-- entry carries the hash of the one before it, and triggers refuse any
-- change or removal, so tampering takes deliberate effort (dropping a
-- trigger) and then shows when the chain is verified. Ids are assigned by
-- the store as max + 1 under an advisory lock, never reused.
CREATE TABLE audit_log (
    id        BIGINT PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    reason    TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL DEFAULT '',
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;

-- The same names as in SQLite, one trigger per kind of change.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
