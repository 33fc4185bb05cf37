//! The breach register (migration 0038): incidents recorded by hand or opened as drafts by the
//! access-anomaly check, their follow-up, and the check's thresholds.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// One incident.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct BreachRow {
    /// Id (UUIDv7).
    pub id: Uuid,
    /// The unit whose register holds it (scoping).
    pub unit_id: Uuid,
    /// `draft`, `open`, `notified`, `closed` or `dismissed`.
    pub status: String,
    /// What happened, as written.
    pub what: String,
    /// When it happened, if known.
    pub occurred_at: Option<OffsetDateTime>,
    /// When it was discovered: the 72-hour clock starts here.
    pub discovered_at: OffsetDateTime,
    /// Which units (villages, offices) it touched, as written.
    pub units_affected: String,
    /// How many people.
    pub people: i64,
    /// Comma list of data kinds (`households`, `phones`, …).
    pub data_kinds: String,
    /// Measures taken.
    pub measures: String,
    /// When the authority was notified.
    pub notified_on: Option<Date>,
    /// Follow-up actions, as written.
    pub actions: String,
    /// The account an anomaly draft is about.
    pub anomaly_user_id: Option<Uuid>,
    /// The Vietnam day of that anomaly.
    pub anomaly_day: Option<Date>,
    /// Who recorded it, as in the audit log.
    pub created_by: String,
    /// Recorded.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

const COLS: &str = "b.id, b.unit_id, b.status, b.what, b.occurred_at, b.discovered_at, \
                    b.units_affected, b.people, b.data_kinds, b.measures, b.notified_on, \
                    b.actions, b.anomaly_user_id, b.anomaly_day, b.created_by, b.created_at, \
                    b.updated_at";

/// Writes a new incident. An anomaly draft for an account and day that already has one is not
/// written: returns whether this call wrote it (so only the writer tells the admins).
pub async fn insert(tx: &mut Tx, row: &BreachRow) -> StoreResult<bool> {
    let sql = "INSERT INTO privacy_breaches (id, unit_id, status, what, occurred_at, \
               discovered_at, units_affected, people, data_kinds, measures, notified_on, actions, \
               anomaly_user_id, anomaly_day, created_by, created_at, updated_at) VALUES ($1, $2, \
               $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
               ON CONFLICT (anomaly_user_id, anomaly_day) DO NOTHING";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.unit_id).bind(&row.status)
        .bind(&row.what).bind(row.occurred_at).bind(row.discovered_at).bind(&row.units_affected)
        .bind(row.people).bind(&row.data_kinds).bind(&row.measures).bind(row.notified_on)
        .bind(&row.actions).bind(row.anomaly_user_id).bind(row.anomaly_day).bind(&row.created_by)
        .bind(row.created_at).bind(row.updated_at).execute(&mut *c).await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Writes the follow-up of an incident: status, notified on, actions.
pub async fn follow_up(
    tx: &mut Tx,
    id: Uuid,
    status: &str,
    notified_on: Option<Date>,
    actions: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let sql = "UPDATE privacy_breaches SET status = $2, notified_on = $3, actions = $4, \
               updated_at = $5 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(id).bind(status).bind(notified_on).bind(actions)
        .bind(at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// One incident.
pub async fn get(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<BreachRow>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM privacy_breaches b WHERE b.id = $1"
    ));
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// The incidents of `unit` and the units under it on `date`, newest discovery first; at most
/// `limit`.
pub async fn list_under(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    date: Date,
    limit: i64,
) -> StoreResult<Vec<BreachRow>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM privacy_breaches b WHERE EXISTS (SELECT 1 FROM unit_closure c \
         WHERE c.ancestor_id = $1 AND c.descendant_id = b.unit_id AND {}) \
         ORDER BY b.discovered_at DESC, b.id DESC LIMIT $3",
        covers!("c", "$2")
    ));
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit).bind(date).bind(limit)
        .fetch_all(e).await)?,
    )
}

/// A threshold of the anomaly check, if an administrator set it.
pub async fn setting(ex: impl Into<Exec<'_>>, name: &str) -> StoreResult<Option<i64>> {
    let sql = "SELECT value FROM privacy_settings WHERE name = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(name).fetch_optional(e).await)?)
}

/// Sets a threshold of the anomaly check.
pub async fn set_setting(tx: &mut Tx, name: &str, value: i64) -> StoreResult<()> {
    let sql = "INSERT INTO privacy_settings (name, value) VALUES ($1, $2) \
               ON CONFLICT (name) DO UPDATE SET value = excluded.value";
    on_tx!(tx, c => sqlx::query(sql).bind(name).bind(value).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}
