//! The commune radio: broadcast times per commune and the readings of announcements at them.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// A broadcast time of a commune.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SlotRow {
    /// Id.
    pub id: Uuid,
    /// The commune.
    pub commune_id: Uuid,
    /// 1 = Monday … 7 = Sunday.
    pub weekday: i64,
    /// Minutes after midnight, Vietnam time.
    pub minute: i64,
    /// Added.
    pub created_at: OffsetDateTime,
}

/// One reading of an announcement on a commune's radio, with what the schedule shows of it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct BroadcastRow {
    /// Id.
    pub id: Uuid,
    /// The announcement.
    pub announcement_id: Uuid,
    /// The commune.
    pub commune_id: Uuid,
    /// normal, priority or emergency.
    pub priority: String,
    /// When it is read (Unix ms).
    pub starts_at: i64,
    /// Who put it on the schedule.
    pub created_label: String,
    /// The announcement's title.
    pub title: String,
    /// Its body.
    pub body: String,
    /// Its short code.
    pub short_code: String,
    /// Its status (only published ones are on the public schedule).
    pub status: String,
}

/// Adds a broadcast time (false when the commune already has it).
pub async fn insert_slot(tx: &mut Tx, row: &SlotRow) -> StoreResult<bool> {
    let sql = "INSERT INTO radio_slots (id, commune_id, weekday, minute, created_at) \
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.commune_id).bind(row.weekday)
        .bind(row.minute).bind(row.created_at).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Removes a broadcast time of a commune.
pub async fn delete_slot(tx: &mut Tx, commune: Uuid, id: Uuid) -> StoreResult<bool> {
    let sql = "DELETE FROM radio_slots WHERE id = $1 AND commune_id = $2";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(id).bind(commune)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// A broadcast time by id (the caller checks scope on its commune).
pub async fn get_slot(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<SlotRow>> {
    let sql = "SELECT id, commune_id, weekday, minute, created_at FROM radio_slots WHERE id = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// A commune's broadcast times, by weekday and time.
pub async fn slots_of(ex: impl Into<Exec<'_>>, commune: Uuid) -> StoreResult<Vec<SlotRow>> {
    let sql = "SELECT id, commune_id, weekday, minute, created_at FROM radio_slots \
               WHERE commune_id = $1 ORDER BY weekday, minute";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(commune).fetch_all(e).await)?)
}

/// Puts an announcement on a commune's schedule at `starts_at` (once per time).
pub async fn insert_broadcast(
    tx: &mut Tx,
    announcement: Uuid,
    commune: Uuid,
    (priority, rank): (&str, i64),
    starts_at: i64,
    label: &str,
    now: OffsetDateTime,
) -> StoreResult<bool> {
    let sql = "INSERT INTO radio_broadcasts (id, announcement_id, commune_id, priority, \
               priority_rank, starts_at, created_label, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(Uuid::now_v7()).bind(announcement).bind(commune)
        .bind(priority).bind(rank).bind(starts_at).bind(label).bind(now)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

const BROADCAST_COLS: &str = "b.id, b.announcement_id, b.commune_id, b.priority, b.starts_at, \
    b.created_label, a.title, a.body, a.short_code, a.status";

/// The readings of one announcement, soonest first.
pub async fn broadcasts_of(
    ex: impl Into<Exec<'_>>,
    announcement: Uuid,
) -> StoreResult<Vec<BroadcastRow>> {
    let sql = format!(
        "SELECT {BROADCAST_COLS} FROM radio_broadcasts b JOIN announcements a \
         ON a.id = b.announcement_id WHERE b.announcement_id = $1 ORDER BY b.starts_at"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(announcement)
        .fetch_all(e).await)?,
    )
}

/// A commune's schedule between two instants (Unix ms): by time, emergency first within a
/// time, then by title; only announcements in `statuses`; at most `limit`.
pub async fn schedule(
    ex: impl Into<Exec<'_>>,
    commune: Uuid,
    from_ms: i64,
    to_ms: i64,
    published_only: bool,
    limit: i64,
) -> StoreResult<Vec<BroadcastRow>> {
    let sql = format!(
        "SELECT {BROADCAST_COLS} FROM radio_broadcasts b JOIN announcements a \
         ON a.id = b.announcement_id WHERE b.commune_id = $1 AND b.starts_at >= $2 \
         AND b.starts_at < $3 AND a.status <> 'rejected' \
         AND (a.status = 'published' OR NOT $4) \
         ORDER BY b.starts_at, b.priority_rank, a.title, b.id LIMIT $5"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(commune)
        .bind(from_ms).bind(to_ms).bind(published_only).bind(limit).fetch_all(e).await)?,
    )
}
