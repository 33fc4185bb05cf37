//! Roll-up counters per village, changed in the write transaction (never recomputed by
//! scanning households): a dashboard or a progress page sums one row per village and key.

use time::Date;
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// Adds `delta` to a village's counter (creating it at 0), and to the roll-ups of the units
/// above it.
pub async fn add_counter(tx: &mut Tx, unit: Uuid, key: &str, delta: i64) -> StoreResult<()> {
    if delta == 0 {
        return Ok(());
    }
    let sql = "INSERT INTO unit_counters (unit_id, key, value) VALUES ($1, $2, $3) \
               ON CONFLICT (unit_id, key) DO UPDATE SET value = unit_counters.value + excluded.value";
    on_tx!(tx, c => sqlx::query(sql).bind(unit).bind(key).bind(delta).execute(&mut *c).await.map(|_| ()))?;
    // The unit's ancestors move in the same transaction (see `rollups`).
    super::roll_up(tx, unit, key, delta).await?;
    // The month's move too, for trends (see `monthly`).
    super::add_monthly(tx, unit, &super::this_month(), key, delta).await?;
    Ok(())
}

/// The counters of every village under `root` on `date`, summed by key.
pub async fn counters_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
) -> StoreResult<Vec<(String, i64)>> {
    let sql = concat!(
        "SELECT k.key, CAST(SUM(k.value) AS BIGINT) FROM unit_counters k ",
        "JOIN unit_closure c ON c.descendant_id = k.unit_id WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " GROUP BY k.key ORDER BY k.key"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).fetch_all(e).await)?)
}

/// The counters of each child of `parent` on `date` (one row per child and key), for "per
/// village" and "per commune" tables.
pub async fn counters_by_child(
    ex: impl Into<Exec<'_>>,
    parent: Uuid,
    date: Date,
) -> StoreResult<Vec<(Uuid, String, i64)>> {
    let sql = concat!(
        "SELECT p.unit_id, k.key, CAST(SUM(k.value) AS BIGINT) FROM unit_parents p ",
        "JOIN unit_closure c ON c.ancestor_id = p.unit_id AND ",
        covers!("c", "$2"),
        " JOIN unit_counters k ON k.unit_id = c.descendant_id ",
        "WHERE p.parent_id = $1 AND ",
        covers!("p", "$2"),
        " GROUP BY p.unit_id, k.key"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(parent).bind(date).fetch_all(e).await)?)
}
