//! Messages to one recipient on one channel (Zalo ZNS, SMS, e-mail) and their attempts: written
//! by whatever has something to tell (an announcement, a notification, an alert) in its own
//! transaction, then delivered by the channel worker, which claims due rows under a lease.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// Waiting for its time (or for a retry).
pub const QUEUED: &str = "queued";
/// Claimed by a worker, being handed to the provider.
pub const SENDING: &str = "sending";
/// The provider accepted it.
pub const SENT: &str = "sent";
/// The provider reported it delivered to the phone or mailbox.
pub const DELIVERED: &str = "delivered";
/// Given up: the provider refused it for good, or every attempt failed.
pub const FAILED: &str = "failed";
/// Not sent, on purpose: consent withdrawn, no contact, quiet hours turned into a digest.
pub const WITHHELD: &str = "withheld";

/// One message to one recipient on one channel.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct MessageRow {
    /// Id.
    pub id: Uuid,
    /// The unit whose channel settings apply, and whose officers may see the message.
    pub unit_id: Uuid,
    /// What it tells of: `announcement`, `notification`, `alert`, `digest`…
    pub source: String,
    /// The announcement, notification or alert.
    pub source_id: Option<Uuid>,
    /// `zns`, `sms` or `email`.
    pub channel: String,
    /// `household`, `user`, `reporter`, `follower`.
    pub recipient_kind: String,
    /// The household, user or follower.
    pub recipient_id: Option<Uuid>,
    /// How the recipient is shown to officers (a name, masked as the viewer's rights say).
    pub recipient_label: String,
    /// A phone in `84…` form or an e-mail address.
    pub address: String,
    /// The e-mail subject, or a title for the other channels.
    pub subject: String,
    /// The text as the channel sends it (plain text for SMS and Zalo).
    pub body: String,
    /// The HTML alternative, for e-mail.
    pub html: Option<String>,
    /// The provider's template, for ZNS.
    pub template_id: Option<String>,
    /// The template's parameters, a JSON object.
    pub template_data: Option<String>,
    /// Sent with every attempt where the provider accepts one, so a repeat can be dropped.
    pub idempotency_key: String,
    /// One of the status constants of this module.
    pub status: String,
    /// The provider's id for the message, once accepted.
    pub provider_ref: Option<String>,
    /// The provider's reason for a failure, or why it was withheld.
    pub reason: Option<String>,
    /// Attempts made.
    pub attempts: i64,
    /// Not before (Unix ms): the send time, a retry's backoff, the end of quiet hours.
    pub next_attempt_at: i64,
    /// The worker holding it.
    pub claimed_by: Option<String>,
    /// Its lease ends (Unix ms).
    pub claimed_until: Option<i64>,
    /// When the provider accepted it.
    pub sent_at: Option<OffsetDateTime>,
    /// When the provider reported it delivered.
    pub delivered_at: Option<OffsetDateTime>,
    /// Written.
    pub created_at: OffsetDateTime,
}

/// The columns of [`MessageRow`], in its order (a macro, so that queries stay literals).
#[macro_export]
macro_rules! message_cols {
    () => {
        "id, unit_id, source, source_id, channel, recipient_kind, recipient_id, recipient_label, \
         address, subject, body, html, template_id, template_data, idempotency_key, status, \
         provider_ref, reason, attempts, next_attempt_at, claimed_by, claimed_until, sent_at, \
         delivered_at, created_at"
    };
}

/// Writes a message (in the transaction of the change it tells of).
pub async fn insert_message(tx: &mut Tx, row: &MessageRow) -> StoreResult<()> {
    let sql = concat!(
        "INSERT INTO comm_messages (",
        message_cols!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $21, $22, $23, $24, $25)"
    );
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.unit_id).bind(&row.source)
        .bind(row.source_id).bind(&row.channel).bind(&row.recipient_kind).bind(row.recipient_id)
        .bind(&row.recipient_label).bind(&row.address).bind(&row.subject).bind(&row.body)
        .bind(&row.html).bind(&row.template_id).bind(&row.template_data)
        .bind(&row.idempotency_key).bind(&row.status).bind(&row.provider_ref).bind(&row.reason)
        .bind(row.attempts).bind(row.next_attempt_at).bind(&row.claimed_by)
        .bind(row.claimed_until).bind(row.sent_at).bind(row.delivered_at).bind(row.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The messages one announcement, notification or alert gave rise to, by channel and label.
pub async fn messages_of(
    ex: impl Into<Exec<'_>>,
    source: &str,
    source_id: Uuid,
) -> StoreResult<Vec<MessageRow>> {
    let sql = concat!(
        "SELECT ",
        message_cols!(),
        " FROM comm_messages WHERE source = $1 AND source_id = $2 \
         ORDER BY channel, recipient_label, id"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(source).bind(source_id)
        .fetch_all(e).await)?,
    )
}

/// How many messages of one source are in each (channel, status).
pub async fn message_counts_of(
    ex: impl Into<Exec<'_>>,
    source: &str,
    source_id: Uuid,
) -> StoreResult<Vec<(String, String, i64)>> {
    let sql = "SELECT channel, status, COUNT(*) FROM comm_messages WHERE source = $1 \
               AND source_id = $2 GROUP BY channel, status ORDER BY channel, status";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(source).bind(source_id)
        .fetch_all(e).await)?,
    )
}

