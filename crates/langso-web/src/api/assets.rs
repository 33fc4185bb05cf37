//! `/api/v1/assets`: the asset register, lamp replacements, the replacement plan and the
//! asset and alarm counts of a unit.

use axum::extract::State;
use axum::http::StatusCode;
use langso_app::assets::{
    self as actions, AssetFilter, AssetInput, AssetRow, AssetView, NewReplacement,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::parse_id;
use crate::AppState;
use crate::api::extract::{Json, Path, Query};
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_assets, create_asset))
        .routes(routes!(get_asset, update_asset))
        .routes(routes!(replace_lamp))
        .routes(routes!(sticker_svg))
        .routes(routes!(replacement_plan))
        .routes(routes!(asset_counts))
}

/// An asset of the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssetDto {
    /// Id.
    pub id: Uuid,
    /// Code (`09805-T01-CAM-001`).
    pub code: String,
    /// The unit where it stands.
    pub unit_id: Uuid,
    /// camera, solar_light, grid_light, wifi, loudspeaker or billboard.
    pub kind: String,
    /// Name.
    pub name: String,
    /// intersection, main_road, hamlet, alley or cultural_house.
    pub place_type: String,
    /// Latitude (WGS84).
    pub latitude: Option<f64>,
    /// Longitude (WGS84).
    pub longitude: Option<f64>,
    /// Installed on.
    pub installed_on: Option<Date>,
    /// state_budget, community, household or company.
    pub funding: String,
    /// Who keeps it.
    pub keeper: String,
    /// active, broken or retired.
    pub status: String,
    /// old_bulb, led or solar (lights).
    pub lamp_type: Option<String>,
    /// Expected reporting interval in seconds (0: does not report).
    pub heartbeat_seconds: i64,
    /// Notes.
    pub notes: String,
    /// Last changed (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<AssetRow> for AssetDto {
    fn from(a: AssetRow) -> Self {
        AssetDto {
            id: a.id,
            code: a.code,
            unit_id: a.unit_id,
            kind: a.kind,
            name: a.name,
            place_type: a.place_type,
            latitude: a.latitude,
            longitude: a.longitude,
            installed_on: a.installed_on,
            funding: a.funding,
            keeper: a.keeper,
            status: a.status,
            lamp_type: a.lamp_type,
            heartbeat_seconds: a.heartbeat_seconds,
            notes: a.notes,
            updated_at: a.updated_at,
        }
    }
}

/// A contributor to a community-funded asset.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContributorDto {
    /// Name.
    pub name: String,
    /// Amount in đồng.
    pub amount_vnd: i64,
}

/// The latest state a device reported.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateDto {
    /// Reported working.
    pub online: bool,
    /// Battery %.
    pub battery: Option<i64>,
    /// Lamp lit.
    pub lamp_on: Option<bool>,
    /// Fault code.
    pub fault: Option<String>,
    /// Wifi clients.
    pub clients: Option<i64>,
    /// Last reading (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen_at: OffsetDateTime,
    /// Readings received.
    pub heartbeats: i64,
    /// Silent past twice its interval.
    pub silent: bool,
}

/// A status change of a device.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeDto {
    /// When (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Before.
    pub old_status: Option<String>,
    /// After: ok, down, fault:<code> or silent.
    pub new_status: String,
}

/// A lamp replacement.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplacementDto {
    /// Id.
    pub id: Uuid,
    /// When.
    pub replaced_on: Date,
    /// The lamp taken out.
    pub old_type: Option<String>,
    /// The lamp put in.
    pub new_type: String,
    /// Note.
    pub note: String,
}

impl From<langso_app::assets::ReplacementRow> for ReplacementDto {
    fn from(r: langso_app::assets::ReplacementRow) -> Self {
        ReplacementDto {
            id: r.id,
            replaced_on: r.replaced_on,
            old_type: r.old_type,
            new_type: r.new_type,
            note: r.note,
        }
    }
}

/// One asset with its contributors, replacements, device state, status changes and alarms.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssetDetailDto {
    /// The register row.
    pub asset: AssetDto,
    /// Contributors.
    pub contributors: Vec<ContributorDto>,
    /// Lamp replacements, oldest first.
    pub replacements: Vec<ReplacementDto>,
    /// Latest device state.
    pub state: Option<StateDto>,
    /// Latest status changes, newest first.
    pub changes: Vec<ChangeDto>,
    /// Alarms, newest first.
    pub alarms: Vec<super::telemetry::AlarmDto>,
}

