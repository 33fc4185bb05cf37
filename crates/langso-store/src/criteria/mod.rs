//! Criteria sets (versioned per province), evidence for manual criteria, the recognition
//! ledger, and the per-village reads an evaluation needs (each village's own counters, its QR
//! placements), all scoped by a unit and a date through `unit_closure`.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// A criteria set as stored; `criteria` is the JSON list of criteria.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SetRow {
    /// Id.
    pub id: Uuid,
    /// The province it belongs to.
    pub province_id: Uuid,
    /// Its name.
    pub name: String,
    /// 1, 2, … per (province, name).
    pub version: i64,
    /// First day.
    pub valid_from: Date,
    /// Last day.
    pub valid_to: Option<Date>,
    /// The criteria as JSON.
    pub criteria: String,
    /// When imported.
    pub created_at: OffsetDateTime,
}

macro_rules! set_cols {
    () => {
        "id, province_id, name, version, valid_from, valid_to, criteria, created_at"
    };
}

/// Records a set version.
pub async fn insert_set(tx: &mut Tx, s: &SetRow) -> StoreResult<()> {
    let sql = "INSERT INTO criteria_sets (id, province_id, name, version, valid_from, valid_to, \
               criteria, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_tx!(tx, c => sqlx::query(sql).bind(s.id).bind(s.province_id).bind(&s.name).bind(s.version)
        .bind(s.valid_from).bind(s.valid_to).bind(&s.criteria).bind(s.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The next version number for a set name in a province.
pub async fn next_set_version(
    ex: impl Into<Exec<'_>>,
    province: Uuid,
    name: &str,
) -> StoreResult<i64> {
    let sql = "SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) FROM criteria_sets \
               WHERE province_id = $1 AND name = $2";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(province).bind(name).fetch_one(e).await)?,
    )
}

/// One set version.
pub async fn get_set(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<SetRow>> {
    let sql = concat!("SELECT ", set_cols!(), " FROM criteria_sets WHERE id = $1");
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// Every set version of some provinces (all when `provinces` is `None`), newest first.
pub async fn list_sets(ex: impl Into<Exec<'_>>) -> StoreResult<Vec<SetRow>> {
    let sql = concat!(
        "SELECT ",
        set_cols!(),
        " FROM criteria_sets ORDER BY province_id, name, version DESC"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_all(e).await)?)
}

/// The set in force in a province on `date`: the latest `valid_from` on or before it, then
/// the highest version.
pub async fn set_in_force(
    ex: impl Into<Exec<'_>>,
    province: Uuid,
    date: Date,
) -> StoreResult<Option<SetRow>> {
    let sql = concat!(
        "SELECT ",
        set_cols!(),
        " FROM criteria_sets WHERE province_id = $1 AND valid_from <= $2 \
         AND (valid_to IS NULL OR valid_to >= $2) ORDER BY valid_from DESC, version DESC LIMIT 1"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(province).bind(date).fetch_optional(e).await)?,
    )
}

/// Evidence for a manual criterion (the file itself is read only when downloaded).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EvidenceRow {
    /// Id.
    pub id: Uuid,
    /// The set.
    pub set_id: Uuid,
    /// The criterion's code.
    pub criterion: String,
    /// The village.
    pub unit_id: Uuid,
    /// File name as uploaded.
    pub file_name: String,
    /// Its media type.
    pub content_type: String,
    /// Who uploaded it (label, for pages).
    pub uploaded_by: String,
    /// The uploader's account, if a person (or a person's token) uploaded it: four eyes
    /// compare this, not the label.
    pub uploaded_by_id: Option<Uuid>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// When.
    pub approved_at: Option<OffsetDateTime>,
    /// When uploaded.
    pub created_at: OffsetDateTime,
}

