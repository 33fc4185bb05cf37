//! What residents and officers add around a report (issue 16): followers ("this is my problem
//! too", or the reporter of a duplicate), duplicates marked by an officer, the text or photo
//! hidden from the public, and the lookups that route a report to a unit.

use time::OffsetDateTime;
use uuid::Uuid;

use super::WorkOrderRow;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// Someone who follows a report and is told of its updates.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct FollowerRow {
    /// Id.
    pub id: Uuid,
    /// The report followed.
    pub work_order_id: Uuid,
    /// The contact as given (may be empty: the status page is then the way to follow).
    pub contact: String,
    /// The duplicate report this follower came from, when an officer merged it.
    pub from_order_id: Option<Uuid>,
    /// When.
    pub created_at: OffsetDateTime,
}

/// Adds a follower.
pub async fn insert_follower(tx: &mut Tx, row: &FollowerRow) -> StoreResult<()> {
    let sql = "INSERT INTO work_order_followers (id, work_order_id, contact, from_order_id, \
               created_at) VALUES ($1, $2, $3, $4, $5)";
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.work_order_id).bind(&row.contact)
        .bind(row.from_order_id).bind(row.created_at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The followers of a report, oldest first.
pub async fn followers(ex: impl Into<Exec<'_>>, order: Uuid) -> StoreResult<Vec<FollowerRow>> {
    let sql = "SELECT id, work_order_id, contact, from_order_id, created_at FROM \
               work_order_followers WHERE work_order_id = $1 ORDER BY created_at, id";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(order).fetch_all(e).await)?)
}

/// How many follow a report.
pub async fn follower_count(ex: impl Into<Exec<'_>>, order: Uuid) -> StoreResult<i64> {
    let sql = "SELECT COUNT(*) FROM work_order_followers WHERE work_order_id = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(order).fetch_one(e).await)?)
}

/// Moves the followers of `from` to `to` (a duplicate's followers follow the original).
pub async fn move_followers(tx: &mut Tx, from: Uuid, to: Uuid) -> StoreResult<()> {
    let sql = "UPDATE work_order_followers SET work_order_id = $2 WHERE work_order_id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(from).bind(to).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Records that `order` duplicates `original`.
pub async fn insert_duplicate(
    tx: &mut Tx,
    order: Uuid,
    original: Uuid,
    by: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let sql = "INSERT INTO work_order_duplicates (work_order_id, original_id, marked_by, marked_at) \
               VALUES ($1, $2, $3, $4)";
    on_tx!(tx, c => sqlx::query(sql).bind(order).bind(original).bind(by).bind(at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The report `order` was marked a duplicate of, if any.
pub async fn duplicate_of(ex: impl Into<Exec<'_>>, order: Uuid) -> StoreResult<Option<Uuid>> {
    let sql = "SELECT original_id FROM work_order_duplicates WHERE work_order_id = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(order).fetch_optional(e).await)?)
}

/// Open reports (not fixed, not closed, not a duplicate) of a service inside a box around a
/// point, or on one asset: candidates for "this is my problem too" (the caller measures the
/// distance).
pub async fn open_orders_near(
    ex: impl Into<Exec<'_>>,
    service_code: &str,
    asset: Option<Uuid>,
    lat: Option<(f64, f64)>,
    lon: Option<(f64, f64)>,
    limit: i64,
) -> StoreResult<Vec<WorkOrderRow>> {
    let sql = concat!(
        "SELECT ",
        order_cols!(),
        " FROM work_orders w LEFT JOIN assets a ON a.id = w.asset_id",
        " WHERE w.service_code = $1 AND w.status IN ('new', 'assigned', 'in_progress')",
        " AND NOT EXISTS (SELECT 1 FROM work_order_duplicates d WHERE d.work_order_id = w.id)",
        " AND ((w.asset_id IS NOT NULL AND w.asset_id = $2)",
        " OR (w.latitude BETWEEN $3 AND $4 AND w.longitude BETWEEN $5 AND $6))",
        " ORDER BY w.requested_at DESC LIMIT $7"
    );
    let (lat0, lat1) = lat.unwrap_or((1.0, -1.0));
    let (lon0, lon1) = lon.unwrap_or((1.0, -1.0));
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(service_code).bind(asset).bind(lat0)
        .bind(lat1).bind(lon0).bind(lon1).bind(limit).fetch_all(e).await)?,
    )
}

/// What of a report is hidden from the public, and why.
#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct ModerationRow {
    /// The report.
    pub work_order_id: Uuid,
    /// Why its text is hidden (`abusive`, `personal`, `false`), if it is.
    pub text_reason: Option<String>,
    /// Why its photo is hidden, if it is.
    pub photo_reason: Option<String>,
    /// The officer's note (internal).
    pub note: String,
    /// Who decided last.
    pub updated_by: String,
    /// When.
    pub updated_at: Option<OffsetDateTime>,
}

/// Records what is hidden of a report (replacing the earlier decision).
pub async fn set_moderation(tx: &mut Tx, row: &ModerationRow) -> StoreResult<()> {
    let sql = "INSERT INTO work_order_moderation (work_order_id, text_reason, photo_reason, note, \
               updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
               ON CONFLICT (work_order_id) DO UPDATE SET text_reason = excluded.text_reason, \
               photo_reason = excluded.photo_reason, note = excluded.note, \
               updated_by = excluded.updated_by, updated_at = excluded.updated_at";
    let at = row.updated_at.unwrap_or_else(OffsetDateTime::now_utc);
    on_tx!(tx, c => sqlx::query(sql).bind(row.work_order_id).bind(row.text_reason.as_deref())
        .bind(row.photo_reason.as_deref()).bind(&row.note).bind(&row.updated_by).bind(at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// What is hidden of one report.
pub async fn moderation(
    ex: impl Into<Exec<'_>>,
    order: Uuid,
) -> StoreResult<Option<ModerationRow>> {
    let sql = "SELECT work_order_id, text_reason, photo_reason, note, updated_by, updated_at \
               FROM work_order_moderation WHERE work_order_id = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(order).fetch_optional(e).await)?)
}

/// What is hidden of the reports made since `since` (a public list's oldest), at most
/// `limit` rows.
pub async fn moderation_since(
    ex: impl Into<Exec<'_>>,
    since: OffsetDateTime,
    limit: i64,
) -> StoreResult<Vec<ModerationRow>> {
    let sql = "SELECT m.work_order_id, m.text_reason, m.photo_reason, m.note, m.updated_by, \
               m.updated_at FROM work_order_moderation m JOIN work_orders w ON w.id = \
               m.work_order_id WHERE w.requested_at >= $1 LIMIT $2";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(since).bind(limit).fetch_all(e).await)?)
}

/// The unit of a QR placement, by its token.
pub async fn placement_unit(ex: impl Into<Exec<'_>>, token: &str) -> StoreResult<Option<Uuid>> {
    let sql = "SELECT unit_id FROM qr_placements WHERE token = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(token).fetch_optional(e).await)?)
}
