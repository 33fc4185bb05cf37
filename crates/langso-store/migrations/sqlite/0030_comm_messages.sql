-- One message to one recipient on one channel (Zalo ZNS, SMS, e-mail): what a channel adapter
-- delivers and what the pages show as per-recipient status. Announcements, notifications to
-- officers and fault reporters, and alerts to whoever runs the installation all become rows
-- here, written in the transaction of the change they tell of; the delivery worker claims due
-- rows under a lease (as the webhook outbox does), records every attempt, and never sends a
-- row again once the provider confirmed it.
CREATE TABLE comm_messages (
    id BLOB PRIMARY KEY NOT NULL,
    unit_id BLOB NOT NULL REFERENCES units (id),
    source TEXT NOT NULL,
    source_id BLOB,
    channel TEXT NOT NULL,
    recipient_kind TEXT NOT NULL,
    recipient_id BLOB,
    recipient_label TEXT NOT NULL,
    address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    html TEXT,
    template_id TEXT,
    template_data TEXT,
    idempotency_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    provider_ref TEXT,
    reason TEXT,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT,
    claimed_until BIGINT,
    sent_at TEXT,
    delivered_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX comm_messages_due ON comm_messages (status, next_attempt_at);
CREATE INDEX comm_messages_source ON comm_messages (source, source_id);
CREATE INDEX comm_messages_recipient ON comm_messages (recipient_kind, recipient_id);

-- Every attempt to hand a message to its provider, kept: the provider's code and reason.
CREATE TABLE comm_message_attempts (
    id BLOB PRIMARY KEY NOT NULL,
    message_id BLOB NOT NULL REFERENCES comm_messages (id),
    at TEXT NOT NULL,
    worker TEXT NOT NULL,
    outcome TEXT NOT NULL,
    provider_code TEXT,
    error TEXT,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX comm_message_attempts_message ON comm_message_attempts (message_id, at);
