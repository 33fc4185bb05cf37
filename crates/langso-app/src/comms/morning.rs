//! The morning job (07:00 Vietnam time): each team member is told of the households whose
//! follow-up is due, and each person's digest gathers what waited for it. It runs once a day
//! across every node: the transaction that does the work first claims the (job, day) row,
//! so a second node's claim waits for the first and then finds it taken.
//!
//! Also here: fault-report updates to reporters and followers (`comm_notifications`) become
//! messages, in the transaction that writes them; rows still pending from before are taken by
//! the morning job, each once.

use std::collections::BTreeMap;
use std::time::Duration;

use langso_domain::locale::{VIETNAM, day as format_day};
use langso_domain::notices::{MORNING, Preferences, phone_84, service_words, status_words};
use langso_store::comms::{self as store, MessageRow, NotificationRow, millis};
use langso_store::faults::WorkOrderRow;
use langso_store::{StoreResult, Tx};
use time::OffsetDateTime;
use uuid::Uuid;

use super::notify::{Notice, html_of, preferences_of, send, tell};
use crate::{AppResult, Db};

/// The job's name in `comm_job_runs`.
pub const JOB: &str = "morning";

/// Runs the morning job for the Vietnam day of `now` when it is 07:00 or later there and no
/// node ran it yet; returns the messages written, or `None` when there was nothing to do.
pub async fn run_morning(db: &Db, node: &str, now: OffsetDateTime) -> AppResult<Option<usize>> {
    let local = now.to_offset(VIETNAM);
    if local.time() < MORNING {
        return Ok(None);
    }
    let day = local.date();
    if store::job_run(db, JOB, day).await?.is_some() {
        return Ok(None);
    }
    let mut tx = db.begin().await?;
    if !store::claim_job_run(&mut tx, JOB, day, node).await? {
        return Ok(None);
    }
    let mut written = follow_ups(&mut tx, day, now).await?;
    for row in store::pending_notifications(&mut tx, 10_000).await? {
        if let Some(order) = langso_store::faults::order(&mut tx, row.work_order_id).await? {
            written += fault_update(&mut tx, &row, &order).await?;
        }
    }
    written += digests(&mut tx, day, now).await?;
    store::finish_job_run(
        &mut tx,
        JOB,
        day,
        i64::try_from(written).unwrap_or(i64::MAX),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(written))
}

/// Runs [`run_morning`] every `every` until the returned handle is aborted.
pub fn start_morning(db: Db, node: String, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_morning(&db, &node, OffsetDateTime::now_utc()).await {
                Ok(Some(n)) => tracing::info!(messages = n, "morning notifications written"),
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "morning notifications failed"),
            }
        }
    })
}

/// One notice per team member with follow-ups due by `day` (their codes, at most 30 named).
async fn follow_ups(tx: &mut Tx, day: time::Date, now: OffsetDateTime) -> StoreResult<usize> {
    let mut per_user: BTreeMap<Uuid, Vec<(String, Uuid)>> = BTreeMap::new();
    for (user, _, code, unit) in store::follow_ups_due(&mut *tx, day).await? {
        per_user.entry(user).or_default().push((code, unit));
    }
    let mut written = 0;
    for (user, due) in per_user {
        let Some(r) = store::recipient(&mut *tx, user).await? else {
            continue;
        };
        let codes: Vec<&str> = due.iter().take(30).map(|(c, _)| c.as_str()).collect();
        let more = due.len().saturating_sub(codes.len());
        let mut body = format!(
            "Hôm nay ({}) có {} hộ cần thăm lại: {}",
            format_day(day),
            due.len(),
            codes.join(", ")
        );
        if more > 0 {
            body.push_str(&format!(" và {more} hộ khác"));
        }
        let notice = Notice {
            kind: "follow_up",
            unit_id: due[0].1,
            source_id: None,
            subject: format!("Lịch thăm lại hộ ngày {}", format_day(day)),
            body,
            link: "/households?follow_up=due".to_owned(),
            emergency: false,
        };
        written += tell(tx, &r, &notice, now).await?;
    }
    Ok(written)
}

