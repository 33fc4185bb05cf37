//! Evidence for manual criteria: a file uploaded for a village and a criterion, which counts
//! once someone other than the uploader approves it.

use langso_domain::auth::Permission;
use langso_domain::criteria::Rule;
use langso_store::criteria::{self as store, EvidenceRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::sets::from_row;
use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db};

/// The largest file accepted (5 MB: a scanned minute or a few photos).
pub const MAX_EVIDENCE: usize = 5 * 1024 * 1024;

/// Uploads a file for a manual criterion of `set` in a village.
#[allow(clippy::too_many_arguments)]
pub async fn upload_evidence(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    set: Uuid,
    criterion: &str,
    file_name: &str,
    content_type: &str,
    content: &[u8],
) -> AppResult<EvidenceRow> {
    langso_store::units::get(db, unit)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ManageProgramme, unit).await?;
    let set_row = store::get_set(db, set).await?.ok_or_else(|| {
        AppError::Invalid(vec![CellError::keyed(
            0,
            "set",
            "criteria-set-not-found",
            &[],
        )])
    })?;
    let set = from_row(db, set_row).await?;
    let mut problems = Vec::new();
    let manual = set
        .criteria
        .iter()
        .any(|c| c.code == criterion && matches!(c.rule, Rule::Manual { .. }));
    if !manual {
        problems.push(CellError::keyed(
            0,
            "criterion",
            "criteria-evidence-not-manual",
            &[],
        ));
    }
    if content.is_empty() || content.len() > MAX_EVIDENCE {
        problems.push(CellError::keyed(
            0,
            "file",
            "criteria-evidence-file-size",
            &[],
        ));
    }
    let name = file_name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        problems.push(CellError::keyed(0, "file_name", "criteria-required", &[]));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let row = EvidenceRow {
        id: Uuid::now_v7(),
        set_id: set.id,
        criterion: criterion.to_owned(),
        unit_id: unit,
        file_name: name.to_owned(),
        content_type: content_type.chars().take(100).collect(),
        uploaded_by: actor.label.clone(),
        uploaded_by_id: actor.user_id,
        approved_by: None,
        approved_at: None,
        created_at: OffsetDateTime::now_utc(),
    };
    let mut tx = db.begin().await?;
    store::insert_evidence(&mut tx, &row, content).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "criteria.evidence_upload",
            target_type: "evidence",
            target_id: row.id.to_string(),
            unit_id: Some(unit),
            summary: format!(
                "{} {} ({} bytes)",
                row.criterion,
                row.file_name,
                content.len()
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Whether `actor` is the uploader: by user id whatever the route (page, API, a token the
/// person minted, whose label differs); by label only for evidence stored before ids were
/// kept, or uploaded by the command line.
fn same_person(row: &EvidenceRow, actor: &Actor) -> bool {
    match (row.uploaded_by_id, actor.user_id) {
        (Some(uploader), Some(approver)) => uploader == approver,
        _ => row.uploaded_by == actor.label,
    }
}

/// Approves evidence: by someone holding `ManageProgramme` on the village other than the
/// uploader (four eyes).
pub async fn approve_evidence(db: &Db, actor: &Actor, id: Uuid) -> AppResult<EvidenceRow> {
    let row = store::get_evidence(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ManageProgramme, row.unit_id).await?;
    if same_person(&row, actor) {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "approver",
            "criteria-evidence-self-approval",
            &[],
        )]));
    }
    let mut tx = db.begin().await?;
    store::approve_evidence(&mut tx, id, &actor.label).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "criteria.evidence_approve",
            target_type: "evidence",
            target_id: id.to_string(),
            unit_id: Some(row.unit_id),
            summary: format!("{} {}", row.criterion, row.file_name),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(store::get_evidence(db, id).await?.unwrap_or(row))
}

/// An evidence file and its bytes, for whoever may read the village's programme data
/// (`ReadDashboard`): the approver opens what they approve.
pub async fn evidence_file(db: &Db, actor: &Actor, id: Uuid) -> AppResult<(EvidenceRow, Vec<u8>)> {
    let row = store::get_evidence(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadDashboard, row.unit_id).await?;
    let content = store::evidence_content(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((row, content))
}

/// A village's evidence, newest first (`ReadDashboard`).
pub async fn evidence_of(db: &Db, actor: &Actor, unit: Uuid) -> AppResult<Vec<EvidenceRow>> {
    policy::require(db, actor, Permission::ReadDashboard, unit).await?;
    Ok(store::evidence_of(db, unit).await?)
}
