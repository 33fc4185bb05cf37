//! The body of `POST /round/sync`, read with limits: it comes from a phone, so from outside.
//!
//! The whole body is refused only when it is too large, not JSON, or holds more than
//! [`MAX_ITEMS`] items; otherwise each item is read on its own, so one malformed visit is
//! refused by itself (the phone keeps it for the member to look at) and the others go through.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use time::Date;
use uuid::Uuid;

use crate::{AppError, AppResult};

/// The largest body accepted, in bytes.
pub const MAX_BODY: usize = 512 * 1024;
/// The most items (visits and proposals together) in one sync.
pub const MAX_ITEMS: usize = 100;
/// The most indicator values in one visit.
pub const MAX_VALUES: usize = 64;
/// The most help codes in one visit.
pub const MAX_HELP: usize = 16;
/// The longest notes, in characters.
pub const MAX_NOTES: usize = 1000;
/// The longest short text (a name, a code, a version), in characters.
pub const MAX_TEXT: usize = 200;

/// A visit recorded on a phone.
#[derive(Clone, Debug, Deserialize)]
pub struct SyncVisit {
    /// UUIDv7 made on the phone.
    pub id: Uuid,
    /// The household.
    pub household_id: Uuid,
    /// The household version the phone saw.
    pub household_version: i64,
    /// The catalogue version the phone used.
    pub catalogue_version: String,
    /// Who recorded it.
    pub member_id: Uuid,
    /// The day of the visit.
    pub visited_on: Date,
    /// Values by indicator code.
    #[serde(default)]
    pub values: BTreeMap<String, i64>,
    /// Help given.
    #[serde(default)]
    pub help: Vec<String>,
    /// When to come back.
    #[serde(default)]
    pub follow_up_on: Option<Date>,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// What a proposal records.
#[derive(Clone, Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ProposalData {
    /// The head's name (new, split).
    pub head_name: String,
    /// Xóm.
    pub hamlet: String,
    /// Ngõ.
    pub alley: String,
    /// House number.
    pub house_number: String,
    /// Members (new, split: of the new household; death: left in the household).
    pub members: Option<i64>,
    /// Adults among them (new, split; default one).
    pub adults: Option<i64>,
    /// A note from the member.
    pub note: String,
}

/// A household change recorded on a phone.
#[derive(Clone, Debug, Deserialize)]
pub struct SyncProposal {
    /// UUIDv7 made on the phone.
    pub id: Uuid,
    /// new, split, move or death.
    pub kind: String,
    /// The household changed (split, move, death).
    #[serde(default)]
    pub household_id: Option<Uuid>,
    /// The village (new).
    #[serde(default)]
    pub village_id: Option<Uuid>,
    /// Who recorded it.
    pub member_id: Uuid,
    /// The day it was recorded.
    pub recorded_on: Date,
    /// What was recorded.
    #[serde(default)]
    pub data: ProposalData,
}

/// One item of a sync, in the order sent (visits first, then proposals).
#[derive(Clone, Debug)]
pub enum SyncItem {
    /// A visit.
    Visit(SyncVisit),
    /// A proposal.
    Proposal(SyncProposal),
    /// An item that could not be read: its id as sent (if any) and why.
    Unreadable {
        /// The `id` field as sent.
        id: String,
        /// The catalogue key saying why.
        key: &'static str,
    },
}

/// A sync body, read.
#[derive(Clone, Debug)]
pub struct SyncBatch {
    /// The phone.
    pub device_id: Option<Uuid>,
    /// Its items.
    pub items: Vec<SyncItem>,
}

#[derive(Deserialize)]
struct RawBody {
    #[serde(default)]
    device_id: Option<Value>,
    #[serde(default)]
    visits: Vec<Value>,
    #[serde(default)]
    proposals: Vec<Value>,
}

/// Reads a sync body: refused whole when larger than [`MAX_BODY`], not a JSON object of the
/// expected shape, or with more than [`MAX_ITEMS`] items.
pub fn parse_sync(bytes: &[u8]) -> AppResult<SyncBatch> {
    if bytes.len() > MAX_BODY {
        return Err(AppError::refused_key(
            "rounds-sync-too-large",
            &[("limit", &(MAX_BODY / 1024))],
        ));
    }
    let raw: RawBody = serde_json::from_slice(bytes)
        .map_err(|_| AppError::refused_key("rounds-sync-unreadable", &[]))?;
    let count = raw.visits.len() + raw.proposals.len();
    if count > MAX_ITEMS {
        return Err(AppError::refused_key(
            "rounds-sync-too-many",
            &[("count", &count), ("limit", &MAX_ITEMS)],
        ));
    }
    let device_id = match raw.device_id {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(
            Uuid::parse_str(&text)
                .map_err(|_| AppError::refused_key("rounds-sync-unreadable", &[]))?,
        ),
        Some(_) => return Err(AppError::refused_key("rounds-sync-unreadable", &[])),
    };
    let mut items = Vec::with_capacity(count);
    items.extend(raw.visits.into_iter().map(read_visit));
    items.extend(raw.proposals.into_iter().map(read_proposal));
    Ok(SyncBatch { device_id, items })
}

fn id_of(value: &Value) -> String {
    value
        .get("id")
        .and_then(Value::as_str)
        .map(|id| id.chars().take(40).collect())
        .unwrap_or_default()
}

fn read_visit(value: Value) -> SyncItem {
    let id = id_of(&value);
    let visit: SyncVisit = match serde_json::from_value(value) {
        Ok(visit) => visit,
        Err(_) => {
            return SyncItem::Unreadable {
                id,
                key: "rounds-sync-item-unreadable",
            };
        }
    };
    let long = |text: &str, most: usize| text.chars().count() > most;
    if visit.values.len() > MAX_VALUES
        || visit.help.len() > MAX_HELP
        || long(&visit.notes, MAX_NOTES)
        || long(&visit.catalogue_version, MAX_TEXT)
        || visit
            .values
            .keys()
            .chain(visit.help.iter())
            .any(|c| long(c, MAX_TEXT))
    {
        return SyncItem::Unreadable {
            id,
            key: "rounds-sync-item-too-large",
        };
    }
    SyncItem::Visit(visit)
}

fn read_proposal(value: Value) -> SyncItem {
    let id = id_of(&value);
    let proposal: SyncProposal = match serde_json::from_value(value) {
        Ok(proposal) => proposal,
        Err(_) => {
            return SyncItem::Unreadable {
                id,
                key: "rounds-sync-item-unreadable",
            };
        }
    };
    let d = &proposal.data;
    let long = |text: &str| text.chars().count() > MAX_TEXT;
    if long(&proposal.kind)
        || long(&d.head_name)
        || long(&d.hamlet)
        || long(&d.alley)
        || long(&d.house_number)
        || d.note.chars().count() > MAX_NOTES
    {
        return SyncItem::Unreadable {
            id,
            key: "rounds-sync-item-too-large",
        };
    }
    SyncItem::Proposal(proposal)
}
