//! The procedure catalogue and its version ledger.

use langso_domain::procedures::{Channel, ProcedureCode, ProcedureContent, ProcedureVersion};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{join_lines, split_lines};
use crate::{Exec, StoreError, StoreResult, Tx, on_exec, on_tx};

macro_rules! version_cols {
    () => {
        "v.id, v.procedure_id, p.code, v.version, v.effective_from, v.name_vi, v.name_en, \
         v.steps_vi, v.steps_en, v.documents_vi, v.fee_vi, v.exemptions_vi, \
         v.processing_time_vi, v.processing_time_en, v.channels, v.legal_basis, \
         v.vneid_service_vi, v.vneid_service_en, v.related, v.note, v.created_at"
    };
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    id: Uuid,
    procedure_id: Uuid,
    code: String,
    version: i64,
    effective_from: Date,
    name_vi: String,
    name_en: String,
    steps_vi: String,
    steps_en: String,
    documents_vi: String,
    fee_vi: String,
    exemptions_vi: Option<String>,
    processing_time_vi: String,
    processing_time_en: String,
    channels: String,
    legal_basis: String,
    vneid_service_vi: Option<String>,
    vneid_service_en: Option<String>,
    related: Option<String>,
    note: Option<String>,
    created_at: OffsetDateTime,
}

impl VersionRow {
    fn into_version(self) -> StoreResult<ProcedureVersion> {
        let code = ProcedureCode::parse(&self.code)
            .map_err(|_| StoreError::Corrupt(format!("procedure code {}", self.code)))?;
        let channels = split_lines(&self.channels)
            .iter()
            .map(|c| Channel::parse(c).map_err(|_| StoreError::Corrupt(format!("channel {c}"))))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(ProcedureVersion {
            id: self.id,
            procedure_id: self.procedure_id,
            code,
            version: self.version,
            effective_from: self.effective_from,
            content: ProcedureContent {
                name_vi: self.name_vi,
                name_en: self.name_en,
                steps_vi: split_lines(&self.steps_vi),
                steps_en: split_lines(&self.steps_en),
                documents_vi: split_lines(&self.documents_vi),
                fee_vi: self.fee_vi,
                exemptions_vi: self.exemptions_vi,
                processing_time_vi: self.processing_time_vi,
                processing_time_en: self.processing_time_en,
                channels,
                legal_basis: self.legal_basis,
                vneid_service_vi: self.vneid_service_vi,
                vneid_service_en: self.vneid_service_en,
                related: self.related,
            },
            note: self.note,
            created_at: self.created_at,
        })
    }
}

fn into_versions(rows: Vec<VersionRow>) -> StoreResult<Vec<ProcedureVersion>> {
    rows.into_iter().map(VersionRow::into_version).collect()
}

/// The id of the procedure with `code`, if catalogued.
pub async fn procedure_id(
    ex: impl Into<Exec<'_>>,
    code: &ProcedureCode,
) -> StoreResult<Option<Uuid>> {
    let sql = "SELECT id FROM procedures WHERE code = $1";
    let id: Option<(Uuid,)> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(code.as_str()).fetch_optional(e).await)?;
    Ok(id.map(|(id,)| id))
}

