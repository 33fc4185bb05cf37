//! `/api/v1/telemetry` (devices, with their `lsd_…` tokens) and `/api/v1/alarms` (people).
//!
//! A telemetry batch is answered only after it is committed; a full queue answers 503 with
//! `Retry-After` at once rather than making the device wait in an unbounded queue.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use langso_app::assets::{
    self as actions, AlarmRow, DeviceCredential, IngestError, TelemetryError,
};
use langso_domain::assets::Reading;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::assets::unit_id;
use super::extract::{Json, Path, Query};
use super::parse_id;
use crate::AppState;
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem, problem};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(telemetry))
        .routes(routes!(list_alarms))
        .routes(routes!(acknowledge_alarm))
        .routes(routes!(resolve_alarm))
}

/// One status reading.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReadingDto {
    /// The asset's code (may be left out with a token bound to one device).
    #[serde(default)]
    pub asset: String,
    /// When measured (RFC 3339, UTC); arrival time when absent.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub at: Option<OffsetDateTime>,
    /// Whether the device works (default true).
    #[serde(default = "yes")]
    pub online: bool,
    /// Battery %.
    #[serde(default)]
    pub battery: Option<i64>,
    /// Lamp lit.
    #[serde(default)]
    pub lamp_on: Option<bool>,
    /// Fault code ("E12"); none or empty when healthy.
    #[serde(default)]
    pub fault: Option<String>,
    /// Wifi clients connected.
    #[serde(default)]
    pub clients: Option<i64>,
}

fn yes() -> bool {
    true
}

/// A batch of readings (at most 500).
#[derive(Debug, Deserialize, ToSchema)]
pub struct TelemetryBody {
    /// The readings, oldest first.
    pub readings: Vec<ReadingDto>,
}

/// What was stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct TelemetryAck {
    /// Readings committed.
    pub stored: usize,
}

/// Stores a batch of status readings from a device (bearer `lsd_…` device token); answers
/// after the commit, or 503 when the server is overloaded.
#[utoipa::path(post, path = "/telemetry", tag = "telemetry", request_body = TelemetryBody,
    responses((status = 200, body = TelemetryAck), (status = 401, body = Problem), (status = 422, body = Problem), (status = 503, body = Problem)))]
async fn telemetry(
    State(state): State<AppState>,
    Device(credential): Device,
    Json(body): Json<TelemetryBody>,
) -> Response {
    let readings = body
        .readings
        .into_iter()
        .map(|r| Reading {
            asset: r.asset,
            at: r.at,
            online: r.online,
            battery: r.battery,
            lamp_on: r.lamp_on,
            fault: r.fault,
            clients: r.clients,
        })
        .collect();
    match state.devices.ingest_http(&credential, readings).await {
        Ok(stored) => Json(TelemetryAck { stored }).into_response(),
        Err(TelemetryError::App(error)) => ApiError(error).into_response(),
        Err(TelemetryError::Ingest(IngestError::Revoked)) => problem(
            StatusCode::UNAUTHORIZED,
            &crate::messages::both_key("assets-device-token-required"),
            None,
            Vec::new(),
        ),
        Err(TelemetryError::Ingest(error)) => {
            let mut response = problem(
                StatusCode::SERVICE_UNAVAILABLE,
                &crate::messages::both_key("assets-ingest-busy"),
                Some(crate::messages::both_message(&error.message())),
                Vec::new(),
            );
            let wait = if error == IngestError::Overloaded {
                "1"
            } else {
                "5"
            };
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static(wait));
            response
        }
    }
}

/// The device sending a request, from its bearer `lsd_…` token. An extractor, so that it runs
/// before the body is read: a request without a valid token is refused whatever it carries.
struct Device(DeviceCredential);

impl FromRequestParts<AppState> for Device {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        match state.devices.authenticate(presented).await {
            Ok(Some(credential)) => Ok(Device(credential)),
            Ok(None) => Err(problem(
                StatusCode::UNAUTHORIZED,
                &crate::messages::both_key("assets-device-token-required"),
                None,
                Vec::new(),
            )),
            Err(error) => Err(ApiError(error).into_response()),
        }
    }
}

