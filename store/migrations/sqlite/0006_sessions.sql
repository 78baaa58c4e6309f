-- Sign-in state shared by every web server, so the web tier keeps none of
-- its own. A session is known only by the SHA-256 of its cookie value: a
-- copy of this table cannot be replayed as cookies. Deleting a user's
-- sessions, or disabling the user, ends their sign-in everywhere.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,                 -- hex SHA-256 of the cookie value
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,                    -- absolute limit, never extended
    last_seen_at TEXT NOT NULL                     -- drives the idle timeout
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Every password sign-in attempt, kept so that all servers count failures
-- against the same limits. email_lower is stored whether or not an account
-- has that email, so the limit cannot reveal which accounts exist.
CREATE TABLE sign_in_attempts (
    email_lower  TEXT NOT NULL,
    client_ip    TEXT NOT NULL,
    succeeded    BOOLEAN NOT NULL,
    attempted_at TEXT NOT NULL
);
CREATE INDEX sign_in_attempts_email ON sign_in_attempts (email_lower, attempted_at);
CREATE INDEX sign_in_attempts_ip ON sign_in_attempts (client_ip, attempted_at);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (attempted_at);   -- clearing out old attempts

-- Identities at an OpenID Connect provider that may sign in as a local
-- account. The (issuer, subject) pair is the provider's stable name for a
-- person; emails can change or be reused.
CREATE TABLE oidc_identities (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_identities_user_id ON oidc_identities (user_id);
