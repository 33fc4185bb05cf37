//! Household changes recorded in the field — a new household, a split, a move, a death — kept
//! as proposals with the phone's id (so a resend is recognised) until the village head
//! confirms or rejects them. Confirming applies the change through the register's own
//! functions (`create_household`, `update_household`), which check it and write their audit
//! entries; rejecting writes one of its own.
//!
//! - new: a household in the village named, with the head, address and members recorded;
//! - split: a new household like `new`, in the village of the household it leaves, whose
//!   members go down by as many (never below one);
//! - move: the household's hamlet, alley and house number become those recorded (blank ones
//!   stay);
//! - death: the household has one member fewer (or the members recorded; never below one)
//!   and one adult fewer.

use langso_domain::auth::Permission;
use langso_store::households::{self as store, HouseholdRow, ProposalRow};
use uuid::Uuid;

use super::body::{ProposalData, SyncProposal};
use super::review::REVIEW;
use super::sync::{Outcome, SyncResult};
use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::households::register::{HouseholdInput, create_household, update_household};
use crate::{AppError, AppResult, Db, Message};

/// The kinds of proposal.
pub const KINDS: [&str; 4] = ["new", "split", "move", "death"];

fn answer(id: Uuid, outcome: Outcome, key: &'static str) -> SyncResult {
    SyncResult {
        id: id.to_string(),
        outcome,
        message: Message::new(key, &[]),
        problems: Vec::new(),
    }
}

