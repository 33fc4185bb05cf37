//! Fault reports and work orders. A report comes from anyone (the public form behind an
//! asset's QR sticker, or an Open311 GeoReport v2 client), is linked to the asset it names or
//! to the nearest asset of its kind within 30 m, and becomes a work order with a due time by
//! kind. Officers and village teams move it new → assigned → in progress → fixed → closed; the
//! reporter follows it with a token. Handling needs `WritePeople` on the order's unit.

use langso_domain::assets::{AssetKind, distance_m};
use langso_domain::faults::photo_meta::strip_metadata;
use langso_domain::faults::{MAX_PHOTO_BYTES, NEAREST_WITHIN_M, WorkStatus, photo_type};
use langso_domain::public_text::xml_safe;
use langso_store::faults::{self as store, HistoryRow, WorkOrderRow};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::{Actor, policy, random_token};
use crate::{AppError, AppResult, CellError, Db, today};

pub use langso_store::faults::{HistoryRow as WorkOrderStep, WorkOrderRow as WorkOrder};
pub use public::{follow, photo_path, public_order, public_request, public_requests, public_steps};

pub mod levels;
mod public;
// --- h16a: routing, followers and duplicates, moderation ---
mod duplicates;
mod moderation;
mod routing;
pub use duplicates::{
    DUPLICATE_WITHIN_M, Nearby, OfficerExtras, PublicExtras, follow_report, followers,
    mark_duplicate, nearby_open, officer_extras, public_extras, public_report,
};
pub use moderation::{HIDE_REASONS, moderate, moderation_of, public_photo};
pub use routing::{Places, Routing, places};
pub mod updates;

/// Handling work orders.
pub const HANDLE: langso_domain::auth::Permission = langso_domain::auth::Permission::WritePeople;

/// The services residents may report on: each asset kind, and `other`.
pub fn services() -> Vec<(&'static str, &'static str, &'static str)> {
    let mut list: Vec<_> = AssetKind::ALL
        .iter()
        .map(|k| {
            let (vi, en) = match k {
                AssetKind::Camera => ("Camera an ninh hỏng", "Broken security camera"),
                AssetKind::SolarLight => ("Đèn năng lượng mặt trời không sáng", "Solar light out"),
                AssetKind::GridLight => ("Đèn đường không sáng", "Street light out"),
                AssetKind::Wifi => ("Wifi miễn phí không dùng được", "Free wifi not working"),
                AssetKind::Loudspeaker => ("Loa truyền thanh hỏng", "Loudspeaker broken"),
                AssetKind::Billboard => ("Pano hỏng", "Billboard damaged"),
            };
            (k.as_str(), vi, en)
        })
        .collect();
    list.push(("other", "Sự cố khác", "Other fault"));
    list
}

/// The longest description a report may carry (Open311 clients send up to 4,000 characters).
pub const MAX_DESCRIPTION_CHARS: usize = 4000;

/// A fault report as received.
#[derive(Clone, Debug, Default)]
pub struct NewReport {
    /// Service code (an asset kind or `other`).
    pub service_code: String,
    /// The asset's code, when the reporter came from its QR sticker.
    pub asset_code: Option<String>,
    /// Where.
    pub latitude: Option<f64>,
    /// Where.
    pub longitude: Option<f64>,
    /// Address as written.
    pub address: String,
    /// What is wrong.
    pub description: String,
    /// A photo's URL.
    pub media_url: Option<String>,
    /// Name or contact, optional.
    pub reporter: String,
    /// A photo's bytes (JPEG, PNG or WebP, at most [`MAX_PHOTO_BYTES`]), optional.
    pub photo: Option<Vec<u8>>,
    /// The unit (a village code) the reporter names, used when no asset is linked.
    pub unit_code: Option<String>,
}

/// Records a report as a new work order. Every bad field is named; nothing is written then.
pub async fn submit_report(db: &Db, input: &NewReport) -> AppResult<WorkOrderRow> {
    submit_report_routed(db, input, &Routing::default()).await
}

