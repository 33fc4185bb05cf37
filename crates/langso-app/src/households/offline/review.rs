//! What the village head reviews after offline rounds, on one page: visits written on a
//! household that had changed since the phone saw it (kept in the ledger, flagged until
//! marked reviewed), visits held because their member lost the right or their phone was
//! revoked (accepted — then written as the member's visit — or discarded), and household
//! changes proposed in the field (see `proposals`).
//!
//! Reviewing needs [`REVIEW`] on the village: the permission the village head and officers
//! hold and team members do not (team members record visits; they do not judge them).

use std::sync::Arc;

use langso_domain::auth::Permission;
use langso_store::households::{self as store, FlaggedVisit, HeldVisit, OfflineVisit, ProposalRow};
use uuid::Uuid;

use super::{codes, version_day};
use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::households::catalogue::catalogue;
use crate::households::visits::{VisitInput, check_visit_against, write_visits};
use crate::{AppError, AppResult, Db, today};

pub(super) use super::proposals::receive_proposal;

/// The permission reviewing needs (see the module comment).
pub const REVIEW: Permission = Permission::ExportPeople;

/// A visit flagged for review.
pub type Flagged = FlaggedVisit;
/// A visit held for the village head.
pub type Held = HeldVisit;
/// A household change proposed in the field.
pub type Proposal = ProposalRow;

/// What waits for review in the villages under a unit.
#[derive(Clone, Debug, Default)]
pub struct ReviewList {
    /// Visits written on a changed household, not yet reviewed.
    pub flagged: Vec<Flagged>,
    /// Visits held, not yet decided.
    pub held: Vec<Held>,
    /// Proposals not yet decided.
    pub proposals: Vec<Proposal>,
}

/// What waits for review under `unit` (the actor needs [`REVIEW`] there).
pub async fn review_list(db: &Db, actor: &Actor, unit: Uuid) -> AppResult<ReviewList> {
    policy::require(db, actor, REVIEW, unit).await?;
    Ok(ReviewList {
        flagged: store::flagged_under(db, unit, today()).await?,
        held: store::held_under(db, unit, today()).await?,
        proposals: store::proposals_under(db, unit, today()).await?,
    })
}

/// Marks a flagged visit reviewed.
pub async fn mark_reviewed(db: &Db, actor: &Actor, visit: Uuid) -> AppResult<()> {
    let unit = store::flagged_unit(db, visit)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, REVIEW, unit).await?;
    let by = actor.user_id.ok_or(AppError::Forbidden)?;
    let mut tx = db.begin().await?;
    if !store::mark_reviewed(&mut tx, visit, by).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "household.visit_reviewed",
            target_type: "visit",
            target_id: visit.to_string(),
            unit_id: Some(unit),
            summary: String::new(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The visit a held row keeps, as sent.
#[derive(serde::Deserialize)]
struct HeldBody {
    household_version: i64,
    catalogue_version: String,
    visited_on: String,
    #[serde(default)]
    values: std::collections::BTreeMap<String, i64>,
    #[serde(default)]
    help: Vec<String>,
    follow_up_on: Option<String>,
    #[serde(default)]
    notes: String,
}

async fn held_for_decision(db: &Db, actor: &Actor, id: Uuid) -> AppResult<(Held, Uuid)> {
    let held = store::held_visit(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, REVIEW, held.unit_id).await?;
    let by = actor.user_id.ok_or(AppError::Forbidden)?;
    Ok((held, by))
}

/// Accepts a held visit: it is checked and written as the member's visit (checked against the
/// catalogue it was recorded under, flagged when the household changed meanwhile).
pub async fn accept_held(db: &Db, actor: &Actor, id: Uuid) -> AppResult<()> {
    let (held, by) = held_for_decision(db, actor, id).await?;
    let body: HeldBody = serde_json::from_str(&held.body)
        .map_err(|_| AppError::Internal("a held visit's body does not read".to_owned()))?;
    let day = |text: &str| version_day(text);
    let input = VisitInput {
        id: Some(held.id),
        visited_on: day(&body.visited_on),
        values: body.values,
        help: body.help,
        follow_up_on: body.follow_up_on.as_deref().and_then(day),
        notes: body.notes,
    };
    let on = day(&body.catalogue_version).unwrap_or(today()).min(today());
    let indicators = Arc::new(catalogue(db, on).await?);
    let mut checked = check_visit_against(db, actor, held.household_id, &input, indicators).await?;
    checked.visited_by(held.member_id, &held.member_label);
    checked.apply_only(&codes(&catalogue(db, today()).await?));
    let mut tx = db.begin().await?;
    store::lock_households(&mut tx, &[held.household_id]).await?;
    let found = store::visit_states(&mut tx, &[held.household_id])
        .await?
        .first()
        .map_or(0, |s| s.version);
    if !store::decide_held(&mut tx, id, "accepted", by).await? {
        return Err(AppError::NotFound);
    }
    if !write_visits(&mut tx, &[&checked]).await?.is_empty() {
        store::insert_offline_visit(
            &mut tx,
            &OfflineVisit {
                visit_id: held.id,
                device_id: held.device_id,
                household_version: body.household_version,
                catalogue_version: body.catalogue_version,
            },
        )
        .await?;
        if body.household_version < found {
            let (household, unit) = (held.household_id, held.unit_id);
            store::flag_visit(
                &mut tx,
                held.id,
                household,
                unit,
                body.household_version,
                found,
            )
            .await?;
        }
    }
    decided(&mut tx, actor, &held, "household.held_accepted").await?;
    tx.commit().await?;
    Ok(())
}

/// Discards a held visit: it stays in the held list's history, never in the ledger.
pub async fn discard_held(db: &Db, actor: &Actor, id: Uuid) -> AppResult<()> {
    let (held, by) = held_for_decision(db, actor, id).await?;
    let mut tx = db.begin().await?;
    if !store::decide_held(&mut tx, id, "discarded", by).await? {
        return Err(AppError::NotFound);
    }
    decided(&mut tx, actor, &held, "household.held_discarded").await?;
    tx.commit().await?;
    Ok(())
}

async fn decided(
    tx: &mut langso_store::Tx,
    actor: &Actor,
    held: &Held,
    action: &'static str,
) -> AppResult<()> {
    audit::record(
        tx,
        actor,
        Change {
            action,
            target_type: "visit",
            target_id: held.id.to_string(),
            unit_id: Some(held.unit_id),
            summary: format!("{}; {}", held.member_label, held.reason),
        },
    )
    .await
}
