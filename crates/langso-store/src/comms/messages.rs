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
