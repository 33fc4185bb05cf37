//! Asset register imports in the web, in two steps like the household import: the uploaded
//! file is checked (a dry run) and kept; the officer sees the count or every bad cell, and
//! confirms; the kept file is then imported for real (checked again: the register may have
//! changed in between) and forgotten.

use langso_store::assets::{self as store, AssetUploadRow};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::MANAGE;
use super::import::{MAX_ASSET_UPLOAD, import_assets_file};
use super::register::AssetImport;
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, Db};

/// What the preview shows.
#[derive(Debug)]
pub struct AssetPreview {
    /// The kept file, to confirm (only when the file has no bad cell).
    pub upload_id: Option<Uuid>,
    /// The file name.
    pub file_name: String,
    /// The dry run's counts, or every bad cell.
    pub outcome: AppResult<AssetImport>,
}

/// Checks `bytes` and keeps them for [`confirm_asset_upload`] if they are good. Errors of the
/// file are in `outcome`; errors of the request (scope, size) are returned.
pub async fn preview_asset_upload(
    db: &Db,
    actor: &Actor,
    file_name: &str,
    bytes: Vec<u8>,
) -> AppResult<AssetPreview> {
    if bytes.len() > MAX_ASSET_UPLOAD {
        return Err(AppError::refused_key(
            "assets-file-too-large",
            &[("limit", &(MAX_ASSET_UPLOAD / 1024 / 1024))],
        ));
    }
    let outcome = match import_assets_file(db, actor, bytes.clone(), true).await {
        Err(AppError::Invalid(errors)) => {
            // Scope is checked on the rows that parse; whoever may not manage assets anywhere
            // learns nothing about a bad file.
            policy::scope(actor, MANAGE)?;
            Err(AppError::Invalid(errors))
        }
        Err(other) => return Err(other),
        Ok(report) => Ok(report),
    };
    let upload_id = if outcome.is_ok() {
        let now = OffsetDateTime::now_utc();
        let upload = AssetUploadRow {
            id: Uuid::now_v7(),
            user_id: actor.user_id,
            file_name: file_name.to_owned(),
            content: bytes,
            created_at: now,
        };
        let mut tx = db.begin().await?;
        store::save_asset_upload(&mut tx, &upload, now - Duration::days(1)).await?;
        tx.commit().await?;
        Some(upload.id)
    } else {
        None
    };
    Ok(AssetPreview {
        upload_id,
        file_name: file_name.to_owned(),
        outcome,
    })
}

/// Imports a file kept by [`preview_asset_upload`] (only by the person who uploaded it;
/// every row's unit is checked against their scope again).
pub async fn confirm_asset_upload(db: &Db, actor: &Actor, id: Uuid) -> AppResult<AssetImport> {
    let upload = store::get_asset_upload(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if upload.user_id != actor.user_id {
        // Someone else's file: the rows' scope answers (403/404), and otherwise it is not
        // theirs to see.
        import_assets_file(db, actor, upload.content, true).await?;
        return Err(AppError::NotFound);
    }
    let report = import_assets_file(db, actor, upload.content, false).await?;
    let mut tx = db.begin().await?;
    store::delete_asset_upload(&mut tx, id).await?;
    tx.commit().await?;
    Ok(report)
}
