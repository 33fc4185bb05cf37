//! Announcements, the villages they reached (the feed rows) and the opens of their short link.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// An announcement as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AnnouncementRow {
    /// Id.
    pub id: Uuid,
    /// The root of the unit subtree it goes to.
    pub unit_id: Uuid,
    /// Title.
    pub title: String,
    /// Body in the simple formatting (rendered by `langso_domain::comms::render_body`).
    pub body: String,
    /// guidance, procedure, security, emergency or event.
    pub category: String,
    /// A guide or procedure it points to.
    pub link: Option<String>,
    /// Narrowed to households lacking this indicator.
    pub indicator: Option<String>,
    /// pending, scheduled, published or rejected.
    pub status: String,
    /// When it is to be published (Unix ms).
    pub publish_at: i64,
    /// The code of its short link `/a/{code}`.
    pub short_code: String,
    /// Who wrote it.
    pub created_by: Option<Uuid>,
    /// Their label.
    pub created_label: String,
    /// Who approved it.
    pub approved_label: Option<String>,
    /// When.
    pub approved_at: Option<OffsetDateTime>,
    /// When it was published.
    pub published_at: Option<OffsetDateTime>,
    /// Villages it reached (set at publication).
    pub villages: i64,
    /// Households targeted (set at publication).
    pub households: i64,
    /// Created.
    pub created_at: OffsetDateTime,
}

const COLS: &str = "a.id, a.unit_id, a.title, a.body, a.category, a.link, a.indicator, a.status, \
    a.publish_at, a.short_code, a.created_by, a.created_label, a.approved_label, a.approved_at, \
    a.published_at, a.villages, a.households, a.created_at";

/// Adds an announcement.
pub async fn insert_announcement(tx: &mut Tx, row: &AnnouncementRow) -> StoreResult<()> {
    let sql = "INSERT INTO announcements (id, unit_id, title, body, category, link, indicator, \
               status, publish_at, short_code, created_by, created_label, approved_label, \
               approved_at, published_at, villages, households, created_at) VALUES ($1, $2, $3, \
               $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.unit_id).bind(&row.title)
        .bind(&row.body).bind(&row.category).bind(&row.link).bind(&row.indicator)
        .bind(&row.status).bind(row.publish_at).bind(&row.short_code).bind(row.created_by)
        .bind(&row.created_label).bind(&row.approved_label).bind(row.approved_at)
        .bind(row.published_at).bind(row.villages).bind(row.households).bind(row.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// An announcement by id (the caller checks scope on its unit).
pub async fn get_announcement(
    ex: impl Into<Exec<'_>>,
    id: Uuid,
) -> StoreResult<Option<AnnouncementRow>> {
    let sql = format!("SELECT {COLS} FROM announcements a WHERE a.id = $1");
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(e).await)?,
    )
}

/// An announcement by its short code.
pub async fn announcement_by_code(
    ex: impl Into<Exec<'_>>,
    code: &str,
) -> StoreResult<Option<AnnouncementRow>> {
    let sql = format!("SELECT {COLS} FROM announcements a WHERE a.short_code = $1");
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(code).fetch_optional(e).await)?,
    )
}

/// Announcements addressed to units under `root` (or to `root` itself), newest first.
pub async fn list_announcements(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
    limit: i64,
) -> StoreResult<Vec<AnnouncementRow>> {
    let sql = format!(
        "SELECT {COLS} FROM announcements a JOIN unit_closure c ON c.descendant_id = a.unit_id \
         WHERE c.ancestor_id = $1 AND {} ORDER BY a.created_at DESC, a.id DESC LIMIT $3",
        covers!("c", "$2")
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(root).bind(date).bind(limit).fetch_all(e).await)?,
    )
}