// h17a: the channel worker's claim, attempts and outcomes.

/// Claims the next due message for `worker` until `now_ms + lease_ms`: a queued message whose
/// time has come, or one whose previous worker's lease ran out while sending. PostgreSQL locks
/// it with `FOR UPDATE SKIP LOCKED` (workers on several nodes never claim the same row);
/// SQLite claims it in one `BEGIN IMMEDIATE` transaction (the single writer).
pub async fn claim_due_message(
    db: &crate::Db,
    worker: &str,
    now_ms: i64,
    lease_ms: i64,
) -> StoreResult<Option<MessageRow>> {
    const DUE: &str = "(m.status = 'queued' AND m.next_attempt_at <= $1) \
        OR (m.status = 'sending' AND m.claimed_until < $1)";
    let returning = message_cols!();
    match db {
        crate::Db::Postgres(pool) => {
            let sql = format!(
                "UPDATE comm_messages SET status = 'sending', claimed_by = $2, claimed_until = $3 \
                 WHERE id IN (SELECT m.id FROM comm_messages m WHERE {DUE} \
                 ORDER BY m.next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING {returning}"
            );
            Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(now_ms)
                .bind(worker)
                .bind(now_ms + lease_ms)
                .fetch_optional(pool)
                .await?)
        }
        crate::Db::Sqlite(_, writer) => {
            let mut tx = writer.begin().await?;
            let select = format!(
                "SELECT m.id FROM comm_messages m WHERE {DUE} ORDER BY m.next_attempt_at LIMIT 1"
            );
            let id: Option<(Uuid,)> = sqlx::query_as(sqlx::AssertSqlSafe(select))
                .bind(now_ms)
                .fetch_optional(tx.conn().await?)
                .await?;
            let Some((id,)) = id else {
                tx.commit().await?;
                return Ok(None);
            };
            let sql = format!(
                "UPDATE comm_messages SET status = 'sending', claimed_by = $2, claimed_until = $3 \
                 WHERE id = $1 RETURNING {returning}"
            );
            let row: MessageRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .bind(worker)
                .bind(now_ms + lease_ms)
                .fetch_one(tx.conn().await?)
                .await?;
            tx.commit().await?;
            Ok(Some(row))
        }
    }
}

/// One attempt to hand a message to its provider.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct MessageAttemptRow {
    /// Id.
    pub id: Uuid,
    /// The message.
    pub message_id: Uuid,
    /// When it was made.
    pub at: OffsetDateTime,
    /// Which worker made it.
    pub worker: String,
    /// `sent`, `delivered`, `retry`, `failed` or `withheld`.
    pub outcome: String,
    /// The provider's code (an HTTP status, a ZNS error, an eSMS CodeResult, an SMTP reply).
    pub provider_code: Option<String>,
    /// The provider's reason, or ours.
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: i64,
}

/// What an attempt leaves the message as.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageOutcome {
    /// QUEUED (to retry at `next_ms`), SENT, DELIVERED, FAILED or WITHHELD.
    pub status: &'static str,
    /// The provider's id for the message, when it accepted it.
    pub provider_ref: Option<String>,
    /// Not before (Unix ms), for a retry.
    pub next_ms: i64,
}

/// Records an attempt and its outcome. Only the worker holding the claim may finish it: false
/// when it no longer does (its lease ran out and another worker took the message over).
pub async fn finish_message(
    tx: &mut Tx,
    attempt: &MessageAttemptRow,
    outcome: &MessageOutcome,
) -> StoreResult<bool> {
    let sql = "INSERT INTO comm_message_attempts (id, message_id, at, worker, outcome, \
               provider_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_tx!(tx, c => sqlx::query(sql).bind(attempt.id).bind(attempt.message_id).bind(attempt.at)
        .bind(&attempt.worker).bind(&attempt.outcome).bind(&attempt.provider_code)
        .bind(&attempt.error).bind(attempt.duration_ms).execute(&mut *c).await.map(|_| ()))?;
    let sql = "UPDATE comm_messages SET status = $3, attempts = attempts + 1, \
               next_attempt_at = $4, claimed_by = NULL, claimed_until = NULL, \
               provider_ref = COALESCE($5, provider_ref), reason = $6, \
               sent_at = CASE WHEN $3 IN ('sent', 'delivered') THEN $7 ELSE sent_at END, \
               delivered_at = CASE WHEN $3 = 'delivered' THEN $7 ELSE delivered_at END \
               WHERE id = $1 AND claimed_by = $2 AND status = 'sending'";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(attempt.message_id).bind(&attempt.worker)
        .bind(outcome.status).bind(outcome.next_ms).bind(&outcome.provider_ref)
        .bind(&attempt.error).bind(attempt.at)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// A message by id.
pub async fn message(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<MessageRow>> {
    let sql = concat!(
        "SELECT ",
        message_cols!(),
        " FROM comm_messages WHERE id = $1"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// The attempts of one message, oldest first.
pub async fn message_attempts(
    ex: impl Into<Exec<'_>>,
    message_id: Uuid,
) -> StoreResult<Vec<MessageAttemptRow>> {
    let sql = "SELECT id, message_id, at, worker, outcome, provider_code, error, duration_ms \
               FROM comm_message_attempts WHERE message_id = $1 ORDER BY id";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(message_id).fetch_all(e).await)?)
}
