//! `/api/v1/groups`, `/api/v1/coverage`, `/api/v1/announcements`, `/api/v1/webhooks`: village
//! groups and their rosters, coverage, announcements with their delivery status, and webhook
//! endpoints. Scoped like everything else: outside the caller's units answers 404.

use axum::extract::State;
use axum::http::StatusCode;
use langso_app::comms::{
    self as actions, AnnouncementRow, AnnouncementView, CoverageRow, GroupRow, MemberRow,
    NewAnnouncement, NewGroup, NewWebhook, WebhookRow,
};
use langso_store_free::millis_to_rfc3339;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::parse_id;
use crate::AppState;
use crate::api::extract::{Json, Path, Query};
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};

/// Small helpers that need no store access.
mod langso_store_free {
    /// An instant stored as Unix milliseconds, as RFC 3339.
    pub fn millis_to_rfc3339(ms: i64) -> String {
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .ok()
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default()
    }
}

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_groups, create_group))
        .routes(routes!(get_group))
        .routes(routes!(list_members, add_members))
        .routes(routes!(remove_member))
        .routes(routes!(household_groups))
        .routes(routes!(coverage))
        .routes(routes!(uncovered))
        .routes(routes!(list_announcements, create_announcement))
        .routes(routes!(get_announcement))
        .routes(routes!(decide))
        .routes(routes!(list_webhooks, create_webhook))
        // --- webhook page follow-up (issue 8b) ---
        .routes(routes!(deactivate_webhook))
}

/// A village group.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupDto {
    /// Id.
    pub id: Uuid,
    /// Unit whose households it gathers.
    pub unit_id: Uuid,
    /// zalo, facebook, telegram or other.
    pub platform: String,
    /// Name.
    pub name: String,
    /// Invitation link or group id.
    pub link: String,
    /// Administrators.
    pub admins: String,
    /// Households in it.
    pub members: i64,
}

impl From<GroupRow> for GroupDto {
    fn from(g: GroupRow) -> Self {
        GroupDto {
            id: g.id,
            unit_id: g.unit_id,
            platform: g.platform,
            name: g.name,
            link: g.link,
            admins: g.admins,
            members: g.members,
        }
    }
}

/// A group to create.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GroupBody {
    /// Unit (usually a village).
    pub unit_id: Option<Uuid>,
    /// zalo, facebook, telegram or other.
    pub platform: String,
    /// Name.
    pub name: String,
    /// Invitation link or group id.
    #[serde(default)]
    pub link: String,
    /// Administrators.
    #[serde(default)]
    pub admins: String,
}

/// A household in a group (the representative's name; no numbers).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MemberDto {
    /// Household id.
    pub household_id: Uuid,
    /// Household code.
    pub code: String,
    /// Village.
    pub unit_id: Uuid,
    /// Representative.
    pub representative_name: String,
    /// Alley.
    pub alley: String,
    /// House number.
    pub house_number: String,
    /// Anonymised at the subject's request.
    pub erased: bool,
}

impl From<MemberRow> for MemberDto {
    fn from(m: MemberRow) -> Self {
        MemberDto {
            household_id: m.household_id,
            code: m.code,
            unit_id: m.unit_id,
            representative_name: m.representative_name,
            alley: m.alley,
            house_number: m.house_number,
            erased: m.erased,
        }
    }
}

/// Households to add: by id, or by code (one per line or comma-separated).
#[derive(Debug, Deserialize, ToSchema)]
pub struct MembersBody {
    /// Household ids.
    #[serde(default)]
    pub household_ids: Vec<Uuid>,
    /// Household codes.
    #[serde(default)]
    pub codes: String,
}

/// What an addition did.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MembershipDto {
    /// Added.
    pub added: usize,
    /// Already members.
    pub already: usize,
}

/// Coverage of one village: households with a member in a group ÷ households.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CoverageDto {
    /// Village.
    pub unit_id: Uuid,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Households.
    pub households: i64,
    /// Households in at least one group.
    pub covered: i64,
    /// Groups of the village.
    pub groups: i64,
    /// covered ÷ households (0 when there are none).
    pub share: f64,
}

