//! Reads of the unit tree. None of these return people's data, so they take no scope: unit
//! names, codes and shapes are public information.

use langso_domain::units::{Share, Unit, Validity};
use time::Date;
use uuid::Uuid;

use super::{UnitRow, covers, into_units, unit_cols};
use crate::{Exec, StoreError, StoreResult, on_exec};

/// A unit in a subtree, with its parent on the asked date and its depth below the root.
#[derive(Clone, Debug)]
pub struct TreeNode {
    /// The unit.
    pub unit: Unit,
    /// Its parent on the date, `None` for the root of a whole tree.
    pub parent_id: Option<Uuid>,
    /// 0 for the subtree's root.
    pub depth: i64,
}

/// One period a unit sat under one parent.
#[derive(Clone, Debug)]
pub struct ParentPeriod {
    /// The parent.
    pub parent: Unit,
    /// When the link held.
    pub validity: Validity,
}

/// The short form of a unit used in lineage lists.
#[derive(Clone, Debug)]
pub struct UnitRef {
    /// Id.
    pub id: Uuid,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
}

/// A lineage record: an old unit went (wholly or partly) into a new one.
#[derive(Clone, Debug)]
pub struct LineageRecord {
    /// The unit that was closed or split.
    pub old: UnitRef,
    /// The unit that received its territory.
    pub new: UnitRef,
    /// Whole or part.
    pub share: Share,
    /// Legal basis ("NQ 1656/NQ-UBTVQH15").
    pub basis: String,
    /// First day of the new arrangement.
    pub effective: Date,
    /// False when the record is not backed by a verified source.
    pub verified: bool,
}

#[derive(sqlx::FromRow)]
struct TreeRow {
    #[sqlx(flatten)]
    unit: UnitRow,
    parent_id: Option<Uuid>,
    depth: i64,
}

#[derive(sqlx::FromRow)]
struct ParentRow {
    #[sqlx(flatten)]
    unit: UnitRow,
    link_from: Date,
    link_to: Option<Date>,
}

#[derive(sqlx::FromRow)]
struct LineageRow {
    share: String,
    basis: String,
    effective: Date,
    verified: bool,
    old_id: Uuid,
    old_code: String,
    old_name: String,
    new_id: Uuid,
    new_code: String,
    new_name: String,
}

/// A unit by id, whatever its period.
pub async fn get(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<Unit>> {
    let sql = concat!("SELECT ", unit_cols!(), " FROM units u WHERE u.id = $1");
    let row: Option<UnitRow> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?;
    row.map(UnitRow::into_unit).transpose()
}

/// The unit that holds `code` on `date`.
pub async fn by_code(ex: impl Into<Exec<'_>>, code: &str, date: Date) -> StoreResult<Option<Unit>> {
    let sql = concat!(
        "SELECT ",
        unit_cols!(),
        " FROM units u WHERE u.code = $1 AND ",
        covers!("u", "$2")
    );
    let row: Option<UnitRow> = on_exec!(ex.into(), e =>
        sqlx::query_as(sql).bind(code).bind(date).fetch_optional(e).await)?;
    row.map(UnitRow::into_unit).transpose()
}

/// Every unit that ever held `code`, oldest first.
pub async fn holders_of_code(ex: impl Into<Exec<'_>>, code: &str) -> StoreResult<Vec<Unit>> {
    let sql = concat!(
        "SELECT ",
        unit_cols!(),
        " FROM units u WHERE u.code = $1 ORDER BY u.valid_from"
    );
    let rows: Vec<UnitRow> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(code).fetch_all(e).await)?;
    into_units(rows)
}

/// The units directly under `parent` on `date`, by code.
pub async fn children(ex: impl Into<Exec<'_>>, parent: Uuid, date: Date) -> StoreResult<Vec<Unit>> {
    let sql = concat!(
        "SELECT ",
        unit_cols!(),
        " FROM unit_parents p JOIN units u ON u.id = p.unit_id ",
        "WHERE p.parent_id = $1 AND ",
        covers!("p", "$2"),
        " AND ",
        covers!("u", "$2"),
        " ORDER BY u.code"
    );
    let rows: Vec<UnitRow> = on_exec!(ex.into(), e =>
        sqlx::query_as(sql).bind(parent).bind(date).fetch_all(e).await)?;
    into_units(rows)
}

