//! Web imports in two steps: the uploaded file is checked (a dry run) and kept; the person
//! sees the counts or every bad cell, and confirms; the kept file is then imported for real
//! (checked again: the register may have changed in between) and forgotten.

use std::io::Cursor;

use langso_domain::auth::Permission;
use langso_store::households::{self as store, UploadRow};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::import::{ImportReport, import_households, resolve_unit};
use super::sheet;
use crate::auth::Actor;
use crate::auth::policy;
use crate::progress::NoProgress;
use crate::{AppError, AppResult, Db};

/// The most a web upload may weigh.
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024;

/// What the preview shows.
#[derive(Debug)]
pub struct Preview {
    /// The kept file, to confirm (only when the file has no bad cell).
    pub upload_id: Option<Uuid>,
    /// The file name.
    pub file_name: String,
    /// The dry run's counts, or every bad cell.
    pub outcome: AppResult<ImportReport>,
}

/// Checks `bytes` for an import into `unit` and keeps them for [`confirm_upload`] if they
/// are good. Errors of the file are in `outcome`; errors of the request (scope) are returned.
pub async fn preview_upload(
    db: &Db,
    actor: &Actor,
    unit: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> AppResult<Preview> {
    let target = resolve_unit(db, unit).await?;
    policy::require(db, actor, Permission::WritePeople, target.id).await?;
    if bytes.len() > MAX_UPLOAD {
        return Err(AppError::refused_key("households-file-too-large", &[]));
    }
    let outcome = match sheet::open(Cursor::new(bytes.clone())) {
        Ok(rows) => import_households(db, actor, unit, rows, file_name, true, &NoProgress).await,
        Err(error) => Err(error),
    };
    let outcome = match outcome {
        Err(AppError::Invalid(errors)) => Err(AppError::Invalid(errors)),
        Err(other) => return Err(other),
        Ok(report) => Ok(report),
    };
    let upload_id = if outcome.is_ok() {
        let now = OffsetDateTime::now_utc();
        let upload = UploadRow {
            id: Uuid::now_v7(),
            user_id: actor.user_id,
            unit_id: target.id,
            file_name: file_name.to_owned(),
            content: bytes,
            created_at: now,
        };
        let mut tx = db.begin().await?;
        store::save_upload(&mut tx, &upload, now - Duration::days(1)).await?;
        tx.commit().await?;
        Some(upload.id)
    } else {
        None
    };
    Ok(Preview {
        upload_id,
        file_name: file_name.to_owned(),
        outcome,
    })
}

/// Imports a file kept by [`preview_upload`] (only by the person who uploaded it).
pub async fn confirm_upload(db: &Db, actor: &Actor, id: Uuid) -> AppResult<ImportReport> {
    let upload = store::get_upload(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::WritePeople, upload.unit_id).await?;
    if upload.user_id != actor.user_id {
        return Err(AppError::NotFound);
    }
    let unit = upload.unit_id.to_string();
    let rows = sheet::open(Cursor::new(upload.content))?;
    let report = import_households(
        db,
        actor,
        &unit,
        rows,
        &upload.file_name,
        false,
        &NoProgress,
    )
    .await?;
    let mut tx = db.begin().await?;
    store::delete_upload(&mut tx, id).await?;
    tx.commit().await?;
    Ok(report)
}
