//! What the village head reviews after offline rounds: visits written on a household that had
//! changed since the phone saw it (conflicts), visits held because their member lost the right
//! or the phone was revoked, and household changes proposed in the field. Every listing takes a
//! scope root and returns rows of villages under it only.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// Flags a visit for review: written on `found_version` of its household, made on `seen_version`.
pub async fn flag_visit(
    tx: &mut Tx,
    visit: Uuid,
    household: Uuid,
    unit: Uuid,
    seen_version: i64,
    found_version: i64,
) -> StoreResult<()> {
    let sql = "INSERT INTO visit_reviews (visit_id, household_id, unit_id, seen_version, found_version, \
               flagged_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (visit_id) DO NOTHING";
    on_tx!(tx, c => sqlx::query(sql).bind(visit).bind(household).bind(unit).bind(seen_version)
        .bind(found_version).bind(OffsetDateTime::now_utc()).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A flagged visit waiting for review.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FlaggedVisit {
    /// The visit.
    pub visit_id: Uuid,
    /// Its household.
    pub household_id: Uuid,
    /// The household's code.
    pub code: String,
    /// Its head.
    pub head_name: String,
    /// The village.
    pub unit_id: Uuid,
    /// The visit's day.
    pub visited_on: Date,
    /// Who visited.
    pub visitor_label: String,
    /// Observed values as JSON.
    pub observed: String,
    /// The version the phone saw.
    pub seen_version: i64,
    /// The version found.
    pub found_version: i64,
}

/// The flagged visits not yet reviewed in villages under `root`, oldest first (at most 500).
pub async fn flagged_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    today: Date,
) -> StoreResult<Vec<FlaggedVisit>> {
    let sql = concat!(
        "SELECT r.visit_id, r.household_id, h.code, h.head_name, r.unit_id, v.visited_on, ",
        "v.visitor_label, v.observed, r.seen_version, r.found_version FROM visit_reviews r ",
        "JOIN visits v ON v.id = r.visit_id JOIN households h ON h.id = r.household_id ",
        "JOIN unit_closure c ON c.descendant_id = r.unit_id WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND r.reviewed_at IS NULL ORDER BY r.flagged_at, r.visit_id LIMIT 500"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(today).fetch_all(e).await)?)
}

/// The village of a flagged visit not yet reviewed.
pub async fn flagged_unit(ex: impl Into<Exec<'_>>, visit: Uuid) -> StoreResult<Option<Uuid>> {
    let sql = "SELECT unit_id FROM visit_reviews WHERE visit_id = $1 AND reviewed_at IS NULL";
    let row: Option<(Uuid,)> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(visit).fetch_optional(e).await)?;
    Ok(row.map(|(u,)| u))
}

/// Marks a flagged visit reviewed.
pub async fn mark_reviewed(tx: &mut Tx, visit: Uuid, by: Uuid) -> StoreResult<bool> {
    let sql = "UPDATE visit_reviews SET reviewed_at = $2, reviewed_by = $3 \
               WHERE visit_id = $1 AND reviewed_at IS NULL";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(visit).bind(OffsetDateTime::now_utc()).bind(by)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// A visit held for the village head.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct HeldVisit {
    /// The visit id the phone made.
    pub id: Uuid,
    /// The household.
    pub household_id: Uuid,
    /// The village.
    pub unit_id: Uuid,
    /// The member who recorded it.
    pub member_id: Option<Uuid>,
    /// As shown.
    pub member_label: String,
    /// The phone.
    pub device_id: Option<Uuid>,
    /// `grant` (the member lost the right), `device` (revoked) or `member` (sent by another).
    pub reason: String,
    /// The visit as the phone sent it (JSON).
    pub body: String,
    /// When it arrived.
    pub held_at: OffsetDateTime,
}

macro_rules! held_cols {
    () => {
        "SELECT h.id, h.household_id, h.unit_id, h.member_id, h.member_label, h.device_id, \
         h.reason, h.body, h.held_at FROM held_visits h "
    };
}

