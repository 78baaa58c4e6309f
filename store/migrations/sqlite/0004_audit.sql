-- The audit log: who did what to which record, and why. Append-only: each
-- entry carries the hash of the one before it, and triggers refuse any
-- change or removal, so tampering takes deliberate effort (dropping a
-- trigger) and then shows when the chain is verified. Ids are assigned by
-- the store as max + 1 under the one writer, never reused.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    reason    TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL DEFAULT '',
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
