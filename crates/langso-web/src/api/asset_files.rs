//! `/api/v1/assets/import`: the asset register from the XLSX or CSV files offices keep. All or
//! nothing: any bad cell refuses the whole file (422, every cell listed by row and column);
//! each row's unit must be within the caller's scope for managing assets.

use axum::extract::{DefaultBodyLimit, Multipart, State};
use langso_app::assets::{self as actions, AssetImport, MAX_ASSET_UPLOAD};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::household_files::file_field;
use crate::AppState;
use crate::api::extract::{Json, Query};
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_assets))
        .layer(DefaultBodyLimit::max(MAX_ASSET_UPLOAD + 64 * 1024))
}

/// Whether to write.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AssetImportParams {
    /// Check and count only, write nothing (default false).
    dry_run: Option<bool>,
}

/// The file, as a multipart form field named `file` (XLSX or CSV, told apart by content).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct AssetImportUpload {
    /// The XLSX (first sheet) or CSV file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// What an asset import did (or, in a dry run, would do).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AssetImportDto {
    /// Data rows read.
    pub rows: usize,
    /// Assets recorded (0 on a dry run).
    pub created: usize,
    /// Nothing was written.
    pub dry_run: bool,
}

impl AssetImportDto {
    fn new(done: AssetImport, dry_run: bool) -> Self {
        AssetImportDto {
            rows: done.rows,
            created: done.created,
            dry_run,
        }
    }
}

/// Imports assets from an XLSX (first sheet) or CSV file: headers in Vietnamese or English in
/// any order (Mã thiết bị, Mã thôn, Loại thiết bị, Tên, Loại vị trí, Vĩ độ, Kinh độ, Ngày lắp
/// đặt, Nguồn kinh phí, Người quản lý, Trạng thái, Loại bóng, Chu kỳ báo cáo, Người đóng góp,
/// Ghi chú). All or nothing.
#[utoipa::path(post, path = "/assets/import", tag = "assets", params(AssetImportParams),
    request_body(content = AssetImportUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = AssetImportDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn import_assets(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<AssetImportParams>,
    mut multipart: Multipart,
) -> Result<Json<AssetImportDto>, ApiError> {
    let (_, bytes) = file_field(&mut multipart).await?;
    let dry_run = params.dry_run.unwrap_or(false);
    // Each row's unit decides (404 outside scope, 403 without the right); whoever may not
    // manage assets anywhere learns nothing about a bad file.
    let done = match actions::import_assets_file(&state.db, &actor, bytes, dry_run).await {
        Err(langso_app::AppError::Invalid(problems)) => {
            langso_app::auth::policy::scope(&actor, actions::MANAGE)?;
            return Err(langso_app::AppError::Invalid(problems).into());
        }
        other => other?,
    };
    Ok(Json(AssetImportDto::new(done, dry_run)))
}
