//! Moderation (issue 16): an officer who handles a report hides its text or its photo from
//! the public (abusive, personal, false), with a reason, in the audit log. The public status
//! page then says what is hidden and why; Open311 answers the report without its description
//! or media; officers still see everything.

use langso_store::faults::followers::{self as extra, ModerationRow};
use langso_store::faults::{self as store, WorkOrderRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::duplicates::require_handle;
use crate::audit::{self, Change};
use crate::auth::Actor;
use crate::{AppError, AppResult, CellError, Db};

/// The reasons an officer may give for hiding a report's text or photo.
pub const HIDE_REASONS: [&str; 3] = ["abusive", "personal", "false"];

fn reason(field: &str, given: Option<&str>) -> Result<Option<String>, CellError> {
    match given.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) if HIDE_REASONS.contains(&r) => Ok(Some(r.to_owned())),
        Some(_) => Err(CellError::keyed(
            0,
            field,
            "faults-hide-reason-unknown",
            &[],
        )),
    }
}

/// Hides (a reason) or shows again (none) a report's text and photo.
pub async fn moderate(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    text_reason: Option<&str>,
    photo_reason: Option<&str>,
    note: &str,
) -> AppResult<()> {
    let found = store::order(db, id).await?.ok_or(AppError::NotFound)?;
    require_handle(db, actor, &found).await?;
    let text = reason("text_reason", text_reason);
    let photo = reason("photo_reason", photo_reason);
    let (text, photo) = match (text, photo) {
        (Ok(t), Ok(p)) => (t, p),
        (t, p) => {
            return Err(AppError::Invalid(
                [t.err(), p.err()].into_iter().flatten().collect(),
            ));
        }
    };
    let note: String = note.trim().chars().take(500).collect();
    let summary = format!(
        "text: {} · photo: {}",
        text.as_deref().unwrap_or("-"),
        photo.as_deref().unwrap_or("-")
    );
    let mut tx = db.begin().await?;
    extra::set_moderation(
        &mut tx,
        &ModerationRow {
            work_order_id: id,
            text_reason: text,
            photo_reason: photo,
            note,
            updated_by: actor.label.clone(),
            updated_at: Some(OffsetDateTime::now_utc()),
        },
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "faults.moderate",
            target_type: "work_order",
            target_id: id.to_string(),
            unit_id: found.unit_id,
            summary,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What is hidden of a report, for the officers who may read it.
pub async fn moderation_of(db: &Db, actor: &Actor, id: Uuid) -> AppResult<Option<ModerationRow>> {
    super::order(db, actor, id).await?;
    Ok(extra::moderation(db, id).await?)
}

fn apply(order: WorkOrderRow, hidden: Option<&ModerationRow>) -> WorkOrderRow {
    match hidden {
        None => order,
        Some(m) => WorkOrderRow {
            description: if m.text_reason.is_some() {
                String::new()
            } else {
                order.description
            },
            media_url: if m.photo_reason.is_some() {
                None
            } else {
                order.media_url
            },
            ..order
        },
    }
}

/// One public report with what is hidden of it removed.
pub(super) async fn hide_one(db: &Db, order: WorkOrderRow) -> AppResult<WorkOrderRow> {
    let hidden = extra::moderation(db, order.id).await?;
    Ok(apply(order, hidden.as_ref()))
}

/// Public reports with what is hidden of them removed (one query for the list).
pub(super) async fn hide_in(db: &Db, orders: Vec<WorkOrderRow>) -> AppResult<Vec<WorkOrderRow>> {
    let Some(oldest) = orders.iter().map(|o| o.requested_at).min() else {
        return Ok(orders);
    };
    let hidden = extra::moderation_since(db, oldest, 100_000).await?;
    Ok(orders
        .into_iter()
        .map(|o| {
            let h = hidden.iter().find(|m| m.work_order_id == o.id);
            apply(o, h)
        })
        .collect())
}

/// A report's photo for the public: none when an officer hid it.
pub async fn public_photo(db: &Db, id: Uuid) -> AppResult<store::PhotoRow> {
    let hidden = extra::moderation(db, id).await?;
    if hidden.is_some_and(|m| m.photo_reason.is_some()) {
        return Err(AppError::NotFound);
    }
    store::photo(db, id).await?.ok_or(AppError::NotFound)
}
