-- Communications: village groups and their members, announcements, feeds, the delivery outbox.

-- Instants that are compared or sorted in SQL are BIGINT Unix milliseconds (publish_at,
-- next_attempt_at, claimed_until, published_ms): SQLite stores timestamps as text.

-- A group a team runs (Zalo, Facebook, Telegram…) in a unit.
CREATE TABLE comm_groups (
    id UUID PRIMARY KEY NOT NULL,
    unit_id UUID NOT NULL REFERENCES units (id),
    platform TEXT NOT NULL,
    name TEXT NOT NULL,
    link TEXT NOT NULL,
    admins TEXT NOT NULL,
    members BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX comm_groups_unit ON comm_groups (unit_id);

-- One row per household representative in a group. Holds no personal data of its own: the
-- representative is read from the household, so erasure of the household covers it.
CREATE TABLE comm_group_members (
    group_id UUID NOT NULL REFERENCES comm_groups (id),
    household_id UUID NOT NULL REFERENCES households (id),
    added_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (group_id, household_id)
);
CREATE INDEX comm_group_members_household ON comm_group_members (household_id);

-- An announcement to a unit's subtree, optionally narrowed to households lacking an indicator.
CREATE TABLE announcements (
    id UUID PRIMARY KEY NOT NULL,
    unit_id UUID NOT NULL REFERENCES units (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL,
    link TEXT,
    indicator TEXT,
    status TEXT NOT NULL,
    publish_at BIGINT NOT NULL,
    short_code TEXT NOT NULL UNIQUE,
    created_by UUID REFERENCES users (id),
    created_label TEXT NOT NULL,
    approved_label TEXT,
    approved_at TIMESTAMPTZ,
    published_at TIMESTAMPTZ,
    villages BIGINT NOT NULL,
    households BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX announcements_unit ON announcements (unit_id, created_at);
CREATE INDEX announcements_due ON announcements (status, publish_at);

-- The feed items: one row per village an announcement reached, written when it is published.
CREATE TABLE announcement_villages (
    announcement_id UUID NOT NULL REFERENCES announcements (id),
    village_id UUID NOT NULL REFERENCES units (id),
    households BIGINT NOT NULL,
    published_ms BIGINT NOT NULL,
    PRIMARY KEY (announcement_id, village_id)
);
CREATE INDEX announcement_villages_feed ON announcement_villages (village_id, published_ms);

-- Opens of an announcement's short link, per Vietnam day: a count, nothing about the reader.
CREATE TABLE announcement_opens (
    announcement_id UUID NOT NULL REFERENCES announcements (id),
    day DATE NOT NULL,
    opens BIGINT NOT NULL,
    PRIMARY KEY (announcement_id, day)
);

-- A webhook adapter (Zalo OA, SMS gateway) that receives the announcements of a unit subtree.
CREATE TABLE webhooks (
    id UUID PRIMARY KEY NOT NULL,
    unit_id UUID NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- The transactional outbox: one row per announcement and channel, written in the publishing
-- transaction; workers claim due rows (FOR UPDATE SKIP LOCKED on PostgreSQL).
CREATE TABLE comm_outbox (
    id UUID PRIMARY KEY NOT NULL,
    announcement_id UUID NOT NULL REFERENCES announcements (id),
    channel TEXT NOT NULL,
    webhook_id UUID REFERENCES webhooks (id),
    idempotency_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT,
    claimed_until BIGINT,
    delivered_at TIMESTAMPTZ,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX comm_outbox_due ON comm_outbox (status, next_attempt_at);
CREATE INDEX comm_outbox_announcement ON comm_outbox (announcement_id);

-- Every delivery attempt, kept.
CREATE TABLE comm_attempts (
    id UUID PRIMARY KEY NOT NULL,
    outbox_id UUID NOT NULL REFERENCES comm_outbox (id),
    at TIMESTAMPTZ NOT NULL,
    worker TEXT NOT NULL,
    status_code BIGINT,
    error TEXT,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX comm_attempts_outbox ON comm_attempts (outbox_id, at);
