//! Webhook endpoints: the adapters announcements are sent to.

use axum::extract::State;
use axum::http::StatusCode;
use langso_app::comms::{self as actions, NewWebhook, WebhookRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::UnitParam;
use crate::AppState;
use crate::api::extract::{Json, Path, Query};
use crate::api::parse_id;
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_webhooks, create_webhook))
        .routes(routes!(deactivate_webhook))
}

/// A webhook endpoint (the secret only in the answer to its creation).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookDto {
    /// Id.
    pub id: Uuid,
    /// Unit.
    pub unit_id: Uuid,
    /// Name.
    pub name: String,
    /// Address.
    pub url: String,
    /// HMAC-SHA256 key: empty except when just created.
    pub secret: String,
    /// Receives messages.
    pub active: bool,
}

impl From<WebhookRow> for WebhookDto {
    fn from(w: WebhookRow) -> Self {
        WebhookDto {
            id: w.id,
            unit_id: w.unit_id,
            name: w.name,
            url: w.url,
            secret: w.secret,
            active: w.active,
        }
    }
}

/// An endpoint to create.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WebhookBody {
    /// Unit.
    pub unit_id: Option<Uuid>,
    /// Name.
    pub name: String,
    /// http(s):// address.
    pub url: String,
    /// HMAC key (≥ 16 characters; generated when empty).
    #[serde(default)]
    pub secret: String,
}

/// Webhook endpoints under a unit (secrets not shown).
#[utoipa::path(get, path = "/webhooks", tag = "comms", params(UnitParam),
    responses((status = 200, body = Vec<WebhookDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_webhooks(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(param): Query<UnitParam>,
) -> Result<Json<Vec<WebhookDto>>, ApiError> {
    let rows = actions::list_webhooks(&state.db, &actor, param.unit).await?;
    Ok(Json(rows.into_iter().map(WebhookDto::from).collect()))
}

/// Adds a webhook endpoint; the answer carries its secret once.
#[utoipa::path(post, path = "/webhooks", tag = "comms", request_body = WebhookBody,
    responses((status = 201, body = WebhookDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_webhook(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Json(body): Json<WebhookBody>,
) -> Result<(StatusCode, Json<WebhookDto>), ApiError> {
    let input = NewWebhook {
        unit_id: body.unit_id,
        name: body.name,
        url: body.url,
        secret: body.secret,
    };
    let row = actions::create_webhook(&state.db, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Switches a webhook endpoint off: no new messages; those already queued still go out.
#[utoipa::path(post, path = "/webhooks/{id}/deactivate", tag = "comms", params(("id" = Uuid, Path)),
    responses((status = 200, body = WebhookDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn deactivate_webhook(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<WebhookDto>, ApiError> {
    let row = actions::deactivate_webhook(&state.db, &actor, parse_id(&id)?).await?;
    Ok(Json(row.into()))
}
