//! The register of data subjects' requests (Law 91/2025/QH15): who asked, when, through whom,
//! the deadline in working days, the status and the answer. The household's export and
//! erasure are done from the request, and their audit entries name it; an overdue request is
//! told to the commune's responsible officers once.

use langso_domain::auth::Permission;
use langso_store::households as households_store;
pub use langso_store::privacy::requests::RequestRow;
use langso_store::privacy::requests::{self as store};
use serde_json::Value;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::policy;
use crate::comms::notify::{Notice, Notifier};
use crate::{Actor, AppError, AppResult, Db};

/// The kinds of request.
pub const KINDS: [&str; 5] = ["access", "correction", "erasure", "withdrawal", "objection"];
/// How a request came.
pub const CHANNELS: [&str; 5] = ["in_person", "paper", "phone", "email", "zalo"];
/// The statuses.
pub const STATUSES: [&str; 4] = ["received", "in_progress", "answered", "refused"];

/// A request as entered by the officer who received it.
#[derive(Clone, Debug, Default)]
pub struct NewRequest {
    /// The household.
    pub household_id: Uuid,
    /// Who asked (a member), as said.
    pub person: String,
    /// One of [`KINDS`].
    pub kind: String,
    /// The day it was received.
    pub received_on: Option<Date>,
    /// One of [`CHANNELS`].
    pub channel: String,
    /// What was asked.
    pub details: String,
}

fn text(value: &str, field: &'static str, max: usize, required: bool) -> AppResult<String> {
    let value = value.trim();
    if (required && value.is_empty()) || value.chars().count() > max {
        return Err(AppError::refused_key(
            "privacy-request-text",
            &[("field", &field), ("max", &max)],
        ));
    }
    Ok(value.to_owned())
}

