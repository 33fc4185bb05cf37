//! `/api/v1/households`, `/api/v1/round`, `/api/v1/progress`, `/api/v1/indicators`: the
//! register and the door-to-door survey. Every answer is scoped to the caller's units (404
//! outside them) and masks personal numbers unless the caller holds the PII right.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use langso_app::households::{self as actions, HouseholdInput, HouseholdView, VisitInput};
use langso_app::{AppError, today};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::api::extract::{Json, Path, Query};
use crate::auth::{Authenticated, AuthenticatedAtWrite};
use crate::error::{ApiError, Problem};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_indicators))
        .routes(routes!(list_households, create_household))
        .routes(routes!(get_household, update_household))
        .routes(routes!(list_visits, record_visit))
        .routes(routes!(assign_household))
        .routes(routes!(subject_export))
        .routes(routes!(erase_household))
        .routes(routes!(my_round))
        .routes(routes!(progress))
}

/// A household (phone and CCCD masked unless the caller holds the PII right).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HouseholdDto {
    /// Id.
    pub id: Uuid,
    /// Village-level unit.
    pub unit_id: Uuid,
    /// Village name.
    pub village: String,
    /// Code, unique within the commune.
    pub code: String,
    /// Xóm.
    pub hamlet: String,
    /// Ngõ.
    pub alley: String,
    /// House number.
    pub house_number: String,
    /// Chủ hộ.
    pub head_name: String,
    /// Representative.
    pub representative_name: String,
    /// Representative's phone (masked without PII right).
    pub representative_phone: Option<String>,
    /// Head's CCCD (masked without PII right).
    pub citizen_id: Option<String>,
    /// Members.
    pub members: i64,
    /// Adults.
    pub adults: i64,
    /// Business household.
    pub business: bool,
    /// Consent date.
    pub consent_on: Option<Date>,
    /// Consent purpose.
    pub consent_purpose: String,
    /// Notes.
    pub notes: String,
    /// Assigned team member.
    pub assigned_to: Option<Uuid>,
    /// Next follow-up.
    pub follow_up_on: Option<Date>,
    /// Last visit.
    pub last_visit_on: Option<Date>,
    /// Anonymised.
    pub erased: bool,
    /// Whether personal numbers are masked in this answer.
    pub masked: bool,
    /// Current indicator values by code.
    pub values: BTreeMap<String, i64>,
}

impl From<HouseholdView> for HouseholdDto {
    fn from(view: HouseholdView) -> Self {
        let r = view.row;
        HouseholdDto {
            id: r.id,
            unit_id: r.unit_id,
            village: view.village,
            code: r.code,
            hamlet: r.hamlet,
            alley: r.alley,
            house_number: r.house_number,
            head_name: r.head_name,
            representative_name: r.representative_name,
            representative_phone: r.representative_phone,
            citizen_id: r.citizen_id,
            members: r.members,
            adults: r.adults,
            business: r.business,
            consent_on: r.consent_on,
            consent_purpose: r.consent_purpose,
            notes: r.notes,
            assigned_to: r.assigned_to,
            follow_up_on: r.follow_up_on,
            last_visit_on: r.last_visit_on,
            erased: r.erased,
            masked: view.masked,
            values: view.values.into_iter().collect(),
        }
    }
}

fn list_dto(row: langso_app::households::HouseholdRow, masked: bool) -> HouseholdDto {
    HouseholdView {
        row,
        values: Vec::new(),
        masked,
        village: String::new(),
    }
    .into()
}

/// A household to create or change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct HouseholdBody {
    /// Village-level unit.
    pub unit_id: Option<Uuid>,
    /// Code, unique within the commune.
    pub code: String,
    /// Xóm.
    #[serde(default)]
    pub hamlet: String,
    /// Ngõ.
    #[serde(default)]
    pub alley: String,
    /// House number.
    #[serde(default)]
    pub house_number: String,
    /// Chủ hộ.
    pub head_name: String,
    /// Representative (default: the head).
    #[serde(default)]
    pub representative_name: String,
    /// Representative's phone (Vietnamese formats; normalised).
    #[serde(default)]
    pub representative_phone: String,
    /// Head's CCCD (12 digits, optional).
    #[serde(default)]
    pub citizen_id: String,
    /// Members (1–50).
    pub members: i64,
    /// Adults (0–members).
    pub adults: i64,
    /// Business household.
    #[serde(default)]
    pub business: bool,
    /// Consent date.
    pub consent_on: Option<Date>,
    /// What the consent covers.
    #[serde(default)]
    pub consent_purpose: String,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

