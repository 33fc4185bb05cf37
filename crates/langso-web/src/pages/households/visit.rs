//! The visit form: one page a team member fills at the door on a phone (big choices, no
//! typing but the notes), and its answer: back to the household, or the form again with each
//! refused field named beside it and what was chosen kept.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use langso_app::households::{self as actions, HouseholdView, VisitInput};
use langso_app::{AppError, CellError, today};
use langso_domain::households::{HELP_KINDS, IndicatorKind};
use langso_domain::units::parse_date;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::label;
use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, render};

/// An indicator with its label in the reader's language and the choices its form offers.
struct Field {
    code: String,
    label: String,
    help: String,
    choices: Vec<i64>,
    current: i64,
    yes_no: bool,
}

/// The refused fields, as (field, message in the reader's language).
struct Errors(Vec<(String, String)>);

impl Errors {
    /// The message beside `field`, if it was refused.
    fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, text)| text.as_str())
    }
}

#[derive(Template)]
#[template(path = "visit.html")]
struct VisitPage {
    chrome: Chrome,
    view: HouseholdView,
    fields: Vec<Field>,
    /// (code, words, chosen) of each kind of help.
    help: Vec<(&'static str, &'static str, bool)>,
    errors: Errors,
    form: VisitForm,
    today: String,
}

/// The posted visit: indicator choices arrive as `ind.<code>` fields and help as repeated
/// `help` fields, so the form is read from its pairs; every value stays text until checked.
#[derive(Deserialize, Default)]
#[serde(from = "Vec<(String, String)>")]
pub(super) struct VisitForm {
    visit_id: String,
    visited_on: String,
    follow_up_on: String,
    notes: String,
    values: BTreeMap<String, String>,
    help: Vec<String>,
}

impl From<Vec<(String, String)>> for VisitForm {
    fn from(pairs: Vec<(String, String)>) -> Self {
        let mut form = VisitForm::default();
        for (name, value) in pairs {
            let value = value.trim().to_owned();
            match name.as_str() {
                "visit_id" => form.visit_id = value,
                "visited_on" => form.visited_on = value,
                "follow_up_on" => form.follow_up_on = value,
                "notes" => form.notes = value,
                "help" => form.help.push(value),
                other => {
                    if let Some(code) = other.strip_prefix("ind.") {
                        form.values.insert(code.to_owned(), value);
                    }
                }
            }
        }
        form
    }
}

impl VisitForm {
    /// The visit to record, or each field that is not a choice or a day.
    fn input(&self) -> Result<VisitInput, AppError> {
        let mut errors = Vec::new();
        let mut values = BTreeMap::new();
        for (code, text) in &self.values {
            match text.parse::<i64>() {
                Ok(value) => {
                    values.insert(code.clone(), value);
                }
                Err(_) => errors.push(CellError::keyed(0, code, "hh-visit-choice-invalid", &[])),
            }
        }
        let mut day = |field: &str, text: &str| -> Option<Date> {
            if text.is_empty() {
                return None;
            }
            parse_date(text)
                .map_err(|_| errors.push(CellError::keyed(0, field, "hh-visit-day-invalid", &[])))
                .ok()
        };
        let visited_on = day("visited_on", &self.visited_on);
        let follow_up_on = day("follow_up_on", &self.follow_up_on);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok(VisitInput {
            id: Uuid::parse_str(&self.visit_id).ok(),
            visited_on,
            values,
            help: self.help.clone(),
            follow_up_on,
            notes: self.notes.clone(),
        })
    }
}

/// The form for household `id`, with `errors` beside their fields and `form` as sent.
async fn visit_page(
    state: &AppState,
    page: &Page,
    id: Uuid,
    errors: Vec<(String, String)>,
    form: VisitForm,
) -> Result<Response, PageError> {
    let view = actions::get_household(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let indicators = actions::catalogue(&state.db, today())
        .await
        .map_err(page.failing())?;
    let fields = indicators
        .iter()
        .filter(|i| !i.business_only || view.row.business)
        .map(|i| {
            let (label, help) = label(page.lang, i);
            let max = match i.kind {
                IndicatorKind::YesNo => 1,
                IndicatorKind::AdultCount => view.row.adults,
                IndicatorKind::Count => view.row.members.max(view.row.adults).min(10),
                IndicatorKind::Level => 2,
            };
            let stored = view.values.iter().find(|(c, _)| *c == i.code);
            let sent = form.values.get(&i.code).and_then(|v| v.parse().ok());
            Field {
                code: i.code.clone(),
                label,
                help,
                choices: (0..=max).collect(),
                current: sent.unwrap_or_else(|| stored.map_or(0, |(_, v)| *v)),
                yes_no: i.kind == IndicatorKind::YesNo,
            }
        })
        .collect();
    let help = HELP_KINDS
        .iter()
        .map(|(code, _, _)| {
            let words = page.lang.t(&format!("hh-help-kind-{code}"));
            (*code, words, form.help.iter().any(|h| h == code))
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = render(&VisitPage {
        chrome: page.chrome.clone(),
        view,
        fields,
        help,
        errors: Errors(errors),
        form,
        today: today().to_string(),
    });
    *response.status_mut() = status;
    Ok(response)
}

/// The empty form (today's date, the household's current values chosen).
pub(super) async fn form(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let form = VisitForm {
        visited_on: today().to_string(),
        ..VisitForm::default()
    };
    visit_page(&state, &page, id, Vec::new(), form).await
}

/// Records the visit and goes back to the household, which says it was saved and offers the
/// next household of the round.
pub(super) async fn submit(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<VisitForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let result = match form.input() {
        Ok(input) => state.visits.record(&page.actor, id, &input).await,
        Err(refused) => Err(refused),
    };
    page.form_or_redirect(
        result,
        |visit| format!("/households/{id}?saved={}", visit.visited_on),
        async |errors| visit_page(&state, &page, id, errors, form).await,
    )
    .await
}
