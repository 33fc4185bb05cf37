-- Accounts, roles on units, sessions, API and device tokens, login throttling, audit log.
CREATE TABLE users (
    id BLOB PRIMARY KEY NOT NULL,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    pii BOOLEAN NOT NULL,
    disabled BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

-- A role held on a unit covers the unit's subtree.
CREATE TABLE role_grants (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    unit_id BLOB NOT NULL REFERENCES units (id),
    created_at TEXT NOT NULL,
    UNIQUE (user_id, role, unit_id)
);
CREATE INDEX role_grants_user ON role_grants (user_id);

-- Web sessions, shared by every node; the cookie holds a random token, the table its SHA-256.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- API tokens for integrations and devices: shown once, stored hashed, scoped to a unit and role.
CREATE TABLE api_tokens (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    unit_id BLOB NOT NULL REFERENCES units (id),
    subject TEXT,
    created_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    last_used_at TEXT
);
CREATE INDEX api_tokens_unit ON api_tokens (unit_id);

-- Failed logins, for throttling per account and per client address.
CREATE TABLE login_failures (
    id BLOB PRIMARY KEY NOT NULL,
    login TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_login ON login_failures (login, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- Every state change: who, what, where, when, and a masked before/after summary.
CREATE TABLE audit_log (
    id BLOB PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    actor_id BLOB,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    unit_id BLOB,
    summary TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_unit ON audit_log (unit_id, at);
