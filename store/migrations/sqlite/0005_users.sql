-- Local accounts, the roles they hold for organisations, and their API
-- tokens. Emails are unique whatever their case: email_lower, set by the
-- store, carries the unique index (SQLite's lower() and NOCASE fold ASCII
-- only). Only hashes are kept: argon2id for passwords ('' for an account
-- without one), SHA-256 for tokens.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL,
    email_lower   TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL
);

CREATE TABLE user_grants (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organisations (code),
    UNIQUE (user_id, role, org_code)
);
CREATE INDEX user_grants_org_code ON user_grants (org_code);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    label      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    revoked_at TEXT                                -- NULL: still good
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);