/// One digest per person with pending items, on each of their channels.
async fn digests(tx: &mut Tx, day: time::Date, now: OffsetDateTime) -> StoreResult<usize> {
    let mut per_user: BTreeMap<Uuid, Vec<store::DigestItemRow>> = BTreeMap::new();
    for item in store::pending_digest_items(&mut *tx).await? {
        per_user.entry(item.user_id).or_default().push(item);
    }
    let mut written = 0;
    for (user, items) in per_user {
        let digest = Uuid::now_v7();
        store::gather_digest_items(tx, user, digest).await?;
        let Some(r) = store::recipient(&mut *tx, user).await? else {
            continue;
        };
        let prefs = preferences_of(&r);
        let body = items
            .iter()
            .map(|i| format!("- {}\n  {}", i.title, i.body))
            .collect::<Vec<_>>()
            .join("\n");
        let notice = Notice {
            kind: "digest",
            unit_id: items[0].unit_id,
            source_id: Some(digest),
            subject: format!(
                "Langso: tóm tắt ngày {} ({} mục)",
                format_day(day),
                items.len()
            ),
            body,
            link: String::new(),
            emergency: false,
        };
        let at = prefs.not_before(now, false);
        let key = |channel: &str| format!("digest:{user}:{day}:{channel}");
        written += send(tx, &r, &prefs, "digest", &notice, at, now, key).await?;
    }
    Ok(written)
}

/// Turns one pending fault-report update into its message (SMS for a phone, e-mail for an
/// address), once: the row is taken first. A contact that is no usable address is kept as a
/// withheld message saying so; a
/// message to a resident waits for the end of the default quiet hours. Returns the messages written.
pub async fn fault_update(
    tx: &mut Tx,
    row: &NotificationRow,
    order: &WorkOrderRow,
) -> StoreResult<usize> {
    let Some(unit) = order.unit_id else {
        return Ok(0);
    };
    if !store::take_notification(tx, row.id).await? {
        return Ok(0);
    }
    let payload: serde_json::Value = serde_json::from_str(&row.payload).unwrap_or_default();
    let text = |key: &str| {
        payload
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    };
    let subject = format!(
        "Phản ánh {}: {}",
        service_words(&order.service_code),
        status_words(text("status"))
    );
    let note = text("note");
    let body = if note.is_empty() {
        format!("{subject}. Xem: {}", text("page"))
    } else {
        format!("{subject}. {note} Xem: {}", text("page"))
    };
    let (address, reason) = if row.channel == "email" {
        match langso_domain::notices::validate_email(&row.contact) {
            Ok(a) => (a, None),
            Err(_) => (row.contact.clone(), Some("address-invalid")),
        }
    } else {
        match phone_84(&row.contact) {
            Ok(a) => (a, None),
            Err(_) => (row.contact.clone(), Some("address-invalid")),
        }
    };
    let now = OffsetDateTime::now_utc();
    let message = MessageRow {
        id: Uuid::now_v7(),
        unit_id: unit,
        source: "notification".to_owned(),
        source_id: Some(row.id),
        channel: row.channel.clone(),
        recipient_kind: row.recipient.clone(),
        recipient_id: row.follower_id,
        recipient_label: if row.recipient == "reporter" {
            "người phản ánh".to_owned()
        } else {
            "người theo dõi".to_owned()
        },
        address,
        subject: subject.clone(),
        body: body.clone(),
        html: (row.channel == "email").then(|| html_of(&subject, &body)),
        template_id: None,
        template_data: None,
        idempotency_key: format!("fault-update:{}", row.id),
        status: if reason.is_some() {
            store::WITHHELD
        } else {
            store::QUEUED
        }
        .to_owned(),
        provider_ref: None,
        reason: reason.map(str::to_owned),
        attempts: 0,
        // Residents have no preferences: the default quiet hours keep the night quiet.
        next_attempt_at: millis(Preferences::default().not_before(now, false)),
        claimed_by: None,
        claimed_until: None,
        sent_at: None,
        delivered_at: None,
        created_at: now,
    };
    store::insert_message(tx, &message).await?;
    Ok(usize::from(reason.is_none()))
}