/// Stores a proposal synced from the member's phone.
pub(crate) async fn receive_proposal(
    db: &Db,
    actor: &Actor,
    user: Uuid,
    p: &SyncProposal,
) -> AppResult<SyncResult> {
    let refused = |key| Ok(answer(p.id, Outcome::Refused, key));
    if !KINDS.contains(&p.kind.as_str()) {
        return refused("rounds-sync-proposal-kind");
    }
    if p.member_id != user {
        return refused("rounds-sync-not-yours");
    }
    let unit = match (p.kind.as_str(), p.household_id, p.village_id) {
        ("new", _, Some(village)) => village,
        ("new", _, None) => return refused("rounds-sync-village-unknown"),
        (_, Some(household), _) => match store::get_household(db, household).await? {
            Some(row) => row.unit_id,
            None => return refused("rounds-sync-household-unknown"),
        },
        (_, None, _) => return refused("rounds-sync-household-unknown"),
    };
    if !policy::allows(db, actor, Permission::WritePeople, unit).await? {
        return refused("rounds-sync-household-unknown");
    }
    if matches!(p.kind.as_str(), "new" | "split") && p.data.head_name.trim().is_empty() {
        return refused("rounds-sync-proposal-head");
    }
    let row = ProposalRow {
        id: p.id,
        kind: p.kind.clone(),
        household_id: p.household_id.filter(|_| p.kind != "new"),
        unit_id: unit,
        member_id: Some(user),
        member_label: actor.label.clone(),
        recorded_on: p.recorded_on,
        data: serde_json::to_string(&p.data).unwrap_or_else(|_| "{}".to_owned()),
        status: "pending".to_owned(),
    };
    let mut tx = db.begin().await?;
    let new = store::insert_proposal(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(if new {
        answer(p.id, Outcome::Recorded, "rounds-sync-proposal-recorded")
    } else {
        answer(
            p.id,
            Outcome::AlreadyReceived,
            "rounds-sync-already-received",
        )
    })
}

/// What a proposal records, read back.
pub fn proposal_data(row: &ProposalRow) -> ProposalData {
    serde_json::from_str(&row.data).unwrap_or_default()
}

async fn pending(db: &Db, actor: &Actor, id: Uuid) -> AppResult<(ProposalRow, Uuid)> {
    let row = store::proposal(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, REVIEW, row.unit_id).await?;
    let by = actor.user_id.ok_or(AppError::Forbidden)?;
    Ok((row, by))
}

/// The register fields of a stored household, to change some of them.
fn input_of(row: &HouseholdRow) -> HouseholdInput {
    HouseholdInput {
        unit_id: Some(row.unit_id),
        code: row.code.clone(),
        hamlet: row.hamlet.clone(),
        alley: row.alley.clone(),
        house_number: row.house_number.clone(),
        head_name: row.head_name.clone(),
        representative_name: row.representative_name.clone(),
        representative_phone: row.representative_phone.clone().unwrap_or_default(),
        citizen_id: row.citizen_id.clone().unwrap_or_default(),
        members: row.members,
        adults: row.adults,
        business: row.business,
        consent_on: row.consent_on,
        consent_purpose: row.consent_purpose.clone(),
        notes: row.notes.clone(),
    }
}

/// A new household's fields from a proposal (`code`: given by the village head).
fn new_household(unit: Uuid, code: &str, d: &ProposalData) -> HouseholdInput {
    let members = d.members.unwrap_or(1).clamp(1, 50);
    HouseholdInput {
        unit_id: Some(unit),
        code: code.trim().to_owned(),
        hamlet: d.hamlet.clone(),
        alley: d.alley.clone(),
        house_number: d.house_number.clone(),
        head_name: d.head_name.clone(),
        members,
        adults: d.adults.unwrap_or(1).clamp(0, members),
        notes: d.note.clone(),
        ..HouseholdInput::default()
    }
}

async fn household(db: &Db, row: &ProposalRow) -> AppResult<HouseholdRow> {
    let id = row.household_id.ok_or(AppError::NotFound)?;
    store::get_household(db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Confirms a pending proposal and applies it (`code`: the new household's code, for new and
/// split). A refusal of the register (a code taken, adults below recorded values) is
/// returned as is and leaves the proposal pending.
pub async fn confirm_proposal(db: &Db, actor: &Actor, id: Uuid, code: &str) -> AppResult<()> {
    let (row, by) = pending(db, actor, id).await?;
    let d = proposal_data(&row);
    match row.kind.as_str() {
        "new" => {
            create_household(db, actor, &new_household(row.unit_id, code, &d)).await?;
        }
        "split" => {
            let old = household(db, &row).await?;
            let input = new_household(old.unit_id, code, &d);
            let mut left = input_of(&old);
            left.members = (old.members - input.members).max(1);
            left.adults = old.adults.min(left.members);
            crate::households::register::validate(&left, old.unit_id, old.commune_id)
                .map_err(AppError::Invalid)?;
            create_household(db, actor, &input).await?;
            update_household(db, actor, old.id, &left).await?;
        }
        "move" => {
            let old = household(db, &row).await?;
            let mut input = input_of(&old);
            for (field, value) in [
                (&mut input.hamlet, &d.hamlet),
                (&mut input.alley, &d.alley),
                (&mut input.house_number, &d.house_number),
            ] {
                if !value.trim().is_empty() {
                    *field = value.trim().to_owned();
                }
            }
            update_household(db, actor, old.id, &input).await?;
        }
        _ => {
            let old = household(db, &row).await?;
            let mut input = input_of(&old);
            input.members = d.members.unwrap_or(old.members - 1).clamp(1, 50);
            input.adults = (old.adults - 1).max(0).min(input.members);
            update_household(db, actor, old.id, &input).await?;
        }
    }
    let mut tx = db.begin().await?;
    store::decide_proposal(&mut tx, id, "confirmed", by).await?;
    tx.commit().await?;
    Ok(())
}

/// Rejects a pending proposal: nothing changes in the register.
pub async fn reject_proposal(db: &Db, actor: &Actor, id: Uuid) -> AppResult<()> {
    let (row, by) = pending(db, actor, id).await?;
    let mut tx = db.begin().await?;
    if !store::decide_proposal(&mut tx, id, "rejected", by).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "household.proposal_rejected",
            target_type: "proposal",
            target_id: row.id.to_string(),
            unit_id: Some(row.unit_id),
            summary: format!("{}; {}", row.kind, row.member_label),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A code the village head may keep for a proposed household.
pub fn suggested_code(row: &ProposalRow) -> String {
    let simple = row.id.simple().to_string();
    format!("DX{}", &simple[simple.len() - 6..]).to_uppercase()
}
