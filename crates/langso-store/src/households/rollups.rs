//! Pre-rolled-up counters (`unit_rollups`): for every unit, its counters summed over its
//! subtree in one tree of units, so the dashboard of a province reads one row per key instead
//! of summing one row per village and key.
//!
//! Why it stays exact:
//! - [`roll_up`] runs inside [`super::add_counter`], in the same transaction as the village
//!   counter, adding the delta to every ancestor of the unit in the tree of `tree_on`;
//! - every write to the tree ([`crate::units`] `insert`, `close`, `reparent`) calls
//!   [`mark_rollups_stale`] in its transaction: the roll-ups are not read until [`rebuild_rollups`] has summed
//!   them again from `unit_counters` over the new tree;
//! - the tree changes on its own at midnight when a validity starts or ends (the 2025 merger
//!   was entered ahead of its effective date): [`rebuild_rollups`] records the days the tree it used
//!   holds for (`tree_from` ≤ day < `tree_until`), and [`rollups_ready_for`] answers false outside them,
//!   so callers fall back to summing over the tree of the day (always exact, only slower).
//!
//! On PostgreSQL a rebuild takes a lock on `unit_counters` that waits for open counter writes
//! and holds off new ones, and locks the state row that tree writes mark, so no delta and no
//! tree change is lost between the sum and the new state.

