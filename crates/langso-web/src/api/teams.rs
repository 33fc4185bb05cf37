//! `/api/v1/teams`, `/api/v1/outreach`: digital teams, their members, trainings and outreach.
//! Lists of teams are figures (`ReadDashboard`); a team's members are people (`ReadPeople`,
//! phones masked without the PII right); writes need `ManageProgramme` on the unit.

use axum::extract::State;
use axum::http::StatusCode;
use langso_app::teams::{self as actions, MemberInput, OutreachInput, TeamInput};
use langso_app::{AppError, CellError, today};
use serde::{Deserialize, Serialize};
use time::Date;
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
        .routes(routes!(list_teams, create_team))
        .routes(routes!(get_team))
        .routes(routes!(add_member))
        .routes(routes!(list_outreach, record_outreach))
}

/// A digital team.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TeamDto {
    /// Id.
    pub id: Uuid,
    /// The commune or village it works in.
    pub unit_id: Uuid,
    /// That unit's name.
    pub unit_name: String,
    /// `commune` or `village`.
    pub level: String,
    /// Name.
    pub name: String,
    /// The commune's decision number.
    pub decision_number: String,
    /// The decision's date.
    pub decision_date: Date,
    /// Current members.
    pub members: i64,
}

/// A team member (phone masked unless the caller holds the PII right).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MemberDto {
    /// Id.
    pub id: Uuid,
    /// Full name.
    pub full_name: String,
    /// `leader`, `deputy`, `member`.
    pub role: String,
    /// `youth_union`, `womens_union`, `party_cell`, `police`, `teacher`, `other`.
    pub affiliation: String,
    /// Phone.
    pub phone: Option<String>,
    /// Joined on.
    pub joined_on: Date,
}

/// A team with its members.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TeamDetailDto {
    /// The team.
    pub team: TeamDto,
    /// Members, leaders first.
    pub members: Vec<MemberDto>,
    /// Whether phones are masked.
    pub masked: bool,
}

/// A team to set up.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TeamBody {
    /// The commune or village-level unit.
    pub unit_id: Uuid,
    /// Name (default "Tổ công nghệ số cộng đồng <unit>").
    #[serde(default)]
    pub name: String,
    /// The commune's decision number.
    pub decision_number: String,
    /// The decision's date.
    pub decision_date: Date,
}

/// A member to add.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MemberBody {
    /// Full name.
    pub full_name: String,
    /// `leader`, `deputy`, `member`.
    pub role: String,
    /// `youth_union`, `womens_union`, `party_cell`, `police`, `teacher`, `other`.
    pub affiliation: String,
    /// Phone (optional).
    #[serde(default)]
    pub phone: String,
    /// Joined on (default today).
    pub joined_on: Option<Date>,
}

/// A training or outreach event.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OutreachDto {
    /// Id (ignored on input).
    #[serde(default)]
    pub id: Option<Uuid>,
    /// The unit that held it.
    pub unit_id: Uuid,
    /// `training`, `conference`, `billboard`, `loudspeaker`.
    pub kind: String,
    /// The day.
    pub held_on: Date,
    /// The topic.
    pub topic: String,
    /// People reached.
    #[serde(default)]
    pub attendance: i64,
    /// Shown on the village's public feed.
    #[serde(default)]
    pub public: bool,
}

/// The unit asked about.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UnitParam {
    /// Unit id.
    unit: Option<String>,
}

/// A unit and a period.
#[derive(Debug, Deserialize, IntoParams)]
pub struct OutreachParams {
    /// Unit id.
    unit: Option<String>,
    /// From (default: a year ago).
    from: Option<Date>,
    /// To (default: today).
    to: Option<Date>,
}

/// A required parameter left out, named by key (the problem reads in both languages).
pub(crate) fn missing(field: &str) -> ApiError {
    ApiError(AppError::Invalid(vec![CellError::keyed(
        0,
        field,
        "api-field-missing",
        &[],
    )]))
}

pub(crate) fn unit_param(param: Option<&str>) -> Result<Uuid, ApiError> {
    match param {
        Some(text) => parse_id(text),
        None => Err(missing("unit")),
    }
}