/// The units with no parent on `date` (provinces), by code.
pub async fn roots(ex: impl Into<Exec<'_>>, date: Date) -> StoreResult<Vec<Unit>> {
    let sql = concat!(
        "SELECT ",
        unit_cols!(),
        " FROM units u WHERE ",
        covers!("u", "$1"),
        " AND u.kind = 'province' ORDER BY u.code"
    );
    let rows: Vec<UnitRow> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(date).fetch_all(e).await)?;
    into_units(rows)
}

/// The parent of `unit` on `date`.
pub async fn parent_at(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    date: Date,
) -> StoreResult<Option<Unit>> {
    let sql = concat!(
        "SELECT ",
        unit_cols!(),
        " FROM unit_parents p JOIN units u ON u.id = p.parent_id ",
        "WHERE p.unit_id = $1 AND ",
        covers!("p", "$2")
    );
    let row: Option<UnitRow> = on_exec!(ex.into(), e =>
        sqlx::query_as(sql).bind(unit).bind(date).fetch_optional(e).await)?;
    row.map(UnitRow::into_unit).transpose()
}

/// The ancestors of `unit` on `date`, root first, without the unit itself.
pub async fn ancestors(ex: impl Into<Exec<'_>>, unit: Uuid, date: Date) -> StoreResult<Vec<Unit>> {
    let sql = concat!(
        "SELECT ",
        unit_cols!(),
        " FROM unit_closure c JOIN units u ON u.id = c.ancestor_id ",
        "WHERE c.descendant_id = $1 AND c.depth > 0 AND ",
        covers!("c", "$2"),
        " ORDER BY c.depth DESC"
    );
    let rows: Vec<UnitRow> = on_exec!(ex.into(), e =>
        sqlx::query_as(sql).bind(unit).bind(date).fetch_all(e).await)?;
    into_units(rows)
}

/// `root` and everything under it on `date`, down to `max_depth` levels, ordered by depth and
/// code: one indexed query on the closure table.
pub async fn subtree(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
    max_depth: i64,
) -> StoreResult<Vec<TreeNode>> {
    let sql = concat!(
        "SELECT ",
        unit_cols!(),
        ", p.parent_id, CAST(c.depth AS BIGINT) AS depth ",
        "FROM unit_closure c JOIN units u ON u.id = c.descendant_id ",
        "LEFT JOIN unit_parents p ON p.unit_id = u.id AND ",
        covers!("p", "$2"),
        " WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND ",
        covers!("u", "$2"),
        " AND c.depth <= $3 ORDER BY c.depth, u.code"
    );
    let rows: Vec<TreeRow> = on_exec!(ex.into(), e =>
        sqlx::query_as(sql).bind(root).bind(date).bind(max_depth).fetch_all(e).await)?;
    rows.into_iter()
        .map(|row| {
            Ok(TreeNode {
                unit: row.unit.into_unit()?,
                parent_id: row.parent_id,
                depth: row.depth,
            })
        })
        .collect()
}

/// Candidates for a search: units whose folded name contains `folded_query`, or whose code is
/// `code`; optionally only those in force on `date`. Ranking happens in the caller.
pub async fn search_candidates(
    ex: impl Into<Exec<'_>>,
    folded_query: &str,
    code: &str,
    date: Option<Date>,
    limit: i64,
) -> StoreResult<Vec<Unit>> {
    // The folded query is [a-z0-9 ] only, so it holds no LIKE wildcard to escape.
    let pattern = format!("%{folded_query}%");
    let rows: Vec<UnitRow> = match date {
        None => {
            let sql = concat!(
                "SELECT ",
                unit_cols!(),
                " FROM units u WHERE (u.search_key LIKE $1 OR u.code = $2)",
                " ORDER BY u.valid_from DESC LIMIT $3"
            );
            on_exec!(ex.into(), e => sqlx::query_as(sql)
                .bind(pattern).bind(code).bind(limit).fetch_all(e).await)?
        }
        Some(date) => {
            let sql = concat!(
                "SELECT ",
                unit_cols!(),
                " FROM units u WHERE (u.search_key LIKE $1 OR u.code = $2)",
                " AND ",
                covers!("u", "$4"),
                " ORDER BY u.valid_from DESC LIMIT $3"
            );
            on_exec!(ex.into(), e => sqlx::query_as(sql)
                .bind(pattern).bind(code).bind(limit).bind(date).fetch_all(e).await)?
        }
    };
    into_units(rows)
}

