//! Households' consent to be contacted: a ledger of events (given, withdrawn), with the
//! current state kept on the household row (`consent_on`, `consent_purpose`) in the same
//! transaction.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// One giving or withdrawal of consent.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ConsentRow {
    /// Id.
    pub id: Uuid,
    /// The household.
    pub household_id: Uuid,
    /// Its unit.
    pub unit_id: Uuid,
    /// `given` or `withdrawn`.
    pub event: String,
    /// The day it was given or withdrawn.
    pub on_date: Date,
    /// Comma list of purpose codes.
    pub purposes: String,
    /// The purpose as written on the form.
    pub purpose: String,
    /// `paper`, `phone`, `in_person` (or `register`: carried over from the register).
    pub method: String,
    /// Who recorded it.
    pub actor_label: String,
    /// Recorded.
    pub created_at: OffsetDateTime,
}

/// Appends an event and sets the household's current consent from it.
pub async fn insert_consent(tx: &mut Tx, row: &ConsentRow) -> StoreResult<()> {
    let sql = "INSERT INTO household_consents (id, household_id, unit_id, event, on_date, \
               purposes, purpose, method, actor_label, created_at) VALUES ($1, $2, $3, $4, $5, \
               $6, $7, $8, $9, $10)";
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.household_id).bind(row.unit_id)
        .bind(&row.event).bind(row.on_date).bind(&row.purposes).bind(&row.purpose)
        .bind(&row.method).bind(&row.actor_label).bind(row.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    let given = row.event == "given";
    let sql = "UPDATE households SET consent_on = $2, consent_purpose = $3, updated_at = $4 \
               WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(row.household_id)
        .bind(given.then_some(row.on_date))
        .bind(if given { row.purpose.as_str() } else { "" })
        .bind(row.created_at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A household's consent events, newest first.
pub async fn consents_of(ex: impl Into<Exec<'_>>, household: Uuid) -> StoreResult<Vec<ConsentRow>> {
    let sql = "SELECT id, household_id, unit_id, event, on_date, purposes, purpose, method, \
               actor_label, created_at FROM household_consents WHERE household_id = $1 \
               ORDER BY created_at DESC, id DESC";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(household).fetch_all(e).await)?)
}

/// A household's latest consent event.
pub async fn current_consent(
    ex: impl Into<Exec<'_>>,
    household: Uuid,
) -> StoreResult<Option<ConsentRow>> {
    let sql = "SELECT id, household_id, unit_id, event, on_date, purposes, purpose, method, \
               actor_label, created_at FROM household_consents WHERE household_id = $1 \
               ORDER BY created_at DESC, id DESC LIMIT 1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(household).fetch_optional(e).await)?)
}

/// A household's current consent day and the purposes of its latest event (`None` when no
/// event was recorded yet: the register's consent, which covers every purpose). `None`
/// altogether for an unknown household.
pub async fn contact_consent(
    ex: impl Into<Exec<'_>>,
    household: Uuid,
) -> StoreResult<Option<(Option<Date>, Option<String>)>> {
    let sql = "SELECT h.consent_on, (SELECT e.purposes FROM household_consents e \
               WHERE e.household_id = h.id ORDER BY e.created_at DESC, e.id DESC LIMIT 1) \
               FROM households h WHERE h.id = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(household).fetch_optional(e).await)?)
}
