//! Reads and writes for importing and exporting household files: every household of a commune
//! (to match a file's codes against), every household under a unit (to export), and uploaded
//! files kept between the preview and the confirmation.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::HouseholdRow;
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

/// The households of `commune` holding any of `codes` (a thousand at most, from one chunk of
/// an import file).
pub async fn households_by_codes(
    ex: impl Into<Exec<'_>>,
    commune: Uuid,
    codes: &[String],
) -> StoreResult<Vec<HouseholdRow>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let select = "SELECT h.id, h.unit_id, h.commune_id, h.code, h.hamlet, h.alley, h.house_number, \
         h.head_name, h.representative_name, h.representative_phone, h.citizen_id, h.members, \
         h.adults, h.business, h.consent_on, h.consent_purpose, h.notes, h.assigned_to, \
         h.follow_up_on, h.last_visit_on, h.erased, h.created_at, h.updated_at \
         FROM households h WHERE h.commune_id = ";
    Ok(on_exec!(ex.into(), e => {
        let mut q = sqlx::QueryBuilder::new(select);
        q.push_bind(commune).push(" AND h.code IN (");
        let mut list = q.separated(", ");
        for code in codes {
            list.push_bind(code.as_str());
        }
        q.push(")");
        q.build_query_as().persistent(false).fetch_all(e).await
    })?)
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

/// Villages an export may put in a chosen order; past this it keeps the database's order
/// of their names (two bound parameters each, well under SQLite's limit).
const ORDERED_VILLAGES: usize = 10_000;

/// Hands every household (not erased) in villages under `root` on `today` to `each`, one row
/// at a time as the database returns them, so that a province's million households never sit
/// in memory together. Villages come in the order of `villages` (the caller sorts their labels
/// as people read them; one not listed comes after, by name), then by alley, house and code.
/// Returns how many rows were handed over.
pub async fn for_each_export_row<E: From<crate::StoreError>>(
    db: &crate::Db,
    root: Uuid,
    today: Date,
    villages: &[Uuid],
    mut each: impl FnMut(ExportRow) -> Result<(), E>,
) -> Result<usize, E> {
    use futures_util::TryStreamExt;
    let head = concat!(
        "SELECT h.id, h.unit_id, h.commune_id, h.code, h.hamlet, h.alley, h.house_number, ",
        "h.head_name, h.representative_name, h.representative_phone, h.citizen_id, h.members, ",
        "h.adults, h.business, h.consent_on, h.consent_purpose, h.notes, h.assigned_to, ",
        "h.follow_up_on, h.last_visit_on, h.erased, h.created_at, h.updated_at, u.name AS village, u.code AS village_code ",
        "FROM households h JOIN unit_closure c ON c.descendant_id = h.unit_id ",
        "JOIN units u ON u.id = h.unit_id "
    );
    let ordered = !villages.is_empty() && villages.len() <= ORDERED_VILLAGES;
    macro_rules! build {
        ($q:ident) => {
            if ordered {
                $q.push("LEFT JOIN (");
                $q.push_values(villages.iter().zip(0i64..), |mut b, (id, at)| {
                    b.push_bind(*id).push_bind(at);
                });
                $q.push(") o ON o.column1 = h.unit_id ");
            }
            $q.push("WHERE c.ancestor_id = ").push_bind(root);
            $q.push(" AND c.valid_from <= ").push_bind(today);
            $q.push(" AND (c.valid_to IS NULL OR c.valid_to >= ")
                .push_bind(today);
            $q.push(") AND NOT h.erased ORDER BY ");
            if ordered {
                $q.push("COALESCE(o.column2, ")
                    .push_bind(ORDERED_VILLAGES as i64)
                    .push("), ");
            }
            $q.push("u.name, h.alley, h.house_number, h.code");
        };
    }
    // The same query and loop on either pool (their row types differ, so written once here
    // and expanded per arm).
    macro_rules! stream {
        ($pool:ident) => {{
            let mut q = sqlx::QueryBuilder::new(head);
            build!(q);
            let mut rows = q
                .build_query_as::<ExportRow>()
                .persistent(false)
                .fetch($pool);
            let mut count = 0;
            while let Some(row) = rows.try_next().await.map_err(crate::StoreError::from)? {
                each(row)?;
                count += 1;
            }
            count
        }};
    }
    let count = match db {
        crate::Db::Sqlite(pool, _) => stream!(pool),
        crate::Db::Postgres(pool) => stream!(pool),
    };
    Ok(count)
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
