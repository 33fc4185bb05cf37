//! Announcements, their delivery per channel and the officer's decision.

use axum::extract::State;
use axum::http::StatusCode;
use langso_app::comms::{self as actions, AnnouncementRow, AnnouncementView, NewAnnouncement};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
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
        .routes(routes!(list_announcements, create_announcement))
        .routes(routes!(get_announcement))
        .routes(routes!(decide))
}

/// An instant stored as Unix milliseconds, as RFC 3339.
fn millis_to_rfc3339(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// An announcement.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnnouncementDto {
    /// Id.
    pub id: Uuid,
    /// Root of the subtree it goes to.
    pub unit_id: Uuid,
    /// Title.
    pub title: String,
    /// Body (simple formatting).
    pub body: String,
    /// Category.
    pub category: String,
    /// Guide or procedure link.
    pub link: Option<String>,
    /// Narrowing indicator.
    pub indicator: Option<String>,
    /// pending, scheduled, published or rejected.
    pub status: String,
    /// When it is (or was) to be published, RFC 3339.
    pub publish_at: String,
    /// Published.
    pub published_at: Option<OffsetDateTime>,
    /// Short link path.
    pub short_path: String,
    /// Author.
    pub created_by: String,
    /// Approver.
    pub approved_by: Option<String>,
    /// Villages reached.
    pub villages: i64,
    /// Households targeted.
    pub households: i64,
}

impl From<AnnouncementRow> for AnnouncementDto {
    fn from(a: AnnouncementRow) -> Self {
        AnnouncementDto {
            id: a.id,
            unit_id: a.unit_id,
            title: a.title,
            body: a.body,
            category: a.category,
            link: a.link,
            indicator: a.indicator,
            status: a.status,
            publish_at: millis_to_rfc3339(a.publish_at),
            published_at: a.published_at,
            short_path: format!("/a/{}", a.short_code),
            created_by: a.created_label,
            approved_by: a.approved_label,
            villages: a.villages,
            households: a.households,
        }
    }
}

/// Delivery on one channel.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChannelDto {
    /// feed or webhook.
    pub channel: String,
    /// The webhook, for webhooks.
    pub webhook_id: Option<Uuid>,
    /// pending, sending, delivered or failed.
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// Delivered.
    pub delivered_at: Option<OffsetDateTime>,
    /// Last failure.
    pub last_error: Option<String>,
}

/// An announcement with its delivery and reach.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnnouncementDetailDto {
    /// The announcement.
    pub announcement: AnnouncementDto,
    /// The body as safe HTML.
    pub body_html: String,
    /// Codes of the villages reached.
    pub villages: Vec<String>,
    /// One entry per channel.
    pub channels: Vec<ChannelDto>,
    /// Delivery attempts recorded.
    pub attempts: usize,
    /// Opens of the short link.
    pub opens: i64,
    /// Groups under its unit.
    pub reach_groups: i64,
    /// Members of those groups.
    pub reach_members: i64,
}

impl From<AnnouncementView> for AnnouncementDetailDto {
    fn from(v: AnnouncementView) -> Self {
        AnnouncementDetailDto {
            body_html: v.body_html,
            villages: v.villages.into_iter().map(|(_, code, _, _)| code).collect(),
            channels: v
                .channels
                .into_iter()
                .map(|c| ChannelDto {
                    channel: c.channel,
                    webhook_id: c.webhook_id,
                    status: c.status,
                    attempts: c.attempts,
                    delivered_at: c.delivered_at,
                    last_error: c.last_error,
                })
                .collect(),
            attempts: v.attempts.len(),
            opens: v.opens,
            reach_groups: v.reach_groups,
            reach_members: v.reach_members,
            announcement: v.row.into(),
        }
    }
}

/// An announcement to write.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnnouncementBody {
    /// Root of the subtree it goes to.
    pub unit_id: Option<Uuid>,
    /// Title (1–200 characters).
    pub title: String,
    /// Body: blank lines for paragraphs, "- " for lists, **bold**, [text](/path) links.
    pub body: String,
    /// guidance, procedure, security, emergency or event.
    pub category: String,
    /// `/huong-dan/{slug}` or `/thu-tuc/{code}`.
    #[serde(default)]
    pub link: String,
    /// Only households lacking this indicator (e.g. vneid_2).
    #[serde(default)]
    pub indicator: Option<String>,
    /// When to publish (default now).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub publish_at: Option<OffsetDateTime>,
}

/// An officer's decision.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionBody {
    /// true to approve, false to refuse.
    pub approve: bool,
}

/// Announcements to units under a unit, newest first.
#[utoipa::path(get, path = "/announcements", tag = "comms", params(UnitParam),
    responses((status = 200, body = Vec<AnnouncementDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_announcements(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(param): Query<UnitParam>,
) -> Result<Json<Vec<AnnouncementDto>>, ApiError> {
    let rows = actions::list_announcements(&state.db, &actor, param.unit, 200).await?;
    Ok(Json(rows.into_iter().map(AnnouncementDto::from).collect()))
}

/// Writes an announcement: published at once (or at `publish_at`) when it stays in one
/// village or its author may approve; otherwise pending an officer's approval.
#[utoipa::path(post, path = "/announcements", tag = "comms", request_body = AnnouncementBody,
    responses((status = 201, body = AnnouncementDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_announcement(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Json(body): Json<AnnouncementBody>,
) -> Result<(StatusCode, Json<AnnouncementDto>), ApiError> {
    let input = NewAnnouncement {
        unit_id: body.unit_id,
        title: body.title,
        body: body.body,
        category: body.category,
        link: body.link,
        indicator: body.indicator,
        publish_at: body.publish_at,
        ..Default::default()
    };
    let row = actions::create_announcement(&state.db, &actor, &input).await?;
    state.public.clear();
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// One announcement with its delivery status per channel, opens and reach.
#[utoipa::path(get, path = "/announcements/{id}", tag = "comms", params(("id" = Uuid, Path)),
    responses((status = 200, body = AnnouncementDetailDto), (status = 404, body = Problem)))]
async fn get_announcement(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<AnnouncementDetailDto>, ApiError> {
    Ok(Json(
        actions::announcement(&state.db, &actor, parse_id(&id)?)
            .await?
            .into(),
    ))
}

/// Approves or refuses a pending announcement (officers).
#[utoipa::path(post, path = "/announcements/{id}/decision", tag = "comms", params(("id" = Uuid, Path)), request_body = DecisionBody,
    responses((status = 200, body = AnnouncementDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn decide(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<DecisionBody>,
) -> Result<Json<AnnouncementDto>, ApiError> {
    let row = actions::decide(&state.db, &actor, parse_id(&id)?, body.approve).await?;
    state.public.clear();
    Ok(Json(row.into()))
}