/// [`submit_report`] with what the site knows beyond the report's fields (the QR poster the
/// resident came from, the site's default unit), used to route it (see `routing`).
pub async fn submit_report_routed(
    db: &Db,
    input: &NewReport,
    route: &Routing,
) -> AppResult<WorkOrderRow> {
    let mut problems = Vec::new();
    let code = input.service_code.trim();
    let kind = AssetKind::parse(code).ok();
    if kind.is_none() && code != "other" {
        problems.push(CellError::keyed(
            0,
            "service_code",
            "faults-service-unknown",
            &[],
        ));
    }
    // Control characters mean nothing in a report, break XML documents and PostgreSQL refuses
    // NUL: they are replaced here, once, before anything is stored.
    let description = xml_safe(input.description.trim()).into_owned();
    // Open311 makes the description optional; the category and the place say what is wrong.
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        problems.push(CellError::keyed(
            0,
            "description",
            "faults-description-length",
            &[("limit", &MAX_DESCRIPTION_CHARS)],
        ));
    }
    if let Err(e) = langso_domain::procedures::check_coordinates(input.latitude, input.longitude) {
        problems.push(CellError::from_message(0, "lat", e.message()));
    }
    let media = input
        .media_url
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    if media
        .is_some_and(|m| !(m.starts_with("https://") || m.starts_with("http://")) || m.len() > 500)
    {
        problems.push(CellError::keyed(
            0,
            "media_url",
            "faults-media-url-invalid",
            &[],
        ));
    }
    if input.address.chars().count() > 300 || input.reporter.chars().count() > 200 {
        problems.push(CellError::keyed(
            0,
            "address_string",
            "faults-too-long",
            &[],
        ));
    }
    let photo = match input.photo.as_deref().filter(|p| !p.is_empty()) {
        None => None,
        Some(bytes) if bytes.len() > MAX_PHOTO_BYTES => {
            problems.push(CellError::keyed(0, "photo", "faults-photo-too-large", &[]));
            None
        }
        Some(bytes) => match photo_type(bytes) {
            // Published photos carry no EXIF/GPS: stripped before anything is stored.
            Some(content_type) => match strip_metadata(bytes) {
                Ok(clean) => Some((content_type, clean)),
                Err(e) => {
                    problems.push(CellError::keyed(0, "photo", e.key(), &[]));
                    None
                }
            },
            None => {
                problems.push(CellError::keyed(0, "photo", "faults-photo-type", &[]));
                None
            }
        },
    };
    let named = input
        .asset_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let asset = match named {
        Some(code) => {
            let found = langso_store::assets::asset_by_code(db, &code.to_uppercase()).await?;
            if found.is_none() {
                problems.push(CellError::keyed(0, "asset", "faults-asset-not-found", &[]));
            }
            found.map(|a| (a.id, a.unit_id, a.kind))
        }
        None => match (input.latitude, input.longitude) {
            (Some(lat), Some(lon)) => nearest(db, kind, lat, lon).await?,
            _ => None,
        },
    };
    let place_named = input
        .unit_code
        .as_deref()
        .is_some_and(|c| !c.trim().is_empty())
        || route
            .placement
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty());
    if named.is_none()
        && input.latitude.is_none()
        && input.address.trim().is_empty()
        && !place_named
    {
        problems.push(CellError::keyed(0, "lat", "faults-location-required", &[]));
    }
    // The unit the resident picked (a code; the form turns a picked label into it).
    let picked = match input
        .unit_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(code) => {
            let found = langso_store::units::by_code(db, code, today()).await?;
            if found.is_none() {
                problems.push(CellError::keyed(0, "unit", "faults-unit-not-found", &[]));
            }
            found.map(|u| u.id)
        }
        None => None,
    };
    // Every report lands on a unit, so some officer sees it (see `routing`).
    let clues = routing::Clues {
        asset_unit: asset.as_ref().map(|a| a.1),
        position: input.latitude.zip(input.longitude),
        picked,
    };
    let unit = if problems.is_empty() {
        routing::unit_for(db, &clues, route).await?
    } else {
        None
    };
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let service = kind
        .or_else(|| asset.as_ref().and_then(|a| AssetKind::parse(&a.2).ok()))
        .map_or("other", AssetKind::as_str);
    let now = OffsetDateTime::now_utc();
    let token: String = random_token("")?.chars().take(16).collect();
    let service_code = if code == "other" && asset.is_none() {
        "other"
    } else {
        service
    };
    let level = levels::level_for(db, unit, service_code).await?;
    let order = WorkOrderRow {
        id: Uuid::now_v7(),
        token,
        service_code: service_code.to_owned(),
        asset_id: asset.as_ref().map(|a| a.0),
        unit_id: unit,
        latitude: input.latitude,
        longitude: input.longitude,
        address: xml_safe(input.address.trim()).into_owned(),
        description,
        media_url: media.map(str::to_owned),
        reporter: xml_safe(input.reporter.trim()).into_owned(),
        status: WorkStatus::New.as_str().to_owned(),
        assignee: String::new(),
        due_at: now + Duration::hours(level.repair_hours),
        requested_at: now,
        updated_at: now,
        asset_code: None,
        respond_by: Some(now + Duration::hours(level.response_hours)),
        fixed_at: None,
    };
    let mut tx = db.begin().await?;
    store::insert_order(&mut tx, &order).await?;
    let step = HistoryRow {
        at: now,
        from_status: None,
        to_status: "new".to_owned(),
        actor: "public".to_owned(),
        note: String::new(),
        public_note: false,
    };
    store::insert_history(&mut tx, order.id, &step).await?;
    if let Some((content_type, content)) = photo {
        store::insert_photo(
            &mut tx,
            &store::PhotoRow {
                work_order_id: order.id,
                content_type: content_type.to_owned(),
                content,
                created_at: now,
            },
        )
        .await?;
    }
    // h17c: the unit's responsible officers are told, in this transaction.
    if let Some(unit) = order.unit_id {
        let notice = crate::comms::notify::fault_notice(&order, unit);
        crate::comms::notify::Notifier::default()
            .unit(&mut tx, &notice, now)
            .await?;
    }
    audit::record(
        &mut tx,
        &Actor::system("public"),
        Change {
            action: "faults.report",
            target_type: "work_order",
            target_id: order.id.to_string(),
            unit_id: order.unit_id,
            summary: format!(
                "{} {}",
                order.service_code,
                order.asset_id.map(|a| a.to_string()).unwrap_or_default()
            ),
        },
    )
    .await?;
    tx.commit().await?;
    store::order(db, order.id).await?.ok_or(AppError::NotFound)
}

