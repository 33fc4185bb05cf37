//! Reads and writes for importing and exporting household files: every household of a commune
//! (to match a file's codes against), every household under a unit (to export), and uploaded
//! files kept between the preview and the confirmation.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::HouseholdRow;
use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// Every household of a commune (codes are unique there), erased ones included.
pub async fn households_in_commune(
    ex: impl Into<Exec<'_>>,
    commune: Uuid,
) -> StoreResult<Vec<HouseholdRow>> {
    let sql = "SELECT h.id, h.unit_id, h.commune_id, h.code, h.hamlet, h.alley, h.house_number, \
               h.head_name, h.representative_name, h.representative_phone, h.citizen_id, h.members, \
               h.adults, h.business, h.consent_on, h.consent_purpose, h.notes, h.assigned_to, \
               h.follow_up_on, h.last_visit_on, h.erased, h.created_at, h.updated_at \
               FROM households h WHERE h.commune_id = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(commune).fetch_all(e).await)?)
}

/// A household to export, with its village's name.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ExportRow {
    /// The register row.
    #[sqlx(flatten)]
    pub row: HouseholdRow,
    /// The village's name.
    pub village: String,
    /// The village's code (names repeat within a commune after mergers).
    pub village_code: String,
}

/// Every household (not erased) in villages under `root` on `today`, by village, alley, house.
pub async fn households_for_export(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    today: Date,
) -> StoreResult<Vec<ExportRow>> {
    let sql = concat!(
        "SELECT h.id, h.unit_id, h.commune_id, h.code, h.hamlet, h.alley, h.house_number, ",
        "h.head_name, h.representative_name, h.representative_phone, h.citizen_id, h.members, ",
        "h.adults, h.business, h.consent_on, h.consent_purpose, h.notes, h.assigned_to, ",
        "h.follow_up_on, h.last_visit_on, h.erased, h.created_at, h.updated_at, u.name AS village, u.code AS village_code ",
        "FROM households h JOIN unit_closure c ON c.descendant_id = h.unit_id ",
        "JOIN units u ON u.id = h.unit_id WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND NOT h.erased ORDER BY u.name, h.alley, h.house_number, h.code"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(today).fetch_all(e).await)?)
}

/// An uploaded file waiting for its confirmation.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UploadRow {
    /// Id (in the confirmation form).
    pub id: Uuid,
    /// Who uploaded it (only they may confirm it).
    pub user_id: Option<Uuid>,
    /// The unit to import into.
    pub unit_id: Uuid,
    /// The file's name as uploaded.
    pub file_name: String,
    /// The bytes.
    pub content: Vec<u8>,
    /// When.
    pub created_at: OffsetDateTime,
}

/// Keeps an uploaded file; forgets uploads older than `keep_after`.
pub async fn save_upload(
    tx: &mut Tx,
    upload: &UploadRow,
    keep_after: OffsetDateTime,
) -> StoreResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM household_uploads WHERE created_at < $1")
        .bind(keep_after).execute(&mut *c).await.map(|_| ()))?;
    let sql = "INSERT INTO household_uploads (id, user_id, unit_id, file_name, content, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, c => sqlx::query(sql).bind(upload.id).bind(upload.user_id).bind(upload.unit_id)
        .bind(&upload.file_name).bind(&upload.content).bind(upload.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// An uploaded file by id.
pub async fn get_upload(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<UploadRow>> {
    let sql = "SELECT id, user_id, unit_id, file_name, content, created_at FROM household_uploads \
               WHERE id = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// Forgets an uploaded file (after it was imported).
pub async fn delete_upload(tx: &mut Tx, id: Uuid) -> StoreResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM household_uploads WHERE id = $1")
        .bind(id).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Visits in the ledger (benchmarks check that every acknowledged visit is there).
pub async fn count_visits(ex: impl Into<Exec<'_>>) -> StoreResult<i64> {
    let sql = "SELECT COUNT(*) FROM visits";
    Ok(on_exec!(ex.into(), e => sqlx::query_scalar(sql).fetch_one(e).await)?)
}
