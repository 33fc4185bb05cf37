-- Administrative units: a tree of any depth whose shape changes over time.
-- Dates are ISO text (YYYY-MM-DD) so that comparisons order correctly.
CREATE TABLE units (
    id BLOB PRIMARY KEY NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    latitude REAL,
    longitude REAL,
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX units_code ON units (code, valid_from);
CREATE INDEX units_search_key ON units (search_key);

-- Ledger of parent links: one row per period a unit sat under a parent.
CREATE TABLE unit_parents (
    unit_id BLOB NOT NULL REFERENCES units (id),
    parent_id BLOB NOT NULL REFERENCES units (id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    PRIMARY KEY (unit_id, valid_from)
);
CREATE INDEX unit_parents_parent ON unit_parents (parent_id, valid_from);

-- Ancestor (closure) table, derived from unit_parents in the same transaction; depth 0 is the
-- unit itself. "Is X inside U on D" and "everything under U on D" are index lookups.
CREATE TABLE unit_closure (
    ancestor_id BLOB NOT NULL REFERENCES units (id),
    descendant_id BLOB NOT NULL REFERENCES units (id),
    depth INTEGER NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT
);
CREATE INDEX unit_closure_ancestor ON unit_closure (ancestor_id, descendant_id);
CREATE INDEX unit_closure_descendant ON unit_closure (descendant_id, ancestor_id);

-- One row per applied reorganisation (merge, split, re-parent).
CREATE TABLE reorganisations (
    id BLOB PRIMARY KEY NOT NULL,
    effective TEXT NOT NULL,
    basis TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Lineage: which old unit went (wholly or in part) into which new one.
CREATE TABLE unit_lineage (
    id BLOB PRIMARY KEY NOT NULL,
    reorganisation_id BLOB NOT NULL REFERENCES reorganisations (id),
    old_unit_id BLOB NOT NULL REFERENCES units (id),
    new_unit_id BLOB NOT NULL REFERENCES units (id),
    share TEXT NOT NULL,
    basis TEXT NOT NULL,
    effective TEXT NOT NULL,
    verified BOOLEAN NOT NULL
);
CREATE INDEX unit_lineage_old ON unit_lineage (old_unit_id);
CREATE INDEX unit_lineage_new ON unit_lineage (new_unit_id);
