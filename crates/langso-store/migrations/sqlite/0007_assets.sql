-- Assets (cameras, lights, wifi points, loudspeakers, billboards), their telemetry and alarms.
CREATE TABLE assets (
    id BLOB PRIMARY KEY NOT NULL,
    unit_id BLOB NOT NULL REFERENCES units (id),
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    place_type TEXT NOT NULL,
    latitude REAL,
    longitude REAL,
    installed_on TEXT,
    funding TEXT NOT NULL,
    keeper TEXT NOT NULL,
    status TEXT NOT NULL,
    lamp_type TEXT,
    heartbeat_seconds BIGINT NOT NULL,
    notes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX assets_unit ON assets (unit_id, kind);

-- Who paid for a community-funded asset, and how much.
CREATE TABLE asset_contributors (
    asset_id BLOB NOT NULL REFERENCES assets (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    amount_vnd BIGINT NOT NULL,
    PRIMARY KEY (asset_id, position)
);

-- Ledger of lamp replacements (old bulb → solar).
CREATE TABLE lamp_replacements (
    id BLOB PRIMARY KEY NOT NULL,
    asset_id BLOB NOT NULL REFERENCES assets (id),
    replaced_on TEXT NOT NULL,
    old_type TEXT,
    new_type TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX lamp_replacements_asset ON lamp_replacements (asset_id, replaced_on);

-- The latest state of each reporting device: one row, replaced by each reading. There is no
-- raw heartbeat log; `offline_after` is last_seen_at + 2 × the heartbeat interval.
CREATE TABLE device_state (
    asset_id BLOB PRIMARY KEY NOT NULL REFERENCES assets (id),
    online BOOLEAN NOT NULL,
    battery BIGINT,
    lamp_on BOOLEAN,
    fault TEXT,
    clients BIGINT,
    last_seen_at TEXT NOT NULL,
    offline_after TEXT,
    heartbeats BIGINT NOT NULL,
    silent BOOLEAN NOT NULL
);
CREATE INDEX device_state_offline ON device_state (silent, offline_after);

-- Ledger of status changes (ok, down, fault:<code>, silent), not of every heartbeat.
CREATE TABLE device_status_changes (
    id BLOB PRIMARY KEY NOT NULL,
    asset_id BLOB NOT NULL REFERENCES assets (id),
    at TEXT NOT NULL,
    old_status TEXT,
    new_status TEXT NOT NULL
);
CREATE INDEX device_status_changes_asset ON device_status_changes (asset_id, at);

-- Alarms: offline (silent past twice its interval) or a fault code. One open alarm per asset
-- and kind; cleared by the device, acknowledged and resolved by people.
CREATE TABLE alarms (
    id BLOB PRIMARY KEY NOT NULL,
    asset_id BLOB NOT NULL REFERENCES assets (id),
    unit_id BLOB NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    cleared_at TEXT,
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    resolved_at TEXT,
    resolved_by TEXT,
    note TEXT NOT NULL,
    open BOOLEAN NOT NULL
);
CREATE UNIQUE INDEX alarms_one_open ON alarms (asset_id, kind) WHERE open;
CREATE INDEX alarms_unit ON alarms (unit_id, raised_at);
