//! Channel settings per province or commune (provider address, account, sender, options, a
//! write-only secret, the ZNS token pair) and the ZNS templates per unit and purpose. A message
//! uses the settings of the nearest unit at or above its own that has them.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// How one unit reaches people on one channel.
#[derive(Clone, PartialEq, sqlx::FromRow)]
pub struct ChannelSettingsRow {
    /// The province or commune.
    pub unit_id: Uuid,
    /// `zns`, `sms` or `email`.
    pub channel: String,
    /// Off: messages of the units below fail with "channel turned off" (no walking further up).
    pub enabled: bool,
    /// The provider's base URL (ZNS, SMS) or `host:port` (SMTP).
    pub endpoint: String,
    /// The Zalo app id, the SMS gateway's API key, the SMTP user name.
    pub account: String,
    /// The SMS brandname, the e-mail From address, the OA's name.
    pub sender: String,
    /// A JSON object of channel options (`{"encoding":"gsm7"}`, `{"tls":"starttls"}`, …).
    pub options: String,
    /// The Zalo app's secret key, the SMS gateway's secret key, the SMTP password; never shown.
    pub secret: Option<String>,
    /// The OA access token (ZNS).
    pub access_token: Option<String>,
    /// The OA refresh token (ZNS; single use).
    pub refresh_token: Option<String>,
    /// When the access token expires (Unix ms).
    pub token_expires_at: Option<i64>,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

impl std::fmt::Debug for ChannelSettingsRow {
    /// Never prints the secret or the tokens (they end up in logs otherwise).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChannelSettingsRow")
            .field("unit_id", &self.unit_id)
            .field("channel", &self.channel)
            .field("enabled", &self.enabled)
            .field("endpoint", &self.endpoint)
            .field("account", &self.account)
            .field("sender", &self.sender)
            .field("options", &self.options)
            .field("secret", &self.secret.as_ref().map(|_| "…"))
            .field("token_expires_at", &self.token_expires_at)
            .finish_non_exhaustive()
    }
}

const COLS: &str = "s.unit_id, s.channel, s.enabled, s.endpoint, s.account, s.sender, s.options, \
    s.secret, s.access_token, s.refresh_token, s.token_expires_at, s.updated_at";

/// Writes a unit's settings for a channel. A `None` secret keeps the stored one (the admin
/// page never shows it, so an empty field means "unchanged"); tokens are kept as they are.
pub async fn save_channel_settings(tx: &mut Tx, row: &ChannelSettingsRow) -> StoreResult<()> {
    let sql = "INSERT INTO comm_channel_settings (unit_id, channel, enabled, endpoint, account, \
               sender, options, secret, access_token, refresh_token, token_expires_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
               ON CONFLICT (unit_id, channel) DO UPDATE SET enabled = excluded.enabled, \
               endpoint = excluded.endpoint, account = excluded.account, \
               sender = excluded.sender, options = excluded.options, \
               secret = COALESCE(excluded.secret, comm_channel_settings.secret), \
               access_token = COALESCE(excluded.access_token, comm_channel_settings.access_token), \
               refresh_token = COALESCE(excluded.refresh_token, comm_channel_settings.refresh_token), \
               token_expires_at = COALESCE(excluded.token_expires_at, comm_channel_settings.token_expires_at), \
               updated_at = excluded.updated_at";
    on_tx!(tx, c => sqlx::query(sql).bind(row.unit_id).bind(&row.channel).bind(row.enabled)
        .bind(&row.endpoint).bind(&row.account).bind(&row.sender).bind(&row.options)
        .bind(&row.secret).bind(&row.access_token).bind(&row.refresh_token)
        .bind(row.token_expires_at).bind(row.updated_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The settings that apply to `unit` on `channel`: those of the nearest unit at or above it
/// (on `date`'s tree) that has settings for the channel.
pub async fn channel_settings_for(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    channel: &str,
    date: Date,
) -> StoreResult<Option<ChannelSettingsRow>> {
    let sql = format!(
        "SELECT {COLS} FROM comm_channel_settings s JOIN unit_closure c \
         ON c.ancestor_id = s.unit_id WHERE c.descendant_id = $1 AND s.channel = $2 AND {} \
         ORDER BY c.depth LIMIT 1",
        covers!("c", "$3")
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(unit)
        .bind(channel).bind(date).fetch_optional(e).await)?,
    )
}

/// The settings stored on `unit` itself for every channel.
pub async fn channel_settings_of(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
) -> StoreResult<Vec<ChannelSettingsRow>> {
    let sql = format!(
        "SELECT {COLS} FROM comm_channel_settings s WHERE s.unit_id = $1 ORDER BY s.channel"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(unit)
        .fetch_all(e).await)?,
    )
}

/// One unit's settings for a channel, locked for the rest of `tx` (PostgreSQL `FOR UPDATE`;
/// a SQLite write transaction already excludes every other writer): what a node holds while
/// it spends the single-use refresh token, so no other node spends it too.
pub async fn lock_channel_settings(
    tx: &mut Tx,
    unit: Uuid,
    channel: &str,
) -> StoreResult<Option<ChannelSettingsRow>> {
    let base = format!(
        "SELECT {COLS} FROM comm_channel_settings s WHERE s.unit_id = $1 AND s.channel = $2"
    );
    Ok(match tx {
        Tx::Postgres(c) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{base} FOR UPDATE")))
                .bind(unit)
                .bind(channel)
                .fetch_optional(&mut **c)
                .await?
        }
        Tx::Sqlite(c) => {
            sqlx::query_as(sqlx::AssertSqlSafe(base))
                .bind(unit)
                .bind(channel)
                .fetch_optional(c.conn().await?)
                .await?
        }
    })
}

