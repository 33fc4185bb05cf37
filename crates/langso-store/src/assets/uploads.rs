//! Asset register files uploaded in the web, kept between the preview and the confirmation.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// An uploaded asset register waiting for its confirmation.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AssetUploadRow {
    /// Id (in the confirmation form).
    pub id: Uuid,
    /// Who uploaded it (only they may confirm it).
    pub user_id: Option<Uuid>,
    /// The file's name as uploaded.
    pub file_name: String,
    /// The bytes.
    pub content: Vec<u8>,
    /// When.
    pub created_at: OffsetDateTime,
}

/// Keeps an uploaded file; forgets uploads older than `keep_after`.
pub async fn save_asset_upload(
    tx: &mut Tx,
    upload: &AssetUploadRow,
    keep_after: OffsetDateTime,
) -> StoreResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM asset_uploads WHERE created_at < $1")
        .bind(keep_after).execute(&mut *c).await.map(|_| ()))?;
    let sql = "INSERT INTO asset_uploads (id, user_id, file_name, content, created_at) \
               VALUES ($1, $2, $3, $4, $5)";
    on_tx!(tx, c => sqlx::query(sql).bind(upload.id).bind(upload.user_id)
        .bind(&upload.file_name).bind(&upload.content).bind(upload.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// An uploaded file by id.
pub async fn get_asset_upload(
    ex: impl Into<Exec<'_>>,
    id: Uuid,
) -> StoreResult<Option<AssetUploadRow>> {
    let sql = "SELECT id, user_id, file_name, content, created_at FROM asset_uploads WHERE id = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// Forgets an uploaded file (after it was imported).
pub async fn delete_asset_upload(tx: &mut Tx, id: Uuid) -> StoreResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM asset_uploads WHERE id = $1")
        .bind(id).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}
