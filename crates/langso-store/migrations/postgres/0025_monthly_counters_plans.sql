-- Monthly counters: what each village counter (households, adults, business households,
-- visited, ind:*) moved by in each month ('YYYY-MM', Vietnam time, the month the change was
-- recorded). Moved in the same transaction as unit_counters (households::add_counter), so a
-- month's figure is the current counter minus the moves of the months after it: a trend sums
-- at most one row per village, month and key, never the visit ledger.
CREATE TABLE unit_month_counters (
    unit_id UUID NOT NULL REFERENCES units (id),
    month TEXT NOT NULL,
    key TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (unit_id, month, key)
);
CREATE INDEX unit_month_counters_month ON unit_month_counters (month, unit_id);

-- Plans (kế hoạch) with their number and symbol, date, issuing unit and title; each sets
-- yearly targets per indicator and unit (targets are data, never code).
CREATE TABLE plans (
    id UUID PRIMARY KEY NOT NULL,
    unit_id UUID NOT NULL REFERENCES units (id),
    number TEXT NOT NULL,
    issued_on DATE NOT NULL,
    title TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX plans_unit ON plans (unit_id, issued_on);

-- target: a share 0–1 of the indicator's denominator (households, adults, business
-- households), or for a count indicator (smartphones) an average per household.
CREATE TABLE plan_targets (
    plan_id UUID NOT NULL REFERENCES plans (id),
    unit_id UUID NOT NULL REFERENCES units (id),
    indicator TEXT NOT NULL,
    year BIGINT NOT NULL,
    target DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (plan_id, unit_id, indicator, year)
);
CREATE INDEX plan_targets_unit ON plan_targets (unit_id, year);
