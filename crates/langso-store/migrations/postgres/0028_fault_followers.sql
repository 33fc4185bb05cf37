-- h16a (issue 16): residents who say "this is my problem too", reports an officer merged into
-- another as duplicates, and the text or photo of a report hidden from the public.

-- Who follows a report: a resident who found it on the form, or the reporter of a duplicate.
-- `contact` is as given (may be empty: then the status page is how they follow it).
CREATE TABLE work_order_followers (
    id UUID PRIMARY KEY NOT NULL,
    work_order_id UUID NOT NULL REFERENCES work_orders (id),
    contact TEXT NOT NULL,
    from_order_id UUID REFERENCES work_orders (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX work_order_followers_order ON work_order_followers (work_order_id);

-- A report an officer marked as a duplicate of another (the original keeps the work).
CREATE TABLE work_order_duplicates (
    work_order_id UUID PRIMARY KEY NOT NULL REFERENCES work_orders (id),
    original_id UUID NOT NULL REFERENCES work_orders (id),
    marked_by TEXT NOT NULL,
    marked_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX work_order_duplicates_original ON work_order_duplicates (original_id);

-- What of a report the public may not see, and why (abusive, personal, false); NULL: shown.
CREATE TABLE work_order_moderation (
    work_order_id UUID PRIMARY KEY NOT NULL REFERENCES work_orders (id),
    text_reason TEXT,
    photo_reason TEXT,
    note TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
