-- Cases, their uploaded files, engine jobs and the interpretations each run stored.
--
-- Everything that can identify a patient is sealed (AES-256-GCM, key outside the
-- database): the pseudonym, the manifest (it carries specimen and clinician details and
-- file names), error messages (they name files), the names of uploaded parts, and the
-- interpretations. Uploaded files are sealed blobs under the data directory, named by a
-- keyed hash of their content.

CREATE TABLE cases (
    id         TEXT PRIMARY KEY,
    board      TEXT NOT NULL REFERENCES boards (name),
    created_by TEXT NOT NULL REFERENCES users (username),
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    status     TEXT NOT NULL,
    pseudonym  BYTEA NOT NULL,
    manifest   BYTEA NOT NULL,
    error      BYTEA
);

CREATE INDEX cases_by_board ON cases (board, created_ms);

CREATE TABLE case_files (
    case_id TEXT NOT NULL REFERENCES cases (id),
    part_no BIGINT NOT NULL,
    name    BYTEA NOT NULL,
    blob    TEXT NOT NULL,
    size    BIGINT NOT NULL,
    PRIMARY KEY (case_id, part_no)
);

-- One engine job per run of a case; a restart puts running jobs back in the queue (or
-- fails them after three attempts).
CREATE TABLE jobs (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    state       TEXT NOT NULL,
    attempts    BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL,
    updated_ms  BIGINT NOT NULL
);

CREATE INDEX jobs_by_state ON jobs (state, created_ms);

CREATE TABLE interpretations (
    case_id    TEXT NOT NULL REFERENCES cases (id),
    version    BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    document   BYTEA NOT NULL,
    PRIMARY KEY (case_id, version)
);
