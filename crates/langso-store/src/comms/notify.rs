//! Notifications to officers and team members: whom a unit's news reaches (with where and how
//! each wants it), their digest items, the daily job's once-a-day claim, and what stops
//! queued messages to a household whose consent was withdrawn.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// A person who may be told, with their contacts and preferences (NULL: the defaults).
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct RecipientRow {
    /// The user.
    pub id: Uuid,
    /// Their name.
    pub display_name: String,
    /// E-mail address, lower-cased.
    pub email: Option<String>,
    /// Phone in `84…` form.
    pub phone: Option<String>,
    /// Comma list of channels.
    pub channels: Option<String>,
    /// Quiet hours start (minutes, Vietnam time).
    pub quiet_start: Option<i64>,
    /// Quiet hours end.
    pub quiet_end: Option<i64>,
    /// Mode for new fault reports.
    pub fault_mode: Option<String>,
    /// Mode for raised alarms.
    pub alarm_mode: Option<String>,
    /// Mode for follow-ups due.
    pub follow_up_mode: Option<String>,
}

/// Enabled accounts holding one of `roles` (up to three) on `unit` or above it on `date`.
pub async fn recipients_for(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    date: Date,
    roles: [&str; 3],
) -> StoreResult<Vec<RecipientRow>> {
    let sql = "SELECT u.id, u.display_name, u.email, u.phone, p.channels, p.quiet_start, \
               p.quiet_end, p.fault_mode, p.alarm_mode, p.follow_up_mode FROM users u \
               LEFT JOIN comm_preferences p ON p.user_id = u.id \
               WHERE u.disabled = $6 AND EXISTS (SELECT 1 FROM role_grants g \
               JOIN unit_closure c ON c.ancestor_id = g.unit_id AND c.descendant_id = $1 \
               AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to >= $2) \
               WHERE g.user_id = u.id AND g.role IN ($3, $4, $5)) ORDER BY u.id";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit).bind(date).bind(roles[0])
        .bind(roles[1]).bind(roles[2]).bind(false).fetch_all(e).await)?,
    )
}

/// One person as a recipient (disabled accounts: none).
pub async fn recipient(ex: impl Into<Exec<'_>>, user: Uuid) -> StoreResult<Option<RecipientRow>> {
    let sql = "SELECT u.id, u.display_name, u.email, u.phone, p.channels, p.quiet_start, \
               p.quiet_end, p.fault_mode, p.alarm_mode, p.follow_up_mode FROM users u \
               LEFT JOIN comm_preferences p ON p.user_id = u.id WHERE u.id = $1 AND u.disabled = $2";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(user).bind(false)
        .fetch_optional(e).await)?,
    )
}

