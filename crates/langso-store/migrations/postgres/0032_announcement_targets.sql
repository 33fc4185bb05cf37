-- Announcements aimed at what the composer picked from a list (communes, villages, village
-- groups), on the channels it chose, with the Zalo-group posts officers made by hand and the
-- commune radio's schedule and bulletins.

-- What an announcement is aimed at: `unit` (a commune or a village: everything under it) or
-- `group` (the members of a village group). None: its unit's whole subtree, as before.
CREATE TABLE announcement_targets (
    announcement_id UUID NOT NULL REFERENCES announcements (id),
    target_kind TEXT NOT NULL,
    target_id UUID NOT NULL,
    PRIMARY KEY (announcement_id, target_kind, target_id)
);

-- The channels chosen: feed, webhook, zns, sms, email, zalo (the group copy), radio. None: feed
-- and webhooks, as before.
CREATE TABLE announcement_channels (
    announcement_id UUID NOT NULL REFERENCES announcements (id),
    channel TEXT NOT NULL,
    PRIMARY KEY (announcement_id, channel)
);

-- An officer posted the announcement's copy in a Zalo group (Zalo's API cannot): a mark, which
-- changes nothing of the group's membership or coverage.
CREATE TABLE announcement_group_posts (
    announcement_id UUID NOT NULL REFERENCES announcements (id),
    group_id UUID NOT NULL REFERENCES comm_groups (id),
    posted_at TIMESTAMPTZ NOT NULL,
    posted_label TEXT NOT NULL,
    PRIMARY KEY (announcement_id, group_id)
);

-- The commune radio's broadcast times: a weekday (1 = Monday) and a minute of the day in
-- Vietnam time.
CREATE TABLE radio_slots (
    id UUID PRIMARY KEY NOT NULL,
    commune_id UUID NOT NULL REFERENCES units (id),
    weekday BIGINT NOT NULL,
    minute BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (commune_id, weekday, minute)
);

-- One reading of an announcement on a commune's radio, at a slot's time (Unix ms), with its
-- priority (emergency is read first).
CREATE TABLE radio_broadcasts (
    id UUID PRIMARY KEY NOT NULL,
    announcement_id UUID NOT NULL REFERENCES announcements (id),
    commune_id UUID NOT NULL REFERENCES units (id),
    priority TEXT NOT NULL,
    priority_rank BIGINT NOT NULL,
    starts_at BIGINT NOT NULL,
    created_label TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (announcement_id, commune_id, starts_at)
);
CREATE INDEX radio_broadcasts_schedule ON radio_broadcasts (commune_id, starts_at, priority_rank);

-- The public address its author's site was reached at when written, so the messages written
-- at publication (perhaps by the background worker, which has no request) carry full links.
ALTER TABLE announcements ADD COLUMN public_url TEXT NOT NULL DEFAULT '';
