//! `/api/v1/work-orders`: fault reports as work orders, for the people who fix them.

use axum::extract::State;
use langso_app::faults::{self as actions, WorkOrder, WorkOrderStep};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::assets::unit_id;
use super::parse_id;
use crate::AppState;
use crate::api::extract::{Json, Path, Query};
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_orders))
        .routes(routes!(get_order))
        .routes(routes!(transition))
        .routes(routes!(get_order_photo))
}

/// A work order.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderDto {
    /// Id (the Open311 service_request_id).
    pub id: Uuid,
    /// Service (asset kind or other).
    pub service_code: String,
    /// The asset.
    pub asset_id: Option<Uuid>,
    /// Its code.
    pub asset_code: Option<String>,
    /// The unit.
    pub unit_id: Option<Uuid>,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// Address.
    pub address: String,
    /// What is wrong.
    pub description: String,
    /// Photo URL.
    pub media_url: Option<String>,
    /// new, assigned, in_progress, fixed or closed.
    pub status: String,
    /// Who fixes it.
    pub assignee: String,
    /// Due (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub due_at: OffsetDateTime,
    /// Reported (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    /// An officer should respond (move it out of new) by (UTC): the category's response time.
    #[serde(with = "time::serde::rfc3339::option")]
    pub respond_by: Option<OffsetDateTime>,
    /// Still new past its response time, or open past its due time.
    pub overdue: bool,
}

impl From<WorkOrder> for WorkOrderDto {
    fn from(o: WorkOrder) -> Self {
        WorkOrderDto {
            overdue: actions::levels::is_overdue(&o),
            respond_by: o.respond_by,
            id: o.id,
            service_code: o.service_code,
            asset_id: o.asset_id,
            asset_code: o.asset_code,
            unit_id: o.unit_id,
            latitude: o.latitude,
            longitude: o.longitude,
            address: o.address,
            description: o.description,
            media_url: o.media_url,
            status: o.status,
            assignee: o.assignee,
            due_at: o.due_at,
            requested_at: o.requested_at,
        }
    }
}

/// A step of a work order.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepDto {
    /// When (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// From.
    pub from_status: Option<String>,
    /// To.
    pub to_status: String,
    /// Who.
    pub actor: String,
    /// Why.
    pub note: String,
}

impl From<WorkOrderStep> for StepDto {
    fn from(h: WorkOrderStep) -> Self {
        StepDto {
            at: h.at,
            from_status: h.from_status,
            to_status: h.to_status,
            actor: h.actor,
            note: h.note,
        }
    }
}

/// A work order with its history.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderDetailDto {
    /// The order.
    pub order: WorkOrderDto,
    /// Its steps, oldest first.
    pub history: Vec<StepDto>,
    /// Where the reporter's photo is (`GET /api/v1/work-orders/{id}/photo`), if there is one.
    pub photo_url: Option<String>,
}

/// Which orders.
#[derive(Debug, Deserialize, IntoParams)]
pub struct OrderQuery {
    /// The unit's id.
    unit: Option<String>,
    /// Only this status.
    status: Option<String>,
}

/// Work orders under a unit, newest first.
#[utoipa::path(get, path = "/work-orders", tag = "faults", params(OrderQuery),
    responses((status = 200, body = Vec<WorkOrderDto>), (status = 404, body = Problem)))]
async fn list_orders(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<OrderQuery>,
) -> Result<Json<Vec<WorkOrderDto>>, ApiError> {
    let unit = unit_id(q.unit.as_deref())?;
    let status = q.status.filter(|s| !s.trim().is_empty());
    let list = actions::orders_under(&state.db, &actor, unit, status.as_deref()).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// One work order with its history.
#[utoipa::path(get, path = "/work-orders/{id}", tag = "faults", params(("id" = Uuid, Path)),
    responses((status = 200, body = WorkOrderDetailDto), (status = 404, body = Problem)))]
async fn get_order(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<WorkOrderDetailDto>, ApiError> {
    let (order, history) = actions::order(&state.db, &actor, parse_id(&id)?).await?;
    let photo_url = actions::has_photo(&state.db, order.id)
        .await?
        .then(|| format!("/api/v1/work-orders/{}/photo", order.id));
    Ok(Json(WorkOrderDetailDto {
        order: order.into(),
        history: history.into_iter().map(Into::into).collect(),
        photo_url,
    }))
}

/// A move of a work order.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TransitionBody {
    /// assigned, in_progress, fixed or closed.
    pub status: String,
    /// Who fixes it (needed to assign).
    #[serde(default)]
    pub assignee: Option<String>,
    /// Why.
    #[serde(default)]
    pub note: String,
    /// Show the note on the reporter's public status page (otherwise it stays internal).
    #[serde(default)]
    pub public_note: bool,
}

/// Moves a work order one step (new → assigned → in progress → fixed → closed), or closes it.
#[utoipa::path(post, path = "/work-orders/{id}/transition", tag = "faults", params(("id" = Uuid, Path)), request_body = TransitionBody,
    responses((status = 200, body = WorkOrderDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn transition(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<TransitionBody>,
) -> Result<Json<WorkOrderDto>, ApiError> {
    let order = actions::transition(
        &state.db,
        &actor,
        parse_id(&id)?,
        &body.status,
        body.assignee.as_deref(),
        &body.note,
        body.public_note,
    )
    .await?;
    Ok(Json(order.into()))
}

/// The reporter's photo (JPEG, PNG or WebP, as told from its bytes when it was sent).
#[utoipa::path(get, path = "/work-orders/{id}/photo", tag = "faults", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The photo", content_type = "image/*"), (status = 404, body = Problem)))]
async fn get_order_photo(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let photo = actions::photo(&state.db, &actor, parse_id(&id)?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, photo.content_type),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
        ],
        photo.content,
    )
        .into_response())
}
