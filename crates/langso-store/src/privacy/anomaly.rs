//! What the access-anomaly check reads: the audit log's unmasked views and exports of people's
//! data, by account, and the unit an account works in.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, StoreResult, on_exec};

/// One audit entry that showed or exported people's data unmasked.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ExposureRow {
    /// The account.
    pub actor_id: Uuid,
    /// The account as the log names it.
    pub actor_label: String,
    /// When (UTC).
    pub at: OffsetDateTime,
    /// `household.view_unmasked`, `household.list_unmasked`, `household.export`, …
    pub action: String,
    /// As written by the action ("12 households", a household code, a unit code).
    pub target_id: String,
    /// As written by the action (a code list, "format=csv rows=40 masked=false").
    pub summary: String,
    /// The unit of the entry.
    pub unit_id: Option<Uuid>,
}

/// The audit actions that show or export people's personal numbers, as their writers name
/// them (households register and export, subject export, team member lists).
pub const EXPOSING: [&str; 5] = [
    "household.view_unmasked",
    "household.list_unmasked",
    "household.export",
    "household.subject_export",
    "team.members_unmasked",
];

/// The accounts with an [`EXPOSING`] entry in `[from, to)`.
pub async fn accounts_between(
    ex: impl Into<Exec<'_>>,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> StoreResult<Vec<Uuid>> {
    let sql = "SELECT DISTINCT actor_id FROM audit_log WHERE actor_id IS NOT NULL AND at >= $1 \
               AND at < $2 AND action IN ($3, $4, $5, $6, $7)";
    let [a, b, c, d, e5] = EXPOSING;
    let (from, to) = (utc(from), utc(to));
    let ids: Vec<Option<Uuid>> = on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(from)
        .bind(to).bind(a).bind(b).bind(c).bind(d).bind(e5).fetch_all(e).await)?;
    Ok(ids.into_iter().flatten().collect())
}

/// One account's [`EXPOSING`] entries in `[from, to)`, oldest first.
pub async fn exposures_of(
    ex: impl Into<Exec<'_>>,
    account: Uuid,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> StoreResult<Vec<ExposureRow>> {
    let sql = "SELECT actor_id, actor_label, at, action, target_id, summary, unit_id FROM audit_log \
               WHERE actor_id = $1 AND at >= $2 AND at < $3 \
               AND action IN ($4, $5, $6, $7, $8) ORDER BY at";
    let [a, b, c, d, e5] = EXPOSING;
    let (from, to) = (utc(from), utc(to));
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(account).bind(from).bind(to).bind(a)
        .bind(b).bind(c).bind(d).bind(e5).fetch_all(e).await)?,
    )
}

/// A bound for `at` in UTC, as every stored moment is: SQLite keeps moments as text and
/// compares them as text, so a Vietnam-time bound (the day's start, `…+07:00`) compared
/// against `…Z` texts put the evening in UTC (midnight to 07:00 in Vietnam) on the wrong day.
fn utc(at: OffsetDateTime) -> OffsetDateTime {
    at.to_offset(time::UtcOffset::UTC)
}

/// A unit an account holds a role on (its first grant), for an incident whose entries name
/// none.
pub async fn unit_of_account(ex: impl Into<Exec<'_>>, account: Uuid) -> StoreResult<Option<Uuid>> {
    let sql = "SELECT unit_id FROM role_grants WHERE user_id = $1 ORDER BY created_at LIMIT 1";
    Ok(on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(account).fetch_optional(e).await)?)
}
