//! Service levels of fault reports (response and repair hours per category and province) and
//! what is measured against them: the overdue orders under a unit, and the share of orders
//! fixed on time per commune.

use time::OffsetDateTime;
use uuid::Uuid;

use super::WorkOrderRow;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// One category's service level.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct LevelRow {
    /// The province it applies to; `None`: the default for provinces without their own row.
    pub province_id: Option<Uuid>,
    /// The category (service code).
    pub service_code: String,
    /// Hours to respond.
    pub response_hours: i64,
    /// Hours to fix.
    pub repair_hours: i64,
}

/// The level of a category for a unit: the row of a province above the unit if there is one,
/// else the default row.
pub async fn level_for(
    ex: impl Into<Exec<'_>>,
    unit: Option<Uuid>,
    service_code: &str,
) -> StoreResult<Option<LevelRow>> {
    let sql = "SELECT province_id, service_code, response_hours, repair_hours \
               FROM fault_service_levels WHERE service_code = $1 AND (province_id IS NULL OR \
               province_id IN (SELECT c.ancestor_id FROM unit_closure c WHERE c.descendant_id = $2)) \
               ORDER BY CASE WHEN province_id IS NULL THEN 1 ELSE 0 END LIMIT 1";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(service_code).bind(unit)
        .fetch_optional(e).await)?,
    )
}

/// The levels of a province (its own rows) or the defaults (`None`), by category.
pub async fn levels(ex: impl Into<Exec<'_>>, province: Option<Uuid>) -> StoreResult<Vec<LevelRow>> {
    let sql = "SELECT province_id, service_code, response_hours, repair_hours \
               FROM fault_service_levels WHERE (province_id = $1) OR ($1 IS NULL AND province_id IS NULL) \
               ORDER BY service_code";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(province).fetch_all(e).await)?)
}

/// Sets a category's level for a province (or the default), replacing the row there was.
pub async fn set_level(tx: &mut Tx, row: &LevelRow, at: OffsetDateTime) -> StoreResult<()> {
    let delete = "DELETE FROM fault_service_levels WHERE service_code = $1 AND \
                  ((province_id = $2) OR ($2 IS NULL AND province_id IS NULL))";
    on_tx!(tx, c => sqlx::query(delete).bind(&row.service_code).bind(row.province_id)
        .execute(&mut *c).await.map(|_| ()))?;
    let insert = "INSERT INTO fault_service_levels (id, province_id, service_code, response_hours, \
                  repair_hours, updated_at) VALUES ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, c => sqlx::query(insert).bind(Uuid::now_v7()).bind(row.province_id)
        .bind(&row.service_code).bind(row.response_hours).bind(row.repair_hours).bind(at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The condition "overdue at $3" on `w`, shared by the list and the count.
macro_rules! overdue_where {
    () => {
        " WHERE ((w.status = 'new' AND w.respond_by < $3) \
         OR (w.status NOT IN ('fixed', 'closed') AND w.due_at < $3))"
    };
}

/// The orders under `root` overdue at `now`, the longest overdue first.
pub async fn overdue_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: time::Date,
    now: OffsetDateTime,
    limit: i64,
) -> StoreResult<Vec<WorkOrderRow>> {
    let sql = concat!(
        "SELECT ",
        order_cols!(),
        " FROM work_orders w LEFT JOIN assets a ON a.id = w.asset_id",
        " JOIN unit_closure c ON c.descendant_id = w.unit_id AND c.ancestor_id = $1",
        " AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to >= $2)",
        overdue_where!(),
        " ORDER BY w.due_at, w.id LIMIT $4"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).bind(now)
        .bind(limit).fetch_all(e).await)?,
    )
}

/// How many orders under `root` are overdue at `now`.
pub async fn count_overdue_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: time::Date,
    now: OffsetDateTime,
) -> StoreResult<i64> {
    let sql = concat!(
        "SELECT COUNT(*) FROM work_orders w",
        " JOIN unit_closure c ON c.descendant_id = w.unit_id AND c.ancestor_id = $1",
        " AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to >= $2)",
        overdue_where!()
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(root).bind(date).bind(now)
        .fetch_one(e).await)?,
    )
}

/// One commune's orders due in a period: fixed on time, fixed late or still open past due.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct OnTimeRow {
    /// The commune (or ward, town).
    pub unit_id: Uuid,
    /// Its name.
    pub name: String,
    /// Fixed (or closed) by their due time.
    pub on_time: i64,
    /// Fixed after it, or still open past it.
    pub late: i64,
    /// Of the late: still open.
    pub open_overdue: i64,
}

/// Per commune under `root` (the root itself when it is one), the orders due in
/// `[from, to)` that are settled: on time, late, or open past due at `now` (orders due in the
/// period but not yet due and not fixed count nowhere yet).
pub async fn on_time_by_commune(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: time::Date,
    from: OffsetDateTime,
    to: OffsetDateTime,
    now: OffsetDateTime,
) -> StoreResult<Vec<OnTimeRow>> {
    let sql = "SELECT u.id AS unit_id, u.name, \
        CAST(SUM(CASE WHEN w.fixed_at IS NOT NULL AND w.fixed_at <= w.due_at THEN 1 ELSE 0 END) AS BIGINT) AS on_time, \
        CAST(SUM(CASE WHEN (w.fixed_at IS NOT NULL AND w.fixed_at > w.due_at) \
            OR (w.fixed_at IS NULL AND w.due_at < $5) THEN 1 ELSE 0 END) AS BIGINT) AS late, \
        CAST(SUM(CASE WHEN w.fixed_at IS NULL AND w.due_at < $5 \
            AND w.status NOT IN ('fixed', 'closed') THEN 1 ELSE 0 END) AS BIGINT) AS open_overdue \
        FROM work_orders w \
        JOIN unit_closure c ON c.descendant_id = w.unit_id \
        AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to >= $2) \
        JOIN units u ON u.id = c.ancestor_id AND u.kind IN ('commune', 'ward', 'town', 'special_zone') \
        JOIN unit_closure r ON r.descendant_id = u.id AND r.ancestor_id = $1 \
        AND r.valid_from <= $2 AND (r.valid_to IS NULL OR r.valid_to >= $2) \
        WHERE w.due_at >= $3 AND w.due_at < $4 \
        GROUP BY u.id, u.name ORDER BY u.name";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).bind(from).bind(to)
        .bind(now).fetch_all(e).await)?,
    )
}
