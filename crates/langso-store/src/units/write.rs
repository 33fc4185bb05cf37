//! Writes to the unit tree. Each keeps `unit_parents` and `unit_closure` consistent within the
//! caller's transaction; the rules (cycles, code reuse, orphans) are checked in langso-app.

use langso_domain::text::fold;
use langso_domain::units::{Share, Unit, Validity};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::covers;
use crate::{StoreResult, Tx, on_tx};

/// A lineage record to write.
#[derive(Clone, Debug)]
pub struct NewLineage {
    /// The unit that was closed or split.
    pub old_unit: Uuid,
    /// The unit that received its territory.
    pub new_unit: Uuid,
    /// Whole or part.
    pub share: Share,
    /// Legal basis.
    pub basis: String,
    /// False for records not backed by a verified source.
    pub verified: bool,
}

/// One closure row as read for maintenance.
#[derive(sqlx::FromRow)]
struct ClosureRow {
    other_id: Uuid,
    depth: i64,
    valid_from: Date,
    valid_to: Option<Date>,
}

fn earlier(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

fn day_before(date: Date) -> Date {
    date.previous_day().unwrap_or(date)
}

async fn insert_closure(
    tx: &mut Tx,
    ancestor: Uuid,
    descendant: Uuid,
    depth: i64,
    validity: Validity,
) -> StoreResult<()> {
    let sql = "INSERT INTO unit_closure (ancestor_id, descendant_id, depth, valid_from, valid_to) \
               VALUES ($1, $2, $3, $4, $5)";
    on_tx!(tx, c => sqlx::query(sql).bind(ancestor).bind(descendant).bind(depth)
        .bind(validity.from).bind(validity.to).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The ancestors of `unit` (itself included, depth 0) as closure rows, optionally only those
/// in force on `date`.
async fn ancestor_rows(
    tx: &mut Tx,
    unit: Uuid,
    date: Option<Date>,
) -> StoreResult<Vec<ClosureRow>> {
    let rows = match date {
        None => {
            let sql = "SELECT ancestor_id AS other_id, CAST(depth AS BIGINT) AS depth, valid_from, \
                       valid_to FROM unit_closure c WHERE descendant_id = $1";
            on_tx!(tx, c => sqlx::query_as(sql).bind(unit).fetch_all(&mut *c).await)?
        }
        Some(date) => {
            let sql = concat!(
                "SELECT ancestor_id AS other_id, CAST(depth AS BIGINT) AS depth, valid_from, ",
                "valid_to FROM unit_closure c WHERE descendant_id = $1 AND ",
                covers!("c", "$2")
            );
            on_tx!(tx, c => sqlx::query_as(sql).bind(unit).bind(date).fetch_all(&mut *c).await)?
        }
    };
    Ok(rows)
}

/// The descendants of `unit` (itself included) in force on `date`, as closure rows.
async fn descendant_rows(tx: &mut Tx, unit: Uuid, date: Date) -> StoreResult<Vec<ClosureRow>> {
    let sql = concat!(
        "SELECT descendant_id AS other_id, CAST(depth AS BIGINT) AS depth, valid_from, valid_to ",
        "FROM unit_closure c WHERE ancestor_id = $1 AND ",
        covers!("c", "$2")
    );
    let rows = on_tx!(tx, c => sqlx::query_as(sql).bind(unit).bind(date).fetch_all(&mut *c).await)?;
    Ok(rows)
}

/// Inserts a unit under `parent` (if any) for the unit's whole validity, with its closure rows.
/// The closure inherits each ancestor period that overlaps the unit's own.
pub async fn insert(tx: &mut Tx, unit: &Unit, parent: Option<Uuid>) -> StoreResult<()> {
    crate::households::mark_rollups_stale(tx).await?;
    let sql = "INSERT INTO units (id, code, name, search_key, kind, valid_from, valid_to, latitude, \
               longitude, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, c => sqlx::query(sql)
        .bind(unit.id).bind(&unit.code).bind(&unit.name).bind(fold(&unit.name))
        .bind(unit.kind.as_str()).bind(unit.validity.from).bind(unit.validity.to)
        .bind(unit.latitude).bind(unit.longitude).bind(&unit.note).bind(now)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    insert_closure(tx, unit.id, unit.id, 0, unit.validity).await?;
    let Some(parent) = parent else {
        return Ok(());
    };
    let parent_rows = ancestor_rows(tx, parent, None).await?;
    let link_to = parent_rows
        .iter()
        .find(|row| row.depth == 0 && row.other_id == parent)
        .map_or(unit.validity.to, |row| {
            earlier(unit.validity.to, row.valid_to)
        });
    let sql = "INSERT INTO unit_parents (unit_id, parent_id, valid_from, valid_to) \
               VALUES ($1, $2, $3, $4)";
    on_tx!(tx, c => sqlx::query(sql).bind(unit.id).bind(parent)
        .bind(unit.validity.from).bind(link_to).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    for row in parent_rows {
        let period = Validity {
            from: row.valid_from,
            to: row.valid_to,
        };
        if !period.overlaps(&unit.validity) {
            continue;
        }
        let shared = Validity {
            from: period.from.max(unit.validity.from),
            to: earlier(period.to, unit.validity.to),
        };
        insert_closure(tx, row.other_id, unit.id, row.depth + 1, shared).await?;
    }
    Ok(())
}

/// Ends the unit on `last_day`, with its parent link, its links to children and every closure
/// row naming it. Periods that would start after `last_day` are removed.
pub async fn close(tx: &mut Tx, unit: Uuid, last_day: Date) -> StoreResult<()> {
    crate::households::mark_rollups_stale(tx).await?;
    let statements = [
        "UPDATE units SET valid_to = $2 WHERE id = $1",
        "DELETE FROM unit_parents WHERE (unit_id = $1 OR parent_id = $1) AND valid_from > $2",
        "UPDATE unit_parents SET valid_to = $2 WHERE (unit_id = $1 OR parent_id = $1) \
         AND (valid_to IS NULL OR valid_to > $2)",
        "DELETE FROM unit_closure WHERE (ancestor_id = $1 OR descendant_id = $1) AND valid_from > $2",
        "UPDATE unit_closure SET valid_to = $2 WHERE (ancestor_id = $1 OR descendant_id = $1) \
         AND (valid_to IS NULL OR valid_to > $2)",
    ];
    for sql in statements {
        on_tx!(tx, c => sqlx::query(sql).bind(unit).bind(last_day).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Moves `unit` (with its whole subtree) under `new_parent` from `effective` on. The old links
/// end the day before; history before `effective` is untouched.
pub async fn reparent(
    tx: &mut Tx,
    unit: Uuid,
    new_parent: Uuid,
    effective: Date,
) -> StoreResult<()> {
    crate::households::mark_rollups_stale(tx).await?;
    let last_day = day_before(effective);
    let descendants = descendant_rows(tx, unit, effective).await?;
    let old_ancestors: Vec<ClosureRow> = ancestor_rows(tx, unit, Some(effective))
        .await?
        .into_iter()
        .filter(|row| row.depth > 0)
        .collect();
    let end_pair = [
        "DELETE FROM unit_closure WHERE ancestor_id = $1 AND descendant_id = $2 AND valid_from >= $3",
        "UPDATE unit_closure SET valid_to = $4 WHERE ancestor_id = $1 AND descendant_id = $2 \
         AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $3)",
    ];
    for ancestor in &old_ancestors {
        for descendant in &descendants {
            for sql in end_pair {
                on_tx!(tx, c => sqlx::query(sql).bind(ancestor.other_id).bind(descendant.other_id)
                    .bind(effective).bind(last_day).execute(&mut *c).await.map(|r| r.rows_affected()))?;
            }
        }
    }
    let end_link = [
        "DELETE FROM unit_parents WHERE unit_id = $1 AND valid_from >= $2",
        "UPDATE unit_parents SET valid_to = $3 WHERE unit_id = $1 AND valid_from <= $2 \
         AND (valid_to IS NULL OR valid_to >= $2)",
    ];
    for sql in end_link {
        on_tx!(tx, c => sqlx::query(sql).bind(unit).bind(effective).bind(last_day)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    let unit_end = descendants
        .iter()
        .find(|row| row.depth == 0)
        .and_then(|row| row.valid_to);
    let new_ancestors = ancestor_rows(tx, new_parent, Some(effective)).await?;
    let parent_end = new_ancestors
        .iter()
        .find(|row| row.depth == 0)
        .and_then(|row| row.valid_to);
    let sql = "INSERT INTO unit_parents (unit_id, parent_id, valid_from, valid_to) \
               VALUES ($1, $2, $3, $4)";
    on_tx!(tx, c => sqlx::query(sql).bind(unit).bind(new_parent).bind(effective)
        .bind(earlier(unit_end, parent_end)).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    for ancestor in &new_ancestors {
        for descendant in &descendants {
            let period = Validity {
                from: effective,
                to: earlier(ancestor.valid_to, descendant.valid_to),
            };
            let depth = ancestor.depth + 1 + descendant.depth;
            insert_closure(tx, ancestor.other_id, descendant.other_id, depth, period).await?;
        }
    }
    Ok(())
}

/// Records a reorganisation and returns its id.
pub async fn insert_reorganisation(
    tx: &mut Tx,
    effective: Date,
    basis: &str,
    summary: &str,
) -> StoreResult<Uuid> {
    let id = Uuid::now_v7();
    let sql = "INSERT INTO reorganisations (id, effective, basis, summary, created_at) \
               VALUES ($1, $2, $3, $4, $5)";
    on_tx!(tx, c => sqlx::query(sql).bind(id).bind(effective).bind(basis).bind(summary)
        .bind(OffsetDateTime::now_utc()).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(id)
}

/// Records one lineage line of a reorganisation.
pub async fn insert_lineage(
    tx: &mut Tx,
    reorganisation: Uuid,
    effective: Date,
    lineage: &NewLineage,
) -> StoreResult<()> {
    let sql = "INSERT INTO unit_lineage (id, reorganisation_id, old_unit_id, new_unit_id, share, \
               basis, effective, verified) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_tx!(tx, c => sqlx::query(sql).bind(Uuid::now_v7()).bind(reorganisation)
        .bind(lineage.old_unit).bind(lineage.new_unit).bind(lineage.share.as_str())
        .bind(&lineage.basis).bind(effective).bind(lineage.verified).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
