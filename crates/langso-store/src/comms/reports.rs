//! Providers' delivery reports: the secrets that authenticate them (eSMS's callback token in
//! the path, Zalo's OA secret key for its signature), the message a report names, and the
//! report recorded on it: DELIVERED or FAILED, only from SENT, so a repeated report changes
//! nothing and a late one never undoes a final state.

use time::OffsetDateTime;
use uuid::Uuid;

use super::channels::ChannelSettingsRow;
use super::messages::MessageRow;
use crate::{Exec, StoreResult, Tx, message_cols, on_exec, on_tx};

const COLS: &str = "s.unit_id, s.channel, s.enabled, s.endpoint, s.account, s.sender, s.options, \
    s.secret, s.access_token, s.refresh_token, s.token_expires_at, s.updated_at";

/// The unit's callback token for a channel: the stored one, else `candidate`, stored now (a
/// token never changes once set, so callback addresses given to the provider stay valid).
pub async fn hook_token(
    tx: &mut Tx,
    unit: Uuid,
    channel: &str,
    candidate: &str,
) -> StoreResult<Option<String>> {
    let sql = "UPDATE comm_channel_settings SET hook_token = COALESCE(hook_token, $3) \
               WHERE unit_id = $1 AND channel = $2";
    on_tx!(tx, c => sqlx::query(sql).bind(unit).bind(channel).bind(candidate)
        .execute(&mut *c).await.map(|_| ()))?;
    let sql = "SELECT hook_token FROM comm_channel_settings WHERE unit_id = $1 AND channel = $2";
    let token: Option<(Option<String>,)> = on_tx!(tx, c => sqlx::query_as(sql).bind(unit)
        .bind(channel).fetch_optional(&mut *c).await)?;
    Ok(token.and_then(|(t,)| t))
}

/// The settings whose callback token this is.
pub async fn settings_by_hook_token(
    ex: impl Into<Exec<'_>>,
    channel: &str,
    token: &str,
) -> StoreResult<Option<ChannelSettingsRow>> {
    let sql = format!(
        "SELECT {COLS} FROM comm_channel_settings s WHERE s.hook_token = $1 AND s.channel = $2"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token)
        .bind(channel).fetch_optional(e).await)?,
    )
}

/// Sets (or, with None, keeps) the secret a provider signs its reports with.
pub async fn set_hook_secret(
    tx: &mut Tx,
    unit: Uuid,
    channel: &str,
    secret: &str,
) -> StoreResult<()> {
    let sql =
        "UPDATE comm_channel_settings SET hook_secret = $3 WHERE unit_id = $1 AND channel = $2";
    on_tx!(tx, c => sqlx::query(sql).bind(unit).bind(channel).bind(secret)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Whether a unit's settings for a channel hold a report secret.
pub async fn has_hook_secret(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    channel: &str,
) -> StoreResult<bool> {
    let sql = "SELECT hook_secret FROM comm_channel_settings WHERE unit_id = $1 AND channel = $2";
    let found: Option<(Option<String>,)> = on_exec!(ex.into(), e => sqlx::query_as(sql)
        .bind(unit).bind(channel).fetch_optional(e).await)?;
    Ok(found.and_then(|(s,)| s).is_some_and(|s| !s.is_empty()))
}

/// The units whose settings for `channel` use this account (a Zalo app id), with their report
/// secrets: one app may serve several provinces' OAs.
pub async fn hook_secrets_of_account(
    ex: impl Into<Exec<'_>>,
    channel: &str,
    account: &str,
) -> StoreResult<Vec<(Uuid, String)>> {
    let sql = "SELECT unit_id, hook_secret FROM comm_channel_settings WHERE channel = $1 \
               AND account = $2 AND hook_secret IS NOT NULL ORDER BY unit_id LIMIT 50";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(channel).bind(account)
        .fetch_all(e).await)?,
    )
}

/// The message a report names: by the provider's id, or by our request id (eSMS echoes the
/// `RequestId` we sent, our idempotency key). Empty ids match nothing.
pub async fn message_for_report(
    ex: impl Into<Exec<'_>>,
    channel: &str,
    provider_ref: Option<&str>,
    request_id: Option<&str>,
) -> StoreResult<Option<MessageRow>> {
    let provider_ref = provider_ref.filter(|r| !r.is_empty());
    let request_id = request_id.filter(|r| !r.is_empty());
    if provider_ref.is_none() && request_id.is_none() {
        return Ok(None);
    }
    let sql = concat!(
        "SELECT ",
        message_cols!(),
        " FROM comm_messages WHERE channel = $1 AND (provider_ref = $2 OR idempotency_key = $3) \
         ORDER BY id LIMIT 1"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(channel).bind(provider_ref)
        .bind(request_id).fetch_optional(e).await)?,
    )
}

/// A provider's report on one message.
#[derive(Clone, Debug)]
pub struct Report {
    /// The message.
    pub message_id: Uuid,
    /// DELIVERED or FAILED.
    pub status: &'static str,
    /// Why it failed (the provider's text or our key), None when delivered.
    pub reason: Option<String>,
    /// The provider's status code, kept with the attempt.
    pub code: Option<String>,
    /// Who reported (`esms-report`, `zalo-report`), written as the attempt's worker.
    pub reporter: &'static str,
    /// When it arrived.
    pub at: OffsetDateTime,
}

/// Records a report on a SENT message with an attempt row saying so; false (and nothing
/// written) when the message is not SENT: not accepted yet, or already reported.
pub async fn record_report(tx: &mut Tx, report: &Report) -> StoreResult<bool> {
    let sql = "UPDATE comm_messages SET status = $2, reason = $3, \
               delivered_at = CASE WHEN $2 = 'delivered' THEN $4 ELSE delivered_at END \
               WHERE id = $1 AND status = 'sent'";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(report.message_id).bind(report.status)
        .bind(&report.reason).bind(report.at)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    if n != 1 {
        return Ok(false);
    }
    let sql = "INSERT INTO comm_message_attempts (id, message_id, at, worker, outcome, \
               provider_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, 0)";
    on_tx!(tx, c => sqlx::query(sql).bind(Uuid::now_v7()).bind(report.message_id)
        .bind(report.at).bind(report.reporter).bind(report.status).bind(&report.code)
        .bind(&report.reason).execute(&mut *c).await.map(|_| ()))?;
    Ok(true)
}
