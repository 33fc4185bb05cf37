//! The checker: every few seconds (a setting), each condition is measured and its alert
//! raised (opened, or seen again) or resolved. Several nodes may run it at once: the partial
//! unique index of open alerts keeps one open alert per condition and subject, and only the
//! node whose insert opened it counts as the opener.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use langso_domain::ops::{
    Condition, Facts, OUTBOX_MESSAGES, OUTBOX_WEBHOOKS, expires_soon, used_percent,
};
use langso_store::comms::millis;
use langso_store::ops::{self as store, AlertRow, OutboxHealth};
use time::OffsetDateTime;

use super::{Board, Gauges, new_row, probes};
use crate::{AppResult, Db};

/// What the checker watches and when it complains.
#[derive(Clone, Debug)]
pub struct CheckConfig {
    /// Time between checks.
    pub every: Duration,
    /// Paths whose filesystems are watched (the database's folder, the backup folder).
    pub disk_paths: Vec<PathBuf>,
    /// A filesystem this full (whole percent) or more is an alert.
    pub disk_warn_percent: i64,
    /// The broker or the database unreachable this long is an alert.
    pub unreachable_after: Duration,
    /// The oldest due message waiting this long is an alert.
    pub outbox_age: Duration,
    /// This many messages given up on in a day is an alert.
    pub outbox_failed: i64,
    /// Certificate files to watch (the reverse proxy's, the broker's).
    pub certificates: Vec<PathBuf>,
    /// A certificate this close to its end (days) is an alert.
    pub certificate_days: i64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            every: Duration::from_secs(60),
            disk_paths: Vec::new(),
            disk_warn_percent: 90,
            unreachable_after: Duration::from_secs(120),
            outbox_age: Duration::from_secs(3_600),
            outbox_failed: 20,
            certificates: Vec::new(),
            certificate_days: 14,
        }
    }
}

/// The running checker.
pub struct Checker;

impl Checker {
    /// Runs [`check_once`] every `config.every` until the task is aborted.
    pub fn start(db: Db, board: Arc<Board>, config: CheckConfig) -> tokio::task::JoinHandle<()> {
        let every = config.every.max(Duration::from_secs(1));
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(error) = check_once(&db, &board, &config).await {
                    tracing::warn!(%error, "alert check failed");
                }
            }
        })
    }
}

/// A condition on a subject, and what is wrong with it (its figures and technical cause), or
/// nothing when it is fine.
type Verdict = (Condition, String, Option<(Facts, Option<String>)>);

/// One check of every condition; the board then holds the figures and the open alerts.
pub async fn check_once(db: &Db, board: &Board, config: &CheckConfig) -> AppResult<()> {
    let now = OffsetDateTime::now_utc();
    let after = i64::try_from(config.unreachable_after.as_secs()).unwrap_or(i64::MAX);
    board.unreachable_after.store(after, Ordering::Relaxed);
    let mut gauges = Gauges::default();
    let mut verdicts: Vec<Verdict> = Vec::new();

    for path in &config.disk_paths {
        let subject = path.display().to_string();
        match probes::disk_space(path) {
            Ok((free, total)) => {
                gauges.disks.push((subject.clone(), free, total));
                let used = used_percent(total, free);
                let facts = Facts::Disk {
                    used_percent: used,
                    free_bytes: i64::try_from(free).unwrap_or(i64::MAX),
                };
                let bad = used >= config.disk_warn_percent;
                verdicts.push((Condition::Disk, subject, bad.then_some((facts, None))));
            }
            Err(error) => tracing::warn!(%error, "free space not measured"),
        }
    }
    for file in &config.certificates {
        let subject = file.display().to_string();
        let verdict = match probes::certificate_not_after(file) {
            Ok(not_after) => {
                gauges
                    .certificates
                    .push((subject.clone(), Some(not_after.unix_timestamp())));
                expires_soon(not_after, now, config.certificate_days).then_some((
                    Facts::Certificate {
                        not_after: Some(not_after.unix_timestamp()),
                    },
                    None,
                ))
            }
            Err(error) => {
                gauges.certificates.push((subject.clone(), None));
                Some((Facts::Certificate { not_after: None }, Some(error)))
            }
        };
        verdicts.push((Condition::Certificate, subject, verdict));
    }
    if let Some(address) = board.broker().address() {
        let down = board
            .broker()
            .down_since_ms()
            .filter(|since| millis(now) - since >= after.saturating_mul(1000));
        verdicts.push((
            Condition::Broker,
            address,
            down.map(|_| (Facts::None, None)),
        ));
    }

    // The database: a node that cannot reach it keeps the outage in memory.
    let ping = tokio::time::timeout(Duration::from_secs(10), db.ping()).await;
    let failure = match ping {
        Ok(Ok(())) => None,
        Ok(Err(error)) => Some(error.to_string()),
        Err(_) => Some("no answer within 10 s".to_owned()),
    };
    if let Some(detail) = failure {
        tracing::error!(%detail, "database unreachable");
        board.database_failed(now, detail);
        gauges.database_up = Some(false);
        board.set_gauges(gauges);
        return Ok(());
    }
    gauges.database_up = Some(true);
    if let Some(outage) = board.outage() {
        let lasted = (outage.last - outage.since).whole_seconds() >= after;
        if lasted {
            let mut tx = db.begin().await?;
            store::insert_resolved(
                &mut tx,
                &AlertRow {
                    resolved_at: Some(now),
                    opened_at: outage.since,
                    last_seen_at: outage.last,
                    ..new_row(
                        Condition::Database,
                        board.node(),
                        Facts::None,
                        Some(outage.detail),
                        board.node(),
                        now,
                    )
                },
            )
            .await?;
            tx.commit().await?;
        }
        board.outage_recorded();
    }

    let now_ms = millis(now);
    let day_ago = now_ms - 86_400_000;
    let outboxes = [
        (
            OUTBOX_WEBHOOKS,
            store::webhook_outbox_health(db, now_ms, day_ago).await?,
        ),
        (
            OUTBOX_MESSAGES,
            store::message_outbox_health(db, now_ms, day_ago).await?,
        ),
    ];
    let max_age = i64::try_from(config.outbox_age.as_secs()).unwrap_or(i64::MAX);
    for (
        subject,
        OutboxHealth {
            oldest_due_ms,
            failed,
        },
    ) in outboxes
    {
        let age = oldest_due_ms.map_or(0, |due| ((now_ms - due) / 1000).max(0));
        gauges.outboxes.push((subject.to_owned(), age, failed));
        let stuck = (oldest_due_ms.is_some() && age >= max_age) || failed >= config.outbox_failed;
        let facts = Facts::Outbox {
            oldest_seconds: age,
            failed,
        };
        verdicts.push((
            Condition::Outbox,
            subject.to_owned(),
            stuck.then_some((facts, None)),
        ));
    }
    gauges.backup_last_success = store::last_backup(db)
        .await?
        .map(|b| b.taken_at.unix_timestamp());

    let mut tx = db.begin().await?;
    for (condition, subject, verdict) in verdicts {
        match verdict {
            Some((facts, detail)) => {
                let row = new_row(condition, &subject, facts, detail, board.node(), now);
                super::raise(&mut tx, &row).await?;
            }
            None => {
                if store::resolve(&mut tx, condition.as_str(), &subject, now).await? {
                    tracing::info!(condition = condition.as_str(), %subject, "alert resolved");
                }
            }
        }
    }
    tx.commit().await?;
    board.set_gauges(gauges);
    board.reload(db).await;
    Ok(())
}
