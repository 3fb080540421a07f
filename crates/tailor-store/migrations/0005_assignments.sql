-- Users assigned to a case outside its board (an outside pathologist, a pharmacist asked
-- for an opinion): they see that case, and only that one, as a board member would.
CREATE TABLE case_assignments (
    case_id     TEXT NOT NULL REFERENCES cases (id),
    username    TEXT NOT NULL REFERENCES users (username),
    assigned_by TEXT NOT NULL,
    assigned_ms BIGINT NOT NULL,
    PRIMARY KEY (case_id, username)
);

CREATE INDEX case_assignments_by_user ON case_assignments (username);
