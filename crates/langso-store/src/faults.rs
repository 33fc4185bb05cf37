//! Work orders (fault reports) and their history.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

macro_rules! order_cols {
    () => {
        "w.id, w.token, w.service_code, w.asset_id, w.unit_id, w.latitude, w.longitude, w.address, \
         w.description, w.media_url, w.reporter, w.status, w.assignee, w.due_at, w.requested_at, \
         w.updated_at, a.code AS asset_code, w.respond_by, w.fixed_at"
    };
}

// After `order_cols!`, which it uses.
pub mod levels;

/// A work order with its asset's code.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct WorkOrderRow {
    /// Id: the Open311 `service_request_id`.
    pub id: Uuid,
    /// The reporter's follow-up token (public status page, Open311 `tokens/{id}`).
    pub token: String,
    /// The service (asset kind, or `other`).
    pub service_code: String,
    /// The asset named or found nearest.
    pub asset_id: Option<Uuid>,
    /// Its unit (from the asset).
    pub unit_id: Option<Uuid>,
    /// Where (WGS84).
    pub latitude: Option<f64>,
    /// Where.
    pub longitude: Option<f64>,
    /// Address as given.
    pub address: String,
    /// What is wrong.
    pub description: String,
    /// A photo's URL.
    pub media_url: Option<String>,
    /// Who reported (name or contact as given; may be empty).
    pub reporter: String,
    /// `WorkStatus`.
    pub status: String,
    /// Who fixes it.
    pub assignee: String,
    /// When it should be fixed by.
    pub due_at: OffsetDateTime,
    /// Reported.
    pub requested_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
    /// The asset's code.
    pub asset_code: Option<String>,
    /// When an officer should have responded by (the category's response time); `None` for
    /// orders made before service levels were data.
    pub respond_by: Option<OffsetDateTime>,
    /// When it was first fixed (or closed); cleared when the reporter reopens it.
    pub fixed_at: Option<OffsetDateTime>,
}

/// A step of a work order.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct HistoryRow {
    /// When.
    pub at: OffsetDateTime,
    /// From.
    pub from_status: Option<String>,
    /// To.
    pub to_status: String,
    /// Who.
    pub actor: String,
    /// Why.
    pub note: String,
    /// The note may be shown to the public (the reporter's status page).
    pub public_note: bool,
}

