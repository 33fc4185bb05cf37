-- Credentials die with the access they came from (issue 13).

-- One number bumped in the same transaction as every change that can kill a credential
-- (an account disabled, a token revoked, a role revoked): the telemetry writer reads it once
-- per group commit, so the device-token cache of every node learns at once that it must check
-- its tokens again, without a database read per heartbeat.
CREATE TABLE credential_generation (
    id INTEGER PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);
INSERT INTO credential_generation (id, value) VALUES (1, 0);

-- Four eyes compare user ids, not labels (a token's label differs from its creator's).
ALTER TABLE criterion_evidence ADD COLUMN uploaded_by_id BLOB;

-- Login throttling is keyed on (login, client address) together.
CREATE INDEX login_failures_pair ON login_failures (login, address, at);