/// Sets a person's contacts (already checked and in final form).
pub async fn set_contacts(
    tx: &mut Tx,
    user: Uuid,
    email: Option<&str>,
    phone: Option<&str>,
) -> StoreResult<()> {
    let sql = "UPDATE users SET email = $2, phone = $3 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(user).bind(email).bind(phone)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A person's stored preferences, as written.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct PreferenceRow {
    /// The user.
    pub user_id: Uuid,
    /// Comma list of channels.
    pub channels: String,
    /// Quiet hours start.
    pub quiet_start: i64,
    /// Quiet hours end.
    pub quiet_end: i64,
    /// Mode for new fault reports.
    pub fault_mode: String,
    /// Mode for raised alarms.
    pub alarm_mode: String,
    /// Mode for follow-ups due.
    pub follow_up_mode: String,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

/// Writes (or replaces) a person's preferences.
pub async fn upsert_preferences(tx: &mut Tx, row: &PreferenceRow) -> StoreResult<()> {
    let sql = "INSERT INTO comm_preferences (user_id, channels, quiet_start, quiet_end, \
               fault_mode, alarm_mode, follow_up_mode, updated_at) VALUES ($1, $2, $3, $4, $5, \
               $6, $7, $8) ON CONFLICT (user_id) DO UPDATE SET channels = excluded.channels, \
               quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, \
               fault_mode = excluded.fault_mode, alarm_mode = excluded.alarm_mode, \
               follow_up_mode = excluded.follow_up_mode, updated_at = excluded.updated_at";
    on_tx!(tx, c => sqlx::query(sql).bind(row.user_id).bind(&row.channels)
        .bind(row.quiet_start).bind(row.quiet_end).bind(&row.fault_mode).bind(&row.alarm_mode)
        .bind(&row.follow_up_mode).bind(row.updated_at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// One item waiting for a person's digest.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct DigestItemRow {
    /// Id.
    pub id: Uuid,
    /// Whose digest.
    pub user_id: Uuid,
    /// The unit it is about.
    pub unit_id: Uuid,
    /// `fault`, `alarm` or `follow_up`.
    pub kind: String,
    /// The work order, alarm…
    pub source_id: Option<Uuid>,
    /// One line.
    pub title: String,
    /// The text.
    pub body: String,
    /// Written.
    pub created_at: OffsetDateTime,
    /// The digest that gathered it.
    pub digest_id: Option<Uuid>,
}

/// Puts an item in a person's next digest.
pub async fn insert_digest_item(tx: &mut Tx, row: &DigestItemRow) -> StoreResult<()> {
    let sql = "INSERT INTO comm_digest_items (id, user_id, unit_id, kind, source_id, title, body, \
               created_at, digest_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.user_id).bind(row.unit_id)
        .bind(&row.kind).bind(row.source_id).bind(&row.title).bind(&row.body)
        .bind(row.created_at).bind(row.digest_id).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Items no digest has gathered yet, by person then age.
pub async fn pending_digest_items(ex: impl Into<Exec<'_>>) -> StoreResult<Vec<DigestItemRow>> {
    let sql = "SELECT id, user_id, unit_id, kind, source_id, title, body, created_at, digest_id \
               FROM comm_digest_items WHERE digest_id IS NULL ORDER BY user_id, created_at, id";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_all(e).await)?)
}

/// Marks a person's pending items as gathered by `digest`; returns how many.
pub async fn gather_digest_items(tx: &mut Tx, user: Uuid, digest: Uuid) -> StoreResult<u64> {
    let sql =
        "UPDATE comm_digest_items SET digest_id = $2 WHERE user_id = $1 AND digest_id IS NULL";
    Ok(on_tx!(tx, c => sqlx::query(sql).bind(user).bind(digest)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?)
}

/// Claims today's run of a daily job: `true` for the one transaction that inserted the row.
/// On PostgreSQL a second node's insert waits for the first transaction and then does nothing;
/// SQLite has one writer.
pub async fn claim_job_run(tx: &mut Tx, job: &str, day: Date, node: &str) -> StoreResult<bool> {
    let sql = "INSERT INTO comm_job_runs (job, day, node, started_at, items) \
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT (job, day) DO NOTHING";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(job).bind(day).bind(node)
        .bind(OffsetDateTime::now_utc()).bind(0_i64).execute(&mut *c).await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Records how many messages a claimed run wrote.
pub async fn finish_job_run(tx: &mut Tx, job: &str, day: Date, items: i64) -> StoreResult<()> {
    let sql = "UPDATE comm_job_runs SET items = $3 WHERE job = $1 AND day = $2";
    on_tx!(tx, c => sqlx::query(sql).bind(job).bind(day).bind(items)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Whether a daily job ran on `day` (and by which node).
pub async fn job_run(ex: impl Into<Exec<'_>>, job: &str, day: Date) -> StoreResult<Option<String>> {
    let sql = "SELECT node FROM comm_job_runs WHERE job = $1 AND day = $2";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(job).bind(day)
        .fetch_optional(e).await)?,
    )
}

/// Households with a follow-up due by `day`, with whom they are assigned to:
/// (user, household, household code, unit), by user then date.
pub async fn follow_ups_due(
    ex: impl Into<Exec<'_>>,
    day: Date,
) -> StoreResult<Vec<(Uuid, Uuid, String, Uuid)>> {
    let sql = "SELECT assigned_to, id, code, unit_id FROM households WHERE assigned_to IS NOT NULL \
               AND follow_up_on <= $1 AND erased = $2 ORDER BY assigned_to, follow_up_on, code";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(day).bind(false).fetch_all(e).await)?)
}

/// Stops every queued message to a household: WITHHELD, with the reason. Returns how many.
pub async fn withhold_household_messages(
    tx: &mut Tx,
    household: Uuid,
    reason: &str,
) -> StoreResult<u64> {
    let sql = "UPDATE comm_messages SET status = $3, reason = $4 WHERE recipient_kind = $1 \
               AND recipient_id = $2 AND status = $5";
    Ok(
        on_tx!(tx, c => sqlx::query(sql).bind("household").bind(household)
        .bind(super::WITHHELD).bind(reason).bind(super::QUEUED)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?,
    )
}

/// Takes a pending fault-report notification for conversion into messages: `true` once.
pub async fn take_notification(tx: &mut Tx, id: Uuid) -> StoreResult<bool> {
    let sql = "UPDATE comm_notifications SET status = $2 WHERE id = $1 AND status = $3";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(id).bind("queued").bind("pending")
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// The messages written to one person, newest first (for their page and for tests).
pub async fn messages_to_user(
    ex: impl Into<Exec<'_>>,
    user: Uuid,
    limit: i64,
) -> StoreResult<Vec<super::MessageRow>> {
    let sql = concat!(
        "SELECT ",
        crate::message_cols!(),
        " FROM comm_messages WHERE recipient_kind = 'user' AND recipient_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT $2"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(user).bind(limit).fetch_all(e).await)?)
}

/// The messages to one household, newest first.
pub async fn messages_to_household(
    ex: impl Into<Exec<'_>>,
    household: Uuid,
) -> StoreResult<Vec<super::MessageRow>> {
    let sql = concat!(
        "SELECT ",
        crate::message_cols!(),
        " FROM comm_messages WHERE recipient_kind = 'household' AND recipient_id = $1 \
         ORDER BY created_at DESC, id DESC"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(household).fetch_all(e).await)?)
}
