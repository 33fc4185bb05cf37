//! Alerts to whoever runs an installation (a commune machine has no administrator watching
//! logs): the conditions checked, and the figures an alert carries so that a page can word it
//! in the reader's language. No I/O here; the checks live in `langso-app::ops`.

use time::OffsetDateTime;

/// What went wrong. One open alert per condition and subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Condition {
    /// A scheduled or manual backup failed (subject: the backup folder or file).
    Backup,
    /// A filesystem holding the database or the backups is nearly full (subject: the path).
    Disk,
    /// The MQTT broker has been unreachable longer than allowed (subject: the broker's address).
    Broker,
    /// A node could not reach the database (subject: the node).
    Database,
    /// The oldest due message waits too long, or too many failed (subject: `webhooks` or
    /// `messages`).
    Outbox,
    /// A certificate expires soon or has expired (subject: the file).
    Certificate,
}

impl Condition {
    /// Every condition, in the order pages and metrics list them.
    pub const ALL: [Condition; 6] = [
        Condition::Backup,
        Condition::Disk,
        Condition::Broker,
        Condition::Database,
        Condition::Outbox,
        Condition::Certificate,
    ];

    /// The stored name (also the Prometheus label value).
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::Backup => "backup",
            Condition::Disk => "disk",
            Condition::Broker => "broker",
            Condition::Database => "database",
            Condition::Outbox => "outbox",
            Condition::Certificate => "certificate",
        }
    }

    /// The condition stored as `text`.
    pub fn parse(text: &str) -> Option<Condition> {
        Condition::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

impl Condition {
    /// What the e-mail to the admins says, Vietnamese first and English second (an e-mail has
    /// no reader's language to follow): a title per condition and the subject it concerns.
    pub fn email_title(self) -> (&'static str, &'static str) {
        match self {
            Condition::Backup => ("Sao lưu dữ liệu không thành công", "A backup failed"),
            Condition::Disk => ("Ổ đĩa sắp đầy", "A disk is nearly full"),
            Condition::Broker => (
                "Không kết nối được máy chủ nhận tin thiết bị (MQTT)",
                "The device message broker (MQTT) is unreachable",
            ),
            Condition::Database => (
                "Không kết nối được cơ sở dữ liệu",
                "The database is unreachable",
            ),
            Condition::Outbox => (
                "Tin nhắn đang bị dồn, chưa gửi được",
                "Messages are stuck unsent",
            ),
            Condition::Certificate => (
                "Chứng chỉ bảo mật sắp hết hạn",
                "A certificate expires soon",
            ),
        }
    }
}

/// The outbox of webhook messages to announcements' receivers.
pub const OUTBOX_WEBHOOKS: &str = "webhooks";
/// The messages to people (Zalo, SMS, e-mail).
pub const OUTBOX_MESSAGES: &str = "messages";

/// What an alert says beyond its condition and subject, stored in two number columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facts {
    /// Nothing more (backup, broker, database: the times say it).
    None,
    /// The share of the filesystem in use (whole percent) and the bytes still free.
    Disk {
        /// Whole percent in use.
        used_percent: i64,
        /// Bytes an unprivileged process may still write.
        free_bytes: i64,
    },
    /// How long the oldest due message has waited (seconds) and how many failed in a day.
    Outbox {
        /// Seconds the oldest due message has waited.
        oldest_seconds: i64,
        /// Messages given up on in the last day.
        failed: i64,
    },
    /// When the certificate stops being valid (Unix seconds).
    Certificate {
        /// The end of validity, Unix seconds; none when the file cannot be read.
        not_after: Option<i64>,
    },
}

impl Facts {
    /// The two stored numbers.
    pub fn columns(self) -> (Option<i64>, Option<i64>) {
        match self {
            Facts::None => (None, None),
            Facts::Disk {
                used_percent,
                free_bytes,
            } => (Some(used_percent), Some(free_bytes)),
            Facts::Outbox {
                oldest_seconds,
                failed,
            } => (Some(oldest_seconds), Some(failed)),
            Facts::Certificate { not_after } => (not_after, None),
        }
    }

    /// The facts of a `condition` from its stored numbers.
    pub fn from_columns(condition: Condition, figure: Option<i64>, extra: Option<i64>) -> Facts {
        match condition {
            Condition::Disk => Facts::Disk {
                used_percent: figure.unwrap_or(0),
                free_bytes: extra.unwrap_or(0),
            },
            Condition::Outbox => Facts::Outbox {
                oldest_seconds: figure.unwrap_or(0),
                failed: extra.unwrap_or(0),
            },
            Condition::Certificate => Facts::Certificate { not_after: figure },
            Condition::Backup | Condition::Broker | Condition::Database => Facts::None,
        }
    }
}

/// Whole percent of a filesystem in use, rounded up (so 89.2 % reads 90 % and trips a 90 %
/// threshold a little early rather than late); 0 for an empty or unknown size.
pub fn used_percent(total_bytes: u64, free_bytes: u64) -> i64 {
    if total_bytes == 0 {
        return 0;
    }
    let used = u128::from(total_bytes.saturating_sub(free_bytes));
    let percent = (used * 100).div_ceil(u128::from(total_bytes));
    i64::try_from(percent).unwrap_or(100)
}

/// Whether a certificate valid until `not_after` is within `warn_days` of expiring at `now`
/// (or expired).
pub fn expires_soon(not_after: OffsetDateTime, now: OffsetDateTime, warn_days: i64) -> bool {
    not_after - now <= time::Duration::days(warn_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_round_trip_and_facts_keep_their_numbers() {
        for condition in Condition::ALL {
            assert_eq!(Condition::parse(condition.as_str()), Some(condition));
        }
        let facts = Facts::Disk {
            used_percent: 93,
            free_bytes: 1 << 30,
        };
        let (a, b) = facts.columns();
        assert_eq!(Facts::from_columns(Condition::Disk, a, b), facts);
        assert_eq!(used_percent(1000, 108), 90);
        assert_eq!(used_percent(1000, 0), 100);
        assert_eq!(used_percent(0, 0), 0);
        let now = OffsetDateTime::UNIX_EPOCH;
        assert!(expires_soon(now + time::Duration::days(3), now, 14));
        assert!(!expires_soon(now + time::Duration::days(30), now, 14));
    }
}