/// Teams at or under a unit, with member counts.
#[utoipa::path(get, path = "/teams", tag = "teams", params(UnitParam),
    responses((status = 200, body = Vec<TeamDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_teams(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<UnitParam>,
) -> Result<Json<Vec<TeamDto>>, ApiError> {
    let unit = unit_param(params.unit.as_deref())?;
    let teams = actions::list_teams(&state.db, &actor, unit).await?;
    Ok(Json(
        teams
            .into_iter()
            .map(|s| TeamDto {
                id: s.team.id,
                unit_id: s.team.unit_id,
                unit_name: s.unit_name,
                level: s.team.level,
                name: s.team.name,
                decision_number: s.team.decision_number,
                decision_date: s.team.decision_date,
                members: s.members,
            })
            .collect(),
    ))
}

/// Sets up a unit's team (one per commune or village), by the commune's decision.
#[utoipa::path(post, path = "/teams", tag = "teams", request_body = TeamBody,
    responses((status = 201, body = TeamDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_team(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Json(body): Json<TeamBody>,
) -> Result<(StatusCode, Json<TeamDto>), ApiError> {
    let input = TeamInput {
        unit_id: body.unit_id,
        name: body.name,
        decision_number: body.decision_number,
        decision_date: body.decision_date,
    };
    let team = actions::create_team(&state.db, &actor, &input).await?;
    let unit_name = langso_app::units::get(&state.db, team.unit_id)
        .await
        .map(|u| u.name)
        .unwrap_or_default();
    Ok((
        StatusCode::CREATED,
        Json(TeamDto {
            id: team.id,
            unit_id: team.unit_id,
            unit_name,
            level: team.level,
            name: team.name,
            decision_number: team.decision_number,
            decision_date: team.decision_date,
            members: 0,
        }),
    ))
}

fn member_dto(m: langso_app::teams::MemberRow) -> MemberDto {
    MemberDto {
        id: m.id,
        full_name: m.full_name,
        role: m.role,
        affiliation: m.affiliation,
        phone: m.phone,
        joined_on: m.joined_on,
    }
}

/// A team and its members.
#[utoipa::path(get, path = "/teams/{id}", tag = "teams", params(("id" = Uuid, Path)),
    responses((status = 200, body = TeamDetailDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_team(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<TeamDetailDto>, ApiError> {
    let view = actions::team(&state.db, &actor, parse_id(&id)?).await?;
    let members = view.members.len() as i64;
    Ok(Json(TeamDetailDto {
        team: TeamDto {
            id: view.team.id,
            unit_id: view.team.unit_id,
            unit_name: view.unit_name,
            level: view.team.level,
            name: view.team.name,
            decision_number: view.team.decision_number,
            decision_date: view.team.decision_date,
            members,
        },
        members: view.members.into_iter().map(member_dto).collect(),
        masked: view.masked,
    }))
}

/// Adds a member to a team.
#[utoipa::path(post, path = "/teams/{id}/members", tag = "teams", params(("id" = Uuid, Path)), request_body = MemberBody,
    responses((status = 201, body = MemberDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_member(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<MemberBody>,
) -> Result<(StatusCode, Json<MemberDto>), ApiError> {
    let input = MemberInput {
        full_name: body.full_name,
        role: body.role,
        affiliation: body.affiliation,
        phone: body.phone,
        joined_on: body.joined_on,
    };
    let member = actions::add_member(&state.db, &actor, parse_id(&id)?, &input).await?;
    Ok((StatusCode::CREATED, Json(member_dto(member))))
}

/// Trainings and outreach at or under a unit in a period, newest first.
#[utoipa::path(get, path = "/outreach", tag = "teams", params(OutreachParams),
    responses((status = 200, body = Vec<OutreachDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_outreach(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<OutreachParams>,
) -> Result<Json<Vec<OutreachDto>>, ApiError> {
    let unit = unit_param(params.unit.as_deref())?;
    let to = params.to.unwrap_or_else(today);
    let from = params
        .from
        .unwrap_or_else(|| to - time::Duration::days(365));
    let rows = actions::list_outreach(&state.db, &actor, unit, from, to).await?;
    Ok(Json(
        rows.into_iter()
            .map(|o| OutreachDto {
                id: Some(o.id),
                unit_id: o.unit_id,
                kind: o.kind,
                held_on: o.held_on,
                topic: o.topic,
                attendance: o.attendance,
                public: o.public,
            })
            .collect(),
    ))
}

/// Records a training, conference, billboard or loudspeaker broadcast.
#[utoipa::path(post, path = "/outreach", tag = "teams", request_body = OutreachDto,
    responses((status = 201, body = OutreachDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_outreach(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Json(body): Json<OutreachDto>,
) -> Result<(StatusCode, Json<OutreachDto>), ApiError> {
    let input = OutreachInput {
        unit_id: body.unit_id,
        kind: body.kind,
        held_on: body.held_on,
        topic: body.topic,
        attendance: body.attendance,
        public: body.public,
    };
    let o = actions::record_outreach(&state.db, &actor, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(OutreachDto {
            id: Some(o.id),
            unit_id: o.unit_id,
            kind: o.kind,
            held_on: o.held_on,
            topic: o.topic,
            attendance: o.attendance,
            public: o.public,
        }),
    ))
}
