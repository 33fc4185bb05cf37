//! Channel settings and ZNS templates as data, edited by whoever manages accounts on a
//! province or commune. Secrets (the Zalo app's secret key, the SMS gateway's key, the SMTP
//! password, the OA's refresh token) are write-only: the views say whether one is stored,
//! never what it is, and an empty field on the form keeps the stored one.

use langso_domain::auth::Permission;
use langso_store::comms::{self as store, ChannelSettingsRow, ZnsTemplateRow};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db};

/// The channels a unit can set up.
pub const CHANNELS: [&str; 3] = ["zns", "sms", "email"];
/// The message sources a ZNS template can serve (the contract's `source` values).
pub const SOURCES: [&str; 4] = ["announcement", "notification", "digest", "alert"];

/// A unit's settings for one channel, as pages show them: no secret, no token.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChannelView {
    /// `zns`, `sms` or `email`.
    pub channel: String,
    /// Stored on this unit (else the form is blank and messages use a unit above).
    pub stored: bool,
    /// On.
    pub enabled: bool,
    /// Provider address or SMTP `host:port`.
    pub endpoint: String,
    /// App id, API key, SMTP user.
    pub account: String,
    /// Brandname, From address, OA name.
    pub sender: String,
    /// JSON options.
    pub options: String,
    /// A secret is stored.
    pub has_secret: bool,
    /// An OA token pair is stored (ZNS).
    pub has_tokens: bool,
    /// The OA secret key that signs Zalo's webhook events is stored (ZNS).
    pub has_hook_secret: bool,
}

fn view(channel: &str, row: Option<&ChannelSettingsRow>) -> ChannelView {
    match row {
        None => ChannelView {
            channel: channel.to_owned(),
            options: "{}".to_owned(),
            ..ChannelView::default()
        },
        Some(r) => ChannelView {
            channel: r.channel.clone(),
            stored: true,
            enabled: r.enabled,
            endpoint: r.endpoint.clone(),
            account: r.account.clone(),
            sender: r.sender.clone(),
            options: r.options.clone(),
            has_secret: r.secret.as_deref().is_some_and(|s| !s.is_empty()),
            has_tokens: r.refresh_token.as_deref().is_some_and(|s| !s.is_empty()),
            // Not in the row (kept apart from the sending settings): filled in by the caller.
            has_hook_secret: false,
        },
    }
}

/// The unit's own settings for every channel, and its own ZNS templates.
pub async fn channel_settings(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
) -> AppResult<(Vec<ChannelView>, Vec<ZnsTemplateRow>)> {
    policy::require(db, actor, Permission::ManageAccounts, unit).await?;
    let rows = store::channel_settings_of(db, unit).await?;
    let mut views: Vec<ChannelView> = CHANNELS
        .iter()
        .map(|c| view(c, rows.iter().find(|r| r.channel == *c)))
        .collect();
    for v in views.iter_mut().filter(|v| v.stored && v.channel == "zns") {
        v.has_hook_secret = store::has_hook_secret(db, unit, "zns").await?;
    }
    Ok((views, store::zns_templates_of(db, unit).await?))
}

/// The settings form as typed. Empty `secret` and `refresh_token` keep the stored ones.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct NewChannelSettings {
    /// The province or commune.
    pub unit_id: Option<Uuid>,
    /// `zns`, `sms` or `email`.
    pub channel: String,
    /// On.
    pub enabled: bool,
    /// Provider address (`https://…`) or SMTP `host:port`.
    pub endpoint: String,
    /// App id, API key, SMTP user.
    pub account: String,
    /// Brandname, From address, OA name.
    pub sender: String,
    /// A JSON object of options (`{"encoding":"gsm7"}`, `{"tls":"starttls"}`).
    pub options: String,
    /// The secret, write-only.
    pub secret: String,
    /// The OA refresh token to start from (ZNS), write-only.
    pub refresh_token: String,
    /// The OA secret key Zalo signs its webhook events with (ZNS), write-only.
    #[serde(default)]
    pub oa_secret_key: String,
}

/// Checks a JSON options object: at most 2,000 characters and 20 keys.
fn options_ok(text: &str) -> bool {
    text.len() <= 2_000
        && matches!(serde_json::from_str::<serde_json::Value>(text),
            Ok(serde_json::Value::Object(map)) if map.len() <= 20)
}

