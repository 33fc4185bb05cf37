//! A village judged now against the set in force: each criterion's measure and verdict, the
//! recognition history and the step the reader may take (the commune proposes, the province
//! approves or revokes by decision), and the evidence shown (handled in `evidence`).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use langso_app::auth::policy;
use langso_app::criteria::{
    self as actions, CriteriaSet, EvidenceRow, RecognitionDecision, RecognitionRow,
};
use langso_app::{AppError, AppResult, CellError, today};
use langso_domain::auth::Permission;
use langso_domain::criteria::{Rule, Verdict, VillageStatus, no_longer_meets};
use langso_domain::units::{Unit, parse_date};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::{Errors, amount, label, share};
use crate::AppState;
use crate::html::render_form;
use crate::html::{Chrome, CsrfForm, Page, PageError};

/// One criterion's row on a village's page.
struct OutcomeView {
    code: String,
    label: String,
    measured: String,
    threshold: String,
    verdict: &'static str,
    manual: bool,
}

/// One evidence file, with the name of the criterion it supports.
struct EvidenceView {
    row: EvidenceRow,
    criterion: String,
}

/// A recognition step as typed (the proposal uses only the note).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct StepForm {
    decision_number: String,
    decision_date: String,
    note: String,
}

#[derive(Template)]
#[template(path = "village.html")]
struct VillagePage {
    chrome: Chrome,
    unit: Unit,
    set: Option<CriteriaSet>,
    status: &'static str,
    /// Recognised, but a criterion measured today is below its threshold.
    flagged: bool,
    households: i64,
    /// A thôn or tổ dân phố (clusters are not judged).
    eligible: bool,
    outcomes: Vec<OutcomeView>,
    history: Vec<RecognitionRow>,
    evidence: Vec<EvidenceView>,
    /// The commune may propose (meets the criteria, no proposal pending).
    propose: bool,
    /// The province may decide: approve a proposal / revoke a recognition.
    approve: bool,
    revoke: bool,
    /// May upload and approve evidence.
    manage: bool,
    me: String,
    today: Date,
    form: StepForm,
    errors: Errors,
}

/// A measure as shown: a share as a percentage, a count as a number, nothing as a dash.
fn shown(chrome: &Chrome, measured: Option<f64>, is_share: bool) -> String {
    match measured {
        None => "—".to_owned(),
        Some(value) if is_share => share(chrome, value),
        Some(value) => amount(chrome, value),
    }
}

pub(super) async fn village_page(
    state: &AppState,
    page: &Page,
    id: Uuid,
    form: StepForm,
    errors: Errors,
) -> Result<Response, PageError> {
    let (db, actor, fail) = (&state.db, &page.actor, page.failing());
    let on = today();
    // The history checks access first; clusters (cụm dân cư) have teams but are not judged.
    let history = actions::history(db, actor, id).await.map_err(&fail)?;
    let unit = langso_app::units::get(db, id).await.map_err(&fail)?;
    let eligible = actions::is_eligible(&unit);
    let evaluation = if eligible {
        Some(
            actions::evaluate_village(db, actor, id, on)
                .await
                .map_err(&fail)?,
        )
    } else {
        None
    };
    let (status, households, set_id, evaluated) = match evaluation {
        Some(e) => (e.status, e.households, e.set_id, e.outcomes),
        None => (VillageStatus::NotStarted, 0, None, Vec::new()),
    };
    let evidence = actions::evidence_of(db, actor, id).await.map_err(&fail)?;
    let set = match set_id {
        Some(set_id) => actions::list_sets(db)
            .await
            .map_err(&fail)?
            .into_iter()
            .find(|s| s.id == set_id),
        None => None,
    };
    let manage = policy::allows(db, actor, Permission::ManageProgramme, id)
        .await
        .map_err(&fail)?;
    let decide = actions::require_province(db, actor, Permission::ManageProgramme, id)
        .await
        .is_ok();
    let last = history.last().map(|r| r.status.as_str());
    let chrome = &page.chrome;
    let criterion = |code: &str| {
        set.as_ref()
            .and_then(|s| s.criteria.iter().find(|c| c.code == code))
    };
    let outcomes = evaluated
        .iter()
        .map(|o| {
            let found = criterion(&o.code);
            let is_share = found.is_some_and(|c| {
                matches!(
                    c.rule,
                    Rule::IndicatorShare { .. } | Rule::GroupCoverage { .. }
                )
            });
            OutcomeView {
                code: o.code.clone(),
                label: found.map_or_else(|| o.code.clone(), |c| label(c, page.lang)),
                measured: shown(chrome, o.measured, is_share),
                threshold: shown(chrome, Some(o.threshold), is_share),
                verdict: match o.verdict {
                    Verdict::Pass => "pass",
                    Verdict::Fail => "fail",
                    Verdict::NoData => "no_data",
                },
                manual: found.is_some_and(|c| matches!(c.rule, Rule::Manual { .. })),
            }
        })
        .collect();
    let evidence = evidence
        .into_iter()
        .map(|row| EvidenceView {
            criterion: criterion(&row.criterion)
                .map_or_else(|| row.criterion.clone(), |c| label(c, page.lang)),
            row,
        })
        .collect();
    let shown = VillagePage {
        flagged: no_longer_meets(&evaluated, status == VillageStatus::Recognised),
        status: status.as_str(),
        households,
        eligible,
        propose: manage
            && status == VillageStatus::MeetsCriteria
            && matches!(last, None | Some("revoked")),
        approve: decide && last == Some("proposed"),
        revoke: decide && last == Some("recognised"),
        manage,
        me: actor.label.clone(),
        today: on,
        chrome: chrome.clone(),
        unit,
        set,
        outcomes,
        history,
        evidence,
        form,
        errors,
    };
    Ok(render_form(&shown, &shown.errors))
}

