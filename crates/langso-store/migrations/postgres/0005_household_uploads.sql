-- Household files uploaded in the web, kept between the preview (dry run) and the confirmation.
CREATE TABLE household_uploads (
    id UUID PRIMARY KEY NOT NULL,
    user_id UUID REFERENCES users (id),
    unit_id UUID NOT NULL REFERENCES units (id),
    file_name TEXT NOT NULL,
    content BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
