//! `/api/v1/placements`: QR placements under a unit, their QR images and posters, and the
//! scan analytics.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use langso_app::procedures::{
    self as actions, NewPlacement, Placement, ScanAnalytics, SeriesStats,
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
        .routes(routes!(list_placements, create_placement))
        .routes(routes!(get_placement, update_placement))
        .routes(routes!(qr_png))
        .routes(routes!(qr_svg))
        .routes(routes!(poster_pdf))
        .routes(routes!(unit_posters_pdf))
        .routes(routes!(qr_analytics))
}

/// A QR placement.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PlacementDto {
    /// Id.
    pub id: Uuid,
    /// The token of the public short URL `/q/{token}`.
    pub token: String,
    /// The unit where it hangs.
    pub unit_id: Uuid,
    /// cultural_house, one_stop_office, public_place, alley_entrance or billboard.
    pub kind: String,
    /// The place's name.
    pub label: String,
    /// Latitude (WGS84).
    pub latitude: Option<f64>,
    /// Longitude (WGS84).
    pub longitude: Option<f64>,
    /// False once taken down.
    pub active: bool,
    /// Procedure codes, in poster order.
    pub procedures: Vec<String>,
    /// When it was recorded (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<Placement> for PlacementDto {
    fn from(p: Placement) -> Self {
        PlacementDto {
            id: p.id,
            token: p.token,
            unit_id: p.unit_id,
            kind: p.kind.as_str().to_owned(),
            label: p.label,
            latitude: p.latitude,
            longitude: p.longitude,
            active: p.active,
            procedures: p.procedures.iter().map(ToString::to_string).collect(),
            created_at: p.created_at,
        }
    }
}

/// A new placement.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPlacementBody {
    /// The unit where it hangs.
    pub unit_id: Uuid,
    /// cultural_house, one_stop_office, public_place, alley_entrance or billboard.
    pub kind: String,
    /// The place's name.
    pub label: String,
    /// Latitude (WGS84).
    #[serde(default)]
    pub latitude: Option<f64>,
    /// Longitude (WGS84).
    #[serde(default)]
    pub longitude: Option<f64>,
    /// Procedure codes, in poster order.
    pub procedures: Vec<String>,
}

/// A change to a placement.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PlacementPatch {
    /// Take the poster down (false) or put it back (true).
    pub active: bool,
}

/// Which unit.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UnitParam {
    /// The unit's id.
    unit: Option<String>,
}

/// Image size.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SizeParam {
    /// Width in pixels, 128 to 2048 (default 512).
    size: Option<u32>,
}

/// Which unit, by code.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UnitCodeParam {
    /// The unit's code in force today.
    unit: Option<String>,
}

/// Analytics period.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AnalyticsParams {
    /// The unit's id.
    unit: Option<String>,
    /// Days back from today, 1 to 366 (default 30).
    days: Option<i64>,
}

/// A placement's scans.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementScansDto {
    /// The placement.
    pub placement: PlacementDto,
    /// Its unit's name.
    pub unit_name: String,
    /// Scans per day, aligned with `days`.
    pub daily: Vec<i64>,
    /// Scans in the period.
    pub total: i64,
    /// The last day it was scanned.
    pub last_scan: Option<Date>,
}

/// A line per procedure or unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesDto {
    /// Procedure code or unit id.
    pub key: String,
    /// Its name.
    pub name: String,
    /// Scans per day, aligned with `days`.
    pub daily: Vec<i64>,
    /// Scans in the period.
    pub total: i64,
}

/// Scan analytics of a unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnalyticsDto {
    /// The days, oldest first (Vietnam dates).
    pub days: Vec<Date>,
    /// All scans in the period.
    pub total: i64,
    /// Procedures with at least one active placement under the unit.
    pub procedures_with_qr: i64,
    /// Placements, most scanned first.
    pub placements: Vec<PlacementScansDto>,
    /// Per procedure (a placement offering several counts for each).
    pub procedures: Vec<SeriesDto>,
    /// Per unit where placements hang.
    pub units: Vec<SeriesDto>,
    /// Active placements with no scan in 30 days.
    pub silent: Vec<PlacementScansDto>,
}

fn series(s: SeriesStats) -> SeriesDto {
    SeriesDto {
        key: s.key,
        name: s.name,
        daily: s.daily,
        total: s.total,
    }
}

fn scans(s: actions::PlacementStats) -> PlacementScansDto {
    PlacementScansDto {
        placement: s.placement.into(),
        unit_name: s.unit_name,
        daily: s.daily,
        total: s.total,
        last_scan: s.last_scan,
    }
}

fn unit_id(param: Option<&str>) -> Result<Uuid, ApiError> {
    match param {
        Some(text) => parse_id(text),
        None => Err(missing_unit()),
    }
}

/// Placements under a unit.
#[utoipa::path(get, path = "/placements", tag = "placements", params(UnitParam),
    responses((status = 200, body = Vec<PlacementDto>), (status = 404, body = Problem)))]
