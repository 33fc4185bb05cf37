//! Alerts to whoever runs the installation. A commune machine has no administrator watching
//! logs, so `langso serve` checks what can go wrong on its own ([`check`]: disk, broker,
//! database, outbox, certificates; backups report themselves through [`record_backup`]) and
//! keeps one alert row per condition and subject, opened, seen again and resolved. The
//! installation's root admins (admins of a unit at the top of the tree) see the open alerts as
//! a banner on every page ([`Board::banner`]) and on a list ([`alerts_page`]); Prometheus sees
//! them as gauges ([`Board::gauges`]).
//!
//! A node that cannot reach the database cannot write its alert: it keeps the outage in memory
//! (banner and metrics of that node show it) and writes it, resolved, once the database
//! answers again.

mod board;
pub mod check;
pub mod probes;

pub use board::{Alert, Board, BrokerLink, Gauges};
pub use check::{CheckConfig, Checker, check_once};

use langso_domain::ops::{Condition, Facts};
use langso_store::ops::{self as store, AlertRow, BackupRow};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Actor, AppError, AppResult, Db, today};

/// Backups taken by the server on schedule.
pub const SCHEDULED: &str = "scheduled";
/// Backups taken with `langso backup`.
pub const MANUAL: &str = "manual";

/// Records a backup (`kind`: [`SCHEDULED`] or [`MANUAL`]) into `file`: a failure (`Err` with
/// its cause) opens the backup alert for the file's folder, a success resolves every open
/// backup alert (backups work again).
pub async fn record_backup(
    db: &Db,
    node: &str,
    kind: &str,
    file: &std::path::Path,
    outcome: Result<(), String>,
) -> AppResult<()> {
    let now = OffsetDateTime::now_utc();
    let mut tx = db.begin().await?;
    store::insert_backup(
        &mut tx,
        &BackupRow {
            id: Uuid::now_v7(),
            taken_at: now,
            kind: kind.to_owned(),
            succeeded: outcome.is_ok(),
            file: file.display().to_string(),
            detail: outcome.as_ref().err().cloned(),
        },
    )
    .await?;
    match outcome {
        Ok(()) => {
            for open in store::open_alerts(&mut tx).await? {
                if open.condition == Condition::Backup.as_str() {
                    store::resolve(&mut tx, &open.condition, &open.subject, now).await?;
                }
            }
        }
        Err(cause) => {
            let folder = file
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let row = new_row(
                Condition::Backup,
                &folder.display().to_string(),
                Facts::None,
                Some(cause),
                node,
                now,
            );
            raise(&mut tx, &row).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Raises `row` (opens its alert, or marks the open one seen) inside `tx`: the one place an
/// alert opens, so the e-mail to the root admins is written here, in the same transaction,
/// only when this call opened it (several nodes checking at once write it once).
async fn raise(tx: &mut langso_store::Tx, row: &AlertRow) -> AppResult<AlertRow> {
    let (open, opened) = store::raise(tx, row).await?;
    if opened {
        tracing::warn!(condition = %open.condition, subject = %open.subject, "alert opened");
        email_admins(tx, &open).await?;
    }
    Ok(open)
}

/// One e-mail per root admin who gave an address (`comm_messages`, source `alert`), keyed by
/// the alert and the admin so it is written once; the delivery worker sends it.
async fn email_admins(tx: &mut langso_store::Tx, alert: &AlertRow) -> AppResult<()> {
    let Some(condition) = Condition::parse(&alert.condition) else {
        return Ok(());
    };
    let (vi, en) = condition.email_title();
    let mut seen = std::collections::BTreeSet::new();
    for admin in store::root_admins(&mut *tx, crate::today()).await? {
        if !seen.insert(admin.user_id) {
            continue;
        }
        let Some(email) = langso_store::comms::recipient(&mut *tx, admin.user_id)
            .await?
            .and_then(|r| r.email)
            .filter(|e| !e.is_empty())
        else {
            continue;
        };
        let at = langso_domain::locale::minute(alert.opened_at);
        let body = format!(
            "{vi} ({at}): {subject}\nXem /admin/alerts.\n\n{en} ({at}): {subject}\nSee /admin/alerts.",
            subject = alert.subject,
        );
        let message = langso_store::comms::MessageRow {
            id: Uuid::now_v7(),
            unit_id: admin.unit_id,
            source: "alert".to_owned(),
            source_id: Some(alert.id),
            channel: "email".to_owned(),
            recipient_kind: "user".to_owned(),
            recipient_id: Some(admin.user_id),
            recipient_label: admin.display_name.clone(),
            address: email.trim().to_lowercase(),
            subject: format!("Langso: {vi} / {en}"),
            body,
            html: None,
            template_id: None,
            template_data: None,
            idempotency_key: format!("alert:{}:email:{}", alert.id, admin.user_id),
            status: langso_store::comms::QUEUED.to_owned(),
            provider_ref: None,
            reason: None,
            attempts: 0,
            next_attempt_at: langso_store::comms::millis(alert.opened_at),
            claimed_by: None,
            claimed_until: None,
            sent_at: None,
            delivered_at: None,
            created_at: alert.opened_at,
        };
        langso_store::comms::insert_message(tx, &message).await?;
    }
    Ok(())
}

/// A row to raise for `condition` on `subject`, seen `now`.
fn new_row(
    condition: Condition,
    subject: &str,
    facts: Facts,
    detail: Option<String>,
    node: &str,
    now: OffsetDateTime,
) -> AlertRow {
    let (figure, figure_extra) = facts.columns();
    AlertRow {
        id: Uuid::now_v7(),
        condition: condition.as_str().to_owned(),
        subject: subject.to_owned(),
        opened_at: now,
        last_seen_at: now,
        resolved_at: None,
        figure,
        figure_extra,
        detail,
        node: node.to_owned(),
    }
}

/// What the alerts page shows: the open and recent alerts, and the last good backup.
#[derive(Clone, Debug)]
pub struct AlertsPage {
    /// Open alerts (this node's database outage first, if any), then those of the last 30 days.
    pub alerts: Vec<Alert>,
    /// When the latest successful backup finished.
    pub last_backup: Option<OffsetDateTime>,
}

/// The alerts page, for the installation's root admins only (anyone else: not found).
pub async fn alerts_page(db: &Db, board: &Board, actor: &Actor) -> AppResult<AlertsPage> {
    board.refresh(db).await;
    if !board.is_root_admin(actor) {
        return Err(AppError::NotFound);
    }
    let since = OffsetDateTime::now_utc() - time::Duration::days(30);
    let mut alerts: Vec<Alert> = board.outage_alert().into_iter().collect();
    alerts.extend(
        store::recent_alerts(db, since, 200)
            .await?
            .into_iter()
            .filter_map(Alert::from_row),
    );
    let last_backup = store::last_backup(db).await?.map(|b| b.taken_at);
    Ok(AlertsPage {
        alerts,
        last_backup,
    })
}

/// The units at the top of the tree today.
async fn top_units(db: &Db) -> AppResult<Vec<Uuid>> {
    Ok(store::top_units(db, today()).await?)
}
