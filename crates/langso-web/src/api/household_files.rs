//! `/api/v1/households/import` and `/api/v1/households/export`: the register from and to the
//! CSV and XLSX files offices keep. Import needs the write right on the unit and refuses the
//! whole file, listing every bad cell, if any cell is bad; export needs the export right,
//! masks personal numbers without the PII right, and is audited.

use std::io::Cursor;

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::Response;
use langso_app::AppError;
use langso_app::households::{self as actions, ExportFormat, ImportReport, MAX_UPLOAD, sheet};
use langso_app::progress::NoProgress;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::extract::{Json, Query};
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_households))
        .routes(routes!(export_households))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024))
}

/// Where to import and whether to write.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ImportParams {
    /// The commune or village: its code in force today, or its id.
    unit: String,
    /// Check and count only, write nothing (default false).
    dry_run: Option<bool>,
}

/// The file, as a multipart form field named `file` (CSV or XLSX, told apart by content).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// The CSV or XLSX file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ImportReportDto {
    /// The unit imported into.
    pub unit_name: String,
    /// Data rows read.
    pub rows: usize,
    /// New households.
    pub created: usize,
    /// Existing households changed.
    pub updated: usize,
    /// Existing households already as in the file.
    pub unchanged: usize,
    /// Nothing was written.
    pub dry_run: bool,
    /// File columns not recognised (ignored).
    pub ignored_columns: Vec<String>,
}

impl From<ImportReport> for ImportReportDto {
    fn from(r: ImportReport) -> Self {
        ImportReportDto {
            unit_name: r.unit_name,
            rows: r.rows,
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            dry_run: r.dry_run,
            ignored_columns: r.ignored_columns,
        }
    }
}

/// The first file field of a multipart body: (file name, bytes).
pub(crate) async fn file_field(multipart: &mut Multipart) -> Result<(String, Vec<u8>), AppError> {
    let broken = |_: axum::extract::multipart::MultipartError| {
        AppError::refused_key("upload-unreadable", &[])
    };
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("tep").to_owned();
            let bytes = field.bytes().await.map_err(broken)?;
            return Ok((name, bytes.to_vec()));
        }
    }
    Err(AppError::Invalid(vec![langso_app::CellError::keyed(
        0,
        "file",
        "upload-no-file",
        &[],
    )]))
}

/// Imports households from a CSV or XLSX file (first sheet; Vietnamese headers in any
/// order). All or nothing: any bad cell refuses the whole file (422, every cell listed by row
/// and column). Rows whose code exists in the commune update that household; a file imported
/// twice changes nothing the second time.
#[utoipa::path(post, path = "/households/import", tag = "households", params(ImportParams),
    request_body(content = ImportUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = ImportReportDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn import_households(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<ImportParams>,
    mut multipart: Multipart,
) -> Result<Json<ImportReportDto>, ApiError> {
    let (name, bytes) = file_field(&mut multipart).await?;
    // The scope answers first (404/403), before anything about the file.
    let unit = actions::resolve_unit(&state.db, &params.unit).await?;
    langso_app::auth::policy::require(
        &state.db,
        &actor,
        langso_domain::auth::Permission::WritePeople,
        unit.id,
    )
    .await?;
    let rows = sheet::open(Cursor::new(bytes))?;
    let report = actions::import_households(
        &state.db,
        &actor,
        &unit.id.to_string(),
        rows,
        &name,
        params.dry_run.unwrap_or(false),
        &NoProgress,
    )
    .await?;
    Ok(Json(report.into()))
}

/// What to export.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportParams {
    /// The unit: its code in force today, or its id.
    unit: String,
    /// `csv` (UTF-8 with BOM, default) or `xlsx`.
    format: Option<String>,
}

/// Households under a unit as CSV or XLSX; personal numbers masked without the PII right;
/// audited.
#[utoipa::path(get, path = "/households/export", tag = "households", params(ExportParams),
    responses((status = 200, description = "text/csv or XLSX", content_type = "application/octet-stream"), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn export_households(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<ExportParams>,
) -> Result<Response, ApiError> {
    let format = ExportFormat::parse(params.format.as_deref().unwrap_or("csv"));
    let file = actions::export_households(&state.db, &actor, &params.unit, format).await?;
    Ok(crate::files::export(file))
}