/// Saves a unit's settings for a channel (recorded in the audit log, secrets left out).
pub async fn save_channel_settings(
    db: &Db,
    actor: &Actor,
    input: &NewChannelSettings,
) -> AppResult<ChannelView> {
    let unit_id = input.unit_id.ok_or_else(|| {
        AppError::Invalid(vec![CellError::keyed(0, "unit_id", "comms-required", &[])])
    })?;
    policy::require(db, actor, Permission::ManageAccounts, unit_id).await?;
    let mut errors = Vec::new();
    let channel = input.channel.trim();
    if !CHANNELS.contains(&channel) {
        errors.push(CellError::keyed(0, "channel", "channels-unknown", &[]));
    }
    let endpoint = input.endpoint.trim().to_owned();
    let endpoint_ok = match channel {
        "email" => endpoint
            .rsplit_once(':')
            .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok()),
        _ => endpoint.starts_with("https://") || endpoint.starts_with("http://"),
    };
    if !endpoint_ok || endpoint.len() > 300 {
        errors.push(CellError::keyed(
            0,
            "endpoint",
            "channels-endpoint-invalid",
            &[],
        ));
    }
    let options = match input.options.trim() {
        "" => "{}".to_owned(),
        o => o.to_owned(),
    };
    if !options_ok(&options) {
        errors.push(CellError::keyed(
            0,
            "options",
            "channels-options-invalid",
            &[],
        ));
    }
    for (field, value) in [
        ("account", &input.account),
        ("sender", &input.sender),
        ("secret", &input.secret),
        ("refresh_token", &input.refresh_token),
        ("oa_secret_key", &input.oa_secret_key),
    ] {
        if value.chars().count() > 500 {
            errors.push(CellError::keyed(0, field, "channels-too-long", &[]));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let secret = Some(input.secret.trim().to_owned()).filter(|s| !s.is_empty());
    let refresh = Some(input.refresh_token.trim().to_owned()).filter(|s| !s.is_empty());
    let row = ChannelSettingsRow {
        unit_id,
        channel: channel.to_owned(),
        enabled: input.enabled,
        endpoint,
        account: input.account.trim().to_owned(),
        sender: input.sender.trim().to_owned(),
        options,
        secret,
        // A new refresh token starts a new pair: the access token is fetched on first use.
        access_token: refresh.as_ref().map(|_| String::new()),
        token_expires_at: refresh.as_ref().map(|_| 0),
        refresh_token: refresh,
        updated_at: OffsetDateTime::now_utc(),
    };
    let mut tx = db.begin().await?;
    store::save_channel_settings(&mut tx, &row).await?;
    let hook_secret = input.oa_secret_key.trim();
    if channel == "zns" && !hook_secret.is_empty() {
        store::set_hook_secret(&mut tx, unit_id, channel, hook_secret).await?;
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "channel.settings",
            target_type: "channel",
            target_id: format!("{unit_id}:{channel}"),
            unit_id: Some(unit_id),
            summary: format!(
                "{channel} {} {}{}",
                row.endpoint,
                if row.enabled { "on" } else { "off" },
                if row.secret.is_some() {
                    ", new secret"
                } else {
                    ""
                }
            ) + if channel == "zns" && !hook_secret.is_empty() {
                ", new OA secret key"
            } else {
                ""
            },
        },
    )
    .await?;
    tx.commit().await?;
    let mut saved = view(channel, Some(&row));
    saved.has_hook_secret = store::has_hook_secret(db, unit_id, channel).await?;
    Ok(saved)
}

/// Saves a unit's ZNS template for a purpose: Zalo's template id and a JSON object mapping
/// each template parameter to a message parameter (`title`, `body`, `link`, `unit`, `date`,
/// `status`, `code`).
pub async fn save_zns_template(
    db: &Db,
    actor: &Actor,
    unit_id: Uuid,
    source: &str,
    template_id: &str,
    params: &str,
) -> AppResult<()> {
    policy::require(db, actor, Permission::ManageAccounts, unit_id).await?;
    let mut errors = Vec::new();
    if !SOURCES.contains(&source) {
        errors.push(CellError::keyed(0, "source", "channels-unknown", &[]));
    }
    let template_id = template_id.trim();
    if template_id.is_empty()
        || template_id.len() > 40
        || !template_id.chars().all(|c| c.is_ascii_alphanumeric())
    {
        errors.push(CellError::keyed(
            0,
            "template_id",
            "channels-template-invalid",
            &[],
        ));
    }
    const KEYS: [&str; 7] = ["title", "body", "link", "unit", "date", "status", "code"];
    let params_ok = options_ok(params)
        && serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(params).is_ok_and(
            |m| {
                m.values()
                    .all(|v| v.as_str().is_some_and(|k| KEYS.contains(&k)))
            },
        );
    if !params_ok {
        errors.push(CellError::keyed(
            0,
            "params",
            "channels-params-invalid",
            &[],
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    store::save_zns_template(
        &mut tx,
        &ZnsTemplateRow {
            unit_id,
            source: source.to_owned(),
            template_id: template_id.to_owned(),
            params: params.to_owned(),
        },
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "channel.template",
            target_type: "channel",
            target_id: format!("{unit_id}:zns:{source}"),
            unit_id: Some(unit_id),
            summary: format!("{source} → {template_id}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