/// The nearest asset (of `kind` when given) within 30 m of a point.
async fn nearest(
    db: &Db,
    kind: Option<AssetKind>,
    lat: f64,
    lon: f64,
) -> AppResult<Option<(Uuid, Uuid, String)>> {
    // 30 m is about 0.00027° of latitude; longitude degrees shrink with the cosine.
    let dlat = 0.0003;
    let dlon = 0.0003 / lat.to_radians().cos().max(0.1);
    let candidates = store::assets_near(
        db,
        kind.map(AssetKind::as_str),
        (lat - dlat, lat + dlat),
        (lon - dlon, lon + dlon),
    )
    .await?;
    Ok(candidates
        .into_iter()
        .map(|(id, unit, kind, alat, alon)| (distance_m((lat, lon), (alat, alon)), id, unit, kind))
        .filter(|(d, ..)| *d <= NEAREST_WITHIN_M)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id, unit, kind)| (id, unit, kind)))
}

/// Work orders under a unit (for the people who handle them).
pub async fn orders_under(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    status: Option<&str>,
) -> AppResult<Vec<WorkOrderRow>> {
    policy::require(db, actor, crate::assets::READ, unit).await?;
    Ok(store::orders_under(db, unit, today(), status, 1000).await?)
}

/// One work order with its history.
pub async fn order(db: &Db, actor: &Actor, id: Uuid) -> AppResult<(WorkOrderRow, Vec<HistoryRow>)> {
    let found = store::order(db, id).await?.ok_or(AppError::NotFound)?;
    match found.unit_id {
        Some(unit) => policy::require(db, actor, crate::assets::READ, unit).await?,
        None if actor.is_admin() => {}
        None => return Err(AppError::NotFound),
    }
    let history = store::history(db, id).await?;
    Ok((found, history))
}

