//! Channels as adapters behind one interface: the worker claims one due `comm_messages` row at
//! a time under a lease, finds the channel settings of the nearest unit at or above the
//! message's, hands the message to its channel's adapter ([`zns`], [`sms`], [`email`]), and
//! records the attempt with the provider's code and reason.
//!
//! A provider's acceptance makes the message SENT (DELIVERED once the provider reports it), and
//! a message in either state is never claimed again. A refusal the provider says is final (a
//! bad phone number, no template) makes it FAILED at once; anything else (the provider down,
//! a timeout, no quota left) queues it again with the outbox's backoff, until
//! [`MAX_ATTEMPTS`]. A message whose unit has no settings for its channel fails with that
//! reason instead of waiting forever.
//!
//! Which failures can repeat a message: the provider accepted it but its answer was lost (a
//! timeout after the request left, the connection reset), or the worker died between the
//! provider's acceptance and recording it (the lease then runs out and another worker sends
//! it again). eSMS drops a repeated `RequestId` (its code 124, treated as accepted), so SMS is
//! not repeated; ZNS's `tracking_id` is only echoed back, not deduplicated, so a Zalo message
//! can arrive twice; SMTP has no such key, so an e-mail can arrive twice (its Message-ID
//! header stays the same, so mail clients may fold the two).

mod admin;
mod email;
mod refresh;
mod reports;
mod sms;
mod zns;

use std::time::{Duration, Instant};

use langso_domain::comms::{MAX_ATTEMPTS, backoff_seconds};
use langso_store::comms::{self as store, MessageAttemptRow, MessageOutcome, MessageRow, millis};
use time::OffsetDateTime;
use tokio::sync::watch;
use uuid::Uuid;

use crate::comms::aim::own_reason;
use crate::{AppResult, Db};

pub use admin::{
    CHANNELS, ChannelView, NewChannelSettings, SOURCES, channel_settings, save_channel_settings,
    save_zns_template,
};
pub use email::email_message;
use langso_domain::comms::absolute_site_links;
pub use langso_store::comms::{ChannelSettingsRow, ZnsTemplateRow};
pub use refresh::refresh_expiring_tokens;
pub use reports::{
    EsmsReport, MAX_EVENT_BODY, MAX_PARAMS, MAX_QUERY, MAX_VALUE, ReportAnswer, ReportError,
    esms_report, parse_esms_query, zalo_event, zalo_signature,
};

/// What a provider made of one attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Accepted: the provider's reference for the message and its code.
    Sent {
        /// The provider's id for the message (for its delivery reports).
        provider_ref: Option<String>,
        /// The provider's code.
        code: Option<String>,
    },
    /// Not now: try again later.
    Retry {
        /// The provider's code.
        code: Option<String>,
        /// The provider's reason, or ours.
        reason: String,
    },
    /// Refused for good.
    Failed {
        /// The provider's code.
        code: Option<String>,
        /// The provider's reason, or ours.
        reason: String,
    },
}

impl Outcome {
    pub(crate) fn retry(reason: impl Into<String>) -> Outcome {
        Outcome::Retry {
            code: None,
            reason: reason.into(),
        }
    }

    pub(crate) fn failed(reason: impl Into<String>) -> Outcome {
        Outcome::Failed {
            code: None,
            reason: reason.into(),
        }
    }
}

/// Secrets from the configuration (flags, environment, `*_file`), used when a unit's settings
/// hold none: an installation with one account for every commune keeps it out of the database.
#[derive(Clone, Default)]
pub struct ChannelSecrets {
    /// The Zalo app's secret key.
    pub zns_secret_key: Option<String>,
    /// The SMS gateway's secret key.
    pub sms_secret_key: Option<String>,
    /// The SMTP password.
    pub smtp_password: Option<String>,
}

impl std::fmt::Debug for ChannelSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChannelSecrets(…)")
    }
}

