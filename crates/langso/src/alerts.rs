//! The alert settings of `langso serve` and the checker they start (see `langso_app::ops`):
//! what is watched (the database's and the backups' filesystems, certificate files, the
//! broker, the outboxes, the database) and when it becomes an alert.

use std::path::PathBuf;
use std::time::Duration;

use langso_app::ops::{CheckConfig, Checker};
use langso_web::AppState;

/// When `langso serve` raises alerts to the installation's root admins.
#[derive(clap::Args, Clone, Debug)]
pub(crate) struct Alerts {
    /// Seconds between alert checks.
    #[arg(long, env = "LANGSO_ALERT_CHECK_EVERY", default_value_t = 60)]
    alert_check_every: u64,
    /// A filesystem holding the database or the backups this full (percent) is an alert.
    #[arg(long, env = "LANGSO_ALERT_DISK_PERCENT", default_value_t = 90,
          value_parser = clap::value_parser!(u8).range(1..=100))]
    alert_disk_percent: u8,
    /// Seconds the MQTT broker or the database may stay unreachable before it is an alert.
    #[arg(long, env = "LANGSO_ALERT_UNREACHABLE_AFTER", default_value_t = 120)]
    alert_unreachable_after: u64,
    /// Seconds the oldest due message (webhooks, Zalo/SMS/e-mail) may wait before it is an alert.
    #[arg(long, env = "LANGSO_ALERT_OUTBOX_AGE", default_value_t = 3_600)]
    alert_outbox_age: u64,
    /// Messages given up on in a day (per outbox) that make an alert.
    #[arg(long, env = "LANGSO_ALERT_OUTBOX_FAILED", default_value_t = 20)]
    alert_outbox_failed: u32,
    /// Certificate files to watch, comma-separated (the reverse proxy's, the MQTT broker's
    /// TLS certificate), PEM or DER.
    #[arg(long, env = "LANGSO_ALERT_CERTIFICATES", value_delimiter = ',')]
    alert_certificates: Vec<PathBuf>,
    /// Days before a certificate's end that it becomes an alert.
    #[arg(long, env = "LANGSO_ALERT_CERTIFICATE_DAYS", default_value_t = 14)]
    alert_certificate_days: u32,
}

impl Alerts {
    /// The checker's settings for a server on `url`: the filesystems watched are the SQLite
    /// database's folder and the scheduled backups' folder (PostgreSQL's disk is its own host's
    /// business, watched there).
    pub(crate) fn config(&self, url: &str, backups: &crate::backup::Schedule) -> CheckConfig {
        let disk_paths = crate::sqlite_path(url)
            .map(|p| {
                let parent = std::path::Path::new(p).parent();
                parent
                    .filter(|d| !d.as_os_str().is_empty())
                    .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf)
            })
            .into_iter()
            .chain(backups.watched_dir(url))
            .collect();
        CheckConfig {
            every: Duration::from_secs(self.alert_check_every.max(1)),
            disk_paths,
            disk_warn_percent: i64::from(self.alert_disk_percent),
            unreachable_after: Duration::from_secs(self.alert_unreachable_after),
            outbox_age: Duration::from_secs(self.alert_outbox_age),
            outbox_failed: i64::from(self.alert_outbox_failed.max(1)),
            certificates: self
                .alert_certificates
                .iter()
                .filter(|p| !p.as_os_str().is_empty())
                .cloned()
                .collect(),
            certificate_days: i64::from(self.alert_certificate_days),
        }
    }
}

/// Starts the checker over the server's state; it stops with the server's background tasks.
pub(crate) fn start(state: &AppState, config: CheckConfig) {
    tracing::info!(every = ?config.every, disks = ?config.disk_paths,
        certificates = ?config.certificates, "alert checks");
    let task = Checker::start(state.db.clone(), state.ops.clone(), config);
    if let Ok(mut tasks) = state.background.lock() {
        tasks.push(task);
    }
}
