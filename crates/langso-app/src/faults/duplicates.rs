//! Duplicates (issue 16): before a resident sends a report, the form shows the open reports
//! of the same kind within 50 m (or on the same asset) and offers "this is my problem too",
//! which adds the resident as a follower of that report: counted, and told of its updates
//! with the others. An officer marks a report as a duplicate of another: it is closed, and its
//! reporter (and its followers) follow the original.

use langso_domain::assets::distance_m;
use langso_domain::faults::WorkStatus;
use langso_domain::public_text::xml_safe;
use langso_store::faults::followers::{self as extra, FollowerRow};
use langso_store::faults::{self as store, HistoryRow, WorkOrderRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{HANDLE, moderation, public_order};
use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db};

/// Open reports this close to a new one (in metres) are offered as "this is my problem too".
pub const DUPLICATE_WITHIN_M: f64 = 50.0;

/// The most suggestions the form shows.
const MOST_SUGGESTIONS: usize = 5;

/// An open report near a new one, as the public may read it.
#[derive(Clone, Debug)]
pub struct Nearby {
    /// The report (public view: personal data masked, hidden text blanked).
    pub order: WorkOrderRow,
    /// How far from the new report's position, when both have one.
    pub distance_m: Option<f64>,
    /// How many already follow it.
    pub followers: i64,
}

fn open(status: &str) -> bool {
    matches!(
        WorkStatus::parse(status),
        Some(WorkStatus::New | WorkStatus::Assigned | WorkStatus::InProgress)
    )
}

/// The open reports of `service_code` within [`DUPLICATE_WITHIN_M`] of a point, or on the
/// asset `asset_code` names, nearest first.
pub async fn nearby_open(
    db: &Db,
    service_code: &str,
    asset_code: Option<&str>,
    position: Option<(f64, f64)>,
) -> AppResult<Vec<Nearby>> {
    let code = service_code.trim();
    if code.is_empty() || code.len() > 40 {
        return Ok(Vec::new());
    }
    let asset = match asset_code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => langso_store::assets::asset_by_code(db, &c.to_uppercase())
            .await?
            .map(|a| a.id),
        None => None,
    };
    let position = position.filter(|(lat, lon)| lat.is_finite() && lon.is_finite());
    if asset.is_none() && position.is_none() {
        return Ok(Vec::new());
    }
    // 50 m is about 0.00045° of latitude; longitude degrees shrink with the cosine.
    let dlat = 0.0005;
    let boxes = position.map(|(lat, lon)| {
        let dlon = dlat / lat.to_radians().cos().max(0.1);
        ((lat - dlat, lat + dlat), (lon - dlon, lon + dlon))
    });
    let found =
        extra::open_orders_near(db, code, asset, boxes.map(|b| b.0), boxes.map(|b| b.1), 50)
            .await?;
    let mut near: Vec<(Option<f64>, WorkOrderRow)> = found
        .into_iter()
        .filter_map(|order| {
            let distance = match (position, order.latitude.zip(order.longitude)) {
                (Some(p), Some(q)) => Some(distance_m(p, q)),
                _ => None,
            };
            let same_asset = asset.is_some() && order.asset_id == asset;
            (same_asset || distance.is_some_and(|d| d <= DUPLICATE_WITHIN_M))
                .then_some((distance, order))
        })
        .collect();
    near.sort_by(|a, b| {
        a.0.unwrap_or(0.0)
            .total_cmp(&b.0.unwrap_or(0.0))
            .then(b.1.requested_at.cmp(&a.1.requested_at))
    });
    near.truncate(MOST_SUGGESTIONS);
    let mut out = Vec::with_capacity(near.len());
    for (distance, order) in near {
        let followers = extra::follower_count(db, order.id).await?;
        let shown = moderation::hide_one(db, public_order(order)).await?;
        out.push(Nearby {
            order: shown,
            distance_m: distance,
            followers,
        });
    }
    Ok(out)
}

