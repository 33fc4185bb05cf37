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
    /// The person of the household who gave or withdrew it, as given.
    pub person_name: String,
    /// Their relation to the household (`representative`, `head`, `spouse`, `child`,
    /// `parent`, `other`).
    pub relation: String,
    /// The team member who heard a consent given on the phone.
    pub confirmed_by: String,
    /// Whether the paper form's scan is kept (read, never written).
    #[sqlx(default)]
    pub has_scan: bool,
}

/// A paper consent form's scan.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ConsentScanRow {
    /// The consent event it belongs to.
    pub consent_id: Uuid,
    /// The household.
    pub household_id: Uuid,
    /// `application/pdf`, `image/jpeg` or `image/png` (checked by magic bytes).
    pub content_type: String,
    /// The file.
    pub content: Vec<u8>,
    /// Uploaded.
    pub created_at: OffsetDateTime,
}

macro_rules! consent_cols {
    () => {
        "e.id, e.household_id, e.unit_id, e.event, e.on_date, e.purposes, e.purpose, \
         e.method, e.actor_label, e.created_at, e.person_name, e.relation, e.confirmed_by, \
         EXISTS (SELECT 1 FROM household_consent_scans s WHERE s.consent_id = e.id) AS has_scan"
    };
}

/// Appends an event and sets the household's current consent from it.
pub async fn insert_consent(tx: &mut Tx, row: &ConsentRow) -> StoreResult<()> {
    insert_event(tx, row).await?;
    let given = row.event == "given";
    set_current(
        tx,
        row.household_id,
        given.then_some(row.on_date),
        if given { &row.purpose } else { "" },
        row.created_at,
    )
    .await
}

/// Appends an event without touching the household's current state (the caller sets it
/// with [`set_current`] from every person's events).
pub async fn insert_event(tx: &mut Tx, row: &ConsentRow) -> StoreResult<()> {
    let sql = "INSERT INTO household_consents (id, household_id, unit_id, event, on_date, \
               purposes, purpose, method, actor_label, created_at, person_name, relation, \
               confirmed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.household_id).bind(row.unit_id)
        .bind(&row.event).bind(row.on_date).bind(&row.purposes).bind(&row.purpose)
        .bind(&row.method).bind(&row.actor_label).bind(row.created_at)
        .bind(&row.person_name).bind(&row.relation).bind(&row.confirmed_by)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Sets the household's current consent (the day and the words of the latest giving still
/// in force; `None`: nobody's consent is in force).
pub async fn set_current(
    tx: &mut Tx,
    household: Uuid,
    on: Option<Date>,
    purpose: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let sql = "UPDATE households SET consent_on = $2, consent_purpose = $3, updated_at = $4 \
               WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(household).bind(on).bind(purpose).bind(at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Keeps the scan of a paper form with its event.
pub async fn insert_consent_scan(tx: &mut Tx, row: &ConsentScanRow) -> StoreResult<()> {
    let sql = "INSERT INTO household_consent_scans (consent_id, household_id, content_type, \
               content, created_at) VALUES ($1, $2, $3, $4, $5)";
    on_tx!(tx, c => sqlx::query(sql).bind(row.consent_id).bind(row.household_id)
        .bind(&row.content_type).bind(&row.content).bind(row.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The scan kept with a household's consent event.
pub async fn consent_scan(
    ex: impl Into<Exec<'_>>,
    household: Uuid,
    consent: Uuid,
) -> StoreResult<Option<ConsentScanRow>> {
    let sql = "SELECT consent_id, household_id, content_type, content, created_at \
               FROM household_consent_scans WHERE consent_id = $1 AND household_id = $2";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(consent).bind(household)
        .fetch_optional(e).await)?,
    )
}

/// A household's consent events, oldest first (at most the latest 1,000: a household's
/// people give and withdraw a handful of times).
pub async fn consent_events(
    ex: impl Into<Exec<'_>>,
    household: Uuid,
) -> StoreResult<Vec<ConsentRow>> {
    let sql = concat!(
        "SELECT * FROM (SELECT ",
        consent_cols!(),
        " FROM household_consents e WHERE e.household_id = $1 \
         ORDER BY e.created_at DESC, e.id DESC LIMIT 1000) t ORDER BY created_at, id"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(household).fetch_all(e).await)?)
}

/// A household's consent events, newest first.
pub async fn consents_of(ex: impl Into<Exec<'_>>, household: Uuid) -> StoreResult<Vec<ConsentRow>> {
    let sql = concat!(
        "SELECT ",
        consent_cols!(),
        " FROM household_consents e WHERE e.household_id = $1 \
         ORDER BY e.created_at DESC, e.id DESC"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(household).fetch_all(e).await)?)
}

/// A household's latest consent event.
pub async fn current_consent(
    ex: impl Into<Exec<'_>>,
    household: Uuid,
) -> StoreResult<Option<ConsentRow>> {
    let sql = concat!(
        "SELECT ",
        consent_cols!(),
        " FROM household_consents e WHERE e.household_id = $1 \
         ORDER BY e.created_at DESC, e.id DESC LIMIT 1"
    );
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
