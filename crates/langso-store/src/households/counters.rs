//! Roll-up counters per village, changed in the write transaction (never recomputed by
//! scanning households): a dashboard or a progress page sums one row per village and key.

use std::collections::BTreeMap;

use time::Date;
use uuid::Uuid;

use crate::script::{hex, json_rows};
use crate::units::covers;
use crate::{Exec, Script, StoreResult, Tx, on_exec, on_tx};

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

/// Counter deltas a PostgreSQL multi-row statement carries: three bound parameters each, well
/// under its limit (SQLite's statements take every delta in one JSON array).
const DELTAS_PER_STATEMENT: usize = 1_000;

/// Adds counter deltas collected in memory, as [`add_counter`] does one by one, in four
/// statements however many villages and keys they touch (on PostgreSQL, four per thousand
/// deltas): the villages' counters, their ancestors' roll-ups (summed per ancestor and key),
/// this month's moves and their roll-ups. A batch of visits from thirty villages moving seven keys each would
/// otherwise cost 840 statements, each a round trip to the database.
pub async fn add_counters(tx: &mut Tx, deltas: &BTreeMap<(Uuid, String), i64>) -> StoreResult<()> {
    let mut script = Script::for_tx(tx);
    queue_counters(&mut script, deltas);
    script.run(tx).await
}

/// [`add_counters`] as statements of a script.
pub fn queue_counters(script: &mut Script, deltas: &BTreeMap<(Uuid, String), i64>) {
    let rows: Vec<(Uuid, &str, i64)> = deltas
        .iter()
        .filter(|(_, delta)| **delta != 0)
        .map(|((unit, key), delta)| (*unit, key.as_str(), *delta))
        .collect();
    let month = super::this_month();
    let monthly: Vec<(Uuid, &str, i64)> = rows
        .iter()
        .filter(|(_, key, _)| super::tracked_monthly(key))
        .copied()
        .collect();
    queue_rows(script, &rows, None);
    queue_rows(script, &monthly, Some(&month));
}

/// One multi-row upsert of village counters (or of `month`'s moves), then one of their
/// roll-ups: the deltas joined to the closure of the tree the roll-ups follow and summed per
/// ancestor, since villages of one commune share ancestors and an upsert may touch a row once.
/// Monthly roll-ups leave the village itself out, as [`super::add_monthly`] does.
fn queue_rows(script: &mut Script, rows: &[(Uuid, &str, i64)], month: Option<&str>) {
    if rows.is_empty() {
        return;
    }
    let (table, rollups, key_columns) = match month {
        None => ("unit_counters", "unit_rollups", "unit_id, key"),
        Some(_) => (
            "unit_month_counters",
            "unit_month_rollups",
            "unit_id, month, key",
        ),
    };
    let month_column = if month.is_some() { "?, " } else { "" };
    let upsert = format!(
        " ON CONFLICT ({key_columns}) DO UPDATE SET value = {table}.value + excluded.value"
    );
    let rolled = format!(
        " ON CONFLICT ({key_columns}) DO UPDATE SET value = {rollups}.value + excluded.value"
    );
    let closure = concat!(
        " d JOIN unit_closure c ON c.descendant_id = d.column1 JOIN rollup_state s ON s.id = 1 ",
        "WHERE s.tree_on IS NOT NULL AND ",
        covers!("c", "s.tree_on"),
    );
    let own = if month.is_some() {
        " AND c.ancestor_id <> c.descendant_id"
    } else {
        ""
    };
    let group = " GROUP BY c.ancestor_id, d.column2";
    let sum = "d.column2, CAST(SUM(d.column3) AS BIGINT) FROM ";
    if script.is_sqlite() {
        let json = json_rows(
            &rows
                .iter()
                .map(|(u, k, d)| (hex(u), k, d))
                .collect::<Vec<_>>(),
        );
        let each = "(SELECT unhex(value->>0) AS column1, value->>1 AS column2, value->>2 AS column3 \
                    FROM json_each(?))";
        let mut binds = Vec::new();
        binds.extend(month.map(str::to_owned));
        binds.push(json.clone());
        // `WHERE true` tells SQLite the ON CONFLICT belongs to the INSERT, not a join.
        script.push_sqlite(
            &format!("INSERT INTO {table} ({key_columns}, value) SELECT column1, {month_column}column2, column3 FROM {each} WHERE true{upsert}"),
            binds.clone(),
        );
        script.push_sqlite(
            &format!("INSERT INTO {rollups} ({key_columns}, value) SELECT c.ancestor_id, {month_column}{sum}{each}{closure}{own}{group}{rolled}"),
            binds,
        );
        return;
    }
    for chunk in rows.chunks(DELTAS_PER_STATEMENT) {
        if let Some(q) = script.postgres() {
            q.push(format!("INSERT INTO {table} ({key_columns}, value) "));
            q.push_values(chunk, |mut b, (unit, key, delta)| {
                b.push_bind(*unit);
                if let Some(month) = month {
                    b.push_bind(month.to_owned());
                }
                b.push_bind(key.to_string()).push_bind(*delta);
            });
            q.push(&upsert);
        }
        if let Some(q) = script.postgres() {
            q.push(format!(
                "INSERT INTO {rollups} ({key_columns}, value) SELECT c.ancestor_id, "
            ));
            if let Some(month) = month {
                q.push_bind(month.to_owned()).push(", ");
            }
            q.push(sum).push("(");
            q.push_values(chunk, |mut b, (unit, key, delta)| {
                b.push_bind(*unit)
                    .push_bind(key.to_string())
                    .push_bind(*delta);
            });
            q.push(")")
                .push(closure)
                .push(own)
                .push(group)
                .push(&rolled);
        }
    }
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
