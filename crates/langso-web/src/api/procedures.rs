//! `/api/v1/procedures`: the guides in force (public) and their version history and new
//! versions (officers).

use axum::extract::State;
use axum::http::StatusCode;
use langso_app::procedures::{
    self as actions, Channel, NewVersion, ProcedureContent, ProcedureVersion,
};
use langso_domain::units::parse_date;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::api::extract::{Json, Path};
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_guides))
        .routes(routes!(get_guide))
        .routes(routes!(list_versions, publish_version))
}

/// A procedure guide's content (fees quoted verbatim; never show `fee_vi` without
/// `exemptions_vi`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContentDto {
    /// Official Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Steps, Vietnamese.
    pub steps_vi: Vec<String>,
    /// Steps, English (empty, or one per Vietnamese step).
    #[serde(default)]
    pub steps_en: Vec<String>,
    /// Documents to bring, Vietnamese.
    #[serde(default)]
    pub documents_vi: Vec<String>,
    /// The fee, verbatim.
    pub fee_vi: String,
    /// Exemptions from the fee, verbatim.
    #[serde(default)]
    pub exemptions_vi: Option<String>,
    /// Processing time, Vietnamese.
    pub processing_time_vi: String,
    /// Processing time, English.
    #[serde(default)]
    pub processing_time_en: String,
    /// Where to file: one_stop, portal, vneid.
    pub channels: Vec<String>,
    /// Legal basis.
    pub legal_basis: String,
    /// Linked VNeID service, Vietnamese.
    #[serde(default)]
    pub vneid_service_vi: Option<String>,
    /// Linked VNeID service, English.
    #[serde(default)]
    pub vneid_service_en: Option<String>,
    /// Related procedures.
    #[serde(default)]
    pub related: Option<String>,
}

/// One version of a guide.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VersionDto {
    /// Id of this version.
    pub id: Uuid,
    /// National procedure code.
    pub code: String,
    /// 1, 2, 3…
    pub version: i64,
    /// First day in force.
    pub effective_from: Date,
    /// The national portal's page ("file online").
    pub portal_url: String,
    /// The guide.
    pub content: ContentDto,
    /// Why this version was made.
    pub note: Option<String>,
    /// When it was recorded (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<ProcedureVersion> for VersionDto {
    fn from(v: ProcedureVersion) -> Self {
        let c = v.content;
        VersionDto {
            id: v.id,
            portal_url: v.code.portal_url(),
            code: v.code.to_string(),
            version: v.version,
            effective_from: v.effective_from,
            content: ContentDto {
                name_vi: c.name_vi,
                name_en: c.name_en,
                steps_vi: c.steps_vi,
                steps_en: c.steps_en,
                documents_vi: c.documents_vi,
                fee_vi: c.fee_vi,
                exemptions_vi: c.exemptions_vi,
                processing_time_vi: c.processing_time_vi,
                processing_time_en: c.processing_time_en,
                channels: c.channels.iter().map(|ch| ch.as_str().to_owned()).collect(),
                legal_basis: c.legal_basis,
                vneid_service_vi: c.vneid_service_vi,
                vneid_service_en: c.vneid_service_en,
                related: c.related,
            },
            note: v.note,
            created_at: v.created_at,
        }
    }
}

/// A new version.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewVersionBody {
    /// First day in force (YYYY-MM-DD, today or later).
    pub effective_from: String,
    /// The guide.
    pub content: ContentDto,
    /// Why.
    #[serde(default)]
    pub note: Option<String>,
}

/// Turns the request content into the domain's, naming a bad channel.
pub(crate) fn content(dto: ContentDto) -> Result<ProcedureContent, ApiError> {
    let channels = dto
        .channels
        .iter()
        .map(|c| Channel::parse(c).map_err(|e| ApiError::keyed("channels", e)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ProcedureContent {
        name_vi: dto.name_vi,
        name_en: dto.name_en,
        steps_vi: dto.steps_vi,
        steps_en: dto.steps_en,
        documents_vi: dto.documents_vi,
        fee_vi: dto.fee_vi,
        exemptions_vi: dto.exemptions_vi.filter(|e| !e.trim().is_empty()),
        processing_time_vi: dto.processing_time_vi,
        processing_time_en: dto.processing_time_en,
        channels,
        legal_basis: dto.legal_basis,
        vneid_service_vi: dto.vneid_service_vi.filter(|e| !e.trim().is_empty()),
        vneid_service_en: dto.vneid_service_en.filter(|e| !e.trim().is_empty()),
        related: dto.related.filter(|e| !e.trim().is_empty()),
    })
}

/// Every guide in force today (public).
#[utoipa::path(get, path = "/procedures", tag = "procedures", security(()),
    responses((status = 200, body = Vec<VersionDto>)))]
async fn list_guides(State(state): State<AppState>) -> Result<Json<Vec<VersionDto>>, ApiError> {
    Ok(Json(
        actions::guides(&state.db)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// The guide in force today for a code (public).
#[utoipa::path(get, path = "/procedures/{code}", tag = "procedures", security(()), params(("code" = String, Path)),
    responses((status = 200, body = VersionDto), (status = 404, body = Problem)))]
async fn get_guide(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<VersionDto>, ApiError> {
    Ok(Json(actions::guide(&state.db, &code).await?.into()))
}

/// Every version of a procedure, newest first.
#[utoipa::path(get, path = "/procedures/{code}/versions", tag = "procedures", params(("code" = String, Path)),
    responses((status = 200, body = Vec<VersionDto>), (status = 404, body = Problem)))]
async fn list_versions(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(code): Path<String>,
) -> Result<Json<Vec<VersionDto>>, ApiError> {
    Ok(Json(
        actions::history(&state.db, &actor, &code)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Publishes a new version (the old ones stay); needs the catalogue right on a province.
#[utoipa::path(post, path = "/procedures/{code}/versions", tag = "procedures", params(("code" = String, Path)),
    request_body = NewVersionBody,
    responses((status = 201, body = VersionDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn publish_version(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(code): Path<String>,
    Json(body): Json<NewVersionBody>,
) -> Result<(StatusCode, Json<VersionDto>), ApiError> {
    let effective_from =
        parse_date(&body.effective_from).map_err(|e| ApiError::keyed("effective_from", e))?;
    let input = NewVersion {
        code,
        effective_from,
        content: content(body.content)?,
        note: body.note,
    };
    let version = actions::publish_version(&state.db, &actor, input).await?;
    state.public.clear();
    Ok((StatusCode::CREATED, Json(version.into())))
}
