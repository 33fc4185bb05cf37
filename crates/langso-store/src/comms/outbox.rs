//! The transactional outbox: rows written with the announcement's publication, claimed by
//! delivery workers, with every attempt recorded; and the webhook endpoints they deliver to.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::units::covers;
use crate::{Db, Exec, StoreResult, Tx, on_exec, on_tx};

/// A message to deliver on one channel.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutboxRow {
    /// Id.
    pub id: Uuid,
    /// The announcement.
    pub announcement_id: Uuid,
    /// `feed` or `webhook`.
    pub channel: String,
    /// The endpoint, for webhooks.
    pub webhook_id: Option<Uuid>,
    /// Sent with every attempt, so the receiver can drop a repeat.
    pub idempotency_key: String,
    /// The JSON body.
    pub payload: String,
    /// pending, sending, delivered or failed.
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// Not before (Unix ms).
    pub next_attempt_at: i64,
    /// The worker holding it.
    pub claimed_by: Option<String>,
    /// Its lease ends (Unix ms): after that another worker may take it over.
    pub claimed_until: Option<i64>,
    /// When the receiver accepted it.
    pub delivered_at: Option<OffsetDateTime>,
    /// The last failure.
    pub last_error: Option<String>,
    /// Created.
    pub created_at: OffsetDateTime,
}

const COLS: &str = "o.id, o.announcement_id, o.channel, o.webhook_id, o.idempotency_key, o.payload, \
    o.status, o.attempts, o.next_attempt_at, o.claimed_by, o.claimed_until, o.delivered_at, \
    o.last_error, o.created_at";

/// Writes an outbox row (inside the publishing transaction).
pub async fn insert_outbox(tx: &mut Tx, row: &OutboxRow) -> StoreResult<()> {
    let sql = "INSERT INTO comm_outbox (id, announcement_id, channel, webhook_id, idempotency_key, \
               payload, status, attempts, next_attempt_at, claimed_by, claimed_until, delivered_at, \
               last_error, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
               $13, $14)";
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.announcement_id).bind(&row.channel)
        .bind(row.webhook_id).bind(&row.idempotency_key).bind(&row.payload).bind(&row.status)
        .bind(row.attempts).bind(row.next_attempt_at).bind(&row.claimed_by).bind(row.claimed_until)
        .bind(row.delivered_at).bind(&row.last_error).bind(row.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Claims up to `limit` due rows for `worker` until `now_ms + lease_ms`: pending rows whose
/// time has come, and rows whose previous worker's lease ran out. On PostgreSQL the rows are
/// locked with `FOR UPDATE SKIP LOCKED`, so workers on several nodes never claim the same row;
/// on SQLite the claim runs in one `BEGIN IMMEDIATE` transaction (the single writer).
pub async fn claim_due(
    db: &Db,
    worker: &str,
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
) -> StoreResult<Vec<OutboxRow>> {
    const DUE: &str = "o.channel = 'webhook' AND ((o.status = 'pending' AND o.next_attempt_at <= $1) \
        OR (o.status = 'sending' AND o.claimed_until < $1))";
    match db {
        Db::Postgres(pool) => {
            let sql = format!(
                "UPDATE comm_outbox SET status = 'sending', claimed_by = $2, claimed_until = $3 \
                 WHERE id IN (SELECT o.id FROM comm_outbox o WHERE {DUE} \
                 ORDER BY o.next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED) \
                 RETURNING {}",
                COLS.replace("o.", "comm_outbox.")
            );
            Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(now_ms)
                .bind(worker)
                .bind(now_ms + lease_ms)
                .bind(limit)
                .fetch_all(pool)
                .await?)
        }
        Db::Sqlite(_, writer) => {
            let mut tx = writer.begin().await?;
            let select = format!(
                "SELECT o.id FROM comm_outbox o WHERE {DUE} ORDER BY o.next_attempt_at LIMIT $2"
            );
            let ids: Vec<(Uuid,)> = sqlx::query_as(sqlx::AssertSqlSafe(select))
                .bind(now_ms)
                .bind(limit)
                .fetch_all(tx.conn().await?)
                .await?;
            let mut rows = Vec::new();
            for (id,) in ids {
                let sql = format!(
                    "UPDATE comm_outbox SET status = 'sending', claimed_by = $2, claimed_until = $3 \
                     WHERE id = $1 RETURNING {}",
                    COLS.replace("o.", "comm_outbox.")
                );
                let row: OutboxRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(id)
                    .bind(worker)
                    .bind(now_ms + lease_ms)
                    .fetch_one(tx.conn().await?)
                    .await?;
                rows.push(row);
            }
            tx.commit().await?;
            Ok(rows)
        }
    }
}

/// One delivery attempt.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AttemptRow {
    /// Id.
    pub id: Uuid,
    /// The message.
    pub outbox_id: Uuid,
    /// When it was made.
    pub at: OffsetDateTime,
    /// Which worker made it.
    pub worker: String,
    /// The receiver's HTTP status, when it answered.
    pub status_code: Option<i64>,
    /// What went wrong.
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: i64,
}

