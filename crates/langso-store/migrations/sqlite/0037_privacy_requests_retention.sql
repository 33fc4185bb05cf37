-- h21b (issue 21): data-subject requests with deadlines in working days, the holiday
-- calendar, retention rules and their runs, and the erasure ledger.

-- How many working days each kind of request has, counted from the day after receipt.
-- Shipped values are conservative readings of Decree 356/2025/ND-CP, `confirmed` false until a
-- legal review sets them.
CREATE TABLE privacy_request_deadlines (
    kind TEXT PRIMARY KEY NOT NULL,
    working_days BIGINT NOT NULL,
    confirmed BOOLEAN NOT NULL,
    updated_by TEXT NOT NULL
);
INSERT INTO privacy_request_deadlines (kind, working_days, confirmed, updated_by) VALUES
    ('access', 10, 0, ''), ('correction', 10, 0, ''), ('erasure', 10, 0, ''),
    ('withdrawal', 2, 0, ''), ('objection', 2, 0, '');

-- Public holidays on the same date every year (Labour Code 2019, art. 112). A fixed holiday
-- on a Saturday or Sunday gives the next working day off (art. 111).
CREATE TABLE privacy_fixed_holidays (
    month BIGINT NOT NULL,
    day BIGINT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (month, day)
);
INSERT INTO privacy_fixed_holidays (month, day, name) VALUES
    (1, 1, 'Tết Dương lịch'), (4, 30, 'Ngày Chiến thắng'), (5, 1, 'Ngày Quốc tế lao động'),
    (9, 2, 'Quốc khánh');

-- Days off announced each year: Tết, the Hùng Kings' day (lunar calendar), the day next to
-- 2/9, swapped days; entered by an administrator.
CREATE TABLE privacy_holidays (
    day TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- The register of data subjects' requests.
CREATE TABLE privacy_requests (
    id BLOB PRIMARY KEY NOT NULL,
    household_id BLOB NOT NULL REFERENCES households (id),
    unit_id BLOB NOT NULL REFERENCES units (id),
    person TEXT NOT NULL,
    kind TEXT NOT NULL,
    received_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    officer_id BLOB REFERENCES users (id),
    officer_label TEXT NOT NULL,
    details TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    answer TEXT NOT NULL,
    answered_on TEXT,
    executed_at TEXT,
    overdue_notified_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX privacy_requests_open ON privacy_requests (status, due_on);
CREATE INDEX privacy_requests_unit ON privacy_requests (unit_id, received_on);

-- Households erased, by id only (no personal data), so an erasure can be re-applied after a
-- restore from an older backup.
CREATE TABLE privacy_erasures (
    household_id BLOB PRIMARY KEY NOT NULL,
    request_id BLOB,
    erased_at TEXT NOT NULL
);

-- How long each kind of personal data is kept, and what happens after: anonymise or delete.
CREATE TABLE privacy_retention_rules (
    kind TEXT PRIMARY KEY NOT NULL,
    days BIGINT NOT NULL,
    action TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
INSERT INTO privacy_retention_rules (kind, days, action, updated_by) VALUES
    ('visit_notes', 1825, 'anonymise', ''),
    ('fault_reporters', 730, 'anonymise', ''),
    ('fault_followers', 730, 'delete', ''),
    ('fault_notifications', 365, 'anonymise', ''),
    ('message_addresses', 365, 'anonymise', ''),
    ('qr_scans', 730, 'delete', ''),
    ('login_failures', 90, 'delete', ''),
    ('audit_names', 3650, 'anonymise', '');

-- Each application of the rules (or dry run) with what it counted per rule.
CREATE TABLE privacy_retention_runs (
    id BLOB PRIMARY KEY NOT NULL,
    started_at TEXT NOT NULL,
    node TEXT NOT NULL,
    actor_label TEXT NOT NULL,
    dry BOOLEAN NOT NULL,
    items BIGINT NOT NULL
);
CREATE TABLE privacy_retention_counts (
    run_id BLOB NOT NULL REFERENCES privacy_retention_runs (id),
    kind TEXT NOT NULL,
    action TEXT NOT NULL,
    cutoff TEXT NOT NULL,
    items BIGINT NOT NULL,
    PRIMARY KEY (run_id, kind)
);