use time::{Date, Duration};
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// Adds `delta` to `key` of every unit whose subtree holds `unit` in the tree the roll-ups
/// follow (the unit itself included); nothing while they are stale.
pub async fn roll_up(tx: &mut Tx, unit: Uuid, key: &str, delta: i64) -> StoreResult<()> {
    let sql = concat!(
        "INSERT INTO unit_rollups (unit_id, key, value) ",
        "SELECT c.ancestor_id, $2, $3 FROM unit_closure c JOIN rollup_state s ON s.id = 1 ",
        "WHERE c.descendant_id = $1 AND s.tree_on IS NOT NULL AND ",
        covers!("c", "s.tree_on"),
        " ON CONFLICT (unit_id, key) DO UPDATE SET value = unit_rollups.value + excluded.value"
    );
    on_tx!(tx, c => sqlx::query(sql).bind(unit).bind(key).bind(delta).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Marks the roll-ups stale: the tree changed in this transaction.
pub async fn mark_rollups_stale(tx: &mut Tx) -> StoreResult<()> {
    let sql = "UPDATE rollup_state SET tree_on = NULL WHERE id = 1";
    on_tx!(tx, c => sqlx::query(sql).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The state: (tree_on, tree_from, tree_until).
type State = (Option<Date>, Option<Date>, Option<Date>);

async fn state(ex: impl Into<Exec<'_>>) -> StoreResult<State> {
    let sql = "SELECT tree_on, tree_from, tree_until FROM rollup_state WHERE id = 1";
    let row: Option<State> = on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_optional(e).await)?;
    Ok(row.unwrap_or((None, None, None)))
}

/// Whether the roll-ups follow the tree in force on `date`.
pub async fn rollups_ready_for(ex: impl Into<Exec<'_>>, date: Date) -> StoreResult<bool> {
    Ok(match state(ex).await? {
        (Some(_), Some(from), until) => from <= date && until.is_none_or(|u| date < u),
        _ => false,
    })
}

/// Sums the roll-ups again from `unit_counters` over the tree in force on `today`, and records
/// the days that tree holds for.
pub async fn rebuild_rollups(tx: &mut Tx, today: Date) -> StoreResult<()> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT id FROM rollup_state WHERE id = 1 FOR UPDATE")
            .execute(&mut **t)
            .await?;
        sqlx::query("LOCK TABLE unit_counters IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut **t)
            .await?;
    }
    on_tx!(tx, c => sqlx::query("DELETE FROM unit_rollups").execute(&mut *c).await.map(|_| ()))?;
    let sql = concat!(
        "INSERT INTO unit_rollups (unit_id, key, value) ",
        "SELECT c.ancestor_id, k.key, CAST(SUM(k.value) AS BIGINT) FROM unit_counters k ",
        "JOIN unit_closure c ON c.descendant_id = k.unit_id WHERE ",
        covers!("c", "$1"),
        " GROUP BY c.ancestor_id, k.key"
    );
    on_tx!(tx, c => sqlx::query(sql).bind(today).execute(&mut *c).await.map(|_| ()))?;
    // Villages (thôn, tổ dân phố) under each unit: the nation's dashboard reads them per
    // province without counting 63,600 units. Kept apart from the counters (`tree:` keys).
    let sql = concat!(
        "INSERT INTO unit_rollups (unit_id, key, value) ",
        "SELECT c.ancestor_id, 'tree:villages', CAST(COUNT(*) AS BIGINT) FROM unit_closure c ",
        "JOIN units u ON u.id = c.descendant_id WHERE ",
        covers!("c", "$1"),
        " AND ",
        covers!("u", "$1"),
        " AND u.kind IN ('village', 'street_group') GROUP BY c.ancestor_id"
    );
    on_tx!(tx, c => sqlx::query(sql).bind(today).execute(&mut *c).await.map(|_| ()))?;
    on_tx!(tx, c => sqlx::query("DELETE FROM unit_month_rollups").execute(&mut *c).await.map(|_| ()))?;
    let sql = concat!(
        "INSERT INTO unit_month_rollups (unit_id, month, key, value) ",
        "SELECT c.ancestor_id, k.month, k.key, CAST(SUM(k.value) AS BIGINT) FROM unit_month_counters k ",
        "JOIN unit_closure c ON c.descendant_id = k.unit_id WHERE c.ancestor_id <> c.descendant_id AND ",
        covers!("c", "$1"),
        " GROUP BY c.ancestor_id, k.month, k.key"
    );
    on_tx!(tx, c => sqlx::query(sql).bind(today).execute(&mut *c).await.map(|_| ()))?;
    // The days the tree changes: a closure row starts, or the day after one ends.
    let starts: Vec<(Date,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT DISTINCT valid_from FROM unit_closure").fetch_all(&mut *c).await)?;
    let ends: Vec<(Date,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT DISTINCT valid_to FROM unit_closure WHERE valid_to IS NOT NULL").fetch_all(&mut *c).await)?;
    let changes = starts.into_iter().map(|(d,)| d).chain(
        ends.into_iter()
            .filter_map(|(d,)| d.checked_add(Duration::days(1))),
    );
    let (mut from, mut until): (Option<Date>, Option<Date>) = (None, None);
    for day in changes {
        if day <= today {
            from = Some(from.map_or(day, |f| f.max(day)));
        } else {
            until = Some(until.map_or(day, |u| u.min(day)));
        }
    }
    let sql = "UPDATE rollup_state SET tree_on = $1, tree_from = $2, tree_until = $3 WHERE id = 1";
    let from = from.unwrap_or(today);
    on_tx!(tx, c => sqlx::query(sql).bind(today).bind(from).bind(until).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A unit's roll-ups: its counters summed over its subtree (call [`rollups_ready_for`] first).
pub async fn rolled_up(ex: impl Into<Exec<'_>>, unit: Uuid) -> StoreResult<Vec<(String, i64)>> {
    let sql = "SELECT key, value FROM unit_rollups WHERE unit_id = $1 AND key NOT LIKE 'tree:%' \
               ORDER BY key";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit).fetch_all(e).await)?)
}

/// Thôn and tổ dân phố at or under `unit` in the roll-ups' tree (call [`rollups_ready_for`]
/// first); the same as `units::villages_under` on a day the roll-ups hold for.
pub async fn rolled_villages(ex: impl Into<Exec<'_>>, unit: Uuid) -> StoreResult<i64> {
    let sql = "SELECT value FROM unit_rollups WHERE unit_id = $1 AND key = 'tree:villages'";
    let n: Option<i64> =
        on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(unit).fetch_optional(e).await)?;
    Ok(n.unwrap_or(0))
}

/// `households` and `visited` of each child of `parent` on `date` from the roll-ups (call
/// [`rollups_ready_for`] first): the per-commune bars.
pub async fn rolled_up_coverage_by_child(
    ex: impl Into<Exec<'_>>,
    parent: Uuid,
    date: Date,
) -> StoreResult<Vec<(Uuid, String, i64)>> {
    let sql = concat!(
        "SELECT p.unit_id, r.key, r.value FROM unit_parents p ",
        "JOIN unit_rollups r ON r.unit_id = p.unit_id AND r.key IN ('households', 'visited') ",
        "WHERE p.parent_id = $1 AND ",
        covers!("p", "$2")
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(parent).bind(date).fetch_all(e).await)?)
}