/// How the channel worker behaves.
#[derive(Clone, Debug)]
pub struct ChannelConfig {
    /// Written in claims and attempts.
    pub worker_id: String,
    /// How long to sleep when there is nothing to do.
    pub poll: Duration,
    /// How often the worker renews Zalo OA tokens expiring within ten minutes.
    pub token_check: Duration,
    /// How long a claim holds; at least twice the outbound timeout plus the SMTP timeout.
    pub lease: Duration,
    /// The most messages sent in one pass, each claimed on its own.
    pub batch: usize,
    /// One unit of backoff (the schedule is 10, 20, 40… units): a second in production.
    pub backoff_unit: Duration,
    /// The SMTP conversation's timeout.
    pub smtp_timeout: Duration,
    /// Secrets from the configuration.
    pub secrets: ChannelSecrets,
    /// The address providers reach this installation at (`LANGSO_PUBLIC_URL`), for their
    /// delivery reports; empty: no reports asked for, messages stop at SENT.
    pub public_url: String,
}

impl Default for ChannelConfig {
    fn default() -> Self {
        ChannelConfig {
            worker_id: format!("channels-{}", Uuid::now_v7().simple()),
            poll: Duration::from_secs(2),
            token_check: Duration::from_secs(60),
            lease: Duration::from_secs(120),
            batch: 20,
            backoff_unit: Duration::from_secs(1),
            smtp_timeout: Duration::from_secs(30),
            secrets: ChannelSecrets::default(),
            public_url: String::new(),
        }
    }
}

/// What an adapter works with.
pub(crate) struct Context<'a> {
    pub(crate) db: &'a Db,
    pub(crate) http: &'a reqwest::Client,
    pub(crate) config: &'a ChannelConfig,
}

/// One interface for every channel: hand one message to the provider, say what it made of it.
pub(crate) trait Adapter {
    /// Sends `message` with the unit's `settings`.
    fn send(
        &self,
        cx: &Context<'_>,
        settings: &ChannelSettingsRow,
        message: &MessageRow,
    ) -> impl Future<Output = Outcome> + Send;
}

/// A running channel worker.
pub struct ChannelWorker {
    stop: watch::Sender<bool>,
    handle: tokio::task::JoinHandle<()>,
}

impl ChannelWorker {
    /// Starts the worker on the current runtime with the shared outbound client.
    pub fn start(db: Db, config: ChannelConfig, http: reqwest::Client) -> ChannelWorker {
        let (stop, mut stopped) = watch::channel(false);
        let handle = tokio::spawn(async move {
            let mut checked: Option<Instant> = None;
            loop {
                if checked.is_none_or(|at| at.elapsed() >= config.token_check) {
                    checked = Some(Instant::now());
                    if let Err(error) = refresh_expiring_tokens(&db, &http, &config).await {
                        tracing::warn!(%error, "channel worker: token check failed");
                    }
                }
                let busy = match run_channels_once(&db, &http, &config).await {
                    Ok(n) => n > 0,
                    Err(error) => {
                        tracing::warn!(%error, "channel worker: pass failed");
                        false
                    }
                };
                if *stopped.borrow() {
                    break;
                }
                if !busy {
                    tokio::select! {
                        _ = tokio::time::sleep(config.poll) => {}
                        _ = stopped.changed() => break,
                    }
                }
            }
        });
        ChannelWorker { stop, handle }
    }

    /// Asks the worker to stop after its current message and waits for it.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.handle.await;
    }
}

/// One pass: claims and sends up to `batch` due messages, one claim per message. Returns how
/// many it handled (0: nothing was due).
pub async fn run_channels_once(
    db: &Db,
    http: &reqwest::Client,
    config: &ChannelConfig,
) -> AppResult<usize> {
    let lease = i64::try_from(config.lease.as_millis()).unwrap_or(120_000);
    let cx = Context { db, http, config };
    let mut done = 0;
    while done < config.batch.max(1) {
        let now = millis(OffsetDateTime::now_utc());
        let Some(row) = store::claim_due_message(db, &config.worker_id, now, lease).await? else {
            break;
        };
        deliver(&cx, row).await?;
        done += 1;
    }
    Ok(done)
}

