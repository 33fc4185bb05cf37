-- Household files uploaded in the web, kept between the preview (dry run) and the confirmation.
CREATE TABLE household_uploads (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB REFERENCES users (id),
    unit_id BLOB NOT NULL REFERENCES units (id),
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
);
