-- h17c (issue 17): notifications to officers and team members, their preferences, and the
-- households' consent to be contacted as a ledger of events.

-- Where a person is reached: an e-mail address (lower-cased) and a phone (84… form).
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;

-- How a person wants to be told (no row: the defaults, e-mail at once, quiet 21:00–06:00).
-- `channels` is a comma list of zns, sms, email; quiet hours are minutes after midnight,
-- Vietnam time; each mode is immediate, digest or off.
CREATE TABLE comm_preferences (
    user_id BLOB PRIMARY KEY NOT NULL REFERENCES users (id),
    channels TEXT NOT NULL,
    quiet_start BIGINT NOT NULL,
    quiet_end BIGINT NOT NULL,
    fault_mode TEXT NOT NULL,
    alarm_mode TEXT NOT NULL,
    follow_up_mode TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- What waits for a person's daily digest; `digest_id` is set when a digest gathered it.
CREATE TABLE comm_digest_items (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    unit_id BLOB NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    source_id BLOB,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    digest_id BLOB
);
CREATE INDEX comm_digest_items_pending ON comm_digest_items (digest_id, user_id);

-- A daily job's run: the unique key is claimed in the transaction that does the work, so on
-- several nodes the job runs once a day.
CREATE TABLE comm_job_runs (
    job TEXT NOT NULL,
    day TEXT NOT NULL,
    node TEXT NOT NULL,
    started_at TEXT NOT NULL,
    items BIGINT NOT NULL,
    PRIMARY KEY (job, day)
);

-- Consent to be contacted, household by household: every giving and withdrawal kept.
-- households.consent_on / consent_purpose stay the current state, written in the same
-- transaction. `purposes` is a comma list of codes (announcements, programme).
CREATE TABLE household_consents (
    id BLOB PRIMARY KEY NOT NULL,
    household_id BLOB NOT NULL REFERENCES households (id),
    unit_id BLOB NOT NULL REFERENCES units (id),
    event TEXT NOT NULL,
    on_date TEXT NOT NULL,
    purposes TEXT NOT NULL,
    purpose TEXT NOT NULL,
    method TEXT NOT NULL,
    actor_label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX household_consents_household ON household_consents (household_id, created_at);

-- The register's consents so far become the first event of each household (its own id is
-- free in this table); they were given for contact of every kind, on the register's forms.
INSERT INTO household_consents (id, household_id, unit_id, event, on_date, purposes, purpose,
    method, actor_label, created_at)
SELECT id, id, unit_id, 'given', consent_on, 'announcements,programme', consent_purpose,
    'register', 'register', updated_at
FROM households WHERE consent_on IS NOT NULL;
