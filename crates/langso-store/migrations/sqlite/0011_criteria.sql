-- Smart-village criteria: versioned sets per province and period (data, never code), evidence
-- for manual criteria, and recognition of villages as a ledger of status events.
CREATE TABLE criteria_sets (
    id BLOB PRIMARY KEY NOT NULL,
    province_id BLOB NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    criteria TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (province_id, name, version)
);
CREATE INDEX criteria_sets_province ON criteria_sets (province_id, valid_from);

-- A file proving a manual criterion for one village; counts once approved.
CREATE TABLE criterion_evidence (
    id BLOB PRIMARY KEY NOT NULL,
    set_id BLOB NOT NULL REFERENCES criteria_sets (id),
    criterion TEXT NOT NULL,
    unit_id BLOB NOT NULL REFERENCES units (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    approved_by TEXT,
    approved_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX criterion_evidence_unit ON criterion_evidence (unit_id, set_id, criterion);

-- Recognition ledger: proposed (by the commune), recognised (by the province, with decision),
-- revoked. A village's status on a day is its latest event effective on or before that day.
CREATE TABLE recognition_events (
    id BLOB PRIMARY KEY NOT NULL,
    unit_id BLOB NOT NULL REFERENCES units (id),
    set_id BLOB REFERENCES criteria_sets (id),
    status TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    decision_number TEXT,
    actor_label TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX recognition_events_unit ON recognition_events (unit_id, effective_on);
