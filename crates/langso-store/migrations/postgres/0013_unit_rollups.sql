-- Pre-rolled-up counters: for every unit, the sum of unit_counters over its subtree (itself
-- included) in the tree of rollup_state.tree_on. Moved in the same transaction as the
-- village counter (households::add_counter), so a province's dashboard reads ~66 rows instead
-- of summing ~66,000. Usable for any day in [tree_from, tree_until), where the tree is the
-- same; any write to the tree marks them stale (tree_on NULL) until they are rebuilt.
CREATE TABLE unit_rollups (
    unit_id UUID NOT NULL REFERENCES units (id),
    key TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (unit_id, key)
);

CREATE TABLE rollup_state (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    tree_on DATE,
    tree_from DATE,
    tree_until DATE
);
INSERT INTO rollup_state (id, tree_on, tree_from, tree_until) VALUES (1, NULL, NULL, NULL);
