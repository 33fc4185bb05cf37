//! The village head's review of offline rounds (`/households/review?unit=`): visits written on
//! a household that had changed since the phone saw it (mark reviewed), visits held because
//! their member lost the right or their phone was revoked (accept or discard), and household
//! changes proposed in the field (confirm — with the new household's code — or reject). Plain
//! forms; each answers with a redirect back to the list, or the list again with the refusal.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::households::offline::{self as actions, ReviewList};
use langso_app::{AppError, AppResult};
use langso_domain::units::Unit;
use serde::Deserialize;

use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, render};
use crate::messages;

/// One row of the page, in the reader's words.
struct Line {
    id: String,
    household: String,
    title: String,
    day: String,
    member: String,
    values: String,
    reason: String,
}

/// One proposal, in the reader's words.
struct ProposalLine {
    id: String,
    kind: String,
    title: String,
    day: String,
    member: String,
    details: String,
    needs_code: bool,
    code: String,
}

#[derive(Template)]
#[template(path = "offline_review.html")]
struct ReviewPage {
    chrome: Chrome,
    unit: Unit,
    problem: Option<String>,
    flagged: Vec<Line>,
    held: Vec<Line>,
    proposals: Vec<ProposalLine>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct UnitQuery {
    unit: String,
}

/// `code: value, …` of a visit's values as stored (`{"smartphones": 2}`).
fn values_text(json: &str) -> String {
    serde_json::from_str::<BTreeMap<String, i64>>(json)
        .unwrap_or_default()
        .iter()
        .map(|(code, value)| format!("{code}: {value}"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn household_title(state: &AppState, page: &Page, id: uuid::Uuid) -> String {
    match langso_app::households::get_household(&state.db, &page.actor, id).await {
        Ok(view) => format!("{} · {}", view.row.code, view.row.head_name),
        Err(_) => String::new(),
    }
}

async fn show_list(
    state: &AppState,
    page: &Page,
    unit: Unit,
    problem: Option<String>,
) -> Result<Response, PageError> {
    let list: ReviewList = actions::review_list(&state.db, &page.actor, unit.id)
        .await
        .map_err(page.failing())?;
    let lang = page.lang;
    let flagged = list
        .flagged
        .iter()
        .map(|f| Line {
            id: f.visit_id.to_string(),
            household: f.household_id.to_string(),
            title: format!("{} · {}", f.code, f.head_name),
            day: page.chrome.day(f.visited_on),
            member: f.visitor_label.clone(),
            values: values_text(&f.observed),
            reason: String::new(),
        })
        .collect();
    let mut held = Vec::with_capacity(list.held.len());
    for h in &list.held {
        let body: serde_json::Value = serde_json::from_str(&h.body).unwrap_or_default();
        let day = body["visited_on"]
            .as_str()
            .and_then(|d| {
                time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).ok()
            })
            .map(|d| page.chrome.day(d))
            .unwrap_or_default();
        held.push(Line {
            id: h.id.to_string(),
            household: h.household_id.to_string(),
            title: household_title(state, page, h.household_id).await,
            day,
            member: h.member_label.clone(),
            values: values_text(&body["values"].to_string()),
            reason: lang
                .t(&format!("rounds-review-reason-{}", h.reason))
                .to_owned(),
        });
    }
    let mut proposals = Vec::with_capacity(list.proposals.len());
    for p in &list.proposals {
        let d = actions::proposal_data(p);
        let title = match p.household_id {
            Some(id) => household_title(state, page, id).await,
            None => d.head_name.clone(),
        };
        let mut details: Vec<String> = [&d.head_name, &d.hamlet, &d.alley, &d.house_number]
            .into_iter()
            .filter(|t| !t.trim().is_empty())
            .cloned()
            .collect();
        if let Some(members) = d.members {
            let line = messages::render(
                lang,
                "rounds-review-members",
                &[("members", members.to_string())],
            );
            details.push(line);
        }
        if !d.note.trim().is_empty() {
            details.push(d.note.clone());
        }
        proposals.push(ProposalLine {
            id: p.id.to_string(),
            kind: lang.t(&format!("rounds-review-kind-{}", p.kind)).to_owned(),
            title,
            day: page.chrome.day(p.recorded_on),
            member: p.member_label.clone(),
            details: details.join(" · "),
            needs_code: matches!(p.kind.as_str(), "new" | "split"),
            code: actions::suggested_code(p),
        });
    }
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page_html = render(&ReviewPage {
        chrome: page.chrome.clone(),
        unit,
        problem,
        flagged,
        held,
        proposals,
    });
    Ok((status, page_html).into_response())
}

/// `GET /households/review?unit=`: what waits for the village head.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(query.unit.as_str())).await?;
    show_list(&state, &page, unit, None).await
}

/// A decision posted from the page.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Decision {
    unit: String,
    decision: String,
    code: String,
}

/// Back to the list, or the list again with the refusal.
async fn answer(
    state: &AppState,
    page: &Page,
    unit: &str,
    result: AppResult<()>,
) -> Result<Response, PageError> {
    let unit = page.unit(state, Some(unit)).await?;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/households/review?unit={}", unit.id)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let text = problems
                .iter()
                .map(|p| messages::describe(p, page.lang))
                .collect::<Vec<_>>()
                .join("; ");
            show_list(state, page, unit, Some(text)).await
        }
        Err(error) => Err(page.fail(error)),
    }
}

/// `POST /households/review/visits/{id}`: a flagged visit reviewed.
pub(super) async fn reviewed(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Decision>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let result = actions::mark_reviewed(&state.db, &page.actor, id).await;
    answer(&state, &page, &form.unit, result).await
}

/// `POST /households/review/held/{id}`: accept or discard a held visit.
pub(super) async fn held(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Decision>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let result = match form.decision.as_str() {
        "accept" => actions::accept_held(&state.db, &page.actor, id).await,
        "discard" => actions::discard_held(&state.db, &page.actor, id).await,
        _ => Err(AppError::NotFound),
    };
    answer(&state, &page, &form.unit, result).await
}

/// `POST /households/review/proposals/{id}`: confirm or reject a proposal.
pub(super) async fn proposal(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Decision>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let result = match form.decision.as_str() {
        "confirm" => actions::confirm_proposal(&state.db, &page.actor, id, &form.code).await,
        "reject" => actions::reject_proposal(&state.db, &page.actor, id).await,
        _ => Err(AppError::NotFound),
    };
    answer(&state, &page, &form.unit, result).await
}
