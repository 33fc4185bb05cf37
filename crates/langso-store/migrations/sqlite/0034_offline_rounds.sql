-- Offline rounds (issue 18): household versions, the phones holding a copy of a round, the
-- receipts of visits synced from a phone, visits flagged or held for the village head, and
-- household changes proposed in the field.

-- Goes up on every visit and every change of the household: a phone sends the version it saw.
ALTER TABLE households ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- A phone (browser) that holds a member's round; revoked ones are told to wipe their copy.
CREATE TABLE offline_devices (
    id BLOB NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_pack_at TEXT,
    last_sync_at TEXT,
    revoked_at TEXT,
    revoked_by BLOB REFERENCES users (id),
    PRIMARY KEY (id, user_id)
);
CREATE INDEX offline_devices_user ON offline_devices (user_id);

-- How a visit came from a phone: the household version and catalogue version it was made on.
CREATE TABLE offline_visits (
    visit_id BLOB PRIMARY KEY NOT NULL REFERENCES visits (id),
    device_id BLOB,
    household_version BIGINT NOT NULL,
    catalogue_version TEXT NOT NULL,
    received_at TEXT NOT NULL
);

-- A visit written on a household that changed after the phone saw it: for the village head.
CREATE TABLE visit_reviews (
    visit_id BLOB PRIMARY KEY NOT NULL REFERENCES visits (id),
    household_id BLOB NOT NULL REFERENCES households (id),
    unit_id BLOB NOT NULL REFERENCES units (id),
    seen_version BIGINT NOT NULL,
    found_version BIGINT NOT NULL,
    flagged_at TEXT NOT NULL,
    reviewed_at TEXT,
    reviewed_by BLOB REFERENCES users (id)
);
CREATE INDEX visit_reviews_unit ON visit_reviews (unit_id, reviewed_at);

-- A synced visit not written: its member lost the right or the device was revoked meanwhile.
-- The village head accepts (the visit is then written) or discards it.
CREATE TABLE held_visits (
    id BLOB PRIMARY KEY NOT NULL,
    household_id BLOB NOT NULL REFERENCES households (id),
    unit_id BLOB NOT NULL REFERENCES units (id),
    member_id BLOB REFERENCES users (id),
    member_label TEXT NOT NULL,
    device_id BLOB,
    reason TEXT NOT NULL,
    body TEXT NOT NULL,
    held_at TEXT NOT NULL,
    decision TEXT,
    decided_at TEXT,
    decided_by BLOB REFERENCES users (id)
);
CREATE INDEX held_visits_unit ON held_visits (unit_id, decided_at);

-- A household change recorded in the field (new, split, move, death), confirmed or rejected by
-- the village head; confirming applies it through the register's own functions.
CREATE TABLE household_proposals (
    id BLOB PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    household_id BLOB REFERENCES households (id),
    unit_id BLOB NOT NULL REFERENCES units (id),
    member_id BLOB REFERENCES users (id),
    member_label TEXT NOT NULL,
    recorded_on TEXT NOT NULL,
    data TEXT NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL,
    decided_at TEXT,
    decided_by BLOB REFERENCES users (id)
);
CREATE INDEX household_proposals_unit ON household_proposals (unit_id, status);