/// Records an approval or a refusal of a pending announcement; false when it was no longer
/// pending (someone else decided first).
pub async fn decide(
    tx: &mut Tx,
    id: Uuid,
    status: &str,
    label: &str,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let sql = "UPDATE announcements SET status = $2, approved_label = $3, approved_at = $4 \
               WHERE id = $1 AND status = 'pending'";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(id).bind(status).bind(label).bind(at)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Marks a scheduled announcement published; false when another node (or an earlier call)
/// already did, so the caller writes its feed and outbox rows only once.
pub async fn mark_published(
    tx: &mut Tx,
    id: Uuid,
    at: OffsetDateTime,
    villages: i64,
    households: i64,
) -> StoreResult<bool> {
    let sql = "UPDATE announcements SET status = 'published', published_at = $2, villages = $3, \
               households = $4 WHERE id = $1 AND status = 'scheduled'";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(id).bind(at).bind(villages).bind(households)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Scheduled announcements whose time has come.
pub async fn due_announcements(
    ex: impl Into<Exec<'_>>,
    now_ms: i64,
    limit: i64,
) -> StoreResult<Vec<Uuid>> {
    let sql = "SELECT id FROM announcements WHERE status = 'scheduled' AND publish_at <= $1 \
               ORDER BY publish_at LIMIT $2";
    let rows: Vec<(Uuid,)> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(now_ms).bind(limit).fetch_all(e).await)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Writes the feed rows of a published announcement: one per village it reached.
pub async fn insert_feed_rows(
    tx: &mut Tx,
    announcement: Uuid,
    villages: &[(Uuid, i64)],
    published_ms: i64,
) -> StoreResult<()> {
    let sql = "INSERT INTO announcement_villages (announcement_id, village_id, households, \
               published_ms) VALUES ($1, $2, $3, $4)";
    for (village, households) in villages {
        on_tx!(tx, c => sqlx::query(sql).bind(announcement).bind(*village).bind(*households)
            .bind(published_ms).execute(&mut *c).await.map(|_| ()))?;
    }
    Ok(())
}

/// The announcements published to a village, newest first.
pub async fn village_feed(
    ex: impl Into<Exec<'_>>,
    village: Uuid,
    limit: i64,
) -> StoreResult<Vec<AnnouncementRow>> {
    let sql = format!(
        "SELECT {COLS} FROM announcement_villages v JOIN announcements a ON a.id = v.announcement_id \
         WHERE v.village_id = $1 ORDER BY v.published_ms DESC, a.id DESC LIMIT $2"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(village).bind(limit).fetch_all(e).await)?,
    )
}

/// The villages an announcement reached, with the households targeted in each.
pub async fn feed_villages(
    ex: impl Into<Exec<'_>>,
    announcement: Uuid,
) -> StoreResult<Vec<(Uuid, String, String, i64)>> {
    let sql = "SELECT u.id, u.code, u.name, v.households FROM announcement_villages v \
               JOIN units u ON u.id = v.village_id WHERE v.announcement_id = $1 ORDER BY u.code";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(announcement).fetch_all(e).await)?)
}

/// Households per village under `root` that lack an indicator: value below `target`, or below
/// the household's adults when `target` is negative (for "adults with …" indicators).
pub async fn lacking_indicator(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
    indicator: &str,
    target: i64,
) -> StoreResult<Vec<(Uuid, i64)>> {
    let sql = format!(
        "SELECT h.unit_id, CAST(COUNT(*) AS BIGINT) FROM households h \
         JOIN unit_closure c ON c.descendant_id = h.unit_id \
         LEFT JOIN household_indicators i ON i.household_id = h.id AND i.indicator = $3 \
         WHERE c.ancestor_id = $1 AND {} AND NOT h.erased \
         AND COALESCE(i.value, 0) < (CASE WHEN $4 < 0 THEN h.adults ELSE $4 END) \
         GROUP BY h.unit_id",
        covers!("c", "$2")
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(root).bind(date)
        .bind(indicator).bind(target).fetch_all(e).await)?,
    )
}

/// Counts one open of an announcement's short link on `day`.
pub async fn count_open(tx: &mut Tx, announcement: Uuid, day: Date) -> StoreResult<()> {
    let sql = "INSERT INTO announcement_opens (announcement_id, day, opens) VALUES ($1, $2, 1) \
               ON CONFLICT (announcement_id, day) DO UPDATE SET opens = announcement_opens.opens + 1";
    on_tx!(tx, c => sqlx::query(sql).bind(announcement).bind(day).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Opens of an announcement's short link, all days.
pub async fn opens(ex: impl Into<Exec<'_>>, announcement: Uuid) -> StoreResult<i64> {
    let sql = "SELECT CAST(COALESCE(SUM(opens), 0) AS BIGINT) FROM announcement_opens \
               WHERE announcement_id = $1";
    let (n,): (i64,) =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(announcement).fetch_one(e).await)?;
    Ok(n)
}

/// Moves an announcement's dates into the past (the demo's history only).
pub async fn backdate(tx: &mut Tx, announcement: Uuid, at: OffsetDateTime) -> StoreResult<()> {
    let sql = "UPDATE announcements SET created_at = $2, published_at = $2, publish_at = $3, \
               approved_at = CASE WHEN approved_at IS NULL THEN NULL ELSE $2 END WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(announcement).bind(at).bind(super::millis(at))
        .execute(&mut *c).await.map(|_| ()))?;
    let sql = "UPDATE announcement_villages SET published_ms = $2 WHERE announcement_id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(announcement).bind(super::millis(at))
        .execute(&mut *c).await.map(|_| ()))?;
    let sql =
        "UPDATE comm_outbox SET created_at = $2, delivered_at = $2 WHERE announcement_id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(announcement).bind(at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}
