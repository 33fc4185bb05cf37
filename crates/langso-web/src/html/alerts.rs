//! Operator alerts in words: the banner every page shows the installation's root admins, and
//! the sentence each alert reads as (banner and the alerts page), in the reader's language,
//! dates in Vietnam time, never a condition's code.

use langso_app::Actor;
use langso_app::ops::Alert;
use langso_domain::locale;
use langso_domain::ops::{Condition, Facts, OUTBOX_WEBHOOKS};

use super::Chrome;
use crate::AppState;
use crate::messages::{Lang, render};

/// Fills the frame's banner with the open alerts when `actor` runs the installation.
pub async fn banner(chrome: &mut Chrome, state: &AppState, actor: &Actor) {
    let open = state.ops.banner(&state.db, actor).await;
    chrome.runs_installation = state.ops.is_root_admin(actor);
    chrome.alerts = open.iter().map(|a| describe(chrome.lang, a)).collect();
}

/// One alert as a sentence.
pub fn describe(lang: Lang, alert: &Alert) -> String {
    let subject = alert.subject.clone();
    let since = locale::minute(alert.opened_at);
    let seen = locale::minute(alert.last_seen_at);
    match (alert.condition, alert.facts) {
        (
            Condition::Disk,
            Facts::Disk {
                used_percent,
                free_bytes,
            },
        ) => render(
            lang,
            "ops-alert-disk",
            &[
                ("subject", subject),
                ("percent", used_percent.to_string()),
                ("free", bytes(lang, free_bytes)),
            ],
        ),
        (
            Condition::Outbox,
            Facts::Outbox {
                oldest_seconds,
                failed,
            },
        ) => {
            let key = if alert.subject == OUTBOX_WEBHOOKS {
                "ops-alert-outbox-webhooks"
            } else {
                "ops-alert-outbox-messages"
            };
            let waiting =
                locale::minute(alert.last_seen_at - time::Duration::seconds(oldest_seconds.max(0)));
            render(
                lang,
                key,
                &[
                    ("waiting", waiting),
                    ("failed", locale::count(failed, lang.number_style())),
                ],
            )
        }
        (
            Condition::Certificate,
            Facts::Certificate {
                not_after: Some(end),
            },
        ) => {
            let end = time::OffsetDateTime::from_unix_timestamp(end)
                .map_or_else(|_| String::new(), locale::minute);
            render(
                lang,
                "ops-alert-certificate",
                &[("subject", subject), ("expiry", end)],
            )
        }
        (Condition::Certificate, _) => render(
            lang,
            "ops-alert-certificate-unreadable",
            &[("subject", subject)],
        ),
        (Condition::Backup, _) => render(
            lang,
            "ops-alert-backup",
            &[("subject", subject), ("seen", seen)],
        ),
        (Condition::Broker, _) => render(
            lang,
            "ops-alert-broker",
            &[("subject", subject), ("since", since)],
        ),
        (Condition::Database, _) => render(
            lang,
            "ops-alert-database",
            &[("subject", subject), ("since", since)],
        ),
        (Condition::Disk | Condition::Outbox, _) => {
            render(lang, "ops-alert-unknown", &[("since", since)])
        }
    }
}

/// A size in bytes as people read it: MB below a gigabyte, GB with one decimal above.
fn bytes(lang: Lang, value: i64) -> String {
    const MB: f64 = 1_000_000.0;
    const GB: f64 = 1_000_000_000.0;
    let value = value.max(0) as f64;
    if value >= GB {
        format!("{} GB", locale::decimal(value / GB, 1, lang.number_style()))
    } else {
        format!("{} MB", locale::decimal(value / MB, 0, lang.number_style()))
    }
}