/// "This is my problem too": adds a follower (with a contact, optional) to an open report and
/// answers how many follow it now.
pub async fn follow_report(db: &Db, id: Uuid, contact: &str) -> AppResult<i64> {
    let order = store::order(db, id).await?.ok_or(AppError::NotFound)?;
    if extra::duplicate_of(db, id).await?.is_some() || !open(&order.status) {
        return Err(AppError::refused_key("faults-follow-closed", &[]));
    }
    let contact = xml_safe(contact.trim()).into_owned();
    if contact.chars().count() > 200 {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "contact",
            "faults-too-long",
            &[],
        )]));
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = db.begin().await?;
    extra::insert_follower(
        &mut tx,
        &FollowerRow {
            id: Uuid::now_v7(),
            work_order_id: id,
            contact,
            from_order_id: None,
            created_at: now,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &Actor::system("public"),
        Change {
            action: "faults.follow",
            target_type: "work_order",
            target_id: id.to_string(),
            unit_id: order.unit_id,
            summary: String::new(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(extra::follower_count(db, id).await?)
}

/// The followers of a report (with their contacts as given), for those who handle it.
pub async fn followers(db: &Db, actor: &Actor, id: Uuid) -> AppResult<Vec<FollowerRow>> {
    super::order(db, actor, id).await?;
    Ok(extra::followers(db, id).await?)
}

/// Marks report `id` as a duplicate of `original` (an id, as the officer's page links it):
/// `id` is closed, its reporter and followers follow the original. Both must be the actor's
/// to handle.
pub async fn mark_duplicate(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    original: &str,
) -> AppResult<WorkOrderRow> {
    let found = store::order(db, id).await?.ok_or(AppError::NotFound)?;
    require_handle(db, actor, &found).await?;
    let refuse = |key: &'static str| {
        Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "original",
            key,
            &[],
        )]))
    };
    let Ok(original_id) = Uuid::parse_str(original.trim().trim_start_matches('#')) else {
        return refuse("faults-duplicate-unknown");
    };
    let Some(target) = store::order(db, original_id).await? else {
        return refuse("faults-duplicate-unknown");
    };
    if require_handle(db, actor, &target).await.is_err() {
        return refuse("faults-duplicate-unknown");
    }
    if original_id == id
        || extra::duplicate_of(db, original_id).await?.is_some()
        || extra::duplicate_of(db, id).await?.is_some()
    {
        return refuse("faults-duplicate-refused");
    }
    let from = WorkStatus::parse(&found.status)
        .ok_or_else(|| AppError::refused_key("faults-status-corrupt", &[]))?;
    let now = OffsetDateTime::now_utc();
    let mut tx = db.begin().await?;
    extra::insert_duplicate(&mut tx, id, original_id, &actor.label, now).await?;
    extra::move_followers(&mut tx, id, original_id).await?;
    extra::insert_follower(
        &mut tx,
        &FollowerRow {
            id: Uuid::now_v7(),
            work_order_id: original_id,
            contact: found.reporter.clone(),
            from_order_id: Some(id),
            created_at: now,
        },
    )
    .await?;
    if from != WorkStatus::Closed {
        let closed = WorkStatus::Closed.as_str();
        if !store::set_status(&mut tx, id, from.as_str(), closed, &found.assignee, now).await? {
            return Err(AppError::refused_key("faults-order-moved-meanwhile", &[]));
        }
        let step = HistoryRow {
            at: now,
            from_status: Some(from.as_str().to_owned()),
            to_status: closed.to_owned(),
            actor: actor.label.clone(),
            note: String::new(),
            public_note: false,
        };
        store::insert_history(&mut tx, id, &step).await?;
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "faults.duplicate",
            target_type: "work_order",
            target_id: id.to_string(),
            unit_id: found.unit_id,
            summary: format!("→ {original_id}"),
        },
    )
    .await?;
    tx.commit().await?;
    store::order(db, id).await?.ok_or(AppError::NotFound)
}

pub(super) async fn require_handle(db: &Db, actor: &Actor, order: &WorkOrderRow) -> AppResult<()> {
    match order.unit_id {
        Some(unit) => policy::require(db, actor, HANDLE, unit).await,
        None if actor.is_admin() => Ok(()),
        None => Err(AppError::NotFound),
    }
}

/// What the public pages show beside a report: how many follow it, the report it duplicates,
/// and what of it is hidden (the reasons' codes).
#[derive(Clone, Debug, Default)]
pub struct PublicExtras {
    /// Followers.
    pub followers: i64,
    /// The report this one was merged into.
    pub duplicate_of: Option<Uuid>,
    /// Why the text is hidden, if it is.
    pub text_hidden: Option<String>,
    /// Why the photo is hidden, if it is.
    pub photo_hidden: Option<String>,
}

/// [`PublicExtras`] of one report.
pub async fn public_extras(db: &Db, id: Uuid) -> AppResult<PublicExtras> {
    let hidden = extra::moderation(db, id).await?.unwrap_or_default();
    Ok(PublicExtras {
        followers: extra::follower_count(db, id).await?,
        duplicate_of: extra::duplicate_of(db, id).await?,
        text_hidden: hidden.text_reason,
        photo_hidden: hidden.photo_reason,
    })
}

/// One report and its steps as the public may read them, by id (the page a follower reaches;
/// the reporter's own page goes by token).
pub async fn public_report(
    db: &Db,
    id: Uuid,
) -> AppResult<(WorkOrderRow, Vec<HistoryRow>, PublicExtras)> {
    let order = super::public_request(db, id).await?;
    let history = super::public_steps(store::history(db, id).await?);
    let extras = public_extras(db, id).await?;
    Ok((order, history, extras))
}

/// What an officer's page of a report shows beside it (issue 16): its followers (contacts
/// masked without the personal-data right), the report it duplicates, what is hidden from
/// the public, and the open reports of its kind nearby (candidates for "duplicate of").
#[derive(Clone, Debug, Default)]
pub struct OfficerExtras {
    /// Followers' contacts, oldest first (masked unless the `pii` right; empty when the
    /// reader may not handle the report).
    pub followers: Vec<String>,
    /// How many follow it.
    pub follower_count: usize,
    /// The report this one duplicates.
    pub duplicate_of: Option<Uuid>,
    /// What is hidden from the public.
    pub moderation: Option<extra::ModerationRow>,
    /// Open reports of the same kind within 50 m or on the same asset.
    pub candidates: Vec<Nearby>,
}

/// [`OfficerExtras`] of one report, for a reader of it.
pub async fn officer_extras(db: &Db, actor: &Actor, id: Uuid) -> AppResult<OfficerExtras> {
    let (order, _) = super::order(db, actor, id).await?;
    let may_handle = require_handle(db, actor, &order).await.is_ok();
    let rows = extra::followers(db, id).await?;
    let followers = if may_handle {
        rows.iter()
            .filter(|f| !f.contact.is_empty())
            .map(|f| {
                if actor.pii {
                    f.contact.clone()
                } else {
                    super::masked_contact(&f.contact)
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let duplicate_of = extra::duplicate_of(db, id).await?;
    let candidates = if may_handle && duplicate_of.is_none() {
        nearby_open(
            db,
            &order.service_code,
            order.asset_code.as_deref(),
            order.latitude.zip(order.longitude),
        )
        .await?
        .into_iter()
        .filter(|n| n.order.id != id)
        .collect()
    } else {
        Vec::new()
    };
    Ok(OfficerExtras {
        followers,
        follower_count: rows.len(),
        duplicate_of,
        moderation: extra::moderation(db, id).await?,
        candidates,
    })
}