/// Moves a work order one step (or to closed), naming the assignee when assigning. The note
/// is internal unless `public_note`: only then does the reporter's status page show it.
pub async fn transition(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    to: &str,
    assignee: Option<&str>,
    note: &str,
    public_note: bool,
) -> AppResult<WorkOrderRow> {
    let found = store::order(db, id).await?.ok_or(AppError::NotFound)?;
    match found.unit_id {
        Some(unit) => policy::require(db, actor, HANDLE, unit).await?,
        None if actor.is_admin() => {}
        None => return Err(AppError::NotFound),
    }
    let from = WorkStatus::parse(&found.status)
        .ok_or_else(|| AppError::refused_key("faults-status-corrupt", &[]))?;
    let Some(to) = WorkStatus::parse(to) else {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "status",
            "faults-status-unknown",
            &[],
        )]));
    };
    if !from.may_become(to) {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "status",
            "faults-status-move-refused",
            &[("from", &from.as_str()), ("to", &to.as_str())],
        )]));
    }
    let assignee = assignee
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .unwrap_or(found.assignee.clone());
    if to == WorkStatus::Assigned && assignee.is_empty() {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "assignee",
            "faults-assignee-required",
            &[],
        )]));
    }
    let note: String = note.trim().chars().take(500).collect();
    let now = OffsetDateTime::now_utc();
    let mut tx = db.begin().await?;
    if !store::set_status(&mut tx, id, from.as_str(), to.as_str(), &assignee, now).await? {
        return Err(AppError::refused_key("faults-order-moved-meanwhile", &[]));
    }
    let step = HistoryRow {
        at: now,
        from_status: Some(from.as_str().to_owned()),
        to_status: to.as_str().to_owned(),
        actor: actor.label.clone(),
        note,
        public_note,
    };
    store::insert_history(&mut tx, id, &step).await?;
    if step.public_note && !step.note.is_empty() {
        updates::notify(&mut tx, &found, &step).await?;
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "faults.transition",
            target_type: "work_order",
            target_id: id.to_string(),
            unit_id: found.unit_id,
            summary: format!("{} → {} {assignee}", from.as_str(), to.as_str()),
        },
    )
    .await?;
    tx.commit().await?;
    store::order(db, id).await?.ok_or(AppError::NotFound)
}

/// The photo of a work order, for the people who may read the order.
pub async fn photo(db: &Db, actor: &Actor, id: Uuid) -> AppResult<store::PhotoRow> {
    order(db, actor, id).await?;
    store::photo(db, id).await?.ok_or(AppError::NotFound)
}

/// Whether a work order has a photo.
pub async fn has_photo(db: &Db, id: Uuid) -> AppResult<bool> {
    Ok(store::has_photo(db, id).await?)
}

/// Work orders under a unit, newest first, by status and kind (service), at most `limit`.
pub async fn orders_filtered(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    status: Option<&str>,
    service: Option<&str>,
    limit: i64,
) -> AppResult<Vec<WorkOrderRow>> {
    policy::require(db, actor, crate::assets::READ, unit).await?;
    Ok(store::orders_filtered(db, unit, today(), status, service, limit.clamp(1, 5000)).await?)
}

/// The work orders of one asset, newest first.
pub async fn orders_of_asset(db: &Db, actor: &Actor, asset: Uuid) -> AppResult<Vec<WorkOrderRow>> {
    let found = langso_store::assets::asset(db, asset)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, crate::assets::READ, found.unit_id).await?;
    Ok(store::orders_of_asset(db, asset, 200).await?)
}

/// A work order as the officers who handle it see it.
#[derive(Clone, Debug)]
pub struct OrderView {
    /// The order.
    pub order: WorkOrderRow,
    /// Its steps, oldest first.
    pub history: Vec<HistoryRow>,
    /// The reporter's name and contact, for those who may handle the order: numbers and
    /// addresses masked unless the `pii` right; `None` for readers who may not handle it.
    pub contact: Option<String>,
    /// The actor may move the order.
    pub may_handle: bool,
    /// The report carries a photo.
    pub has_photo: bool,
}

/// The reporter's contact with every word that holds a digit or an `@` (phone, e-mail, ID)
/// masked: a name is needed to greet the reporter, the number only by those with the right.
pub fn masked_contact(reporter: &str) -> String {
    reporter
        .split_whitespace()
        .map(|word| {
            if word.chars().any(|c| c.is_ascii_digit() || c == '@') {
                langso_domain::auth::mask_personal(word)
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One work order for an officer's page.
pub async fn order_view(db: &Db, actor: &Actor, id: Uuid) -> AppResult<OrderView> {
    let (order, history) = order(db, actor, id).await?;
    let may_handle = match order.unit_id {
        Some(unit) => policy::require(db, actor, HANDLE, unit).await.is_ok(),
        None => actor.is_admin(),
    };
    let contact = may_handle.then(|| {
        if actor.pii {
            order.reporter.clone()
        } else {
            masked_contact(&order.reporter)
        }
    });
    let has_photo = store::has_photo(db, id).await?;
    Ok(OrderView {
        order,
        history,
        contact,
        may_handle,
        has_photo,
    })
}
