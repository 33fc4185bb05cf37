-- Offline rounds (issue 18): household versions, the phones holding a copy of a round, the
-- receipts of visits synced from a phone, visits flagged or held for the village head, and
-- household changes proposed in the field.

-- Goes up on every visit and every change of the household: a phone sends the version it saw.
ALTER TABLE households ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- A phone (browser) that holds a member's round; revoked ones are told to wipe their copy.
CREATE TABLE offline_devices (
    id UUID NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_pack_at TIMESTAMPTZ,
    last_sync_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    revoked_by UUID REFERENCES users (id),
    PRIMARY KEY (id, user_id)
);
CREATE INDEX offline_devices_user ON offline_devices (user_id);

-- How a visit came from a phone: the household version and catalogue version it was made on.
CREATE TABLE offline_visits (
    visit_id UUID PRIMARY KEY NOT NULL REFERENCES visits (id),
    device_id UUID,
    household_version BIGINT NOT NULL,
    catalogue_version TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL
);

-- A visit written on a household that changed after the phone saw it: for the village head.
CREATE TABLE visit_reviews (
    visit_id UUID PRIMARY KEY NOT NULL REFERENCES visits (id),
    household_id UUID NOT NULL REFERENCES households (id),
    unit_id UUID NOT NULL REFERENCES units (id),
    seen_version BIGINT NOT NULL,
    found_version BIGINT NOT NULL,
    flagged_at TIMESTAMPTZ NOT NULL,
    reviewed_at TIMESTAMPTZ,
    reviewed_by UUID REFERENCES users (id)
);
CREATE INDEX visit_reviews_unit ON visit_reviews (unit_id, reviewed_at);

-- A synced visit not written: its member lost the right or the device was revoked meanwhile.
-- The village head accepts (the visit is then written) or discards it.
CREATE TABLE held_visits (
    id UUID PRIMARY KEY NOT NULL,
    household_id UUID NOT NULL REFERENCES households (id),
    unit_id UUID NOT NULL REFERENCES units (id),
    member_id UUID REFERENCES users (id),
    member_label TEXT NOT NULL,
    device_id UUID,
    reason TEXT NOT NULL,
    body TEXT NOT NULL,
    held_at TIMESTAMPTZ NOT NULL,
    decision TEXT,
    decided_at TIMESTAMPTZ,
    decided_by UUID REFERENCES users (id)
);
CREATE INDEX held_visits_unit ON held_visits (unit_id, decided_at);

-- A household change recorded in the field (new, split, move, death), confirmed or rejected by
-- the village head; confirming applies it through the register's own functions.
CREATE TABLE household_proposals (
    id UUID PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    household_id UUID REFERENCES households (id),
    unit_id UUID NOT NULL REFERENCES units (id),
    member_id UUID REFERENCES users (id),
    member_label TEXT NOT NULL,
    recorded_on DATE NOT NULL,
    data TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL,
    decided_at TIMESTAMPTZ,
    decided_by UUID REFERENCES users (id)
);
CREATE INDEX household_proposals_unit ON household_proposals (unit_id, status);
