//! `/api/v1/audit`: the audit log within the caller's scope, and its CSV export.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use langso_app::audit::{self as actions, AuditQuery};
use langso_app::{AppError, CellError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::api::extract::{Json, Query};
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_audit))
        .routes(routes!(export_audit))
}

/// Filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditParams {
    /// Action prefix ("user." for every account change).
    action: Option<String>,
    /// From (RFC 3339 or YYYY-MM-DD).
    from: Option<String>,
    /// Before (RFC 3339 or YYYY-MM-DD).
    to: Option<String>,
    /// At most (default 200).
    limit: Option<i64>,
}

/// One audit entry.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditDto {
    /// Id.
    pub id: Uuid,
    /// When (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Kind of target.
    pub target_type: String,
    /// Target id or code.
    pub target_id: String,
    /// Unit.
    pub unit_id: Option<Uuid>,
    /// Masked before/after.
    pub summary: String,
}

fn moment(field: &str, text: Option<&str>) -> Result<Option<OffsetDateTime>, ApiError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(Some(at));
    }
    langso_domain::units::parse_date(text)
        .map(|d| Some(d.midnight().assume_utc()))
        .map_err(|_| {
            ApiError(AppError::Invalid(vec![CellError::keyed(
                0,
                field,
                "audit-moment-invalid",
                &[("text", &text)],
            )]))
        })
}

fn query(params: &AuditParams) -> Result<AuditQuery, ApiError> {
    Ok(AuditQuery {
        action: params.action.clone(),
        from: moment("from", params.from.as_deref())?,
        to: moment("to", params.to.as_deref())?,
        limit: params.limit,
    })
}

/// The audit log within the caller's scope, newest first.
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = Vec<AuditDto>), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list_audit(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<AuditParams>,
) -> Result<Json<Vec<AuditDto>>, ApiError> {
    let rows = actions::list(&state.db, &actor, &query(&params)?).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AuditDto {
                id: r.id,
                at: r.at,
                actor: r.actor_label,
                action: r.action,
                target_type: r.target_type,
                target_id: r.target_id,
                unit_id: r.unit_id,
                summary: r.summary,
            })
            .collect(),
    ))
}

/// The same entries as CSV (UTF-8 with BOM); the export itself is audited.
#[utoipa::path(get, path = "/audit/export", tag = "audit", params(AuditParams),
    responses((status = 200, content_type = "text/csv"), (status = 403, body = Problem)))]
async fn export_audit(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<AuditParams>,
) -> Result<Response, ApiError> {
    let csv = actions::export_csv(&state.db, &actor, &query(&params)?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"nhat-ky-audit.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}
