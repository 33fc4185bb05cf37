//! Monthly counters (`unit_month_counters`): what each village counter that a trend needs
//! moved by in each month, written by [`super::add_counter`] in the same transaction as the
//! counter itself. The figure at the end of a month is the current counter minus the moves of
//! the months after it, so a trend reads at most one row per village, month and key.
//!
//! A month is the one the change was recorded in (Vietnam time): the trend shows what the
//! register said at the end of each month, as a monthly report sent upward would have.

use std::collections::BTreeMap;

use time::{Date, OffsetDateTime, UtcOffset};
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// Whether a counter key is kept per month: the indicators and their denominators.
pub fn tracked_monthly(key: &str) -> bool {
    matches!(key, "households" | "adults" | "business" | "visited") || key.starts_with("ind:")
}

/// A day's month as stored: `2024-12`.
pub fn month_of(day: Date) -> String {
    format!("{:04}-{:02}", day.year(), u8::from(day.month()))
}

/// The current month in Vietnam (UTC+7).
pub fn this_month() -> String {
    let offset = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    month_of(OffsetDateTime::now_utc().to_offset(offset).date())
}

/// Adds `delta` to a village's `key` for `month` (nothing for keys not kept per month).
pub async fn add_monthly(
    tx: &mut Tx,
    unit: Uuid,
    month: &str,
    key: &str,
    delta: i64,
) -> StoreResult<()> {
    if delta == 0 || !tracked_monthly(key) {
        return Ok(());
    }
    let sql = "INSERT INTO unit_month_counters (unit_id, month, key, value) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (unit_id, month, key) DO UPDATE SET value = unit_month_counters.value + excluded.value";
    on_tx!(tx, c => sqlx::query(sql).bind(unit).bind(month).bind(key).bind(delta).execute(&mut *c).await.map(|_| ()))?;
    roll_up_monthly(tx, unit, month, key, delta).await
}

/// Adds a village's monthly move to every unit strictly above it in the tree the roll-ups
/// follow (`unit_month_rollups`); nothing while they are stale (the rebuild sums them again).
async fn roll_up_monthly(
    tx: &mut Tx,
    unit: Uuid,
    month: &str,
    key: &str,
    delta: i64,
) -> StoreResult<()> {
    let sql = concat!(
        "INSERT INTO unit_month_rollups (unit_id, month, key, value) ",
        "SELECT c.ancestor_id, $2, $3, $4 FROM unit_closure c JOIN rollup_state s ON s.id = 1 ",
        "WHERE c.descendant_id = $1 AND c.ancestor_id <> c.descendant_id ",
        "AND s.tree_on IS NOT NULL AND ",
        covers!("c", "s.tree_on"),
        " ON CONFLICT (unit_id, month, key) DO UPDATE SET value = unit_month_rollups.value + excluded.value"
    );
    on_tx!(tx, c => sqlx::query(sql).bind(unit).bind(month).bind(key).bind(delta).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Adds counters whose history is known (the demo, a load of past months): each village's
/// counter moves by the sum of its months, its roll-ups with it, and each month's move is kept
/// in that month instead of the current one. `monthly` is keyed (village, key, month).
pub async fn add_counters_by_month(
    tx: &mut Tx,
    monthly: &BTreeMap<(Uuid, String, String), i64>,
) -> StoreResult<()> {
    let mut totals: BTreeMap<(Uuid, &str), i64> = BTreeMap::new();
    for ((unit, key, _), delta) in monthly {
        *totals.entry((*unit, key.as_str())).or_default() += delta;
    }
    for ((unit, key), delta) in totals {
        if delta == 0 {
            continue;
        }
        let sql = "INSERT INTO unit_counters (unit_id, key, value) VALUES ($1, $2, $3) \
                   ON CONFLICT (unit_id, key) DO UPDATE SET value = unit_counters.value + excluded.value";
        on_tx!(tx, c => sqlx::query(sql).bind(unit).bind(key).bind(delta).execute(&mut *c).await.map(|_| ()))?;
        super::roll_up(tx, unit, key, delta).await?;
    }
    let rows: Vec<_> = monthly
        .iter()
        .filter(|((_, key, _), delta)| **delta != 0 && tracked_monthly(key))
        .collect();
    // Four parameters a row: well under SQLite's bound-parameter limit.
    for chunk in rows.chunks(1_000) {
        on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO unit_month_counters (unit_id, month, key, value) ",
            );
            q.push_values(chunk, |mut b, ((unit, key, month), delta)| {
                b.push_bind(*unit).push_bind(month.clone()).push_bind(key.clone()).push_bind(**delta);
            });
            q.push(" ON CONFLICT (unit_id, month, key) DO UPDATE SET value = unit_month_counters.value + excluded.value");
            q.build().persistent(false).execute(&mut *c).await.map(|_| ())
        })?;
    }
    for ((unit, key, month), delta) in rows {
        roll_up_monthly(tx, *unit, month, key, *delta).await?;
    }
    Ok(())
}

/// The monthly moves under `unit` in the months after `after`, summed by month and key, from
/// the roll-ups (call [`super::rollups_ready_for`] first): the unit's own moves and those
/// rolled up from below, a few hundred rows for the nation's largest province.
pub async fn rolled_monthly_moves(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    after: &str,
) -> StoreResult<Vec<(String, String, i64)>> {
    let sql = "SELECT month, key, CAST(SUM(value) AS BIGINT) FROM ( \
                 SELECT month, key, value FROM unit_month_rollups WHERE unit_id = $1 AND month > $2 \
                 UNION ALL \
                 SELECT month, key, value FROM unit_month_counters WHERE unit_id = $1 AND month > $2 \
               ) moves GROUP BY month, key ORDER BY month, key";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit).bind(after).fetch_all(e).await)?)
}

/// The monthly moves of every village under `root` (tree of `date`) in the months after
/// `after` (`YYYY-MM`), summed by month and key: (month, key, moved).
pub async fn monthly_moves_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
    after: &str,
) -> StoreResult<Vec<(String, String, i64)>> {
    let sql = concat!(
        "SELECT k.month, k.key, CAST(SUM(k.value) AS BIGINT) FROM unit_month_counters k ",
        "JOIN unit_closure c ON c.descendant_id = k.unit_id WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND k.month > $3 GROUP BY k.month, k.key ORDER BY k.month, k.key"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).bind(after).fetch_all(e).await)?,
    )
}