/// Adds a procedure to the catalogue (its versions come separately).
pub async fn insert_procedure(tx: &mut Tx, id: Uuid, code: &ProcedureCode) -> StoreResult<()> {
    let sql = "INSERT INTO procedures (id, code, created_at) VALUES ($1, $2, $3)";
    on_tx!(tx, c => sqlx::query(sql).bind(id).bind(code.as_str()).bind(OffsetDateTime::now_utc())
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The next version number of a procedure (1 for the first).
pub async fn next_version(ex: impl Into<Exec<'_>>, procedure_id: Uuid) -> StoreResult<i64> {
    let sql = "SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) FROM procedure_versions \
               WHERE procedure_id = $1";
    let (next,): (i64,) =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(procedure_id).fetch_one(e).await)?;
    Ok(next)
}

/// Appends a version to the ledger; `search_key` is the folded names.
pub async fn insert_version(
    tx: &mut Tx,
    version: &ProcedureVersion,
    search_key: &str,
) -> StoreResult<()> {
    let sql = "INSERT INTO procedure_versions (id, procedure_id, version, effective_from, name_vi, \
               name_en, search_key, steps_vi, steps_en, documents_vi, fee_vi, exemptions_vi, \
               processing_time_vi, processing_time_en, channels, legal_basis, vneid_service_vi, \
               vneid_service_en, related, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, \
               $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)";
    let c = &version.content;
    let channels: Vec<&str> = c.channels.iter().map(|ch| ch.as_str()).collect();
    on_tx!(tx, conn => sqlx::query(sql)
        .bind(version.id)
        .bind(version.procedure_id)
        .bind(version.version)
        .bind(version.effective_from)
        .bind(&c.name_vi)
        .bind(&c.name_en)
        .bind(search_key)
        .bind(join_lines(&c.steps_vi))
        .bind(join_lines(&c.steps_en))
        .bind(join_lines(&c.documents_vi))
        .bind(&c.fee_vi)
        .bind(&c.exemptions_vi)
        .bind(&c.processing_time_vi)
        .bind(&c.processing_time_en)
        .bind(join_lines(&channels))
        .bind(&c.legal_basis)
        .bind(&c.vneid_service_vi)
        .bind(&c.vneid_service_en)
        .bind(&c.related)
        .bind(&version.note)
        .bind(version.created_at)
        .execute(&mut *conn).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every version of a procedure, newest first (the officers' history).
pub async fn versions(
    ex: impl Into<Exec<'_>>,
    code: &ProcedureCode,
) -> StoreResult<Vec<ProcedureVersion>> {
    let sql = concat!(
        "SELECT ",
        version_cols!(),
        " FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id \
         WHERE p.code = $1 ORDER BY v.version DESC"
    );
    let rows: Vec<VersionRow> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(code.as_str()).fetch_all(e).await)?;
    into_versions(rows)
}

/// The version of each catalogued procedure in force on `date` (procedures with no version in
/// force yet are left out), ordered by code.
pub async fn in_force(ex: impl Into<Exec<'_>>, date: Date) -> StoreResult<Vec<ProcedureVersion>> {
    let sql = concat!(
        "SELECT ",
        version_cols!(),
        " FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id \
         WHERE v.id = (SELECT v2.id FROM procedure_versions v2 \
           WHERE v2.procedure_id = v.procedure_id AND v2.effective_from <= $1 \
           ORDER BY v2.effective_from DESC, v2.version DESC LIMIT 1) \
         ORDER BY p.code"
    );
    let rows: Vec<VersionRow> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(date).fetch_all(e).await)?;
    into_versions(rows)
}

/// The version of one procedure in force on `date`.
pub async fn in_force_by_code(
    ex: impl Into<Exec<'_>>,
    code: &ProcedureCode,
    date: Date,
) -> StoreResult<Option<ProcedureVersion>> {
    let sql = concat!(
        "SELECT ",
        version_cols!(),
        " FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id \
         WHERE p.code = $1 AND v.effective_from <= $2 \
         ORDER BY v.effective_from DESC, v.version DESC LIMIT 1"
    );
    let row: Option<VersionRow> = on_exec!(ex.into(), e =>
        sqlx::query_as(sql).bind(code.as_str()).bind(date).fetch_optional(e).await)?;
    row.map(VersionRow::into_version).transpose()
}

/// A number that changes whenever a version is added anywhere in the catalogue (for caches on
/// other nodes to notice): the count of versions.
pub async fn catalogue_revision(ex: impl Into<Exec<'_>>) -> StoreResult<i64> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM procedure_versions";
    let (n,): (i64,) = on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_one(e).await)?;
    Ok(n)
}
