-- Fault reports from residents (public form, Open311) and the work orders they become.
CREATE TABLE work_orders (
    id BLOB PRIMARY KEY NOT NULL,
    token TEXT NOT NULL UNIQUE,
    service_code TEXT NOT NULL,
    asset_id BLOB REFERENCES assets (id),
    unit_id BLOB REFERENCES units (id),
    latitude REAL,
    longitude REAL,
    address TEXT NOT NULL,
    description TEXT NOT NULL,
    media_url TEXT,
    reporter TEXT NOT NULL,
    status TEXT NOT NULL,
    assignee TEXT NOT NULL,
    due_at TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX work_orders_unit ON work_orders (unit_id, status);
CREATE INDEX work_orders_requested ON work_orders (requested_at);
CREATE INDEX assets_position ON assets (latitude, longitude);

-- Every step of a work order: who moved it, when, and why.
CREATE TABLE work_order_history (
    id BLOB PRIMARY KEY NOT NULL,
    work_order_id BLOB NOT NULL REFERENCES work_orders (id),
    at TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX work_order_history_order ON work_order_history (work_order_id, at);
