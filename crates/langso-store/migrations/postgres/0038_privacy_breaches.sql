-- The breach register (Law 91/2025/QH15: a breach is notified within 72 hours of discovery):
-- what happened, when, where, to how many people and which kinds of data, the measures taken,
-- and the follow-up. An access anomaly opens a DRAFT incident for one account and one Vietnam
-- day; the unique index keeps it to one whatever the number of nodes running the check
-- (NULLs are distinct, so incidents recorded by hand never collide).
CREATE TABLE privacy_breaches (
    id UUID PRIMARY KEY NOT NULL,
    unit_id UUID NOT NULL REFERENCES units (id),
    status TEXT NOT NULL,
    what TEXT NOT NULL,
    occurred_at TIMESTAMPTZ,
    discovered_at TIMESTAMPTZ NOT NULL,
    units_affected TEXT NOT NULL,
    people BIGINT NOT NULL,
    data_kinds TEXT NOT NULL,
    measures TEXT NOT NULL,
    notified_on DATE,
    actions TEXT NOT NULL,
    anomaly_user_id UUID REFERENCES users (id),
    anomaly_day DATE,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX privacy_breaches_anomaly ON privacy_breaches (anomaly_user_id, anomaly_day);
CREATE INDEX privacy_breaches_unit ON privacy_breaches (unit_id, discovered_at);

-- Thresholds of the access-anomaly check, set by an administrator of the top of the tree
-- (`anomaly_factor`: times the 30-day daily average; `anomaly_people`: people in a day). A
-- missing row means the shipped default.
CREATE TABLE privacy_settings (
    name TEXT PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);

-- The anomaly check reads one account's unmasked views and exports over 31 days.
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);