async fn deliver(cx: &Context<'_>, mut row: MessageRow) -> AppResult<()> {
    let started = Instant::now();
    if matches!(row.source.as_str(), "notification" | "digest") {
        // Officers' notices carry links to this site as paths; the address is the server's.
        let body = absolute_site_links(&row.body, &cx.config.public_url);
        if body != row.body {
            row.html = row
                .html
                .as_ref()
                .map(|_| crate::comms::notify::html_of(&row.subject, &body));
            row.body = body;
        }
    }
    let at = OffsetDateTime::now_utc();
    let settings =
        store::channel_settings_for(cx.db, row.unit_id, &row.channel, crate::today()).await?;
    let outcome = match settings {
        None => Outcome::failed(own_reason("no-channel", &[("channel", &row.channel)])),
        Some(s) if !s.enabled => {
            Outcome::failed(own_reason("channel-off", &[("channel", &s.channel)]))
        }
        Some(s) => match row.channel.as_str() {
            "zns" => zns::Zns.send(cx, &s, &row).await,
            "sms" => sms::Sms.send(cx, &s, &row).await,
            "email" => email::Email.send(cx, &s, &row).await,
            other => Outcome::failed(own_reason("channel-unknown", &[("channel", &other)])),
        },
    };
    let attempts = row.attempts + 1;
    let unit_ms = i64::try_from(cx.config.backoff_unit.as_millis()).unwrap_or(1000);
    let (label, status, provider_ref, code, reason) = match outcome {
        Outcome::Sent { provider_ref, code } => ("sent", store::SENT, provider_ref, code, None),
        Outcome::Retry { code, reason } if attempts < MAX_ATTEMPTS => {
            ("retry", store::QUEUED, None, code, Some(reason))
        }
        Outcome::Retry { code, reason } | Outcome::Failed { code, reason } => {
            ("failed", store::FAILED, None, code, Some(reason))
        }
    };
    let attempt = MessageAttemptRow {
        id: Uuid::now_v7(),
        message_id: row.id,
        at,
        worker: cx.config.worker_id.clone(),
        outcome: label.to_owned(),
        provider_code: code,
        error: reason,
        duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
    };
    let outcome = MessageOutcome {
        status,
        provider_ref,
        next_ms: millis(OffsetDateTime::now_utc()) + backoff_seconds(attempts) * unit_ms,
    };
    let mut tx = cx.db.begin().await?;
    if !store::finish_message(&mut tx, &attempt, &outcome).await? {
        tracing::warn!(message = %row.id, "channel worker: lease lost before the attempt was recorded");
    }
    tx.commit().await?;
    Ok(())
}

/// A JSON object's string values by name (numbers and booleans as their text), for mapping a
/// message's named parameters; at most 64 keys of 2,000 characters (ZNS caps parameters far
/// lower, so more is a bug upstream).
pub(crate) fn named_params(json: Option<&str>) -> Result<Vec<(String, String)>, String> {
    let Some(json) = json.filter(|j| !j.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    if json.len() > 64 * 2_100 {
        return Err(own_reason("template-params-invalid", &[]));
    }
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|_| own_reason("template-params-invalid", &[]))?;
    let serde_json::Value::Object(map) = value else {
        return Err(own_reason("template-params-invalid", &[]));
    };
    if map.len() > 64 {
        return Err(own_reason("template-params-invalid", &[]));
    }
    let mut out = Vec::new();
    for (key, value) in map {
        let text = match value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        };
        if text.chars().count() > 2_000 {
            return Err(own_reason("template-params-invalid", &[]));
        }
        out.push((key, text));
    }
    Ok(out)
}

/// A failed call as a reason of ours: timed out, no connection, the certificate refused, or
/// another failure, with the technical cause (the library's words) as its detail.
pub(crate) fn call_failed(error: &reqwest::Error) -> String {
    let detail = crate::outbound::describe(error);
    let key = if error.is_timeout() {
        "call-timed-out"
    } else if detail.contains("certificate") || detail.contains("UnknownIssuer") {
        "call-certificate"
    } else if error.is_connect() {
        "call-no-connection"
    } else {
        "call-failed"
    };
    own_reason(key, &[("detail", &detail)])
}

/// A setting's option from its JSON `options` (missing or unreadable: None).
pub(crate) fn option(settings: &ChannelSettingsRow, key: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(&settings.options).ok()?;
    match value.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}