impl From<HouseholdBody> for HouseholdInput {
    fn from(b: HouseholdBody) -> Self {
        HouseholdInput {
            unit_id: b.unit_id,
            code: b.code,
            hamlet: b.hamlet,
            alley: b.alley,
            house_number: b.house_number,
            head_name: b.head_name,
            representative_name: b.representative_name,
            representative_phone: b.representative_phone,
            citizen_id: b.citizen_id,
            members: b.members,
            adults: b.adults,
            business: b.business,
            consent_on: b.consent_on,
            consent_purpose: b.consent_purpose,
            notes: b.notes,
        }
    }
}

/// A visit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitBody {
    /// Set by a phone that creates the visit offline; a retry with the same id changes nothing.
    pub id: Option<Uuid>,
    /// Day of the visit (default today).
    pub visited_on: Option<Date>,
    /// Observed values by indicator code.
    #[serde(default)]
    pub values: BTreeMap<String, i64>,
    /// Help given: installed_vneid, vneid_level2, opened_epayment, added_to_group, installed_vssid, ehealth, dvc_account, digital_address.
    #[serde(default)]
    pub help: Vec<String>,
    /// When to come back.
    pub follow_up_on: Option<Date>,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// A recorded visit.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VisitDto {
    /// Id.
    pub id: Uuid,
    /// Day.
    pub visited_on: Date,
    /// Team member.
    pub visitor: String,
    /// Observed values.
    pub observed: BTreeMap<String, i64>,
    /// Help given.
    pub help: Vec<String>,
    /// Follow-up.
    pub follow_up_on: Option<Date>,
    /// Notes.
    pub notes: String,
}

impl From<langso_app::households::VisitRow> for VisitDto {
    fn from(v: langso_app::households::VisitRow) -> Self {
        VisitDto {
            id: v.id,
            visited_on: v.visited_on,
            visitor: v.visitor_label,
            observed: serde_json::from_str(&v.observed).unwrap_or_default(),
            help: v
                .help_given
                .split(',')
                .filter(|h| !h.is_empty())
                .map(str::to_owned)
                .collect(),
            follow_up_on: v.follow_up_on,
            notes: v.notes,
        }
    }
}

/// An indicator of the catalogue.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IndicatorDto {
    /// Code.
    pub code: String,
    /// Version in force.
    pub version: i64,
    /// yes_no, adult_count, count or level.
    pub kind: String,
    /// Vietnamese label.
    pub label_vi: String,
    /// English label.
    pub label_en: String,
    /// Vietnamese help.
    pub help_vi: String,
    /// English help.
    pub help_en: String,
    /// Only for business households.
    pub business_only: bool,
}

/// Listing filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// Unit to list under (default: every unit of the caller).
    unit: Option<Uuid>,
    /// Name, address or code; accents ignored.
    q: Option<String>,
    /// At most (1–1000, default 100).
    limit: Option<i64>,
    /// Skip.
    offset: Option<i64>,
}

/// Assignment.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignBody {
    /// The team member, or null for nobody.
    pub user_id: Option<Uuid>,
}

/// The unit to report on.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UnitParam {
    /// Unit id.
    unit: Uuid,
}

fn parse_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text).map_err(|_| ApiError(AppError::NotFound))
}

/// The indicator catalogue in force today.
#[utoipa::path(get, path = "/indicators", tag = "households", responses((status = 200, body = Vec<IndicatorDto>)))]
async fn list_indicators(
    State(state): State<AppState>,
    Authenticated(_actor): Authenticated,
) -> Result<Json<Vec<IndicatorDto>>, ApiError> {
    let items = actions::catalogue(&state.db, today()).await?;
    Ok(Json(
        items
            .into_iter()
            .map(|i| IndicatorDto {
                code: i.code,
                version: i.version,
                kind: i.kind.as_str().to_owned(),
                label_vi: i.label_vi,
                label_en: i.label_en,
                help_vi: i.help_vi,
                help_en: i.help_en,
                business_only: i.business_only,
            })
            .collect(),
    ))
}

