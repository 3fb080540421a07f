-- The patient's consent per case: which uses of the data the patient agreed to
-- (research use, secondary germline findings, data sharing). Sealed JSON, bound to the
-- case, so an edit made in the database is detected rather than obeyed. NULL (cases
-- created before consent was recorded) means no scope was consented.
ALTER TABLE cases ADD COLUMN consent BYTEA;
