//! The sync of what a phone recorded without signal. Each item gets one outcome; the phone
//! removes an item from its queue on every outcome but `Refused`.
//!
//! Exactly once: a visit's id is made on the phone, and the ledger's primary key is that id.
//! A resend of an id already in the ledger, among held visits or among proposals answers
//! `AlreadyReceived` and writes nothing; two syncs racing on one id both reach
//! `write_visits`, whose `INSERT … ON CONFLICT DO NOTHING` lets one write and tells the other
//! it wrote nothing, so it too answers `AlreadyReceived`. Counters move only for visits that
//! were newly written.
//!
//! Older catalogues: a visit is checked against the catalogue version the phone used (its
//! day, see the module above), so a visit made before the questionnaire changed is accepted as
//! it was recorded. Its values are all kept in the ledger row; only those of indicators in
//! today's catalogue are applied to the household, so no counter moves for an indicator that
//! is no longer in force.

use std::sync::Arc;

use langso_domain::auth::Permission;
use langso_store::households::{self as store, HeldVisit, OfflineVisit};
use time::OffsetDateTime;
use uuid::Uuid;

use super::body::{SyncBatch, SyncItem, SyncVisit};
use super::{catalogue_version, codes, review, version_day};
use crate::auth::{Actor, policy};
use crate::households::catalogue::catalogue;
use crate::households::visits::{VisitInput, check_visit_against, write_visits};
use crate::{AppError, AppResult, CellError, Db, Message, today};

/// What became of one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Written now.
    Recorded,
    /// Already held here: nothing written again.
    AlreadyReceived,
    /// Written, and flagged for the village head: the household changed since the phone saw it.
    Conflict,
    /// Kept for the village head to accept or discard.
    Held,
    /// Not accepted: the phone keeps it for the member to look at.
    Refused,
}

impl Outcome {
    /// The name the phone reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Recorded => "recorded",
            Outcome::AlreadyReceived => "already_received",
            Outcome::Conflict => "conflict",
            Outcome::Held => "held",
            Outcome::Refused => "refused",
        }
    }
}

/// One item's outcome, with a message for the member.
#[derive(Clone, Debug)]
pub struct SyncResult {
    /// The item's id as sent.
    pub id: String,
    /// What became of it.
    pub outcome: Outcome,
    /// What to tell the member.
    pub message: Message,
    /// For a refusal: each problem, by field.
    pub problems: Vec<CellError>,
}

fn result(id: impl ToString, outcome: Outcome, key: &'static str) -> SyncResult {
    SyncResult {
        id: id.to_string(),
        outcome,
        message: Message::new(key, &[]),
        problems: Vec::new(),
    }
}

/// Syncs a batch from the signed-in member's phone (`device_label`: from its User-Agent);
/// returns each item's outcome, in order, and the current catalogue version.
pub async fn sync(
    db: &Db,
    actor: &Actor,
    batch: &SyncBatch,
    device_label: &str,
) -> AppResult<(Vec<SyncResult>, String)> {
    let user = actor.user_id.ok_or(AppError::Forbidden)?;
    let mut revoked = false;
    if let Some(device) = batch.device_id {
        revoked = store::device(db, device, user)
            .await?
            .is_some_and(|d| d.revoked_at.is_some());
        if !revoked {
            let mut tx = db.begin().await?;
            store::touch_device(&mut tx, device, user, device_label, false).await?;
            tx.commit().await?;
        }
    }
    let ids: Vec<Uuid> = batch
        .items
        .iter()
        .filter_map(|item| match item {
            SyncItem::Visit(v) => Some(v.id),
            SyncItem::Proposal(p) => Some(p.id),
            SyncItem::Unreadable { .. } => None,
        })
        .collect();
    let known: Vec<Uuid> = store::known_ids(db, &ids)
        .await?
        .into_iter()
        .map(|(id,)| id)
        .collect();
    let todays = catalogue(db, today()).await?;
    let mut results = Vec::with_capacity(batch.items.len());
    for item in &batch.items {
        let outcome = match item {
            SyncItem::Unreadable { id, key } => result(id, Outcome::Refused, key),
            SyncItem::Visit(v) if known.contains(&v.id) => result(
                v.id,
                Outcome::AlreadyReceived,
                "rounds-sync-already-received",
            ),
            SyncItem::Proposal(p) if known.contains(&p.id) => result(
                p.id,
                Outcome::AlreadyReceived,
                "rounds-sync-already-received",
            ),
            SyncItem::Visit(v) => {
                let held = revoked.then_some("device");
                sync_visit(db, actor, user, v, batch.device_id, held, &todays).await?
            }
            SyncItem::Proposal(p) => review::receive_proposal(db, actor, user, p).await?,
        };
        results.push(outcome);
    }
    Ok((results, catalogue_version(db, today()).await?))
}

