//! What the public sees of a work order: Open311 `requests` and the reporter's status page.
//!
//! A report is public (anyone may list it through Open311), so what residents wrote is shown
//! with phone numbers, e-mail addresses and ID numbers masked; the reporter's contact, the
//! assignee and the officers' names never leave; an officer's note is shown only when the
//! officer marked it public, and then masked too. What an officer hid (see `moderation`) is
//! blanked.

use langso_domain::public_text::mask_personal_data;
use langso_store::faults::{self as store, HistoryRow, WorkOrderRow};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{AppError, AppResult, Db};

/// A work order as the public may read it.
pub fn public_order(order: WorkOrderRow) -> WorkOrderRow {
    WorkOrderRow {
        description: mask_personal_data(&order.description),
        address: mask_personal_data(&order.address),
        reporter: String::new(),
        assignee: String::new(),
        ..order
    }
}

/// A work order's steps as the public may read them: when and to which status, with the
/// note only if marked public (masked), and without who moved it.
pub fn public_steps(history: Vec<HistoryRow>) -> Vec<HistoryRow> {
    history
        .into_iter()
        .map(|step| HistoryRow {
            actor: String::new(),
            note: if step.public_note {
                mask_personal_data(&step.note)
            } else {
                String::new()
            },
            ..step
        })
        .collect()
}

/// One request, publicly (Open311 `requests/{id}`).
pub async fn public_request(db: &Db, id: Uuid) -> AppResult<WorkOrderRow> {
    let order = store::order(db, id)
        .await?
        .map(public_order)
        .ok_or(AppError::NotFound)?;
    let order = with_photo_link(db, order).await?;
    super::moderation::hide_one(db, order).await
}

/// Where a photo sent with a report is published (without its metadata; gone once an officer
/// hides it): a path under the site's own address.
pub fn photo_path(order: Uuid) -> String {
    format!("/bao-hong/anh/{order}")
}

/// A report whose photo was uploaded (not linked) gives that photo's address as its
/// `media_url`, so Open311 clients can show it.
async fn with_photo_link(db: &Db, order: WorkOrderRow) -> AppResult<WorkOrderRow> {
    if order.media_url.is_none() && store::has_photo(db, order.id).await? {
        let media_url = Some(photo_path(order.id));
        return Ok(WorkOrderRow { media_url, ..order });
    }
    Ok(order)
}

/// The request behind a follow-up token, with its history (the reporter's status page), as
/// the public may read them.
pub async fn follow(db: &Db, token: &str) -> AppResult<(WorkOrderRow, Vec<HistoryRow>)> {
    let order = store::order_by_token(db, token.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let history = store::history(db, order.id).await?;
    let order = super::moderation::hide_one(db, public_order(order)).await?;
    Ok((order, public_steps(history)))
}

/// Open311 `GET requests`: filters on service, Open311 status (`open`/`closed`) and dates.
pub async fn public_requests(
    db: &Db,
    service_code: Option<&str>,
    status: Option<&str>,
    from: Option<OffsetDateTime>,
    to: Option<OffsetDateTime>,
) -> AppResult<Vec<WorkOrderRow>> {
    let statuses: Vec<&str> = match status.map(str::trim) {
        Some("open") => vec!["new", "assigned", "in_progress"],
        Some("closed") => vec!["fixed", "closed"],
        _ => Vec::new(),
    };
    let orders = store::public_orders(db, service_code, &statuses, from, to, 1000).await?;
    super::moderation::hide_in(db, orders.into_iter().map(public_order).collect()).await
}
