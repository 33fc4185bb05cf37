//! Village groups, their rosters and coverage.

use axum::extract::State;
use axum::http::StatusCode;
use langso_app::comms::{self as actions, CoverageRow, GroupRow, MemberRow, NewGroup};
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
        .routes(routes!(list_groups, create_group))
        .routes(routes!(get_group))
        .routes(routes!(list_members, add_members))
        .routes(routes!(remove_member))
        .routes(routes!(household_groups))
        .routes(routes!(coverage))
        .routes(routes!(uncovered))
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