impl From<AssetView> for AssetDetailDto {
    fn from(v: AssetView) -> Self {
        AssetDetailDto {
            asset: v.asset.into(),
            contributors: v
                .contributors
                .into_iter()
                .map(|(name, amount_vnd)| ContributorDto { name, amount_vnd })
                .collect(),
            replacements: v.replacements.into_iter().map(Into::into).collect(),
            state: v.state.map(|s| StateDto {
                online: s.online,
                battery: s.battery,
                lamp_on: s.lamp_on,
                fault: s.fault,
                clients: s.clients,
                last_seen_at: s.last_seen_at,
                heartbeats: s.heartbeats,
                silent: s.silent,
            }),
            changes: v
                .changes
                .into_iter()
                .map(|c| ChangeDto {
                    at: c.at,
                    old_status: c.old_status,
                    new_status: c.new_status,
                })
                .collect(),
            alarms: v.alarms.into_iter().map(Into::into).collect(),
        }
    }
}

/// A new asset, or the new values of one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssetBody {
    /// Code; generated when empty (creation only).
    #[serde(default)]
    pub code: String,
    /// The unit.
    pub unit_id: Uuid,
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Place type.
    pub place_type: String,
    /// Latitude.
    #[serde(default)]
    pub latitude: Option<f64>,
    /// Longitude.
    #[serde(default)]
    pub longitude: Option<f64>,
    /// Installed on.
    #[serde(default)]
    pub installed_on: Option<Date>,
    /// Funding.
    pub funding: String,
    /// Contributors (community funding).
    #[serde(default)]
    pub contributors: Vec<ContributorDto>,
    /// Keeper.
    #[serde(default)]
    pub keeper: String,
    /// Status (default active).
    #[serde(default)]
    pub status: String,
    /// Lamp type (lights).
    #[serde(default)]
    pub lamp_type: Option<String>,
    /// Reporting interval in seconds (the kind's default when absent).
    #[serde(default)]
    pub heartbeat_seconds: Option<i64>,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

impl From<AssetBody> for AssetInput {
    fn from(b: AssetBody) -> Self {
        AssetInput {
            code: b.code,
            unit_id: Some(b.unit_id),
            unit_code: None,
            kind: b.kind,
            name: b.name,
            place_type: b.place_type,
            latitude: b.latitude,
            longitude: b.longitude,
            installed_on: b.installed_on,
            funding: b.funding,
            contributors: b
                .contributors
                .into_iter()
                .map(|c| (c.name, c.amount_vnd))
                .collect(),
            keeper: b.keeper,
            status: b.status,
            lamp_type: b.lamp_type,
            heartbeat_seconds: b.heartbeat_seconds,
            notes: b.notes,
        }
    }
}

/// Filters of a listing.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AssetQuery {
    /// The unit's id.
    unit: Option<String>,
    /// Only this kind.
    kind: Option<String>,
    /// Only this status.
    status: Option<String>,
    /// Only this lamp type.
    lamp_type: Option<String>,
    /// At most this many (default 1000, up to 10000).
    limit: Option<i64>,
}

pub(crate) fn unit_id(param: Option<&str>) -> Result<Uuid, ApiError> {
    match param {
        Some(text) => parse_id(text),
        None => Err(missing_unit()),
    }
}

fn nonempty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Assets under a unit.
#[utoipa::path(get, path = "/assets", tag = "assets", params(AssetQuery),
    responses((status = 200, body = Vec<AssetDto>), (status = 404, body = Problem)))]
