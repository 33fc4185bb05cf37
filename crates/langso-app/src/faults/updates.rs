//! Updates to the people behind a report. Every status change with a public note is shown at
//! once on the reporter's status page and its Atom feed (they read the history), and is queued
//! as one pending notification for the reporter and one per follower who gave a contact, for
//! the messaging channels (SMS, Zalo, e-mail) to deliver. Within 14 days of a fix the reporter,
//! holding the secret token given at submission, confirms it or reopens the report.

use langso_domain::faults::{REOPEN_WITHIN_DAYS, WorkStatus};
use langso_domain::public_text::xml_safe;
use langso_store::Tx;
use langso_store::comms::{self as outbox, NotificationRow};
use langso_store::faults::{self as store, HistoryRow, WorkOrderRow};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::Actor;
use crate::{AppError, AppResult, CellError, Db};

/// The channel a contact calls for: `email` for an address, `sms` for a phone number (eight
/// digits or more); `None` for a name alone (the status page is then the way to follow).
pub fn contact_channel(contact: &str) -> Option<(&'static str, String)> {
    if let Some(address) = contact
        .split_whitespace()
        .find(|w| w.contains('@') && w.contains('.'))
    {
        return Some((
            "email",
            address.trim_matches(|c| c == ',' || c == ';').to_owned(),
        ));
    }
    let digits: String = contact
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    (digits.chars().filter(char::is_ascii_digit).count() >= 8).then_some(("sms", digits))
}

/// Queues the update `step` of `order` for its reporter (when they left a contact) and for
/// its followers, in the transaction of the change.
pub async fn notify(tx: &mut Tx, order: &WorkOrderRow, step: &HistoryRow) -> AppResult<()> {
    if let Some((channel, contact)) = contact_channel(&order.reporter) {
        let payload = payload(order, step, true);
        queue(
            tx, order.id, "reporter", None, channel, contact, payload, step.at,
        )
        .await?;
    }
    notify_followers(tx, order, step).await
}

