-- Asset register files uploaded in the web, kept between the preview (dry run) and the
-- confirmation; and the photos residents attach to fault reports (checked JPEG/PNG/WebP,
-- at most 5 MB), kept with the work order so a backup of the database keeps them too.
CREATE TABLE asset_uploads (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB REFERENCES users (id),
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE work_order_photos (
    work_order_id BLOB PRIMARY KEY NOT NULL REFERENCES work_orders (id),
    content_type TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
);