/// Keeps a visit held; false when its id was already held (a phone resending).
pub async fn hold_visit(tx: &mut Tx, row: &HeldVisit) -> StoreResult<bool> {
    let sql = "INSERT INTO held_visits (id, household_id, unit_id, member_id, member_label, device_id, \
               reason, body, held_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
               ON CONFLICT (id) DO NOTHING";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.household_id).bind(row.unit_id)
        .bind(row.member_id).bind(&row.member_label).bind(row.device_id).bind(&row.reason)
        .bind(&row.body).bind(row.held_at).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// The held visits not yet decided in villages under `root`, oldest first (at most 500).
pub async fn held_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    today: Date,
) -> StoreResult<Vec<HeldVisit>> {
    let sql = concat!(
        held_cols!(),
        "JOIN unit_closure c ON c.descendant_id = h.unit_id WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND h.decided_at IS NULL ORDER BY h.held_at, h.id LIMIT 500"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(today).fetch_all(e).await)?)
}

/// A held visit not yet decided.
pub async fn held_visit(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<HeldVisit>> {
    let sql = concat!(held_cols!(), "WHERE h.id = $1 AND h.decided_at IS NULL");
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// Records the village head's decision (`accepted` or `discarded`) on a held visit.
pub async fn decide_held(tx: &mut Tx, id: Uuid, decision: &str, by: Uuid) -> StoreResult<bool> {
    let sql = "UPDATE held_visits SET decision = $2, decided_at = $3, decided_by = $4 \
               WHERE id = $1 AND decided_at IS NULL";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(id).bind(decision).bind(OffsetDateTime::now_utc())
        .bind(by).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// A household change proposed in the field.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ProposalRow {
    /// Id the phone made.
    pub id: Uuid,
    /// new, split, move or death.
    pub kind: String,
    /// The household it changes (none for a new one).
    pub household_id: Option<Uuid>,
    /// The village.
    pub unit_id: Uuid,
    /// The member who recorded it.
    pub member_id: Option<Uuid>,
    /// As shown.
    pub member_label: String,
    /// The day it was recorded.
    pub recorded_on: Date,
    /// What was recorded (JSON: head_name, hamlet, alley, house_number, members, note).
    pub data: String,
    /// pending, confirmed or rejected.
    pub status: String,
}

macro_rules! proposal_cols {
    () => {
        "SELECT p.id, p.kind, p.household_id, p.unit_id, p.member_id, p.member_label, \
         p.recorded_on, p.data, p.status FROM household_proposals p "
    };
}

/// Stores a proposal; false when its id was already stored (a phone resending).
pub async fn insert_proposal(tx: &mut Tx, row: &ProposalRow) -> StoreResult<bool> {
    let sql = "INSERT INTO household_proposals (id, kind, household_id, unit_id, member_id, member_label, \
               recorded_on, data, received_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
               ON CONFLICT (id) DO NOTHING";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(&row.kind).bind(row.household_id)
        .bind(row.unit_id).bind(row.member_id).bind(&row.member_label).bind(row.recorded_on)
        .bind(&row.data).bind(OffsetDateTime::now_utc()).bind(&row.status)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// The pending proposals in villages under `root`, oldest first (at most 500).
pub async fn proposals_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    today: Date,
) -> StoreResult<Vec<ProposalRow>> {
    let sql = concat!(
        proposal_cols!(),
        "JOIN unit_closure c ON c.descendant_id = p.unit_id WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND p.status = 'pending' ORDER BY p.received_at, p.id LIMIT 500"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(today).fetch_all(e).await)?)
}

/// A pending proposal.
pub async fn proposal(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<ProposalRow>> {
    let sql = concat!(proposal_cols!(), "WHERE p.id = $1 AND p.status = 'pending'");
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// Records the village head's decision (`confirmed` or `rejected`) on a pending proposal.
pub async fn decide_proposal(tx: &mut Tx, id: Uuid, status: &str, by: Uuid) -> StoreResult<bool> {
    let sql = "UPDATE household_proposals SET status = $2, decided_at = $3, decided_by = $4 \
               WHERE id = $1 AND status = 'pending'";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(id).bind(status).bind(OffsetDateTime::now_utc())
        .bind(by).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}
