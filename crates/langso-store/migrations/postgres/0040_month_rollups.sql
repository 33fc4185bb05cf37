-- Pre-rolled-up monthly moves: for every unit, the moves of unit_month_counters summed over
-- its strict descendants (the unit's own moves stay in unit_month_counters) in the tree of
-- rollup_state.tree_on. Moved in the same transaction as the village's monthly counter and
-- rebuilt with unit_rollups, so a province's or the nation's trend reads a few hundred rows of
-- its own instead of one row per village, month and key. A village has no row here: its
-- trend reads its own counters.
CREATE TABLE unit_month_rollups (
    unit_id UUID NOT NULL REFERENCES units (id),
    month TEXT NOT NULL,
    key TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (unit_id, month, key)
);

-- The provinces, read by the nation's dashboard, found without reading the nation's units.
CREATE INDEX units_kind ON units (kind, code);

-- The roll-ups are summed again (with the new table and the villages counted) on the next
-- dashboard read.
UPDATE rollup_state SET tree_on = NULL WHERE id = 1;
