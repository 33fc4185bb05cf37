//! The delivery worker: publishes scheduled announcements when their time comes, then claims
//! due webhook messages from the outbox and POSTs them, signed, recording every attempt.
//!
//! Several `langso serve` nodes on PostgreSQL each run a worker: a message is claimed by one
//! of them only (`FOR UPDATE SKIP LOCKED`), and held under a lease so that a node that dies
//! mid-send lets another take over after the lease. A receiver that answers anything but 2xx
//! gets the message again later, with exponential backoff; the `Idempotency-Key` header stays
//! the same across attempts, so a receiver never acts on one message twice.
//!
//! Each message is claimed on its own, just before it is sent, under a lease longer than the
//! request's timeout, and marked delivered as soon as the receiver confirms it. A worker that
//! claimed twenty at once under one lease and sent them one after another let the lease run
//! out on the last ones whenever the receiver took more than lease ÷ 20 per message, and
//! another node then sent them again.

use std::time::{Duration, Instant};

use hmac::{Hmac, KeyInit, Mac};
use langso_domain::comms::{MAX_ATTEMPTS, backoff_seconds};
use langso_store::comms::{self as store, AttemptRow, OutboxRow, millis};
use sha2::Sha256;
use time::OffsetDateTime;
use tokio::sync::watch;
use uuid::Uuid;

use crate::{AppResult, Db};

/// How a worker behaves.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Written in claims and attempts ("node-a", a host name…).
    pub worker_id: String,
    /// How long to sleep when there is nothing to do.
    pub poll: Duration,
    /// How long a claim holds before another worker may take the message over; never less
    /// than twice the timeout (see [`WorkerConfig::effective_lease`]).
    pub lease: Duration,
    /// Per-request timeout.
    pub timeout: Duration,
    /// The most messages sent in one pass, each claimed on its own.
    pub batch: i64,
    /// One unit of backoff (the schedule is 10, 20, 40… units): a second in production.
    pub backoff_unit: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            worker_id: format!("worker-{}", Uuid::now_v7().simple()),
            poll: Duration::from_secs(2),
            lease: Duration::from_secs(60),
            timeout: Duration::from_secs(10),
            batch: 20,
            backoff_unit: Duration::from_secs(1),
        }
    }
}

impl WorkerConfig {
    /// The lease a claim takes: the configured one, but at least twice the request timeout,
    /// so a message is always finished (sent, then recorded) before anyone else may take it.
    pub fn effective_lease(&self) -> Duration {
        self.lease.max(self.timeout.saturating_mul(2))
    }
}

/// A running worker task.
pub struct DeliveryWorker {
    stop: watch::Sender<bool>,
    handle: tokio::task::JoinHandle<()>,
}

impl DeliveryWorker {
    /// Starts the worker on the current runtime, with the default outbound client (system
    /// roots, no proxy) and the configured timeout.
    pub fn start(db: Db, config: WorkerConfig) -> DeliveryWorker {
        let outbound = crate::outbound::Outbound {
            timeout: config.timeout,
            ..crate::outbound::Outbound::default()
        };
        match outbound.client() {
            Ok(client) => DeliveryWorker::start_with(db, config, client),
            Err(error) => {
                tracing::error!(%error, "delivery worker: no HTTP client");
                let (stop, _) = watch::channel(false);
                DeliveryWorker {
                    stop,
                    handle: tokio::spawn(async {}),
                }
            }
        }
    }

    /// Starts the worker with the shared outbound client (see [`crate::outbound`]).
    pub fn start_with(db: Db, config: WorkerConfig, client: reqwest::Client) -> DeliveryWorker {
        let (stop, mut stopped) = watch::channel(false);
        let handle = tokio::spawn(async move {
            loop {
                let busy = match run_once(&db, &client, &config).await {
                    Ok(n) => n > 0,
                    Err(error) => {
                        tracing::warn!(%error, "delivery worker: pass failed");
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
        DeliveryWorker { stop, handle }
    }

    /// Asks the worker to stop after its current message and waits for it.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.handle.await;
    }
}

/// One pass: publish what is due, then claim and send up to `batch` messages, one claim per
/// message (its lease starts when it is sent, not when the pass began). Returns how many
/// things it did (0: nothing was due).
pub async fn run_once(
    db: &Db,
    client: &reqwest::Client,
    config: &WorkerConfig,
) -> AppResult<usize> {
    let published = super::announcements::publish_due(db).await?;
    let lease = i64::try_from(config.effective_lease().as_millis()).unwrap_or(60_000);
    let mut sent = 0;
    while sent < usize::try_from(config.batch.max(1)).unwrap_or(1) {
        let now = millis(OffsetDateTime::now_utc());
        let claimed = store::claim_due(db, &config.worker_id, now, lease, 1).await?;
        let Some(row) = claimed.into_iter().next() else {
            break;
        };
        deliver(db, client, config, row).await?;
        sent += 1;
    }
    Ok(published + sent)
}

/// The HMAC-SHA256 signature of `timestamp.body` with `secret`, lower-case hex: what the
/// `X-Langso-Signature` header carries as `sha256=<hex>`. Receivers recompute it to check
/// that the message comes from us and was not replayed from long ago.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn deliver(
    db: &Db,
    client: &reqwest::Client,
    config: &WorkerConfig,
    row: OutboxRow,
) -> AppResult<()> {
    let started = Instant::now();
    let at = OffsetDateTime::now_utc();
    let hook = match row.webhook_id {
        Some(id) => store::get_webhook(db, id).await?,
        None => None,
    };
    let (status_code, error) = match hook.filter(|h| h.active) {
        None => (None, Some("webhook removed or inactive".to_owned())),
        Some(hook) => {
            let timestamp = at.unix_timestamp();
            let sent = client
                .post(&hook.url)
                .header("content-type", "application/json")
                .header("idempotency-key", &row.idempotency_key)
                .header("x-langso-timestamp", timestamp.to_string())
                .header(
                    "x-langso-signature",
                    format!(
                        "sha256={}",
                        signature(&hook.secret, timestamp, &row.payload)
                    ),
                )
                .body(row.payload.clone())
                .send()
                .await;
            match sent {
                Ok(response) if response.status().is_success() => {
                    (Some(i64::from(response.status().as_u16())), None)
                }
                Ok(response) => (
                    Some(i64::from(response.status().as_u16())),
                    Some(format!("HTTP {}", response.status().as_u16())),
                ),
                Err(e) => (None, Some(crate::outbound::describe(&e))),
            }
        }
    };
    let delivered = error.is_none();
    let attempts = row.attempts + 1;
    let unit_ms = i64::try_from(config.backoff_unit.as_millis()).unwrap_or(1000);
    let next = millis(OffsetDateTime::now_utc()) + backoff_seconds(attempts) * unit_ms;
    let attempt = AttemptRow {
        id: Uuid::now_v7(),
        outbox_id: row.id,
        at,
        worker: config.worker_id.clone(),
        status_code,
        error,
        duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
    };
    let mut tx = db.begin().await?;
    let held =
        store::finish_attempt(&mut tx, &attempt, delivered, next, attempts >= MAX_ATTEMPTS).await?;
    if !held {
        tracing::warn!(outbox = %row.id, "delivery worker: lease lost before the attempt was recorded");
    }
    tx.commit().await?;
    Ok(())
}