/// Records a new work order.
pub async fn insert_order(tx: &mut Tx, w: &WorkOrderRow) -> StoreResult<()> {
    let sql = "INSERT INTO work_orders (id, token, service_code, asset_id, unit_id, latitude, \
               longitude, address, description, media_url, reporter, status, assignee, due_at, \
               requested_at, updated_at, respond_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
               $10, $11, $12, $13, $14, $15, $16, $17)";
    on_tx!(tx, c => sqlx::query(sql).bind(w.id).bind(&w.token).bind(&w.service_code).bind(w.asset_id)
        .bind(w.unit_id).bind(w.latitude).bind(w.longitude).bind(&w.address).bind(&w.description)
        .bind(&w.media_url).bind(&w.reporter).bind(&w.status).bind(&w.assignee).bind(w.due_at)
        .bind(w.requested_at).bind(w.updated_at).bind(w.respond_by).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Moves a work order (only from `from`, so two people cannot both move it). The first move to
/// fixed or closed is kept as `fixed_at` (on time or late is measured by it).
pub async fn set_status(
    tx: &mut Tx,
    id: Uuid,
    from: &str,
    to: &str,
    assignee: &str,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let sql = "UPDATE work_orders SET status = $3, assignee = $4, updated_at = $5, \
               fixed_at = CASE WHEN $3 IN ('fixed', 'closed') THEN COALESCE(fixed_at, $5) \
               ELSE fixed_at END WHERE id = $1 AND status = $2";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(id).bind(from).bind(to).bind(assignee).bind(at)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Reopens a fixed or closed order (its reporter says the fault is still there): back to
/// `to`, its fix forgotten.
pub async fn reopen(
    tx: &mut Tx,
    id: Uuid,
    from: &str,
    to: &str,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let sql = "UPDATE work_orders SET status = $3, updated_at = $4, fixed_at = NULL WHERE id = $1 \
               AND status = $2";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(id).bind(from).bind(to).bind(at)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Appends a history row.
pub async fn insert_history(tx: &mut Tx, order: Uuid, step: &HistoryRow) -> StoreResult<()> {
    let sql = "INSERT INTO work_order_history (id, work_order_id, at, from_status, to_status, actor, \
               note, public_note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_tx!(tx, c => sqlx::query(sql).bind(Uuid::now_v7()).bind(order).bind(step.at)
        .bind(step.from_status.as_deref()).bind(&step.to_status).bind(&step.actor).bind(&step.note)
        .bind(step.public_note).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A work order by id.
pub async fn order(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<WorkOrderRow>> {
    let sql = concat!(
        "SELECT ",
        order_cols!(),
        " FROM work_orders w LEFT JOIN assets a ON a.id = w.asset_id WHERE w.id = $1"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// A work order by its follow-up token.
pub async fn order_by_token(
    ex: impl Into<Exec<'_>>,
    token: &str,
) -> StoreResult<Option<WorkOrderRow>> {
    let sql = concat!(
        "SELECT ",
        order_cols!(),
        " FROM work_orders w LEFT JOIN assets a ON a.id = w.asset_id WHERE w.token = $1"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(token).fetch_optional(e).await)?)
}

/// A work order's history, oldest first.
pub async fn history(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Vec<HistoryRow>> {
    let sql = "SELECT at, from_status, to_status, actor, note, public_note FROM work_order_history \
               WHERE work_order_id = $1 ORDER BY at, id";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_all(e).await)?)
}

/// Public requests (Open311 `GET requests`): newest first, with filters. `statuses` holds
/// the work statuses wanted (every status when empty).
pub async fn public_orders(
    ex: impl Into<Exec<'_>>,
    service_code: Option<&str>,
    statuses: &[&str],
    from: Option<OffsetDateTime>,
    to: Option<OffsetDateTime>,
    limit: i64,
) -> StoreResult<Vec<WorkOrderRow>> {
    const EVERY: [&str; 5] = ["new", "assigned", "in_progress", "fixed", "closed"];
    let wanted = if statuses.is_empty() {
        &EVERY[..]
    } else {
        statuses
    };
    // Five slots, padded by repeating the first wanted status.
    let slot = |i: usize| wanted.get(i).copied().unwrap_or(wanted[0]).to_owned();
    let sql = concat!(
        "SELECT ",
        order_cols!(),
        " FROM work_orders w LEFT JOIN assets a ON a.id = w.asset_id WHERE ",
        "($1 IS NULL OR w.service_code = $1) AND w.status IN ($2, $3, $4, $5, $6) ",
        "AND ($7 IS NULL OR w.requested_at >= $7) AND ($8 IS NULL OR w.requested_at < $8) ",
        "ORDER BY w.requested_at DESC LIMIT $9"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(service_code)
        .bind(slot(0)).bind(slot(1)).bind(slot(2)).bind(slot(3)).bind(slot(4))
        .bind(from).bind(to).bind(limit).fetch_all(e).await)?,
    )
}

/// Work orders under `root` (through their unit), newest first; one status when given.
pub async fn orders_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: time::Date,
    status: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<WorkOrderRow>> {
    let sql = concat!(
        "SELECT ",
        order_cols!(),
        " FROM work_orders w LEFT JOIN assets a ON a.id = w.asset_id",
        " JOIN unit_closure c ON c.descendant_id = w.unit_id AND c.ancestor_id = $1",
        " AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to >= $2)",
        " WHERE ($3 IS NULL OR w.status = $3) ORDER BY w.requested_at DESC LIMIT $4"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).bind(status).bind(limit).fetch_all(e).await)?,
    )
}

/// Assets of `kind` (any kind when `None`) inside a box around a point: candidates for "the
/// nearest within 30 m" (the distance itself is computed by the caller).
pub async fn assets_near(
    ex: impl Into<Exec<'_>>,
    kind: Option<&str>,
    lat: (f64, f64),
    lon: (f64, f64),
) -> StoreResult<Vec<(Uuid, Uuid, String, f64, f64)>> {
    let sql = "SELECT id, unit_id, kind, latitude, longitude FROM assets WHERE latitude BETWEEN $1 AND $2 \
               AND longitude BETWEEN $3 AND $4 AND ($5 IS NULL OR kind = $5) AND status <> 'retired'";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(lat.0).bind(lat.1).bind(lon.0).bind(lon.1)
        .bind(kind).fetch_all(e).await)?,
    )
}

