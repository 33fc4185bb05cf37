-- Community digital teams (Tổ công nghệ số cộng đồng), their members, and trainings and
-- outreach events. Counts feed unit_counters (team:commune, team:village, team:count,
-- team:members, outreach:<kind>, outreach:attendance) in the same transaction.
CREATE TABLE teams (
    id BLOB PRIMARY KEY NOT NULL,
    unit_id BLOB NOT NULL UNIQUE REFERENCES units (id),
    level TEXT NOT NULL,
    name TEXT NOT NULL,
    decision_number TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE team_members (
    id BLOB PRIMARY KEY NOT NULL,
    team_id BLOB NOT NULL REFERENCES teams (id),
    unit_id BLOB NOT NULL REFERENCES units (id),
    full_name TEXT NOT NULL,
    role TEXT NOT NULL,
    affiliation TEXT NOT NULL,
    phone TEXT,
    joined_on TEXT NOT NULL,
    left_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX team_members_team ON team_members (team_id, full_name);

CREATE TABLE outreach_events (
    id BLOB PRIMARY KEY NOT NULL,
    unit_id BLOB NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    topic TEXT NOT NULL,
    attendance BIGINT NOT NULL,
    public BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX outreach_events_unit ON outreach_events (unit_id, held_on);