async fn list_assets(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<AssetQuery>,
) -> Result<Json<Vec<AssetDto>>, ApiError> {
    let unit = unit_id(q.unit.as_deref())?;
    let filter = AssetFilter {
        kind: nonempty(q.kind),
        status: nonempty(q.status),
        lamp_type: nonempty(q.lamp_type),
    };
    let list =
        actions::assets_under(&state.db, &actor, unit, &filter, q.limit.unwrap_or(1000)).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Records an asset (its unit's `asset:<kind>` counter follows in the same transaction).
#[utoipa::path(post, path = "/assets", tag = "assets", request_body = AssetBody,
    responses((status = 201, body = AssetDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_asset(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Json(body): Json<AssetBody>,
) -> Result<(StatusCode, Json<AssetDto>), ApiError> {
    let asset = actions::create_asset(&state.db, &actor, &body.into()).await?;
    Ok((StatusCode::CREATED, Json(asset.into())))
}

/// One asset with its state, changes, alarms, contributors and replacements.
#[utoipa::path(get, path = "/assets/{id}", tag = "assets", params(("id" = Uuid, Path)),
    responses((status = 200, body = AssetDetailDto), (status = 404, body = Problem)))]
async fn get_asset(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<AssetDetailDto>, ApiError> {
    Ok(Json(
        actions::asset(&state.db, &actor, parse_id(&id)?)
            .await?
            .into(),
    ))
}

/// Changes an asset (the code stays).
#[utoipa::path(put, path = "/assets/{id}", tag = "assets", params(("id" = Uuid, Path)), request_body = AssetBody,
    responses((status = 200, body = AssetDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_asset(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<AssetBody>,
) -> Result<Json<AssetDto>, ApiError> {
    let asset = actions::update_asset(&state.db, &actor, parse_id(&id)?, &body.into()).await?;
    Ok(Json(asset.into()))
}

/// A lamp replacement.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReplacementBody {
    /// When (default today).
    #[serde(default)]
    pub replaced_on: Option<Date>,
    /// old_bulb, led or solar.
    pub new_type: String,
    /// Note.
    #[serde(default)]
    pub note: String,
}

/// Records a lamp replacement (old bulb → solar): the ledger row and the light's new lamp.
#[utoipa::path(post, path = "/assets/{id}/lamp-replacements", tag = "assets", params(("id" = Uuid, Path)), request_body = ReplacementBody,
    responses((status = 201, body = ReplacementDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn replace_lamp(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<ReplacementBody>,
) -> Result<(StatusCode, Json<ReplacementDto>), ApiError> {
    let input = NewReplacement {
        replaced_on: body.replaced_on.unwrap_or_else(langso_app::today),
        new_type: body.new_type,
        note: body.note,
    };
    let done = actions::record_replacement(&state.db, &actor, parse_id(&id)?, &input).await?;
    Ok((StatusCode::CREATED, Json(done.into())))
}

/// The plan period.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PlanQuery {
    /// The unit's id.
    unit: Option<String>,
    /// Days of history in the figure (7–3660, default 365).
    days: Option<i64>,
}

/// The replacement plan of a unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDto {
    /// Broken lights still on old bulbs.
    pub to_replace: Vec<AssetDto>,
    /// Days of the figure, oldest first.
    pub days: Vec<Date>,
    /// Cumulative replacements on each day.
    pub done: Vec<i64>,
}

/// Broken old bulbs still to replace, and replacements made over time.
#[utoipa::path(get, path = "/assets/replacement-plan", tag = "assets", params(PlanQuery),
    responses((status = 200, body = PlanDto), (status = 404, body = Problem)))]
async fn replacement_plan(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<PlanQuery>,
) -> Result<Json<PlanDto>, ApiError> {
    let unit = unit_id(q.unit.as_deref())?;
    let plan = actions::replacement_plan(&state.db, &actor, unit, q.days.unwrap_or(365)).await?;
    Ok(Json(PlanDto {
        to_replace: plan.to_replace.into_iter().map(Into::into).collect(),
        days: plan.days,
        done: plan.done,
    }))
}

/// Counts of a unit or a child.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountsDto {
    /// The unit.
    pub unit_id: Uuid,
    /// Open alarms.
    pub open_alarms: i64,
    /// Assets per kind (`asset:<kind>` → count; retired assets are not counted).
    pub assets: std::collections::BTreeMap<String, i64>,
}

/// The unit's counts and each child's.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitCountsDto {
    /// The unit itself.
    pub total: CountsDto,
    /// Each child unit.
    pub children: Vec<CountsDto>,
}

/// Which unit.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UnitParam {
    /// The unit's id.
    unit: Option<String>,
}

/// Assets per kind and open alarms of a unit and of each child, from the roll-up counters.
#[utoipa::path(get, path = "/assets/counts", tag = "assets", params(UnitParam),
    responses((status = 200, body = UnitCountsDto), (status = 404, body = Problem)))]
async fn asset_counts(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<UnitParam>,
) -> Result<Json<UnitCountsDto>, ApiError> {
    let unit = unit_id(q.unit.as_deref())?;
    let (total, children) = actions::counts(&state.db, &actor, unit).await?;
    let dto = |unit_id: Uuid, c: actions::UnitAssetCounts| CountsDto {
        unit_id,
        open_alarms: c.open_alarms,
        assets: c.assets.into_iter().collect(),
    };
    Ok(Json(UnitCountsDto {
        total: dto(unit, total),
        children: children.into_iter().map(|(id, c)| dto(id, c)).collect(),
    }))
}

/// Sticker size.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SizeParam {
    /// Width in pixels, 128 to 2048 (default 512).
    size: Option<u32>,
}

/// The asset's QR sticker (SVG): it opens the public fault form with the asset filled in.
#[utoipa::path(get, path = "/assets/{id}/qr.svg", tag = "assets", params(("id" = Uuid, Path), SizeParam),
    responses((status = 200, content_type = "image/svg+xml"), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn sticker_svg(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Query(q): Query<SizeParam>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let settings = state.poster_settings(&headers);
    let svg = actions::sticker_svg(
        &state.db,
        &actor,
        parse_id(&id)?,
        &settings.public_url,
        q.size.unwrap_or(512),
    )
    .await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// The refusal of a request without its `unit` parameter.
fn missing_unit() -> ApiError {
    ApiError(langso_app::AppError::Invalid(vec![
        langso_app::CellError::keyed(0, "unit", "api-field-missing", &[]),
    ]))
}
