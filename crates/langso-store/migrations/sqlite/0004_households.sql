-- Households and the door-to-door digital-adoption survey. (0003 is reserved for procedures.)
CREATE TABLE households (
    id BLOB PRIMARY KEY NOT NULL,
    unit_id BLOB NOT NULL REFERENCES units (id),
    commune_id BLOB NOT NULL REFERENCES units (id),
    code TEXT NOT NULL,
    hamlet TEXT NOT NULL,
    alley TEXT NOT NULL,
    house_number TEXT NOT NULL,
    head_name TEXT NOT NULL,
    representative_name TEXT NOT NULL,
    representative_phone TEXT,
    citizen_id TEXT,
    members BIGINT NOT NULL,
    adults BIGINT NOT NULL,
    business BOOLEAN NOT NULL,
    consent_on TEXT,
    consent_purpose TEXT NOT NULL,
    notes TEXT NOT NULL,
    search_key TEXT NOT NULL,
    assigned_to BLOB REFERENCES users (id),
    follow_up_on TEXT,
    last_visit_on TEXT,
    erased BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (commune_id, code)
);
CREATE INDEX households_unit ON households (unit_id, alley, house_number);
CREATE INDEX households_assigned ON households (assigned_to, follow_up_on);
CREATE INDEX households_search ON households (search_key);

-- The indicator catalogue is versioned data: a new version of an indicator keeps the old one.
CREATE TABLE indicator_defs (
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    label_vi TEXT NOT NULL,
    label_en TEXT NOT NULL,
    help_vi TEXT NOT NULL,
    help_en TEXT NOT NULL,
    business_only BOOLEAN NOT NULL,
    position BIGINT NOT NULL,
    valid_from TEXT NOT NULL,
    PRIMARY KEY (code, version)
);

-- A household's current value per indicator: derived from the visits, kept in their transaction.
CREATE TABLE household_indicators (
    household_id BLOB NOT NULL REFERENCES households (id),
    indicator TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (household_id, indicator)
);

-- The visit ledger: append-only.
CREATE TABLE visits (
    id BLOB PRIMARY KEY NOT NULL,
    household_id BLOB NOT NULL REFERENCES households (id),
    unit_id BLOB NOT NULL REFERENCES units (id),
    visited_on TEXT NOT NULL,
    visitor_id BLOB REFERENCES users (id),
    visitor_label TEXT NOT NULL,
    observed TEXT NOT NULL,
    help_given TEXT NOT NULL,
    follow_up_on TEXT,
    notes TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX visits_household ON visits (household_id, visited_on);
CREATE INDEX visits_unit ON visits (unit_id, visited_on);

-- Roll-up counters per village, updated in the write transaction; dashboards sum these rows.
-- Keys: households, adults, business, visited, ind:<indicator>, visits:<user id>, month:<YYYY-MM>.
CREATE TABLE unit_counters (
    unit_id BLOB NOT NULL REFERENCES units (id),
    key TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (unit_id, key)
);
