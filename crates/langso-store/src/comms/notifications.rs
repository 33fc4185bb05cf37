//! Updates to one person about a fault report they made or follow, kept until a delivery
//! channel (SMS, Zalo, e-mail) takes them: the messaging work claims the pending rows.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// One update for one person.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct NotificationRow {
    /// Id.
    pub id: Uuid,
    /// The work order it tells of.
    pub work_order_id: Uuid,
    /// `reporter` or `follower`.
    pub recipient: String,
    /// The follower, for followers.
    pub follower_id: Option<Uuid>,
    /// The contact they gave (a phone number or an e-mail address).
    pub contact: String,
    /// The channel the contact calls for: `sms` or `email`.
    pub channel: String,
    /// The JSON body: status, note, status page.
    pub payload: String,
    /// `pending` until a channel delivers it.
    pub status: String,
    /// Written.
    pub created_at: OffsetDateTime,
    /// Delivered.
    pub delivered_at: Option<OffsetDateTime>,
}

/// Writes a notification (in the transaction of the change it tells of).
pub async fn insert_notification(tx: &mut Tx, row: &NotificationRow) -> StoreResult<()> {
    let sql = "INSERT INTO comm_notifications (id, work_order_id, recipient, follower_id, contact, \
               channel, payload, status, created_at, delivered_at) VALUES ($1, $2, $3, $4, $5, $6, \
               $7, $8, $9, $10)";
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.work_order_id).bind(&row.recipient)
        .bind(row.follower_id).bind(&row.contact).bind(&row.channel).bind(&row.payload)
        .bind(&row.status).bind(row.created_at).bind(row.delivered_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The notifications about one work order, oldest first.
pub async fn notifications_of(
    ex: impl Into<Exec<'_>>,
    work_order: Uuid,
) -> StoreResult<Vec<NotificationRow>> {
    let sql = "SELECT id, work_order_id, recipient, follower_id, contact, channel, payload, status, \
               created_at, delivered_at FROM comm_notifications WHERE work_order_id = $1 \
               ORDER BY created_at, id";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(work_order).fetch_all(e).await)?)
}

/// The oldest pending notifications, for a delivery channel to take.
pub async fn pending_notifications(
    ex: impl Into<Exec<'_>>,
    limit: i64,
) -> StoreResult<Vec<NotificationRow>> {
    let sql = "SELECT id, work_order_id, recipient, follower_id, contact, channel, payload, status, \
               created_at, delivered_at FROM comm_notifications WHERE status = 'pending' \
               ORDER BY created_at, id LIMIT $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(limit).fetch_all(e).await)?)
}

/// The followers of a work order who gave a contact: id and contact, oldest first.
pub async fn follower_contacts(
    ex: impl Into<Exec<'_>>,
    work_order: Uuid,
) -> StoreResult<Vec<(Uuid, String)>> {
    let sql = "SELECT id, contact FROM work_order_followers WHERE work_order_id = $1 \
               AND contact <> '' ORDER BY created_at, id";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(work_order).fetch_all(e).await)?)
}