/// Queues the update for every follower of the order who gave a contact (followers come from
/// "this is my problem too" and from duplicates merged into the order). Followers are not given
/// the reporter's token: their notification names the request, not the secret page.
pub async fn notify_followers(
    tx: &mut Tx,
    order: &WorkOrderRow,
    step: &HistoryRow,
) -> AppResult<()> {
    for (follower, contact) in outbox::follower_contacts(&mut *tx, order.id).await? {
        if let Some((channel, contact)) = contact_channel(&contact) {
            let payload = payload(order, step, false);
            queue(
                tx,
                order.id,
                "follower",
                Some(follower),
                channel,
                contact,
                payload,
                step.at,
            )
            .await?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn queue(
    tx: &mut Tx,
    order: Uuid,
    recipient: &str,
    follower: Option<Uuid>,
    channel: &str,
    contact: String,
    payload: String,
    at: OffsetDateTime,
) -> AppResult<()> {
    let row = NotificationRow {
        id: Uuid::now_v7(),
        work_order_id: order,
        recipient: recipient.to_owned(),
        follower_id: follower,
        contact,
        channel: channel.to_owned(),
        payload,
        status: "pending".to_owned(),
        created_at: at,
        delivered_at: None,
    };
    outbox::insert_notification(tx, &row).await?;
    // h17c: it becomes its message (SMS or e-mail) in the same transaction, once.
    if let Some(order) = store::order(&mut *tx, order).await? {
        crate::comms::morning::fault_update(tx, &row, &order).await?;
    }
    Ok(())
}

/// The body a channel turns into a message: the new status, the public note (masked like the
/// status page), and where to read more.
fn payload(order: &WorkOrderRow, step: &HistoryRow, reporter: bool) -> String {
    let page = if reporter {
        format!("/bao-hong/{}", order.token)
    } else {
        format!("/open311/v2/requests/{}.json", order.id)
    };
    serde_json::json!({
        "work_order_id": order.id,
        "service_code": order.service_code,
        "status": step.to_status,
        "note": langso_domain::public_text::mask_personal_data(&step.note),
        "page": page,
    })
    .to_string()
}

/// The pending and sent notifications about an order (for the officers' view and tests).
pub async fn notifications(db: &Db, order: Uuid) -> AppResult<Vec<NotificationRow>> {
    Ok(outbox::notifications_of(db, order).await?)
}

/// Whether the reporter may still confirm or reopen: the order is fixed or closed, and its fix
/// is at most 14 days old. The answer names the day the window closed when it has.
pub fn may_answer(order: &WorkOrderRow, now: OffsetDateTime) -> AppResult<()> {
    let settled = matches!(
        WorkStatus::parse(&order.status),
        Some(WorkStatus::Fixed | WorkStatus::Closed)
    );
    let Some(fixed_at) = order.fixed_at.filter(|_| settled) else {
        return Err(AppError::refused_key("faults-answer-not-fixed", &[]));
    };
    if now > fixed_at + Duration::days(REOPEN_WITHIN_DAYS) {
        return Err(AppError::refused_key(
            "faults-answer-too-late",
            &[("days", &REOPEN_WITHIN_DAYS)],
        ));
    }
    Ok(())
}

/// The reporter confirms the fix: a fixed order is closed (a closed one stays so).
pub async fn confirm_fix(db: &Db, token: &str) -> AppResult<WorkOrderRow> {
    answer(db, token, None).await
}

/// The reporter says the fault is still there: the order goes back to its assignee (or to
/// new), its fix forgotten, with the reporter's words as a public note.
pub async fn reopen(db: &Db, token: &str, note: &str) -> AppResult<WorkOrderRow> {
    answer(db, token, Some(note)).await
}

async fn answer(db: &Db, token: &str, reopen: Option<&str>) -> AppResult<WorkOrderRow> {
    let order = store::order_by_token(db, token.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let now = OffsetDateTime::now_utc();
    may_answer(&order, now)?;
    let from = order.status.clone();
    let (to, note) = match reopen {
        Some(note) => {
            let note: String = xml_safe(note.trim()).chars().take(500).collect();
            if note.is_empty() {
                return Err(AppError::Invalid(vec![CellError::keyed(
                    0,
                    "note",
                    "faults-reopen-note-required",
                    &[],
                )]));
            }
            let to = if order.assignee.is_empty() {
                WorkStatus::New
            } else {
                WorkStatus::Assigned
            };
            (to, note)
        }
        None if from == WorkStatus::Closed.as_str() => return Ok(order),
        None => (WorkStatus::Closed, String::new()),
    };
    let mut tx = db.begin().await?;
    let moved = if reopen.is_some() {
        store::reopen(&mut tx, order.id, &from, to.as_str(), now).await?
    } else {
        store::set_status(&mut tx, order.id, &from, to.as_str(), &order.assignee, now).await?
    };
    if !moved {
        return Err(AppError::refused_key("faults-order-moved-meanwhile", &[]));
    }
    let step = HistoryRow {
        at: now,
        from_status: Some(from.clone()),
        to_status: to.as_str().to_owned(),
        actor: "reporter".to_owned(),
        note,
        public_note: true,
    };
    store::insert_history(&mut tx, order.id, &step).await?;
    if !step.note.is_empty() {
        notify_followers(&mut tx, &order, &step).await?;
    }
    audit::record(
        &mut tx,
        &Actor::system("reporter"),
        Change {
            action: if reopen.is_some() {
                "faults.reopen"
            } else {
                "faults.confirm"
            },
            target_type: "work_order",
            target_id: order.id.to_string(),
            unit_id: order.unit_id,
            summary: format!("{from} → {}", to.as_str()),
        },
    )
    .await?;
    tx.commit().await?;
    store::order(db, order.id).await?.ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_names_its_channel() {
        assert_eq!(
            contact_channel("Lan 0912 345 678"),
            Some(("sms", "0912345678".to_owned()))
        );
        assert_eq!(
            contact_channel("Lan lan@example.vn"),
            Some(("email", "lan@example.vn".to_owned()))
        );
        assert_eq!(contact_channel("Lan"), None);
        assert_eq!(contact_channel("nhà số 12"), None);
    }
}