/// Records an uploaded file.
pub async fn insert_evidence(tx: &mut Tx, e: &EvidenceRow, content: &[u8]) -> StoreResult<()> {
    let sql = "INSERT INTO criterion_evidence (id, set_id, criterion, unit_id, file_name, \
               content_type, content, uploaded_by, approved_by, approved_at, created_at, uploaded_by_id) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
    on_tx!(tx, c => sqlx::query(sql).bind(e.id).bind(e.set_id).bind(&e.criterion).bind(e.unit_id)
        .bind(&e.file_name).bind(&e.content_type).bind(content).bind(&e.uploaded_by)
        .bind(&e.approved_by).bind(e.approved_at).bind(e.created_at).bind(e.uploaded_by_id)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

macro_rules! evidence_cols {
    () => {
        "id, set_id, criterion, unit_id, file_name, content_type, uploaded_by, approved_by, \
         approved_at, created_at, uploaded_by_id"
    };
}

/// One evidence record.
pub async fn get_evidence(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<EvidenceRow>> {
    let sql = concat!(
        "SELECT ",
        evidence_cols!(),
        " FROM criterion_evidence WHERE id = $1"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// The bytes of an evidence file.
pub async fn evidence_content(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<Vec<u8>>> {
    let sql = "SELECT content FROM criterion_evidence WHERE id = $1";
    let row: Option<(Vec<u8>,)> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?;
    Ok(row.map(|(content,)| content))
}

/// A village's evidence, newest first.
pub async fn evidence_of(ex: impl Into<Exec<'_>>, unit: Uuid) -> StoreResult<Vec<EvidenceRow>> {
    let sql = concat!(
        "SELECT ",
        evidence_cols!(),
        " FROM criterion_evidence WHERE unit_id = $1 ORDER BY id DESC"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit).fetch_all(e).await)?)
}

/// Marks evidence approved.
pub async fn approve_evidence(tx: &mut Tx, id: Uuid, by: &str) -> StoreResult<()> {
    let sql = "UPDATE criterion_evidence SET approved_by = $2, approved_at = $3 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(id).bind(by).bind(OffsetDateTime::now_utc())
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// (village, criterion) pairs with approved evidence for a set, under `root` on `date`.
pub async fn approved_under(
    ex: impl Into<Exec<'_>>,
    set: Uuid,
    root: Uuid,
    date: Date,
) -> StoreResult<Vec<(Uuid, String)>> {
    let sql = concat!(
        "SELECT DISTINCT e.unit_id, e.criterion FROM criterion_evidence e JOIN unit_closure c \
         ON c.descendant_id = e.unit_id WHERE e.set_id = $1 AND c.ancestor_id = $2 AND ",
        covers!("c", "$3"),
        " \
         AND e.approved_by IS NOT NULL"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(set).bind(root).bind(date).fetch_all(e).await)?,
    )
}

/// One step in a village's recognition history.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RecognitionRow {
    /// Id.
    pub id: Uuid,
    /// The village.
    pub unit_id: Uuid,
    /// The set it was judged against.
    pub set_id: Option<Uuid>,
    /// `proposed`, `recognised`, `revoked`.
    pub status: String,
    /// From when it holds (the decision's date for recognition and revocation).
    pub effective_on: Date,
    /// The decision's number.
    pub decision_number: Option<String>,
    /// Who recorded it.
    pub actor_label: String,
    /// Notes.
    pub note: String,
    /// When recorded.
    pub created_at: OffsetDateTime,
}

/// Appends a recognition step.
pub async fn insert_recognition(tx: &mut Tx, r: &RecognitionRow) -> StoreResult<()> {
    let sql = "INSERT INTO recognition_events (id, unit_id, set_id, status, effective_on, \
               decision_number, actor_label, note, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    on_tx!(tx, c => sqlx::query(sql).bind(r.id).bind(r.unit_id).bind(r.set_id).bind(&r.status)
        .bind(r.effective_on).bind(&r.decision_number).bind(&r.actor_label).bind(&r.note)
        .bind(r.created_at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A village's recognition history, oldest first.
pub async fn recognition_history(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
) -> StoreResult<Vec<RecognitionRow>> {
    let sql = "SELECT id, unit_id, set_id, status, effective_on, decision_number, actor_label, \
               note, created_at FROM recognition_events WHERE unit_id = $1 \
               ORDER BY effective_on, id";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit).fetch_all(e).await)?)
}

/// The latest recognition step of each village under `root` (tree as of `date`) effective on
/// or before `date`.
pub async fn recognition_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
) -> StoreResult<Vec<(Uuid, String)>> {
    let sql = concat!(
        "SELECT r.unit_id, r.status FROM recognition_events r JOIN unit_closure c \
         ON c.descendant_id = r.unit_id WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND r.effective_on <= $2 \
         ORDER BY r.unit_id, r.effective_on, r.id"
    );
    let rows: Vec<(Uuid, String)> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).fetch_all(e).await)?;
    let mut latest: Vec<(Uuid, String)> = Vec::new();
    for (unit, status) in rows {
        match latest.last_mut() {
            Some(last) if last.0 == unit => last.1 = status,
            _ => latest.push((unit, status)),
        }
    }
    Ok(latest)
}