/// `/villages/{id}`: a village judged now against the set in force, its status history,
/// evidence, and the recognition actions the reader may take.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    village_page(&state, &page, id, StepForm::default(), Vec::new()).await
}

/// The recognition steps, each with its own address and rights.
#[derive(Clone, Copy)]
enum Step {
    Propose,
    Approve,
    Revoke,
}

/// POST `/villages/{id}/propose`: the commune proposes the village.
pub(super) async fn propose(
    state: State<AppState>,
    page: Page,
    id: Path<String>,
    form: CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    recognition(state, page, id, Step::Propose, form).await
}

/// POST `/villages/{id}/approve`: the province recognises the village by decision.
pub(super) async fn approve(
    state: State<AppState>,
    page: Page,
    id: Path<String>,
    form: CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    recognition(state, page, id, Step::Approve, form).await
}

/// POST `/villages/{id}/revoke`: the province revokes the recognition by decision.
pub(super) async fn revoke(
    state: State<AppState>,
    page: Page,
    id: Path<String>,
    form: CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    recognition(state, page, id, Step::Revoke, form).await
}

/// A decision step: the decision's date is read here (the action takes a date), and a date
/// that does not read is refused only to a province officer, like the action's own refusals.
async fn decide(
    state: &AppState,
    page: &Page,
    id: Uuid,
    step: Step,
    form: &StepForm,
) -> AppResult<RecognitionRow> {
    let Ok(decision_date) = parse_date(&form.decision_date) else {
        langso_app::units::get(&state.db, id).await?;
        actions::require_province(&state.db, &page.actor, Permission::ManageProgramme, id).await?;
        let refused = CellError::keyed(0, "decision_date", "crit-date-invalid", &[]);
        return Err(AppError::Invalid(vec![refused]));
    };
    let decision = RecognitionDecision {
        decision_number: form.decision_number.trim().to_owned(),
        decision_date,
        note: form.note.trim().to_owned(),
    };
    match step {
        Step::Approve => actions::approve(&state.db, &page.actor, id, &decision).await,
        _ => actions::revoke(&state.db, &page.actor, id, &decision).await,
    }
}

async fn recognition(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    step: Step,
    CsrfForm(form): CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let result = match step {
        Step::Propose => actions::propose(&state.db, &page.actor, id, form.note.trim()).await,
        Step::Approve | Step::Revoke => decide(&state, &page, id, step, &form).await,
    };
    page.form_or_redirect(
        result,
        |_| format!("/villages/{id}"),
        async |errors| village_page(&state, &page, id, form, errors).await,
    )
    .await
}
