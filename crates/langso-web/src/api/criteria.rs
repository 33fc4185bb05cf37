//! `/api/v1/criteria-sets`, `/api/v1/evaluation`, `/api/v1/villages/{id}/recognition…`,
//! `/api/v1/villages/{id}/evidence`: smart-village criteria as versioned files, live
//! evaluation, evidence for manual criteria, and recognition decisions.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use langso_app::criteria::{self as actions, EvidenceRow, RecognitionDecision, RecognitionRow};
use langso_app::today;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::parse_id;
use super::teams::{missing, unit_param};
use crate::AppState;
use crate::api::extract::{Json, Path, Query};
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sets, import_set))
        .routes(routes!(export_set))
        .routes(routes!(evaluation))
        .routes(routes!(recognition_history))
        .routes(routes!(propose))
        .routes(routes!(approve))
        .routes(routes!(revoke))
        .routes(routes!(upload_evidence))
        .routes(routes!(approve_evidence))
}

/// A criteria set version.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CriteriaSetDto {
    /// Id.
    pub id: Uuid,
    /// The province's code.
    pub province: String,
    /// Name.
    pub name: String,
    /// Version.
    pub version: i64,
    /// First day.
    pub valid_from: Date,
    /// Last day.
    pub valid_to: Option<Date>,
    /// Number of criteria.
    pub criteria: usize,
}

impl From<actions::CriteriaSet> for CriteriaSetDto {
    fn from(s: actions::CriteriaSet) -> Self {
        CriteriaSetDto {
            id: s.id,
            province: s.province_code,
            name: s.name,
            version: s.version,
            valid_from: s.valid_from,
            valid_to: s.valid_to,
            criteria: s.criteria.len(),
        }
    }
}

/// One step of a village's recognition.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RecognitionDto {
    /// Id.
    pub id: Uuid,
    /// The village.
    pub unit_id: Uuid,
    /// `proposed`, `recognised`, `revoked`.
    pub status: String,
    /// From when it holds.
    pub effective_on: Date,
    /// The decision's number.
    pub decision_number: Option<String>,
    /// Who recorded it.
    pub actor: String,
    /// Notes.
    pub note: String,
}

impl From<RecognitionRow> for RecognitionDto {
    fn from(r: RecognitionRow) -> Self {
        RecognitionDto {
            id: r.id,
            unit_id: r.unit_id,
            status: r.status,
            effective_on: r.effective_on,
            decision_number: r.decision_number,
            actor: r.actor_label,
            note: r.note,
        }
    }
}

/// Evidence for a manual criterion.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EvidenceDto {
    /// Id.
    pub id: Uuid,
    /// The set.
    pub set_id: Uuid,
    /// The criterion's code.
    pub criterion: String,
    /// The village.
    pub unit_id: Uuid,
    /// File name.
    pub file_name: String,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// When (UTC).
    #[serde(with = "time::serde::rfc3339::option")]
    pub approved_at: Option<OffsetDateTime>,
}

impl From<EvidenceRow> for EvidenceDto {
    fn from(e: EvidenceRow) -> Self {
        EvidenceDto {
            id: e.id,
            set_id: e.set_id,
            criterion: e.criterion,
            unit_id: e.unit_id,
            file_name: e.file_name,
            uploaded_by: e.uploaded_by,
            approved_by: e.approved_by,
            approved_at: e.approved_at,
        }
    }
}

/// A proposal.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProposalBody {
    /// Notes.
    #[serde(default)]
    pub note: String,
}

/// A province's decision.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionBody {
    /// Number ("2150/QĐ-UBND").
    pub decision_number: String,
    /// Date: the step holds from this day.
    pub decision_date: Date,
    /// Notes (the reason, for a revocation).
    #[serde(default)]
    pub note: String,
}

impl From<DecisionBody> for RecognitionDecision {
    fn from(b: DecisionBody) -> Self {
        RecognitionDecision {
            decision_number: b.decision_number,
            decision_date: b.decision_date,
            note: b.note,
        }
    }
}

/// A unit and a day.
#[derive(Debug, Deserialize, IntoParams)]
pub struct EvaluationParams {
    /// Unit id.
    unit: Option<String>,
    /// The day (default today).
    date: Option<Date>,
}

/// Which criterion a file proves.
#[derive(Debug, Deserialize, IntoParams)]
pub struct EvidenceParams {
    /// The criteria set's id.
    set: Option<String>,
    /// The criterion's code.
    criterion: Option<String>,
    /// The file's name.
    file_name: Option<String>,
}

/// Every criteria set version (published rules).
#[utoipa::path(get, path = "/criteria-sets", tag = "criteria",
    responses((status = 200, body = Vec<CriteriaSetDto>)))]
