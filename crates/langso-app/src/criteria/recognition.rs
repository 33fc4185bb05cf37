//! Recognition of smart villages: the commune proposes a village that meets the criteria, a
//! province officer recognises it by decision (number and date), and may revoke it. Each step
//! is appended to the village's ledger with its audit entry in the same transaction.

use langso_domain::auth::Permission;
use langso_domain::criteria::{RecognitionStep, Verdict, VillageStatus};
use langso_domain::teams::required_text;
use langso_store::criteria::{self as store, RecognitionRow};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::evaluate::{evaluate_village, is_eligible};
use super::require_province;
use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db, today};

/// A province's decision.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct RecognitionDecision {
    /// The decision's number ("2150/QĐ-UBND").
    pub decision_number: String,
    /// Its date: the step holds from this day.
    pub decision_date: Date,
    /// Notes (the reason for a revocation).
    #[serde(default)]
    pub note: String,
}

async fn village(db: &Db, unit: Uuid) -> AppResult<langso_domain::units::Unit> {
    let unit = langso_store::units::get(db, unit)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(unit)
}

/// A refusal of one field, by catalogue key.
fn refused(
    field: &str,
    key: &'static str,
    args: &[(&'static str, &dyn std::fmt::Display)],
) -> AppError {
    AppError::Invalid(vec![CellError::keyed(0, field, key, args)])
}

async fn last_step(
    tx: &mut langso_store::Tx,
    unit: Uuid,
) -> AppResult<Option<(RecognitionStep, Date)>> {
    Ok(store::recognition_history(&mut *tx, unit)
        .await?
        .last()
        .and_then(|r| RecognitionStep::parse(&r.status).map(|s| (s, r.effective_on))))
}

#[allow(clippy::too_many_arguments)]
async fn append(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    step: RecognitionStep,
    effective_on: Date,
    decision_number: Option<String>,
    note: &str,
    set_id: Option<Uuid>,
) -> AppResult<RecognitionRow> {
    let mut tx = db.begin().await?;
    let last = last_step(&mut tx, unit).await?;
    if !step.may_follow(last.map(|(s, _)| s)) {
        return Err(refused("status", "criteria-step-out-of-order", &[]));
    }
    if last.is_some_and(|(_, on)| effective_on < on) {
        return Err(refused(
            "decision_date",
            "criteria-step-date-before-previous",
            &[],
        ));
    }
    let row = RecognitionRow {
        id: Uuid::now_v7(),
        unit_id: unit,
        set_id,
        status: step.as_str().to_owned(),
        effective_on,
        decision_number,
        actor_label: actor.label.clone(),
        note: note.trim().chars().take(1000).collect(),
        created_at: OffsetDateTime::now_utc(),
    };
    store::insert_recognition(&mut tx, &row).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: match step {
                RecognitionStep::Proposed => "recognition.propose",
                RecognitionStep::Recognised => "recognition.approve",
                RecognitionStep::Revoked => "recognition.revoke",
            },
            target_type: "village",
            target_id: unit.to_string(),
            unit_id: Some(unit),
            summary: format!(
                "{} {} {}",
                row.effective_on,
                row.decision_number.as_deref().unwrap_or(""),
                row.note
            )
            .trim()
            .to_owned(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// The commune proposes a village that meets every criterion of the set in force today.
pub async fn propose(db: &Db, actor: &Actor, unit: Uuid, note: &str) -> AppResult<RecognitionRow> {
    let v = village(db, unit).await?;
    policy::require(db, actor, Permission::ManageProgramme, unit).await?;
    if !is_eligible(&v) {
        return Err(refused("unit_id", "criteria-recognition-unit-level", &[]));
    }
    let evaluation =
        evaluate_village(db, &crate::Actor::system("evaluation"), unit, today()).await?;
    if evaluation.status != VillageStatus::MeetsCriteria {
        let missing: Vec<String> = evaluation
            .outcomes
            .iter()
            .filter(|o| o.verdict != Verdict::Pass)
            .map(|o| o.code.clone())
            .collect();
        // "none" when no set is in force, which the catalogue words.
        let missing = if missing.is_empty() {
            "none".to_owned()
        } else {
            missing.join(", ")
        };
        return Err(refused(
            "unit_id",
            "criteria-village-not-meeting",
            &[("missing", &missing)],
        ));
    }
    append(
        db,
        actor,
        unit,
        RecognitionStep::Proposed,
        today(),
        None,
        note,
        evaluation.set_id,
    )
    .await
}

fn check_decision(decision: &RecognitionDecision) -> AppResult<String> {
    let mut problems = Vec::new();
    let number = required_text(&decision.decision_number, 60)
        .map_err(|e| problems.push(CellError::from_message(0, "decision_number", e.message())))
        .ok();
    if decision.decision_date > today() || decision.decision_date.year() < 2000 {
        problems.push(CellError::keyed(
            0,
            "decision_date",
            "criteria-decision-date-invalid",
            &[],
        ));
    }
    match number {
        Some(number) if problems.is_empty() => Ok(number),
        _ => Err(AppError::Invalid(problems)),
    }
}

/// A province officer recognises a proposed village by decision.
pub async fn approve(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    decision: &RecognitionDecision,
) -> AppResult<RecognitionRow> {
    village(db, unit).await?;
    require_province(db, actor, Permission::ManageProgramme, unit).await?;
    let number = check_decision(decision)?;
    append(
        db,
        actor,
        unit,
        RecognitionStep::Recognised,
        decision.decision_date,
        Some(number),
        &decision.note,
        None,
    )
    .await
}

/// A province officer revokes a recognition by decision.
pub async fn revoke(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    decision: &RecognitionDecision,
) -> AppResult<RecognitionRow> {
    village(db, unit).await?;
    require_province(db, actor, Permission::ManageProgramme, unit).await?;
    let number = check_decision(decision)?;
    if decision.note.trim().is_empty() {
        return Err(refused("note", "criteria-reason-required", &[]));
    }
    append(
        db,
        actor,
        unit,
        RecognitionStep::Revoked,
        decision.decision_date,
        Some(number),
        &decision.note,
        None,
    )
    .await
}

/// Records a recognition decided before Langso was used (the proposal and the decision, with
/// their dates), at the command line or by the demo: only the system actor may.
pub async fn import_recognition(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    proposed_on: Date,
    decision: &RecognitionDecision,
) -> AppResult<()> {
    if !actor.is_system() {
        return Err(AppError::Forbidden);
    }
    village(db, unit).await?;
    let number = check_decision(decision)?;
    append(
        db,
        actor,
        unit,
        RecognitionStep::Proposed,
        proposed_on,
        None,
        "nhập quyết định đã có / imported decision",
        None,
    )
    .await?;
    append(
        db,
        actor,
        unit,
        RecognitionStep::Recognised,
        decision.decision_date,
        Some(number),
        &decision.note,
        None,
    )
    .await?;
    Ok(())
}

/// A village's recognition history, oldest first (`ReadDashboard`).
pub async fn history(db: &Db, actor: &Actor, unit: Uuid) -> AppResult<Vec<RecognitionRow>> {
    village(db, unit).await?;
    policy::require(db, actor, Permission::ReadDashboard, unit).await?;
    Ok(store::recognition_history(db, unit).await?)
}
