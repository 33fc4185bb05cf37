-- Procedures (thủ tục hành chính) with versioned guides, QR placements and their scans.
-- Lists (steps, documents, channels) are newline-separated text.
CREATE TABLE procedures (
    id BLOB PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- Ledger of guide versions: a new version never overwrites an old one. The version in force on
-- a day is the one with the latest effective_from on or before it (then the highest version).
CREATE TABLE procedure_versions (
    id BLOB PRIMARY KEY NOT NULL,
    procedure_id BLOB NOT NULL REFERENCES procedures (id),
    version INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    search_key TEXT NOT NULL,
    steps_vi TEXT NOT NULL,
    steps_en TEXT NOT NULL,
    documents_vi TEXT NOT NULL,
    fee_vi TEXT NOT NULL,
    exemptions_vi TEXT,
    processing_time_vi TEXT NOT NULL,
    processing_time_en TEXT NOT NULL,
    channels TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    vneid_service_vi TEXT,
    vneid_service_en TEXT,
    related TEXT,
    note TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (procedure_id, version)
);
CREATE INDEX procedure_versions_effective ON procedure_versions (procedure_id, effective_from);

-- Where a QR poster is put up; `token` is the short public URL /q/{token}.
CREATE TABLE qr_placements (
    id BLOB PRIMARY KEY NOT NULL,
    token TEXT NOT NULL UNIQUE,
    unit_id BLOB NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    latitude REAL,
    longitude REAL,
    active BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX qr_placements_unit ON qr_placements (unit_id);

-- The procedures a placement points to, in poster order.
CREATE TABLE qr_placement_procedures (
    placement_id BLOB NOT NULL REFERENCES qr_placements (id),
    procedure_id BLOB NOT NULL REFERENCES procedures (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (placement_id, procedure_id)
);
CREATE INDEX qr_placement_procedures_procedure ON qr_placement_procedures (procedure_id);

-- One row per scan: the placement and the time, nothing about the person. Written in groups by
-- one writer task; not indexed by time (analytics read the daily roll-up below).
CREATE TABLE qr_scans (
    id BLOB PRIMARY KEY NOT NULL,
    placement_id BLOB NOT NULL REFERENCES qr_placements (id),
    scanned_at TEXT NOT NULL
);

-- Scans per placement per day (Vietnam time), maintained in the same transaction as qr_scans.
CREATE TABLE qr_scan_daily (
    placement_id BLOB NOT NULL REFERENCES qr_placements (id),
    day TEXT NOT NULL,
    scans INTEGER NOT NULL,
    PRIMARY KEY (placement_id, day)
);
CREATE INDEX qr_scan_daily_day ON qr_scan_daily (day);
