//! What an announcement is aimed at (units and village groups picked from a list), the channels
//! chosen, the households it may contact on them, its messages page by page, and the Zalo
//! groups an officer posted it in.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, Tx, message_cols, on_exec, on_tx};

use super::MessageRow;

/// A target kind: a unit (a commune or village, everything under it).
pub const TARGET_UNIT: &str = "unit";
/// A target kind: the members of a village group.
pub const TARGET_GROUP: &str = "group";

/// Records what an announcement is aimed at.
pub async fn insert_targets(
    tx: &mut Tx,
    announcement: Uuid,
    targets: &[(String, Uuid)],
) -> StoreResult<()> {
    let sql = "INSERT INTO announcement_targets (announcement_id, target_kind, target_id) \
               VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
    for (kind, id) in targets {
        on_tx!(tx, c => sqlx::query(sql).bind(announcement).bind(kind).bind(*id)
            .execute(&mut *c).await.map(|_| ()))?;
    }
    Ok(())
}

/// What an announcement is aimed at, as (kind, id).
pub async fn targets_of(
    ex: impl Into<Exec<'_>>,
    announcement: Uuid,
) -> StoreResult<Vec<(String, Uuid)>> {
    let sql = "SELECT target_kind, target_id FROM announcement_targets WHERE announcement_id = $1 \
               ORDER BY target_kind, target_id";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(announcement).fetch_all(e).await)?)
}

/// Records the channels chosen.
pub async fn insert_channels(
    tx: &mut Tx,
    announcement: Uuid,
    channels: &[String],
) -> StoreResult<()> {
    let sql = "INSERT INTO announcement_channels (announcement_id, channel) VALUES ($1, $2) \
               ON CONFLICT DO NOTHING";
    for channel in channels {
        on_tx!(tx, c => sqlx::query(sql).bind(announcement).bind(channel)
            .execute(&mut *c).await.map(|_| ()))?;
    }
    Ok(())
}

/// The channels chosen (empty for an announcement written before channels were chosen).
pub async fn channels_of(ex: impl Into<Exec<'_>>, announcement: Uuid) -> StoreResult<Vec<String>> {
    let sql =
        "SELECT channel FROM announcement_channels WHERE announcement_id = $1 ORDER BY channel";
    let rows: Vec<(String,)> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(announcement).fetch_all(e).await)?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// A household an announcement may contact: its representative and phone as registered.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ContactRow {
    /// The household.
    pub household_id: Uuid,
    /// Its village.
    pub unit_id: Uuid,
    /// Its commune (whose channel settings apply).
    pub commune_id: Uuid,
    /// The representative's name.
    pub representative_name: String,
    /// The representative's phone, as typed.
    pub phone: String,
}

/// The households under `root` (or in `group` when given) on `date` whose representative has a
/// phone and whose consent to be contacted is on record, optionally only those lacking an
/// indicator (see [`super::lacking_indicator`]). The consent condition is this query's
/// `h.consent_on IS NOT NULL`: the one place it is decided.
pub async fn consenting_households(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    group: Option<Uuid>,
    date: Date,
    indicator: Option<(&str, i64)>,
    limit: i64,
) -> StoreResult<Vec<ContactRow>> {
    let (code, target) = indicator.map_or(("", 0), |(c, t)| (c, t));
    let sql = format!(
        "SELECT h.id AS household_id, h.unit_id, h.commune_id, h.representative_name, \
         h.representative_phone AS phone \
         FROM households h JOIN unit_closure c ON c.descendant_id = h.unit_id \
         LEFT JOIN household_indicators i ON i.household_id = h.id AND i.indicator = $4 \
         WHERE c.ancestor_id = $1 AND {} AND NOT h.erased \
         AND h.representative_phone IS NOT NULL AND h.representative_phone <> '' \
         AND h.consent_on IS NOT NULL \
         AND ($3 IS NULL OR h.id IN (SELECT m.household_id FROM comm_group_members m WHERE m.group_id = $3)) \
         AND ($4 = '' OR COALESCE(i.value, 0) < (CASE WHEN $5 < 0 THEN h.adults ELSE $5 END)) \
         ORDER BY h.unit_id, h.code LIMIT $6",
        covers!("c", "$2")
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(root).bind(date)
        .bind(group).bind(code).bind(target).bind(limit).fetch_all(e).await)?,
    )
}

/// Writes a message unless one with its idempotency key exists; true when written. Publishing
/// an announcement twice therefore cannot double a message.
pub async fn insert_message_once(tx: &mut Tx, row: &MessageRow) -> StoreResult<bool> {
    let sql = concat!(
        "INSERT INTO comm_messages (",
        message_cols!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $21, $22, $23, $24, $25) ON CONFLICT (idempotency_key) DO NOTHING"
    );
    let n = on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.unit_id).bind(&row.source)
        .bind(row.source_id).bind(&row.channel).bind(&row.recipient_kind).bind(row.recipient_id)
        .bind(&row.recipient_label).bind(&row.address).bind(&row.subject).bind(&row.body)
        .bind(&row.html).bind(&row.template_id).bind(&row.template_data)
        .bind(&row.idempotency_key).bind(&row.status).bind(&row.provider_ref).bind(&row.reason)
        .bind(row.attempts).bind(row.next_attempt_at).bind(&row.claimed_by)
        .bind(row.claimed_until).bind(row.sent_at).bind(row.delivered_at).bind(row.created_at)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// One page of a source's messages, by channel and recipient.
pub async fn messages_page(
    ex: impl Into<Exec<'_>>,
    source: &str,
    source_id: Uuid,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<MessageRow>> {
    let sql = concat!(
        "SELECT ",
        message_cols!(),
        " FROM comm_messages WHERE source = $1 AND source_id = $2 \
         ORDER BY channel, recipient_label, id LIMIT $3 OFFSET $4"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(source).bind(source_id).bind(limit)
        .bind(offset).fetch_all(e).await)?,
    )
}

/// Marks an announcement posted in a group by hand; false when it already was.
pub async fn mark_group_post(
    tx: &mut Tx,
    announcement: Uuid,
    group: Uuid,
    at: OffsetDateTime,
    label: &str,
) -> StoreResult<bool> {
    let sql = "INSERT INTO announcement_group_posts (announcement_id, group_id, posted_at, \
               posted_label) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(announcement).bind(group).bind(at).bind(label)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// The groups an announcement was posted in: (group, when, by whom).
pub async fn group_posts_of(
    ex: impl Into<Exec<'_>>,
    announcement: Uuid,
) -> StoreResult<Vec<(Uuid, OffsetDateTime, String)>> {
    let sql = "SELECT group_id, posted_at, posted_label FROM announcement_group_posts \
               WHERE announcement_id = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(announcement).fetch_all(e).await)?)
}

/// Records the public address links in an announcement's messages start with.
pub async fn set_public_url(tx: &mut Tx, announcement: Uuid, url: &str) -> StoreResult<()> {
    let sql = "UPDATE announcements SET public_url = $2 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(announcement).bind(url).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The public address links in an announcement's messages start with (empty: unknown).
pub async fn public_url_of(ex: impl Into<Exec<'_>>, announcement: Uuid) -> StoreResult<String> {
    let sql = "SELECT public_url FROM announcements WHERE id = $1";
    let row: Option<(String,)> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(announcement).fetch_optional(e).await)?;
    Ok(row.map(|(u,)| u).unwrap_or_default())
}