/// Records an attempt and its outcome: delivered, or pending again at `next_ms` (failed once
/// `give_up`). Only the worker holding the claim may finish it; false when it no longer does.
pub async fn finish_attempt(
    tx: &mut Tx,
    attempt: &AttemptRow,
    delivered: bool,
    next_ms: i64,
    give_up: bool,
) -> StoreResult<bool> {
    let sql = "INSERT INTO comm_attempts (id, outbox_id, at, worker, status_code, error, \
               duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    on_tx!(tx, c => sqlx::query(sql).bind(attempt.id).bind(attempt.outbox_id).bind(attempt.at)
        .bind(&attempt.worker).bind(attempt.status_code).bind(&attempt.error)
        .bind(attempt.duration_ms).execute(&mut *c).await.map(|_| ()))?;
    let status = match (delivered, give_up) {
        (true, _) => "delivered",
        (false, true) => "failed",
        (false, false) => "pending",
    };
    let sql = "UPDATE comm_outbox SET status = $3, attempts = attempts + 1, next_attempt_at = $4, \
               claimed_by = NULL, claimed_until = NULL, \
               delivered_at = CASE WHEN $3 = 'delivered' THEN $5 ELSE delivered_at END, \
               last_error = $6 WHERE id = $1 AND claimed_by = $2 AND status = 'sending'";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(attempt.outbox_id).bind(&attempt.worker)
        .bind(status).bind(next_ms).bind(attempt.at).bind(&attempt.error)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// The outbox rows of an announcement.
pub async fn outbox_of(ex: impl Into<Exec<'_>>, announcement: Uuid) -> StoreResult<Vec<OutboxRow>> {
    let sql = format!(
        "SELECT {COLS} FROM comm_outbox o WHERE o.announcement_id = $1 ORDER BY o.channel, o.id"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(announcement).fetch_all(e).await)?,
    )
}

/// The attempts of an announcement's messages, oldest first.
pub async fn attempts_of(
    ex: impl Into<Exec<'_>>,
    announcement: Uuid,
) -> StoreResult<Vec<AttemptRow>> {
    let sql = "SELECT t.id, t.outbox_id, t.at, t.worker, t.status_code, t.error, t.duration_ms \
               FROM comm_attempts t JOIN comm_outbox o ON o.id = t.outbox_id \
               WHERE o.announcement_id = $1 ORDER BY t.id";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(announcement).fetch_all(e).await)?)
}

/// Counts of outbox rows by status (all announcements): for tests and metrics.
pub async fn outbox_counts(ex: impl Into<Exec<'_>>) -> StoreResult<Vec<(String, i64)>> {
    let sql =
        "SELECT status, CAST(COUNT(*) AS BIGINT) FROM comm_outbox GROUP BY status ORDER BY status";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_all(e).await)?)
}

/// A webhook endpoint.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct WebhookRow {
    /// Id.
    pub id: Uuid,
    /// Its announcements are those to this unit's subtree or to any unit above it.
    pub unit_id: Uuid,
    /// Name ("Zalo OA xã Ô Diên").
    pub name: String,
    /// Where to POST.
    pub url: String,
    /// The HMAC-SHA256 key (never shown after creation).
    pub secret: String,
    /// Receives new messages.
    pub active: bool,
    /// Created.
    pub created_at: OffsetDateTime,
}

/// Adds a webhook endpoint.
pub async fn insert_webhook(tx: &mut Tx, row: &WebhookRow) -> StoreResult<()> {
    let sql = "INSERT INTO webhooks (id, unit_id, name, url, secret, active, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.unit_id).bind(&row.name)
        .bind(&row.url).bind(&row.secret).bind(row.active).bind(row.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

const HOOK_COLS: &str = "w.id, w.unit_id, w.name, w.url, w.secret, w.active, w.created_at";

/// A webhook by id.
pub async fn get_webhook(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<WebhookRow>> {
    let sql = format!("SELECT {HOOK_COLS} FROM webhooks w WHERE w.id = $1");
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(e).await)?,
    )
}

/// Webhooks whose unit lies under `root`.
pub async fn list_webhooks(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
) -> StoreResult<Vec<WebhookRow>> {
    let sql = format!(
        "SELECT {HOOK_COLS} FROM webhooks w JOIN unit_closure c ON c.descendant_id = w.unit_id \
         WHERE c.ancestor_id = $1 AND {} ORDER BY w.name",
        covers!("c", "$2")
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(root).bind(date).fetch_all(e).await)?,
    )
}

/// Active webhooks concerned by an announcement to `unit`: those on `unit`, above it or under
/// it.
pub async fn webhooks_for(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    date: Date,
) -> StoreResult<Vec<WebhookRow>> {
    let sql = format!(
        "SELECT {HOOK_COLS} FROM webhooks w WHERE w.active AND (\
         EXISTS (SELECT 1 FROM unit_closure c WHERE c.ancestor_id = w.unit_id AND c.descendant_id = $1 AND {}) \
         OR EXISTS (SELECT 1 FROM unit_closure d WHERE d.ancestor_id = $1 AND d.descendant_id = w.unit_id AND {})) \
         ORDER BY w.id",
        covers!("c", "$2"),
        covers!("d", "$2")
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(unit).bind(date).fetch_all(e).await)?,
    )
}