/// An alarm.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlarmDto {
    /// Id.
    pub id: Uuid,
    /// The asset.
    pub asset_id: Uuid,
    /// Its code.
    pub asset_code: String,
    /// Its name.
    pub asset_name: String,
    /// Its kind.
    pub asset_kind: String,
    /// The unit.
    pub unit_id: Uuid,
    /// offline or fault.
    pub kind: String,
    /// Fault code.
    pub code: String,
    /// Raised (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub raised_at: OffsetDateTime,
    /// Cleared by the device.
    #[serde(with = "time::serde::rfc3339::option")]
    pub cleared_at: Option<OffsetDateTime>,
    /// Acknowledged.
    #[serde(with = "time::serde::rfc3339::option")]
    pub acknowledged_at: Option<OffsetDateTime>,
    /// By whom.
    pub acknowledged_by: Option<String>,
    /// Resolved.
    #[serde(with = "time::serde::rfc3339::option")]
    pub resolved_at: Option<OffsetDateTime>,
    /// By whom.
    pub resolved_by: Option<String>,
    /// What was done.
    pub note: String,
    /// Neither cleared nor resolved.
    pub open: bool,
}

impl From<AlarmRow> for AlarmDto {
    fn from(a: AlarmRow) -> Self {
        AlarmDto {
            id: a.id,
            asset_id: a.asset_id,
            asset_code: a.asset_code,
            asset_name: a.asset_name,
            asset_kind: a.asset_kind,
            unit_id: a.unit_id,
            kind: a.kind,
            code: a.code,
            raised_at: a.raised_at,
            cleared_at: a.cleared_at,
            acknowledged_at: a.acknowledged_at,
            acknowledged_by: a.acknowledged_by,
            resolved_at: a.resolved_at,
            resolved_by: a.resolved_by,
            note: a.note,
            open: a.open,
        }
    }
}

/// Which alarms.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AlarmQuery {
    /// The unit's id.
    unit: Option<String>,
    /// Only open ones (default true).
    open: Option<bool>,
    /// At most (default 500).
    limit: Option<i64>,
}

/// Alarms under a unit, newest first.
#[utoipa::path(get, path = "/alarms", tag = "telemetry", params(AlarmQuery),
    responses((status = 200, body = Vec<AlarmDto>), (status = 404, body = Problem)))]
async fn list_alarms(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<AlarmQuery>,
) -> Result<Json<Vec<AlarmDto>>, ApiError> {
    let unit = unit_id(q.unit.as_deref())?;
    let list = actions::alarms_under(
        &state.db,
        &actor,
        unit,
        q.open.unwrap_or(true),
        q.limit.unwrap_or(500),
    )
    .await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Acknowledges an alarm (who and when are kept).
#[utoipa::path(post, path = "/alarms/{id}/acknowledge", tag = "telemetry", params(("id" = Uuid, Path)),
    responses((status = 200, body = AlarmDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn acknowledge_alarm(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<AlarmDto>, ApiError> {
    let alarm = actions::acknowledge_alarm(&state.db, &actor, parse_id(&id)?).await?;
    Ok(Json(alarm.into()))
}

/// What was done.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ResolveBody {
    /// Note ("đã thay ắc quy").
    #[serde(default)]
    pub note: String,
}

/// Resolves an alarm.
#[utoipa::path(post, path = "/alarms/{id}/resolve", tag = "telemetry", params(("id" = Uuid, Path)), request_body = ResolveBody,
    responses((status = 200, body = AlarmDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn resolve_alarm(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<ResolveBody>,
) -> Result<Json<AlarmDto>, ApiError> {
    let alarm = actions::resolve_alarm(&state.db, &actor, parse_id(&id)?, &body.note).await?;
    Ok(Json(alarm.into()))
}