/// Each unit's own counters (not summed over descendants) for every unit at or under `root`
/// on `date`, only the `keys` given: what per-village evaluation reads, one row per village
/// and key (a province's villages hold some twenty indicators each; its criteria use a few).
pub async fn own_counters_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
    keys: &[String],
) -> StoreResult<Vec<(Uuid, String, i64)>> {
    let ex = ex.into();
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    if ex.is_postgres() {
        // Keys are codes (`ind:vneid_1`, `asset:camera`): never a comma.
        let keys = keys.join(",");
        // PostgreSQL looks the descendants up one by one in the counters' key when handed
        // them as an array (3 ms for a province's 2,000 villages); as a join it hashes them
        // and scans every village of the nation.
        let sql = concat!(
            "SELECT k.unit_id, k.key, k.value FROM unit_counters k WHERE k.unit_id = ANY(ARRAY(",
            "SELECT c.descendant_id FROM unit_closure c WHERE c.ancestor_id = $1 AND ",
            covers!("c", "$2"),
            ")) AND k.key = ANY(string_to_array($3, ','))"
        );
        return Ok(
            on_exec!(ex, e => sqlx::query_as(sql).bind(root).bind(date).bind(&keys).fetch_all(e).await)?,
        );
    }
    // SQLite's nested loop seeks each village's counters by (unit, key) for the keys listed:
    // 1,000 villages of a province holding 66 keys each, of which the criteria read 20, cost
    // a fifth of reading every counter and filtering them.
    Ok(on_exec!(ex, e => {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT k.unit_id, k.key, k.value FROM unit_counters k JOIN unit_closure c \
             ON c.descendant_id = k.unit_id WHERE c.ancestor_id = ",
        );
        q.push_bind(root);
        q.push(" AND c.valid_from <= ").push_bind(date);
        q.push(" AND (c.valid_to IS NULL OR c.valid_to >= ").push_bind(date);
        q.push(") AND k.key IN (");
        let mut list = q.separated(", ");
        for key in keys {
            list.push_bind(key.as_str());
        }
        q.push(")");
        q.build_query_as().fetch_all(e).await
    })?)
}

/// Active QR placements per unit at or under `root` on `date`; `None` when no placement was
/// ever recorded anywhere (the criterion then has no data).
pub async fn placements_per_unit(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
) -> StoreResult<Option<Vec<(Uuid, i64)>>> {
    let mut ex = ex.into();
    let any = "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 AS one FROM qr_placements LIMIT 1) x";
    let n: i64 = on_exec!(ex.reborrow(), e => sqlx::query_scalar(any).fetch_one(e).await)?;
    if n == 0 {
        return Ok(None);
    }
    let sql = concat!(
        "SELECT p.unit_id, CAST(COUNT(*) AS BIGINT) FROM qr_placements p JOIN unit_closure c \
         ON c.descendant_id = p.unit_id WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND p.active \
         GROUP BY p.unit_id"
    );
    Ok(Some(
        on_exec!(ex, e => sqlx::query_as(sql).bind(root).bind(date).fetch_all(e).await)?,
    ))
}

/// `households` and `visited` of each child of `parent` on `date`, summed over its subtree:
/// the per-commune bars read two keys per village instead of every key.
pub async fn coverage_by_child(
    ex: impl Into<Exec<'_>>,
    parent: Uuid,
    date: Date,
) -> StoreResult<Vec<(Uuid, String, i64)>> {
    let sql = concat!(
        "SELECT p.unit_id, k.key, CAST(SUM(k.value) AS BIGINT) FROM unit_parents p ",
        "JOIN unit_closure c ON c.ancestor_id = p.unit_id AND ",
        covers!("c", "$2"),
        " JOIN unit_counters k ON k.unit_id = c.descendant_id AND k.key IN ('households', 'visited') ",
        "WHERE p.parent_id = $1 AND ",
        covers!("p", "$2"),
        " GROUP BY p.unit_id, k.key"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(parent).bind(date).fetch_all(e).await)?)
}