/// Where `unit` came from and where it went: lineage records naming it on either side.
pub async fn lineage(ex: impl Into<Exec<'_>>, unit: Uuid) -> StoreResult<Vec<LineageRecord>> {
    let sql = "SELECT l.share, l.basis, l.effective, l.verified, \
               o.id AS old_id, o.code AS old_code, o.name AS old_name, \
               n.id AS new_id, n.code AS new_code, n.name AS new_name \
               FROM unit_lineage l JOIN units o ON o.id = l.old_unit_id \
               JOIN units n ON n.id = l.new_unit_id \
               WHERE l.old_unit_id = $1 OR l.new_unit_id = $1 ORDER BY l.effective, o.code";
    let rows: Vec<LineageRow> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit).fetch_all(e).await)?;
    rows.into_iter()
        .map(|row| {
            Ok(LineageRecord {
                share: Share::parse(&row.share)
                    .map_err(|_| StoreError::Corrupt(format!("lineage share {}", row.share)))?,
                basis: row.basis,
                effective: row.effective,
                verified: row.verified,
                old: UnitRef {
                    id: row.old_id,
                    code: row.old_code,
                    name: row.old_name,
                },
                new: UnitRef {
                    id: row.new_id,
                    code: row.new_code,
                    name: row.new_name,
                },
            })
        })
        .collect()
}

/// Every parent `unit` has had, oldest first.
pub async fn parent_history(ex: impl Into<Exec<'_>>, unit: Uuid) -> StoreResult<Vec<ParentPeriod>> {
    let sql = concat!(
        "SELECT ",
        unit_cols!(),
        ", p.valid_from AS link_from, p.valid_to AS link_to ",
        "FROM unit_parents p JOIN units u ON u.id = p.parent_id WHERE p.unit_id = $1 ",
        "ORDER BY p.valid_from"
    );
    let rows: Vec<ParentRow> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit).fetch_all(e).await)?;
    rows.into_iter()
        .map(|row| {
            Ok(ParentPeriod {
                parent: row.unit.into_unit()?,
                validity: Validity {
                    from: row.link_from,
                    to: row.link_to,
                },
            })
        })
        .collect()
}

/// Units in force on `date`, other than provinces, that have no parent in force on that date.
/// A reorganisation that leaves any is refused.
pub async fn orphans(ex: impl Into<Exec<'_>>, date: Date) -> StoreResult<Vec<Unit>> {
    let sql = concat!(
        "SELECT ",
        unit_cols!(),
        " FROM units u WHERE ",
        covers!("u", "$1"),
        " AND u.kind <> 'province' AND NOT EXISTS (SELECT 1 FROM unit_parents p ",
        "JOIN units pu ON pu.id = p.parent_id WHERE p.unit_id = u.id AND ",
        covers!("p", "$1"),
        " AND ",
        covers!("pu", "$1"),
        ") ORDER BY u.code"
    );
    let rows: Vec<UnitRow> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(date).fetch_all(e).await)?;
    into_units(rows)
}

/// How many units of each kind sit anywhere under `unit` on `date`.
pub async fn count_descendants_by_kind(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    date: Date,
) -> StoreResult<Vec<(String, i64)>> {
    let sql = concat!(
        "SELECT u.kind, CAST(COUNT(*) AS BIGINT) FROM unit_closure c ",
        "JOIN units u ON u.id = c.descendant_id WHERE c.ancestor_id = $1 AND c.depth > 0 AND ",
        covers!("c", "$2"),
        " AND ",
        covers!("u", "$2"),
        " GROUP BY u.kind ORDER BY u.kind"
    );
    let rows: Vec<(String, i64)> = on_exec!(ex.into(), e =>
        sqlx::query_as(sql).bind(unit).bind(date).fetch_all(e).await)?;
    Ok(rows)
}

/// Whether `unit` is `ancestor` or lies under it on `date`: one indexed lookup, used by every
/// scope check.
pub async fn is_within(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    ancestor: Uuid,
    date: Date,
) -> StoreResult<bool> {
    let sql = concat!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM unit_closure c WHERE c.ancestor_id = $1 ",
        "AND c.descendant_id = $2 AND ",
        covers!("c", "$3")
    );
    let count: i64 = on_exec!(ex.into(), e =>
        sqlx::query_scalar(sql).bind(ancestor).bind(unit).bind(date).fetch_one(e).await)?;
    Ok(count > 0)
}
