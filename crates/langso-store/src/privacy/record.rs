//! What the processing record counts from the installation itself: the households held under
//! a unit, the accounts that reach them by role, the unmasked views and exports logged.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, on_exec};

/// Households held (not erased) under `unit` on `date`.
pub async fn households_under(ex: impl Into<Exec<'_>>, unit: Uuid, date: Date) -> StoreResult<i64> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM households h JOIN unit_closure c \
         ON c.descendant_id = h.unit_id WHERE c.ancestor_id = $1 AND {} AND h.erased = $3",
        covers!("c", "$2")
    ));
    Ok(
        on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(unit).bind(date).bind(false)
        .fetch_one(e).await)?,
    )
}

/// Enabled accounts whose roles reach `unit`'s data (held on it, above it or below it), by
/// role: (role, accounts, of them allowed to see personal numbers unmasked).
pub async fn accounts_by_role(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    date: Date,
) -> StoreResult<Vec<(String, i64, i64)>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT g.role, CAST(COUNT(DISTINCT g.user_id) AS BIGINT), \
         CAST(COUNT(DISTINCT CASE WHEN u.pii = $3 THEN g.user_id END) AS BIGINT) \
         FROM role_grants g JOIN users u ON u.id = g.user_id AND u.disabled = $4 \
         WHERE EXISTS (SELECT 1 FROM unit_closure c WHERE {} AND \
         ((c.ancestor_id = g.unit_id AND c.descendant_id = $1) \
         OR (c.ancestor_id = $1 AND c.descendant_id = g.unit_id))) GROUP BY g.role",
        covers!("c", "$2")
    ));
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit).bind(date).bind(true).bind(false)
        .fetch_all(e).await)?,
    )
}

/// Audit entries of `actions` under `unit` since `since`.
pub async fn entries_under(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    date: Date,
    actions: [&str; 5],
    since: OffsetDateTime,
) -> StoreResult<i64> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log a WHERE a.at >= $3 \
         AND a.action IN ($4, $5, $6, $7, $8) AND EXISTS (SELECT 1 FROM unit_closure c \
         WHERE c.ancestor_id = $1 AND c.descendant_id = a.unit_id AND {})",
        covers!("c", "$2")
    ));
    let [a, b, c, d, e5] = actions;
    Ok(
        on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(unit).bind(date).bind(since)
        .bind(a).bind(b).bind(c).bind(d).bind(e5).fetch_one(e).await)?,
    )
}
