-- Administrative units: a tree of any depth whose shape changes over time.
CREATE TABLE units (
    id UUID PRIMARY KEY NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    note TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX units_code ON units (code, valid_from);
CREATE INDEX units_search_key ON units (search_key);

-- Ledger of parent links: one row per period a unit sat under a parent.
CREATE TABLE unit_parents (
    unit_id UUID NOT NULL REFERENCES units (id),
    parent_id UUID NOT NULL REFERENCES units (id),
    valid_from DATE NOT NULL,
    valid_to DATE,
    PRIMARY KEY (unit_id, valid_from)
);
CREATE INDEX unit_parents_parent ON unit_parents (parent_id, valid_from);

-- Ancestor (closure) table, derived from unit_parents in the same transaction; depth 0 is the
-- unit itself. "Is X inside U on D" and "everything under U on D" are index lookups.
CREATE TABLE unit_closure (
    ancestor_id UUID NOT NULL REFERENCES units (id),
    descendant_id UUID NOT NULL REFERENCES units (id),
    depth BIGINT NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE
);
CREATE INDEX unit_closure_ancestor ON unit_closure (ancestor_id, descendant_id);
CREATE INDEX unit_closure_descendant ON unit_closure (descendant_id, ancestor_id);

-- One row per applied reorganisation (merge, split, re-parent).
CREATE TABLE reorganisations (
    id UUID PRIMARY KEY NOT NULL,
    effective DATE NOT NULL,
    basis TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Lineage: which old unit went (wholly or in part) into which new one.
CREATE TABLE unit_lineage (
    id UUID PRIMARY KEY NOT NULL,
    reorganisation_id UUID NOT NULL REFERENCES reorganisations (id),
    old_unit_id UUID NOT NULL REFERENCES units (id),
    new_unit_id UUID NOT NULL REFERENCES units (id),
    share TEXT NOT NULL,
    basis TEXT NOT NULL,
    effective DATE NOT NULL,
    verified BOOLEAN NOT NULL
);
CREATE INDEX unit_lineage_old ON unit_lineage (old_unit_id);
CREATE INDEX unit_lineage_new ON unit_lineage (new_unit_id);