async fn list_sets(
    State(state): State<AppState>,
    Authenticated(_actor): Authenticated,
) -> Result<Json<Vec<CriteriaSetDto>>, ApiError> {
    let sets = actions::list_sets(&state.db).await?;
    Ok(Json(sets.into_iter().map(Into::into).collect()))
}

/// Imports a criteria set file (JSON, as exported) as a new version for its province; needs
/// the programme right on that province.
#[utoipa::path(post, path = "/criteria-sets", tag = "criteria", request_body(content = Object, content_type = "application/json"),
    responses((status = 201, body = CriteriaSetDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn import_set(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    body: Bytes,
) -> Result<(StatusCode, Json<CriteriaSetDto>), ApiError> {
    let file = actions::import_json(&body)?;
    let set = actions::import_set(&state.db, &actor, &file).await?;
    Ok((StatusCode::CREATED, Json(set.into())))
}

/// A criteria set version as a file (the same JSON the import takes).
#[utoipa::path(get, path = "/criteria-sets/{id}", tag = "criteria", params(("id" = Uuid, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
async fn export_set(
    State(state): State<AppState>,
    Authenticated(_actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let file = actions::export_set(&state.db, id).await?;
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"tieu-chi-{id}.json\""),
        )],
        Json(file),
    )
        .into_response())
}

/// Every thôn and tổ dân phố under a unit judged against the set in force: each criterion's
/// measure, threshold and verdict, and the village's status.
#[utoipa::path(get, path = "/evaluation", tag = "criteria", params(EvaluationParams),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn evaluation(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<EvaluationParams>,
) -> Result<Json<Vec<actions::VillageEvaluation>>, ApiError> {
    let unit = unit_param(params.unit.as_deref())?;
    let date = params.date.unwrap_or_else(today);
    Ok(Json(
        actions::evaluate_under(&state.db, &actor, unit, date).await?,
    ))
}

/// A village's recognition history, oldest first.
#[utoipa::path(get, path = "/villages/{id}/recognition", tag = "criteria", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<RecognitionDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn recognition_history(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<RecognitionDto>>, ApiError> {
    let rows = actions::history(&state.db, &actor, parse_id(&id)?).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// The commune proposes a village that meets every criterion.
#[utoipa::path(post, path = "/villages/{id}/recognition/propose", tag = "criteria", params(("id" = Uuid, Path)), request_body = ProposalBody,
    responses((status = 201, body = RecognitionDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn propose(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<ProposalBody>,
) -> Result<(StatusCode, Json<RecognitionDto>), ApiError> {
    let row = actions::propose(&state.db, &actor, parse_id(&id)?, &body.note).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// A province officer recognises a proposed village by decision.
#[utoipa::path(post, path = "/villages/{id}/recognition/approve", tag = "criteria", params(("id" = Uuid, Path)), request_body = DecisionBody,
    responses((status = 201, body = RecognitionDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn approve(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<DecisionBody>,
) -> Result<(StatusCode, Json<RecognitionDto>), ApiError> {
    let row = actions::approve(&state.db, &actor, parse_id(&id)?, &body.into()).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// A province officer revokes a recognition by decision, with a reason.
#[utoipa::path(post, path = "/villages/{id}/recognition/revoke", tag = "criteria", params(("id" = Uuid, Path)), request_body = DecisionBody,
    responses((status = 201, body = RecognitionDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn revoke(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<DecisionBody>,
) -> Result<(StatusCode, Json<RecognitionDto>), ApiError> {
    let row = actions::revoke(&state.db, &actor, parse_id(&id)?, &body.into()).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Uploads a file (the request body, up to 5 MB) proving a manual criterion for a village.
#[utoipa::path(post, path = "/villages/{id}/evidence", tag = "criteria", params(("id" = Uuid, Path), EvidenceParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = EvidenceDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn upload_evidence(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Query(params): Query<EvidenceParams>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<EvidenceDto>), ApiError> {
    let set = match params.set.as_deref() {
        Some(text) => parse_id(text)?,
        None => return Err(missing("set")),
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream");
    let row = actions::upload_evidence(
        &state.db,
        &actor,
        parse_id(&id)?,
        set,
        params.criterion.as_deref().unwrap_or(""),
        params.file_name.as_deref().unwrap_or(""),
        content_type,
        &body,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Approves evidence (someone other than the uploader).
#[utoipa::path(post, path = "/evidence/{id}/approve", tag = "criteria", params(("id" = Uuid, Path)),
    responses((status = 200, body = EvidenceDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn approve_evidence(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<EvidenceDto>, ApiError> {
    let row = actions::approve_evidence(&state.db, &actor, parse_id(&id)?).await?;
    Ok(Json(row.into()))
}