/// One visit: held, refused, or written (recorded or conflict).
async fn sync_visit(
    db: &Db,
    actor: &Actor,
    user: Uuid,
    v: &SyncVisit,
    device: Option<Uuid>,
    held: Option<&'static str>,
    todays: &[crate::households::Indicator],
) -> AppResult<SyncResult> {
    let Some(household) = store::get_household(db, v.household_id).await? else {
        return Ok(result(
            v.id,
            Outcome::Refused,
            "rounds-sync-household-unknown",
        ));
    };
    let writes = policy::allows(db, actor, Permission::WritePeople, household.unit_id).await?;
    let reason = match held {
        Some(reason) => Some(reason),
        None if v.member_id != user => Some("member"),
        None if !writes && household.assigned_to == Some(user) => Some("grant"),
        None if !writes => {
            return Ok(result(
                v.id,
                Outcome::Refused,
                "rounds-sync-household-unknown",
            ));
        }
        None => None,
    };
    if let Some(reason) = reason {
        return hold(db, actor, v, &household, device, reason).await;
    }
    let Some(day) = version_day(&v.catalogue_version) else {
        return Ok(result(
            v.id,
            Outcome::Refused,
            "rounds-sync-catalogue-unknown",
        ));
    };
    let indicators = Arc::new(catalogue(db, day.min(today())).await?);
    let checked = check_visit_against(db, actor, v.household_id, &input(v), indicators).await;
    let mut checked = match checked {
        Ok(checked) => checked,
        Err(AppError::Invalid(problems)) => {
            let mut refused = result(v.id, Outcome::Refused, "rounds-sync-refused");
            refused.problems = problems;
            return Ok(refused);
        }
        Err(AppError::NotFound | AppError::Forbidden) => {
            return Ok(result(
                v.id,
                Outcome::Refused,
                "rounds-sync-household-unknown",
            ));
        }
        Err(other) => return Err(other),
    };
    checked.apply_only(&codes(todays));
    let mut tx = db.begin().await?;
    store::lock_households(&mut tx, &[household.id]).await?;
    let found = store::visit_states(&mut tx, &[household.id])
        .await?
        .first()
        .map_or(0, |s| s.version);
    let written = write_visits(&mut tx, &[&checked]).await?;
    if written.is_empty() {
        return Ok(result(
            v.id,
            Outcome::AlreadyReceived,
            "rounds-sync-already-received",
        ));
    }
    store::insert_offline_visit(
        &mut tx,
        &OfflineVisit {
            visit_id: v.id,
            device_id: device,
            household_version: v.household_version,
            catalogue_version: v.catalogue_version.clone(),
        },
    )
    .await?;
    let conflict = v.household_version < found;
    if conflict {
        store::flag_visit(
            &mut tx,
            v.id,
            household.id,
            household.unit_id,
            v.household_version,
            found,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(if conflict {
        result(v.id, Outcome::Conflict, "rounds-sync-conflict")
    } else {
        result(v.id, Outcome::Recorded, "rounds-sync-recorded")
    })
}

/// The visit as the visit form would send it.
pub(super) fn input(v: &SyncVisit) -> VisitInput {
    VisitInput {
        id: Some(v.id),
        visited_on: Some(v.visited_on),
        values: v.values.clone(),
        help: v.help.clone(),
        follow_up_on: v.follow_up_on,
        notes: v.notes.clone(),
    }
}

/// Keeps a visit for the village head (`reason`: grant, device or member).
async fn hold(
    db: &Db,
    actor: &Actor,
    v: &SyncVisit,
    household: &store::HouseholdRow,
    device: Option<Uuid>,
    reason: &'static str,
) -> AppResult<SyncResult> {
    let body = serde_json::json!({
        "household_version": v.household_version,
        "catalogue_version": v.catalogue_version,
        "visited_on": v.visited_on.to_string(),
        "values": v.values,
        "help": v.help,
        "follow_up_on": v.follow_up_on.map(|d| d.to_string()),
        "notes": v.notes,
    });
    let row = HeldVisit {
        id: v.id,
        household_id: household.id,
        unit_id: household.unit_id,
        member_id: actor.user_id.filter(|u| *u == v.member_id),
        member_label: actor.label.clone(),
        device_id: device,
        reason: reason.to_owned(),
        body: body.to_string(),
        held_at: OffsetDateTime::now_utc(),
    };
    let mut tx = db.begin().await?;
    let new = store::hold_visit(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(if new {
        let key = match reason {
            "device" => "rounds-sync-held-device",
            "member" => "rounds-sync-held-member",
            _ => "rounds-sync-held-grant",
        };
        result(v.id, Outcome::Held, key)
    } else {
        result(
            v.id,
            Outcome::AlreadyReceived,
            "rounds-sync-already-received",
        )
    })
}
