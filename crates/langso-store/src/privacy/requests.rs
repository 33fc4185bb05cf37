//! The register of data subjects' requests, and the ledger of erased households (ids only) that
//! lets an erasure be re-applied after a restore from an older backup.

use std::path::PathBuf;

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Db, Exec, StoreResult, Tx, on_exec, on_tx};

/// One request.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct RequestRow {
    /// Id.
    pub id: Uuid,
    /// The household it is about.
    pub household_id: Uuid,
    /// The household's unit (for scope).
    pub unit_id: Uuid,
    /// Who asked (a member of the household), as said.
    pub person: String,
    /// `access`, `correction`, `erasure`, `withdrawal`, `objection`.
    pub kind: String,
    /// The day it was received.
    pub received_on: Date,
    /// How it came: `in_person`, `paper`, `phone`, `email`, `zalo`.
    pub channel: String,
    /// The officer who received it.
    pub officer_id: Option<Uuid>,
    /// Their name.
    pub officer_label: String,
    /// What was asked, as said.
    pub details: String,
    /// The last day to answer.
    pub due_on: Date,
    /// `received`, `in_progress`, `answered`, `refused`.
    pub status: String,
    /// Why it was refused.
    pub reason: String,
    /// The answer sent.
    pub answer: String,
    /// When the answer was sent.
    pub answered_on: Option<Date>,
    /// When the export or erasure was done from it.
    pub executed_at: Option<OffsetDateTime>,
    /// When the responsible officers were told it is overdue.
    pub overdue_notified_at: Option<OffsetDateTime>,
    /// Recorded.
    pub created_at: OffsetDateTime,
}

const COLS: &str = "id, household_id, unit_id, person, kind, received_on, channel, officer_id, \
    officer_label, details, due_on, status, reason, answer, answered_on, executed_at, \
    overdue_notified_at, created_at";

/// Records a request.
pub async fn insert_request(tx: &mut Tx, r: &RequestRow) -> StoreResult<()> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO privacy_requests ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13, $14, $15, $16, $17, $18)"
    ));
    on_tx!(tx, c => sqlx::query(sql).bind(r.id).bind(r.household_id).bind(r.unit_id)
        .bind(&r.person).bind(&r.kind).bind(r.received_on).bind(&r.channel).bind(r.officer_id)
        .bind(&r.officer_label).bind(&r.details).bind(r.due_on).bind(&r.status).bind(&r.reason)
        .bind(&r.answer).bind(r.answered_on).bind(r.executed_at).bind(r.overdue_notified_at)
        .bind(r.created_at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Writes a request's status, answer and execution.
pub async fn update_request(tx: &mut Tx, r: &RequestRow) -> StoreResult<()> {
    let sql = "UPDATE privacy_requests SET status = $2, reason = $3, answer = $4, answered_on = $5, \
               executed_at = $6 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(r.id).bind(&r.status).bind(&r.reason).bind(&r.answer)
        .bind(r.answered_on).bind(r.executed_at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// One request.
pub async fn request(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<RequestRow>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM privacy_requests WHERE id = $1"));
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// Requests of households under `scope` (a unit, through the closure), newest first; only
/// open ones (received or in progress) when `open_only`.
pub async fn requests_under(
    ex: impl Into<Exec<'_>>,
    scope: Uuid,
    open_only: bool,
    limit: i64,
) -> StoreResult<Vec<RequestRow>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM privacy_requests r WHERE EXISTS (SELECT 1 FROM unit_closure c \
         WHERE c.ancestor_id = $1 AND c.descendant_id = r.unit_id) \
         AND ($2 = FALSE OR r.status IN ('received', 'in_progress')) \
         ORDER BY r.received_on DESC, r.id DESC LIMIT $3"
    ));
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(scope).bind(open_only).bind(limit)
        .fetch_all(e).await)?,
    )
}

/// Open requests whose deadline passed before `today` and that were not flagged yet.
pub async fn overdue_unflagged(
    ex: impl Into<Exec<'_>>,
    today: Date,
) -> StoreResult<Vec<RequestRow>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM privacy_requests WHERE status IN ('received', 'in_progress') \
         AND due_on < $1 AND overdue_notified_at IS NULL ORDER BY due_on, id LIMIT 1000"
    ));
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(today).fetch_all(e).await)?)
}

/// Claims the overdue flag of one request; false when another node flagged it first.
pub async fn claim_overdue(tx: &mut Tx, id: Uuid, now: OffsetDateTime) -> StoreResult<bool> {
    let sql = "UPDATE privacy_requests SET overdue_notified_at = $2 \
               WHERE id = $1 AND overdue_notified_at IS NULL";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(id).bind(now).execute(&mut *c).await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Notes an erased household in the ledger.
pub async fn record_erasure(
    tx: &mut Tx,
    household: Uuid,
    request: Option<Uuid>,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let sql = "INSERT INTO privacy_erasures (household_id, request_id, erased_at) VALUES ($1, $2, $3) \
               ON CONFLICT (household_id) DO NOTHING";
    on_tx!(tx, c => sqlx::query(sql).bind(household).bind(request).bind(at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Every household id in the ledger.
pub async fn erased_ids(ex: impl Into<Exec<'_>>) -> StoreResult<Vec<Uuid>> {
    let sql = "SELECT household_id FROM privacy_erasures ORDER BY household_id";
    Ok(on_exec!(ex.into(), e => sqlx::query_scalar(sql).fetch_all(e).await)?)
}

/// The file beside a SQLite database where erased household ids are also written, one per
/// line: a restore replaces the database, not this file. `None` for PostgreSQL and in-memory
/// databases.
pub fn ledger_file(db: &Db) -> Option<PathBuf> {
    match db {
        Db::Sqlite(pool, _) => {
            let options = pool.connect_options();
            let path = options.get_filename();
            let name = path.file_name()?.to_str()?;
            if name.is_empty() || name.contains(":memory:") || !path.exists() {
                return None;
            }
            Some(path.with_file_name(format!("{name}.erasures")))
        }
        Db::Postgres(_) => None,
    }
}

/// The ledger file of the SQLite database at `database`.
pub fn ledger_file_of(database: &std::path::Path) -> PathBuf {
    let name = database
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("langso.db");
    database.with_file_name(format!("{name}.erasures"))
}

/// Appends one id to the ledger file (created when missing).
pub fn append_ledger_file(path: &std::path::Path, household: Uuid) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    writeln!(file, "{household}")?;
    file.sync_data()
}

/// The ids in a ledger file (nothing when missing); lines that are not ids are skipped, and at
/// most a million are read.
pub fn read_ledger_file(path: &std::path::Path) -> std::io::Result<Vec<Uuid>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text
            .lines()
            .take(1_000_000)
            .filter_map(|l| Uuid::parse_str(l.trim()).ok())
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}