impl From<CoverageRow> for CoverageDto {
    fn from(c: CoverageRow) -> Self {
        CoverageDto {
            share: if c.households > 0 {
                c.covered as f64 / c.households as f64
            } else {
                0.0
            },
            unit_id: c.unit_id,
            code: c.code,
            name: c.name,
            households: c.households,
            covered: c.covered,
            groups: c.groups,
        }
    }
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

/// The unit to look under.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UnitParam {
    /// Unit id.
    unit: Uuid,
}

/// Groups under a unit.
#[utoipa::path(get, path = "/groups", tag = "comms", params(UnitParam),
    responses((status = 200, body = Vec<GroupDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_groups(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(param): Query<UnitParam>,
) -> Result<Json<Vec<GroupDto>>, ApiError> {
    let rows = actions::list_groups(&state.db, &actor, param.unit).await?;
    Ok(Json(rows.into_iter().map(GroupDto::from).collect()))
}

/// Records a village group.
#[utoipa::path(post, path = "/groups", tag = "comms", request_body = GroupBody,
    responses((status = 201, body = GroupDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_group(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Json(body): Json<GroupBody>,
) -> Result<(StatusCode, Json<GroupDto>), ApiError> {
    let input = NewGroup {
        unit_id: body.unit_id,
        platform: body.platform,
        name: body.name,
        link: body.link,
        admins: body.admins,
    };
    let row = actions::create_group(&state.db, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// One group.
#[utoipa::path(get, path = "/groups/{id}", tag = "comms", params(("id" = Uuid, Path)),
    responses((status = 200, body = GroupDto), (status = 404, body = Problem)))]
async fn get_group(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<GroupDto>, ApiError> {
    Ok(Json(
        actions::group(&state.db, &actor, parse_id(&id)?)
            .await?
            .into(),
    ))
}

/// A group's roster.
#[utoipa::path(get, path = "/groups/{id}/members", tag = "comms", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<MemberDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_members(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<MemberDto>>, ApiError> {
    let rows = actions::members(&state.db, &actor, parse_id(&id)?).await?;
    Ok(Json(rows.into_iter().map(MemberDto::from).collect()))
}

/// Adds households (by id or code) to a group, all or nothing; coverage counters follow.
#[utoipa::path(post, path = "/groups/{id}/members", tag = "comms", params(("id" = Uuid, Path)), request_body = MembersBody,
    responses((status = 200, body = MembershipDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_members(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<MembersBody>,
) -> Result<Json<MembershipDto>, ApiError> {
    let id = parse_id(&id)?;
    let report = if body.codes.trim().is_empty() {
        actions::add_members(&state.db, &actor, id, &body.household_ids).await?
    } else {
        actions::add_members_by_codes(&state.db, &actor, id, &body.codes).await?
    };
    Ok(Json(MembershipDto {
        added: report.added,
        already: report.already,
    }))
}

/// Takes a household out of a group.
#[utoipa::path(delete, path = "/groups/{id}/members/{household}", tag = "comms",
    params(("id" = Uuid, Path), ("household" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn remove_member(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path((id, household)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    actions::remove_member(&state.db, &actor, parse_id(&id)?, parse_id(&household)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The groups a household is in.
#[utoipa::path(get, path = "/households/{id}/groups", tag = "comms", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<GroupDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn household_groups(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<GroupDto>>, ApiError> {
    let rows = actions::groups_of_household(&state.db, &actor, parse_id(&id)?).await?;
    Ok(Json(rows.into_iter().map(GroupDto::from).collect()))
}

/// Coverage per village under a unit, from the counters.
#[utoipa::path(get, path = "/coverage", tag = "comms", params(UnitParam),
    responses((status = 200, body = Vec<CoverageDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn coverage(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(param): Query<UnitParam>,
) -> Result<Json<Vec<CoverageDto>>, ApiError> {
    let rows = actions::coverage(&state.db, &actor, param.unit).await?;
    Ok(Json(rows.into_iter().map(CoverageDto::from).collect()))
}

/// Households under a unit in no group, for follow-up.
#[utoipa::path(get, path = "/coverage/uncovered", tag = "comms", params(UnitParam),
    responses((status = 200, body = Vec<MemberDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn uncovered(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(param): Query<UnitParam>,
) -> Result<Json<Vec<MemberDto>>, ApiError> {
    let rows = actions::uncovered(&state.db, &actor, param.unit, 2000).await?;
    Ok(Json(rows.into_iter().map(MemberDto::from).collect()))
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
