-- Users, boards, API tokens and the audit trail.
--
-- One dialect for SQLite and PostgreSQL: TEXT, BIGINT and BYTEA only (SQLite stores a
-- blob in a BYTEA column as it is), natural or application-made keys (no AUTOINCREMENT /
-- SERIAL), times as Unix milliseconds.

CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_ms    BIGINT NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE boards (
    name       TEXT PRIMARY KEY,
    created_ms BIGINT NOT NULL
);

CREATE TABLE board_members (
    board    TEXT NOT NULL REFERENCES boards (name),
    username TEXT NOT NULL REFERENCES users (username),
    PRIMARY KEY (board, username)
);

-- Only a SHA-256 of each token is kept; the token itself is shown once.
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    username   TEXT NOT NULL REFERENCES users (username),
    label      TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

-- Append-only, hash-chained: each row's hash is an HMAC (key outside the database) of its
-- fields and the previous row's hash; audit_head holds the last sequence number and
-- hash, with its own HMAC, so that rows cut off the end are found too.
CREATE TABLE audit_events (
    seq       BIGINT PRIMARY KEY,
    at_ms     BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    resource  TEXT NOT NULL,
    case_id   TEXT,
    client    TEXT NOT NULL,
    outcome   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL,
    mac  TEXT NOT NULL
);
