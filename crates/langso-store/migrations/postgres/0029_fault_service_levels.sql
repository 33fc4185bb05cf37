-- Service levels of fault reports, as data: per category (service code) and per province (a
-- NULL province is the default for every province without its own row), the hours within which
-- an officer must respond (move the order out of "new") and the hours within which it must be
-- fixed. They replace the due times that were coded per asset kind.
CREATE TABLE fault_service_levels (
    id UUID PRIMARY KEY NOT NULL,
    province_id UUID REFERENCES units (id),
    service_code TEXT NOT NULL,
    response_hours BIGINT NOT NULL,
    repair_hours BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX fault_service_levels_key ON fault_service_levels (province_id, service_code);
INSERT INTO fault_service_levels (id, province_id, service_code, response_hours, repair_hours, updated_at) VALUES
    ('0193a000-0000-7000-8000-0000000000a1', NULL, 'camera', 8, 48, '2026-12-06T00:00:00Z'),
    ('0193a000-0000-7000-8000-0000000000a2', NULL, 'wifi', 8, 24, '2026-12-06T00:00:00Z'),
    ('0193a000-0000-7000-8000-0000000000a3', NULL, 'solar_light', 24, 72, '2026-12-06T00:00:00Z'),
    ('0193a000-0000-7000-8000-0000000000a4', NULL, 'grid_light', 24, 72, '2026-12-06T00:00:00Z'),
    ('0193a000-0000-7000-8000-0000000000a5', NULL, 'loudspeaker', 24, 96, '2026-12-06T00:00:00Z'),
    ('0193a000-0000-7000-8000-0000000000a6', NULL, 'billboard', 48, 168, '2026-12-06T00:00:00Z'),
    ('0193a000-0000-7000-8000-0000000000a7', NULL, 'other', 48, 168, '2026-12-06T00:00:00Z');

-- A work order's response due time, and when it was first fixed (or closed): an order is
-- overdue when it is still new past `respond_by` or still open past `due_at`; it was on time
-- when `fixed_at <= due_at`.
ALTER TABLE work_orders ADD COLUMN respond_by TIMESTAMPTZ;
ALTER TABLE work_orders ADD COLUMN fixed_at TIMESTAMPTZ;
UPDATE work_orders SET fixed_at = (
    SELECT MIN(h.at) FROM work_order_history h
    WHERE h.work_order_id = work_orders.id AND h.to_status IN ('fixed', 'closed')
);
CREATE INDEX work_orders_due ON work_orders (status, due_at);

-- Updates to a person about something they reported or follow, waiting for a delivery channel
-- (SMS, Zalo, e-mail: the messaging work supplies them). Written in the transaction of the
-- change they tell of; the status page and its Atom feed show the same change at once.
CREATE TABLE comm_notifications (
    id UUID PRIMARY KEY NOT NULL,
    work_order_id UUID NOT NULL REFERENCES work_orders (id),
    recipient TEXT NOT NULL,
    follower_id UUID,
    contact TEXT NOT NULL,
    channel TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    delivered_at TIMESTAMPTZ
);
CREATE INDEX comm_notifications_pending ON comm_notifications (status, created_at);
CREATE INDEX comm_notifications_order ON comm_notifications (work_order_id);
