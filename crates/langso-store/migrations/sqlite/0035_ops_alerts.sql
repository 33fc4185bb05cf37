-- Alerts to whoever runs the installation: a failed backup, a disk nearly full, the MQTT broker
-- or the database unreachable, the outbox stuck, a certificate about to expire. One row per
-- spell of a condition on one subject (a path, a file, a node): opened, seen again at each check
-- while it lasts, resolved when it clears. The partial unique index keeps one open alert per
-- (condition, subject) whatever the number of nodes checking, so checks never flood it.
CREATE TABLE ops_alerts (
    id BLOB PRIMARY KEY NOT NULL,
    condition TEXT NOT NULL,
    subject TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    resolved_at TEXT,
    figure BIGINT,
    figure_extra BIGINT,
    detail TEXT,
    node TEXT NOT NULL
);
CREATE UNIQUE INDEX ops_alerts_open ON ops_alerts (condition, subject) WHERE resolved_at IS NULL;
CREATE INDEX ops_alerts_opened ON ops_alerts (opened_at);

-- Every backup taken by `langso serve` on schedule or by `langso backup`, kept: whether it
-- succeeded, so the last success is known to every node and to Prometheus.
CREATE TABLE ops_backups (
    id BLOB PRIMARY KEY NOT NULL,
    taken_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    file TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX ops_backups_taken ON ops_backups (succeeded, taken_at);
