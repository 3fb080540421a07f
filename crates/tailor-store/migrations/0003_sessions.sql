-- Server-side sign-in sessions: the cookie holds a random token, the database only its
-- SHA-256; each session has its own CSRF token, and ends after an idle time.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    username   TEXT NOT NULL REFERENCES users (username),
    csrf       TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    seen_ms    BIGINT NOT NULL
);