async fn list_placements(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<UnitParam>,
) -> Result<Json<Vec<PlacementDto>>, ApiError> {
    let unit = unit_id(params.unit.as_deref())?;
    let list = actions::placements_under(&state.db, &actor, unit).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Records a placement with a new short URL.
#[utoipa::path(post, path = "/placements", tag = "placements", request_body = NewPlacementBody,
    responses((status = 201, body = PlacementDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_placement(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Json(body): Json<NewPlacementBody>,
) -> Result<(StatusCode, Json<PlacementDto>), ApiError> {
    let input = NewPlacement {
        unit_id: body.unit_id,
        kind: body.kind,
        label: body.label,
        latitude: body.latitude,
        longitude: body.longitude,
        procedures: body.procedures,
    };
    let placement = actions::create_placement(&state.db, &actor, input).await?;
    state.public.clear();
    Ok((StatusCode::CREATED, Json(placement.into())))
}

/// One placement.
#[utoipa::path(get, path = "/placements/{id}", tag = "placements", params(("id" = Uuid, Path)),
    responses((status = 200, body = PlacementDto), (status = 404, body = Problem)))]
async fn get_placement(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<PlacementDto>, ApiError> {
    Ok(Json(
        actions::placement(&state.db, &actor, parse_id(&id)?)
            .await?
            .into(),
    ))
}

/// Takes a poster down or puts it back.
#[utoipa::path(patch, path = "/placements/{id}", tag = "placements", params(("id" = Uuid, Path)), request_body = PlacementPatch,
    responses((status = 200, body = PlacementDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn update_placement(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<PlacementPatch>,
) -> Result<Json<PlacementDto>, ApiError> {
    let placement = actions::set_active(&state.db, &actor, parse_id(&id)?, body.active).await?;
    state.public.clear();
    Ok(Json(placement.into()))
}

/// The placement's QR code as PNG (error correction M, quiet zone).
#[utoipa::path(get, path = "/placements/{id}/qr.png", tag = "placements", params(("id" = Uuid, Path), SizeParam),
    responses((status = 200, content_type = "image/png"), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn qr_png(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Query(params): Query<SizeParam>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let png = actions::qr_png(
        &state.db,
        &actor,
        id,
        &state.poster_settings(&headers),
        params.size.unwrap_or(512),
    )
    .await?;
    Ok(inline_file("image/png", format!("qr-{id}.png"), png))
}

/// The placement's QR code as SVG (error correction M, quiet zone).
#[utoipa::path(get, path = "/placements/{id}/qr.svg", tag = "placements", params(("id" = Uuid, Path), SizeParam),
    responses((status = 200, content_type = "image/svg+xml"), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn qr_svg(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Query(params): Query<SizeParam>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let svg = actions::qr_svg(
        &state.db,
        &actor,
        id,
        &state.poster_settings(&headers),
        params.size.unwrap_or(512),
    )
    .await?;
    Ok(inline_file("image/svg+xml", format!("qr-{id}.svg"), svg))
}

/// The placement's A4 poster (PDF, Vietnamese font embedded).
#[utoipa::path(get, path = "/placements/{id}/poster.pdf", tag = "placements", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/pdf"), (status = 404, body = Problem)))]
async fn poster_pdf(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let pdf =
        actions::placement_poster_pdf(&state.db, &actor, id, &state.poster_settings(&headers))
            .await?;
    Ok(inline_file(
        "application/pdf",
        format!("ap-phich-{id}.pdf"),
        pdf,
    ))
}

/// Every active placement of a unit as one multi-page PDF.
#[utoipa::path(get, path = "/placements/posters.pdf", tag = "placements", params(UnitCodeParam),
    responses((status = 200, content_type = "application/pdf"), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn unit_posters_pdf(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<UnitCodeParam>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let code = params.unit.ok_or_else(missing_unit)?;
    let (_, pdf, _) =
        actions::unit_posters_pdf(&state.db, &actor, &code, &state.poster_settings(&headers))
            .await?;
    Ok(inline_file(
        "application/pdf",
        format!("ap-phich-{code}.pdf"),
        pdf,
    ))
}

/// Scans under a unit over time, top placements, silent placements.
#[utoipa::path(get, path = "/analytics/qr", tag = "placements", params(AnalyticsParams),
    responses((status = 200, body = AnalyticsDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn qr_analytics(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<AnalyticsParams>,
) -> Result<Json<AnalyticsDto>, ApiError> {
    let unit = unit_id(params.unit.as_deref())?;
    let a: ScanAnalytics =
        actions::scan_analytics(&state.db, &actor, unit, params.days.unwrap_or(30)).await?;
    let with_qr = actions::procedures_with_qr(&state.db, &actor, unit).await?;
    Ok(Json(AnalyticsDto {
        days: a.days,
        total: a.total,
        procedures_with_qr: with_qr,
        placements: a.placements.into_iter().map(scans).collect(),
        procedures: a.procedures.into_iter().map(series).collect(),
        units: a.units.into_iter().map(series).collect(),
        silent: a.silent.into_iter().map(scans).collect(),
    }))
}

/// A poster or QR image shown in the browser.
fn inline_file(content_type: &'static str, filename: String, body: impl IntoResponse) -> Response {
    crate::files::download(
        crate::files::Disposition::Inline,
        content_type,
        &filename,
        body,
    )
}

/// The refusal of a request without its `unit` parameter.
fn missing_unit() -> ApiError {
    ApiError(langso_app::AppError::Invalid(vec![
        langso_app::CellError::keyed(0, "unit", "api-field-missing", &[]),
    ]))
}