/// Stores a new OA token pair (in the transaction that holds the row's lock).
pub async fn store_tokens(
    tx: &mut Tx,
    unit: Uuid,
    channel: &str,
    access: &str,
    refresh: &str,
    expires_ms: i64,
) -> StoreResult<()> {
    let sql = "UPDATE comm_channel_settings SET access_token = $3, refresh_token = $4, \
               token_expires_at = $5 WHERE unit_id = $1 AND channel = $2";
    on_tx!(tx, c => sqlx::query(sql).bind(unit).bind(channel).bind(access).bind(refresh)
        .bind(expires_ms).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The ZNS template a unit sends for one purpose.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ZnsTemplateRow {
    /// The province or commune.
    pub unit_id: Uuid,
    /// The messages' source (`announcement`, `notification`, …).
    pub source: String,
    /// Zalo's template id.
    pub template_id: String,
    /// A JSON object: template parameter -> message parameter.
    pub params: String,
}

/// Writes (or replaces) a unit's template for a purpose.
pub async fn save_zns_template(tx: &mut Tx, row: &ZnsTemplateRow) -> StoreResult<()> {
    let sql = "INSERT INTO comm_zns_templates (unit_id, source, template_id, params) \
               VALUES ($1, $2, $3, $4) ON CONFLICT (unit_id, source) DO UPDATE SET \
               template_id = excluded.template_id, params = excluded.params";
    on_tx!(tx, c => sqlx::query(sql).bind(row.unit_id).bind(&row.source).bind(&row.template_id)
        .bind(&row.params).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The template for `source` of the nearest unit at or above `unit` that has one.
pub async fn zns_template_for(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    source: &str,
    date: Date,
) -> StoreResult<Option<ZnsTemplateRow>> {
    let sql = format!(
        "SELECT t.unit_id, t.source, t.template_id, t.params FROM comm_zns_templates t \
         JOIN unit_closure c ON c.ancestor_id = t.unit_id WHERE c.descendant_id = $1 \
         AND t.source = $2 AND {} ORDER BY c.depth LIMIT 1",
        covers!("c", "$3")
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(unit)
        .bind(source).bind(date).fetch_optional(e).await)?,
    )
}

/// The templates stored on `unit` itself.
pub async fn zns_templates_of(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
) -> StoreResult<Vec<ZnsTemplateRow>> {
    let sql = "SELECT unit_id, source, template_id, params FROM comm_zns_templates \
               WHERE unit_id = $1 ORDER BY source";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit).fetch_all(e).await)?)
}

/// The enabled ZNS settings holding a refresh token whose access token expires before
/// `before_ms` (or has no known expiry): what the background refresh renews ahead of time.
pub async fn zns_tokens_expiring(
    ex: impl Into<Exec<'_>>,
    before_ms: i64,
) -> StoreResult<Vec<ChannelSettingsRow>> {
    let sql = format!(
        "SELECT {COLS} FROM comm_channel_settings s WHERE s.channel = 'zns' AND s.enabled \
         AND s.refresh_token IS NOT NULL AND s.refresh_token <> '' \
         AND (s.token_expires_at IS NULL OR s.token_expires_at < $1) ORDER BY s.unit_id LIMIT 100"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(before_ms)
        .fetch_all(e).await)?,
    )
}