/// A photo attached to a fault report.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct PhotoRow {
    /// The work order.
    pub work_order_id: Uuid,
    /// `image/jpeg`, `image/png` or `image/webp`, from the bytes.
    pub content_type: String,
    /// The bytes.
    pub content: Vec<u8>,
    /// When.
    pub created_at: OffsetDateTime,
}

/// Keeps a report's photo.
pub async fn insert_photo(tx: &mut Tx, photo: &PhotoRow) -> StoreResult<()> {
    let sql = "INSERT INTO work_order_photos (work_order_id, content_type, content, created_at) \
               VALUES ($1, $2, $3, $4)";
    on_tx!(tx, c => sqlx::query(sql).bind(photo.work_order_id).bind(&photo.content_type)
        .bind(&photo.content).bind(photo.created_at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A report's photo, if it has one.
pub async fn photo(ex: impl Into<Exec<'_>>, order: Uuid) -> StoreResult<Option<PhotoRow>> {
    let sql = "SELECT work_order_id, content_type, content, created_at FROM work_order_photos \
               WHERE work_order_id = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(order).fetch_optional(e).await)?)
}

/// Whether a report has a photo (without reading it).
pub async fn has_photo(ex: impl Into<Exec<'_>>, order: Uuid) -> StoreResult<bool> {
    let sql = "SELECT COUNT(*) FROM work_order_photos WHERE work_order_id = $1";
    let n: i64 = on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(order).fetch_one(e).await)?;
    Ok(n > 0)
}

/// Photos stored (tests check that a refused upload wrote nothing).
pub async fn count_photos(ex: impl Into<Exec<'_>>) -> StoreResult<i64> {
    let sql = "SELECT COUNT(*) FROM work_order_photos";
    Ok(on_exec!(ex.into(), e => sqlx::query_scalar(sql).fetch_one(e).await)?)
}

/// Work orders under `root`, newest first, filtered by status and by service (asset kind).
pub async fn orders_filtered(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: time::Date,
    status: Option<&str>,
    service: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<WorkOrderRow>> {
    let sql = concat!(
        "SELECT ",
        order_cols!(),
        " FROM work_orders w LEFT JOIN assets a ON a.id = w.asset_id",
        " JOIN unit_closure c ON c.descendant_id = w.unit_id AND c.ancestor_id = $1",
        " AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to >= $2)",
        " WHERE ($3 IS NULL OR w.status = $3) AND ($4 IS NULL OR w.service_code = $4)",
        " ORDER BY w.requested_at DESC LIMIT $5"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).bind(status)
        .bind(service).bind(limit).fetch_all(e).await)?,
    )
}

/// The work orders of one asset, newest first.
pub async fn orders_of_asset(
    ex: impl Into<Exec<'_>>,
    asset: Uuid,
    limit: i64,
) -> StoreResult<Vec<WorkOrderRow>> {
    let sql = concat!(
        "SELECT ",
        order_cols!(),
        " FROM work_orders w LEFT JOIN assets a ON a.id = w.asset_id",
        " WHERE w.asset_id = $1 ORDER BY w.requested_at DESC LIMIT $2"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(asset).bind(limit).fetch_all(e).await)?)
}

/// Villages (and other village-level units) in force on `date` with a position inside a box:
/// candidates for the unit of a report that names no asset and has none within 30 m.
pub async fn villages_near(
    ex: impl Into<Exec<'_>>,
    date: time::Date,
    lat: (f64, f64),
    lon: (f64, f64),
) -> StoreResult<Vec<(Uuid, f64, f64)>> {
    let sql = "SELECT id, latitude, longitude FROM units \
               WHERE kind IN ('village', 'street_group', 'residential_cluster', 'hamlet') \
               AND valid_from <= $1 AND (valid_to IS NULL OR valid_to >= $1) \
               AND latitude BETWEEN $2 AND $3 AND longitude BETWEEN $4 AND $5";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(date).bind(lat.0).bind(lat.1)
        .bind(lon.0).bind(lon.1).fetch_all(e).await)?,
    )
}

// --- h16a: followers, duplicates, moderation, routing ---
pub mod followers;
