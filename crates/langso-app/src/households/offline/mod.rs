//! Offline rounds (issue 18): the copy of a member's round a phone keeps (the "pack"), the
//! sync of what the phone recorded without signal, the phones holding a copy, and what the
//! village head reviews afterwards (conflicting and held visits, proposed household changes).
//!
//! The catalogue version a phone works under is the day the newest indicator definition in
//! force took effect (`yyyy-mm-dd`): the catalogue of that day is exactly the one the phone
//! holds, so a visit made under an older version is checked against
//! `catalogue(version day)` and accepted as the phone saw it.

mod body;
mod devices;
mod proposals;
mod review;
mod sync;

use std::collections::{BTreeMap, BTreeSet};

use langso_store::households as store;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::catalogue::{Indicator, catalogue};
use super::register::{audit_unmasked_list, masked};
use super::round::in_walking_order;
use crate::auth::Actor;
use crate::{AppError, AppResult, Db, today};

pub use body::{
    MAX_BODY, MAX_ITEMS, ProposalData, SyncBatch, SyncItem, SyncProposal, SyncVisit, parse_sync,
};
pub use devices::{Device, forget_device, my_devices, revoke_device, user_devices};
pub use proposals::{KINDS, confirm_proposal, proposal_data, reject_proposal, suggested_code};
pub use review::{
    Flagged, Held, Proposal, REVIEW, ReviewList, accept_held, discard_held, mark_reviewed,
    review_list,
};
pub use sync::{Outcome, SyncResult, sync};

/// A household as the phone keeps it: only what the visit needs.
#[derive(Clone, Debug)]
pub struct PackHousehold {
    /// Id.
    pub id: Uuid,
    /// Its version (goes up on every visit or change).
    pub version: i64,
    /// The village's name.
    pub village: String,
    /// The village.
    pub village_id: Uuid,
    /// Xóm.
    pub hamlet: String,
    /// Ngõ.
    pub alley: String,
    /// House number.
    pub house_number: String,
    /// Chủ hộ.
    pub head_name: String,
    /// The representative's phone, masked unless the member holds the personal-data right.
    pub phone: Option<String>,
    /// Adults (the bound of adult-count indicators).
    pub adults: i64,
    /// Business household (business-only indicators apply).
    pub business: bool,
    /// Current values.
    pub values: BTreeMap<String, i64>,
    /// Last visit.
    pub last_visited_on: Option<Date>,
    /// Follow-up day.
    pub follow_up_on: Option<Date>,
}

/// The copy of a round a phone keeps.
#[derive(Clone, Debug)]
pub struct OfflineRound {
    /// The member.
    pub member_id: Uuid,
    /// When it was made.
    pub generated_at: OffsetDateTime,
    /// The phone, if it named itself.
    pub device_id: Option<Uuid>,
    /// The catalogue version.
    pub catalogue_version: String,
    /// The catalogue in force.
    pub indicators: Vec<Indicator>,
    /// The round in walking order.
    pub households: Vec<PackHousehold>,
}

/// What a phone asking for its copy gets.
#[derive(Clone, Debug)]
pub enum RoundCopy {
    /// The round.
    Round(Box<OfflineRound>),
    /// The phone was revoked: it deletes its copy.
    Wipe,
}

/// The version of the catalogue in force on `day` (see the module comment): the day its newest
/// definition took effect, counting definitions that retire an indicator (whose kind the
/// catalogue no longer reads, so they are not in [`catalogue`]'s list).
pub async fn catalogue_version(db: &Db, day: Date) -> AppResult<String> {
    Ok(store::indicators_on(db, day)
        .await?
        .iter()
        .map(|row| row.valid_from)
        .max()
        .map_or_else(|| "0".to_owned(), |day| day.to_string()))
}

/// The day a catalogue version names, if it is one.
pub(crate) fn version_day(version: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(version, &format).ok()
}

/// The copy of the signed-in member's round for a phone (`device`: its id and a label from
/// its User-Agent, registered or touched here). A revoked phone gets [`RoundCopy::Wipe`].
pub async fn offline_round(
    db: &Db,
    actor: &Actor,
    device: Option<(Uuid, &str)>,
) -> AppResult<RoundCopy> {
    let user = actor.user_id.ok_or(AppError::Forbidden)?;
    if let Some((id, label)) = device {
        if store::device(db, id, user)
            .await?
            .is_some_and(|d| d.revoked_at.is_some())
        {
            return Ok(RoundCopy::Wipe);
        }
        let mut tx = db.begin().await?;
        store::touch_device(&mut tx, id, user, label, true).await?;
        tx.commit().await?;
    }
    let rows = store::assigned_households(db, user).await?;
    let phones: BTreeMap<Uuid, Option<String>> = rows
        .iter()
        .map(|r| (r.id, r.representative_phone.clone()))
        .collect();
    let placed = in_walking_order(db, actor, rows).await?;
    let ids: Vec<Uuid> = placed.iter().map(|p| p.row.id).collect();
    let versions: BTreeMap<Uuid, i64> = store::household_versions(db, &ids)
        .await?
        .into_iter()
        .collect();
    let mut values: BTreeMap<Uuid, BTreeMap<String, i64>> = BTreeMap::new();
    for (household, code, value) in store::current_values(db, &ids).await? {
        values.entry(household).or_default().insert(code, value);
    }
    let mut shown = Vec::with_capacity(placed.len());
    let mut households = Vec::with_capacity(placed.len());
    for p in placed {
        let mut row = p.row;
        row.representative_phone = phones.get(&row.id).cloned().flatten();
        let (row, _) = masked(row, actor);
        households.push(PackHousehold {
            id: row.id,
            version: versions.get(&row.id).copied().unwrap_or(0),
            village: p.village,
            village_id: row.unit_id,
            hamlet: row.hamlet.clone(),
            alley: row.alley.clone(),
            house_number: row.house_number.clone(),
            head_name: row.head_name.clone(),
            phone: row.representative_phone.clone(),
            adults: row.adults,
            business: row.business,
            values: values.remove(&row.id).unwrap_or_default(),
            last_visited_on: row.last_visit_on,
            follow_up_on: row.follow_up_on,
        });
        shown.push(row);
    }
    audit_unmasked_list(db, actor, &shown, "household.round_unmasked", None).await?;
    let indicators = catalogue(db, today()).await?;
    Ok(RoundCopy::Round(Box::new(OfflineRound {
        member_id: user,
        generated_at: OffsetDateTime::now_utc(),
        device_id: device.map(|(id, _)| id),
        catalogue_version: catalogue_version(db, today()).await?,
        indicators,
        households,
    })))
}

/// The codes of a catalogue.
pub(crate) fn codes(indicators: &[Indicator]) -> BTreeSet<String> {
    indicators.iter().map(|i| i.code.clone()).collect()
}
