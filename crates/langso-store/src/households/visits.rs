//! The visit ledger: append-only.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// One door-to-door visit.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct VisitRow {
    /// Id (UUIDv7; a phone may create it offline).
    pub id: Uuid,
    /// The household.
    pub household_id: Uuid,
    /// Its village at the time.
    pub unit_id: Uuid,
    /// The day of the visit.
    pub visited_on: Date,
    /// The team member.
    pub visitor_id: Option<Uuid>,
    /// As shown.
    pub visitor_label: String,
    /// Observed values as JSON `{"vneid_2": 2, …}`.
    pub observed: String,
    /// Help given, comma-separated codes.
    pub help_given: String,
    /// When to come back.
    pub follow_up_on: Option<Date>,
    /// Notes.
    pub notes: String,
    /// Recorded.
    pub created_at: OffsetDateTime,
}

/// Appends a visit; false when a visit with this id exists already (a phone retrying).
pub async fn insert_visit(tx: &mut Tx, visit: &VisitRow) -> StoreResult<bool> {
    let sql = "INSERT INTO visits (id, household_id, unit_id, visited_on, visitor_id, visitor_label, \
               observed, help_given, follow_up_on, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6, \
               $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING";
    let inserted = on_tx!(tx, c => sqlx::query(sql).bind(visit.id).bind(visit.household_id)
        .bind(visit.unit_id).bind(visit.visited_on).bind(visit.visitor_id).bind(&visit.visitor_label)
        .bind(&visit.observed).bind(&visit.help_given).bind(visit.follow_up_on).bind(&visit.notes)
        .bind(visit.created_at).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(inserted > 0)
}

/// A household's visits, newest first.
pub async fn visits_of(ex: impl Into<Exec<'_>>, household: Uuid) -> StoreResult<Vec<VisitRow>> {
    let sql = "SELECT id, household_id, unit_id, visited_on, visitor_id, visitor_label, observed, \
               help_given, follow_up_on, notes, created_at FROM visits WHERE household_id = $1 \
               ORDER BY visited_on DESC, id DESC";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(household).fetch_all(e).await)?)
}

/// Marks a never-visited household as visited on `on`; true if this was its first visit.
/// The condition sits in the UPDATE, so two writers racing on one household count it once
/// (PostgreSQL re-checks the row after the first commits; SQLite writers take turns).
pub async fn mark_first_visit(tx: &mut Tx, household: Uuid, on: Date) -> StoreResult<bool> {
    let sql = "UPDATE households SET last_visit_on = $2 WHERE id = $1 AND last_visit_on IS NULL";
    let changed = on_tx!(tx, c => sqlx::query(sql).bind(household).bind(on)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(changed > 0)
}

/// Records the visit's outcome on the household: last visit and next follow-up.
pub async fn mark_visited(
    tx: &mut Tx,
    household: Uuid,
    on: Date,
    follow_up: Option<Date>,
) -> StoreResult<()> {
    let sql = "UPDATE households SET last_visit_on = CASE WHEN last_visit_on IS NULL OR last_visit_on < $2 \
               THEN $2 ELSE last_visit_on END, follow_up_on = $3, updated_at = $4 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(household).bind(on).bind(follow_up)
        .bind(OffsetDateTime::now_utc()).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Removes free-text notes from a household's visits (erasure); the observed values stay.
pub async fn erase_visit_notes(tx: &mut Tx, household: Uuid) -> StoreResult<()> {
    let sql = "UPDATE visits SET notes = '' WHERE household_id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(household).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}