/// Households in scope, searchable by name, address or code.
#[utoipa::path(get, path = "/households", tag = "households", params(ListParams),
    responses((status = 200, body = Vec<HouseholdDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_households(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<HouseholdDto>>, ApiError> {
    let rows = actions::list_households(
        &state.db,
        &actor,
        params.unit,
        params.q.as_deref().unwrap_or(""),
        params.limit.unwrap_or(100),
        params.offset.unwrap_or(0),
    )
    .await?;
    let masked = !actor.pii;
    Ok(Json(
        rows.into_iter().map(|r| list_dto(r, masked)).collect(),
    ))
}

/// Registers a household.
#[utoipa::path(post, path = "/households", tag = "households", request_body = HouseholdBody,
    responses((status = 201, body = HouseholdDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_household(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Json(body): Json<HouseholdBody>,
) -> Result<(StatusCode, Json<HouseholdDto>), ApiError> {
    let view = actions::create_household(&state.db, &actor, &body.into()).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// One household with its current values.
#[utoipa::path(get, path = "/households/{id}", tag = "households", params(("id" = Uuid, Path)),
    responses((status = 200, body = HouseholdDto), (status = 404, body = Problem)))]
async fn get_household(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<HouseholdDto>, ApiError> {
    Ok(Json(
        actions::get_household(&state.db, &actor, parse_id(&id)?)
            .await?
            .into(),
    ))
}

/// Changes a household's register fields.
#[utoipa::path(put, path = "/households/{id}", tag = "households", params(("id" = Uuid, Path)), request_body = HouseholdBody,
    responses((status = 200, body = HouseholdDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_household(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<HouseholdBody>,
) -> Result<Json<HouseholdDto>, ApiError> {
    Ok(Json(
        actions::update_household(&state.db, &actor, parse_id(&id)?, &body.into())
            .await?
            .into(),
    ))
}

/// A household's visits, newest first.
#[utoipa::path(get, path = "/households/{id}/visits", tag = "households", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<VisitDto>), (status = 404, body = Problem)))]
async fn list_visits(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<VisitDto>>, ApiError> {
    let visits = actions::visits_of(&state.db, &actor, parse_id(&id)?).await?;
    Ok(Json(visits.into_iter().map(VisitDto::from).collect()))
}

/// Records a visit; answered after it is committed, with the household's values and its
/// village's counters already changed. A visit id sent again for the same household is a
/// replay (answered, written once); for another household it is refused with 409.
#[utoipa::path(post, path = "/households/{id}/visits", tag = "households", params(("id" = Uuid, Path)), request_body = VisitBody,
    responses((status = 201, body = VisitDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn record_visit(
    State(state): State<AppState>,
    AuthenticatedAtWrite(actor): AuthenticatedAtWrite,
    Path(id): Path<String>,
    Json(body): Json<VisitBody>,
) -> Result<(StatusCode, Json<VisitDto>), ApiError> {
    let input = VisitInput {
        id: body.id,
        visited_on: body.visited_on,
        values: body.values,
        help: body.help,
        follow_up_on: body.follow_up_on,
        notes: body.notes,
    };
    let visit = match state.visits.record(&actor, parse_id(&id)?, &input).await {
        Ok(visit) => visit,
        // A refusal before the writer tells a token that ended meanwhile nothing.
        Err(error) if !state.tokens.still_holds(&actor).await? => {
            tracing::debug!(%error, "visit refused for an ended token");
            return Err(ApiError(langso_app::AppError::Unauthenticated));
        }
        Err(error) => return Err(error.into()),
    };
    Ok((StatusCode::CREATED, Json(visit.into())))
}

/// Assigns a household to a team member of its village.
#[utoipa::path(post, path = "/households/{id}/assign", tag = "households", params(("id" = Uuid, Path)), request_body = AssignBody,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn assign_household(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<AssignBody>,
) -> Result<StatusCode, ApiError> {
    actions::assign(&state.db, &actor, parse_id(&id)?, body.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Everything held on one household, unmasked, for its data subject (needs the PII right);
/// audited.
#[utoipa::path(get, path = "/households/{id}/subject-export", tag = "households", params(("id" = Uuid, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn subject_export(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(
        actions::subject_export(&state.db, &actor, parse_id(&id)?).await?,
    ))
}

/// Anonymises a household at its data subject's request; aggregate counts stay. Audited.
#[utoipa::path(post, path = "/households/{id}/erase", tag = "households", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn erase_household(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    actions::erase_household(&state.db, &actor, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's round: assigned households, overdue follow-ups first.
#[utoipa::path(get, path = "/round", tag = "households", responses((status = 200, body = Vec<HouseholdDto>), (status = 403, body = Problem)))]
async fn my_round(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<Vec<HouseholdDto>>, ApiError> {
    let rows = actions::my_round(&state.db, &actor, 200).await?;
    let masked = !actor.pii;
    Ok(Json(
        rows.into_iter().map(|r| list_dto(r, masked)).collect(),
    ))
}

/// Survey progress under a unit: visited share, each indicator's share, per child unit, per
/// team member and per month; read from the counters.
#[utoipa::path(get, path = "/progress", tag = "households", params(UnitParam),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn progress(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(param): Query<UnitParam>,
) -> Result<Json<actions::Progress>, ApiError> {
    Ok(Json(
        actions::progress(&state.db, &actor, param.unit).await?,
    ))
}