/// Records a request with its deadline; needs the right to write people's data on the
/// household's unit. Audited.
pub async fn record_request(db: &Db, actor: &Actor, input: &NewRequest) -> AppResult<RequestRow> {
    let household = households_store::get_household(db, input.household_id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::WritePeople, household.unit_id).await?;
    if !KINDS.contains(&input.kind.as_str()) {
        return Err(AppError::refused_key("privacy-request-kind-refused", &[]));
    }
    if !CHANNELS.contains(&input.channel.as_str()) {
        return Err(AppError::refused_key(
            "privacy-request-channel-refused",
            &[],
        ));
    }
    let received_on = input.received_on.unwrap_or_else(crate::today);
    if received_on > crate::today() {
        return Err(AppError::refused_key("privacy-request-future", &[]));
    }
    let days = super::calendar::deadlines(db)
        .await?
        .into_iter()
        .find(|d| d.kind == input.kind)
        .map_or(10, |d| d.working_days);
    let calendar = super::calendar::load(db, received_on).await?;
    let due_on =
        calendar.add_working_days(received_on, u32::try_from(days.clamp(1, 60)).unwrap_or(10));
    let row = RequestRow {
        id: Uuid::now_v7(),
        household_id: household.id,
        unit_id: household.unit_id,
        person: text(&input.person, "person", 120, true)?,
        kind: input.kind.clone(),
        received_on,
        channel: input.channel.clone(),
        officer_id: actor.user_id,
        officer_label: actor.label.clone(),
        details: text(&input.details, "details", 2000, false)?,
        due_on,
        status: "received".to_owned(),
        reason: String::new(),
        answer: String::new(),
        answered_on: None,
        executed_at: None,
        overdue_notified_at: None,
        created_at: OffsetDateTime::now_utc(),
    };
    let mut tx = db.begin().await?;
    store::insert_request(&mut tx, &row).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "privacy.request",
            target_type: "privacy_request",
            target_id: row.id.to_string(),
            unit_id: Some(row.unit_id),
            summary: format!(
                "{} request for household {}, due {}",
                row.kind, household.code, row.due_on
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// One request the actor may read (404 outside their scope, 403 without the right).
pub async fn request(db: &Db, actor: &Actor, id: Uuid) -> AppResult<RequestRow> {
    let row = store::request(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadPeople, row.unit_id).await?;
    Ok(row)
}

/// Requests under the units where the actor reads people's data, newest first (open ones only
/// when `open_only`), each with whether it is overdue on `today`.
pub async fn list(
    db: &Db,
    actor: &Actor,
    open_only: bool,
    today: Date,
) -> AppResult<Vec<(RequestRow, bool)>> {
    if !actor.may(Permission::ReadPeople) {
        return Err(AppError::Forbidden);
    }
    let mut rows = Vec::new();
    for root in actor.roots(Permission::ReadPeople) {
        for row in store::requests_under(db, root, open_only, 500).await? {
            if !rows
                .iter()
                .any(|(r, _): &(RequestRow, bool)| r.id == row.id)
            {
                let late = overdue(&row, today);
                rows.push((row, late));
            }
        }
    }
    rows.sort_by_key(|(r, _)| std::cmp::Reverse((r.received_on, r.id)));
    Ok(rows)
}

/// Whether a request is open past its deadline on `today`.
pub fn overdue(row: &RequestRow, today: Date) -> bool {
    matches!(row.status.as_str(), "received" | "in_progress") && row.due_on < today
}

/// The answer to a request.
#[derive(Clone, Debug, Default)]
pub struct Answer {
    /// `in_progress`, `answered` or `refused`.
    pub status: String,
    /// The answer sent.
    pub answer: String,
    /// Why it was refused (required for `refused`).
    pub reason: String,
    /// When the answer was sent (default today).
    pub answered_on: Option<Date>,
}

/// Sets a request's status and answer; needs the right to write people's data. Audited.
pub async fn answer(db: &Db, actor: &Actor, id: Uuid, input: &Answer) -> AppResult<RequestRow> {
    let mut row = request(db, actor, id).await?;
    policy::require(db, actor, Permission::WritePeople, row.unit_id).await?;
    if !STATUSES[1..].contains(&input.status.as_str()) {
        return Err(AppError::refused_key("privacy-request-status-refused", &[]));
    }
    row.answer = text(&input.answer, "answer", 4000, input.status == "answered")?;
    row.reason = text(&input.reason, "reason", 2000, input.status == "refused")?;
    row.answered_on =
        (input.status != "in_progress").then(|| input.answered_on.unwrap_or_else(crate::today));
    row.status.clone_from(&input.status);
    let mut tx = db.begin().await?;
    store::update_request(&mut tx, &row).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "privacy.request.answer",
            target_type: "privacy_request",
            target_id: row.id.to_string(),
            unit_id: Some(row.unit_id),
            summary: format!("{} request: {}", row.kind, row.status),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// What executing a request produced.
#[derive(Clone, Debug)]
pub enum Executed {
    /// The household's data (an access request).
    Export(Value),
    /// The household was anonymised (an erasure request).
    Erased,
}

/// Does what an access or erasure request asks: the household's export (audited by the
/// export, and linked here) or its erasure (anonymised, noted in the erasure ledger with the
/// request). The request moves to `in_progress` until the answer is recorded.
pub async fn execute(db: &Db, actor: &Actor, id: Uuid) -> AppResult<Executed> {
    let mut row = request(db, actor, id).await?;
    if matches!(row.status.as_str(), "answered" | "refused") {
        return Err(AppError::refused_key("privacy-request-closed", &[]));
    }
    let now = OffsetDateTime::now_utc();
    let executed = match row.kind.as_str() {
        "access" => {
            Executed::Export(crate::households::subject_export(db, actor, row.household_id).await?)
        }
        "erasure" => {
            let household = households_store::get_household(db, row.household_id)
                .await?
                .ok_or(AppError::NotFound)?;
            policy::require(db, actor, Permission::ExportPeople, household.unit_id).await?;
            if household.erased {
                return Err(AppError::refused_key("privacy-request-erased", &[]));
            }
            let mut tx = db.begin().await?;
            store::record_erasure(&mut tx, household.id, Some(row.id), now).await?;
            let summary = format!(
                "anonymised for data-subject request {}; counts kept",
                row.id
            );
            crate::households::subject::erase_in(&mut tx, actor, household, &summary).await?;
            tx.commit().await?;
            note_in_ledger_file(db, row.household_id);
            Executed::Erased
        }
        _ => return Err(AppError::refused_key("privacy-request-not-executable", &[])),
    };
    row.executed_at = Some(now);
    if row.status == "received" {
        "in_progress".clone_into(&mut row.status);
    }
    let mut tx = db.begin().await?;
    store::update_request(&mut tx, &row).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "privacy.request.execute",
            target_type: "privacy_request",
            target_id: row.id.to_string(),
            unit_id: Some(row.unit_id),
            summary: format!("{} done from request {}", row.kind, row.id),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(executed)
}

/// Writes an erased household's id to the ledger file beside a SQLite database, which a
/// restore does not replace. A failure is logged: the ledger table still has it.
pub fn note_in_ledger_file(db: &Db, household: Uuid) {
    if let Some(path) = store::ledger_file(db)
        && let Err(error) = store::append_ledger_file(&path, household)
    {
        tracing::error!(%error, file = %path.display(), "erasure ledger file not written");
    }
}

/// Tells the responsible officers of each open request past its deadline, once per request
/// (the flag is claimed, so several nodes tell once). Returns the requests flagged.
pub async fn flag_overdue(db: &Db, today: Date, now: OffsetDateTime) -> AppResult<usize> {
    let mut flagged = 0;
    let mut notifier = Notifier::default();
    for row in store::overdue_unflagged(db, today).await? {
        let mut tx = db.begin().await?;
        if !store::claim_overdue(&mut tx, row.id, now).await? {
            continue;
        }
        let notice = Notice {
            kind: "privacy_request",
            unit_id: row.unit_id,
            source_id: Some(row.id),
            subject: "Yêu cầu về dữ liệu cá nhân đã quá hạn".to_owned(),
            body: format!(
                "Yêu cầu của {} nhận ngày {} phải trả lời trước ngày {}.",
                row.person,
                langso_domain::locale::day(row.received_on),
                langso_domain::locale::day(row.due_on)
            ),
            link: format!("/privacy/requests/{}", row.id),
            emergency: false,
        };
        notifier.unit(&mut tx, &notice, now).await?;
        tx.commit().await?;
        flagged += 1;
    }
    Ok(flagged)
}

/// Re-applies erasures listed in `ids` that the database does not hold as done (after a restore
/// from an older backup); households it does not hold are skipped. Returns how many were erased.
pub async fn reapply_erasures(db: &Db, ids: &[Uuid]) -> AppResult<usize> {
    let actor = Actor::system("langso restore");
    let done: std::collections::HashSet<Uuid> = store::erased_ids(db).await?.into_iter().collect();
    let mut erased = 0;
    for id in ids {
        if done.contains(id) {
            continue;
        }
        let Some(household) = households_store::get_household(db, *id).await? else {
            continue;
        };
        let mut tx = db.begin().await?;
        if household.erased {
            store::record_erasure(&mut tx, *id, None, OffsetDateTime::now_utc()).await?;
        } else {
            let summary = "erasure re-applied after a restore from an older backup";
            crate::households::subject::erase_in(&mut tx, &actor, household, summary).await?;
            erased += 1;
        }
        tx.commit().await?;
    }
    Ok(erased)
}
