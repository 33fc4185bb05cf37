-- Fault reports from residents (public form, Open311) and the work orders they become.
CREATE TABLE work_orders (
    id UUID PRIMARY KEY NOT NULL,
    token TEXT NOT NULL UNIQUE,
    service_code TEXT NOT NULL,
    asset_id UUID REFERENCES assets (id),
    unit_id UUID REFERENCES units (id),
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    address TEXT NOT NULL,
    description TEXT NOT NULL,
    media_url TEXT,
    reporter TEXT NOT NULL,
    status TEXT NOT NULL,
    assignee TEXT NOT NULL,
    due_at TIMESTAMPTZ NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX work_orders_unit ON work_orders (unit_id, status);
CREATE INDEX work_orders_requested ON work_orders (requested_at);
CREATE INDEX assets_position ON assets (latitude, longitude);

-- Every step of a work order: who moved it, when, and why.
CREATE TABLE work_order_history (
    id UUID PRIMARY KEY NOT NULL,
    work_order_id UUID NOT NULL REFERENCES work_orders (id),
    at TIMESTAMPTZ NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX work_order_history_order ON work_order_history (work_order_id, at);
