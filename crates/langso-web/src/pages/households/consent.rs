//! A household's consent to be contacted: the current state, every giving and withdrawal,
//! and the form to record one (an officer with the right to change people's data). One form,
//! two buttons; no script.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use langso_app::households::{self as actions, ConsentInput, ConsentRow, HouseholdView};
use langso_domain::notices::{METHODS, PURPOSES};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, render_form};

/// The form as typed: `action` is `give` or `withdraw`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ConsentForm {
    action: String,
    on: String,
    purpose_announcements: String,
    purpose_programme: String,
    purpose: String,
    method: String,
}

#[derive(Template)]
#[template(path = "household_consent.html")]
struct ConsentPage {
    chrome: Chrome,
    view: HouseholdView,
    history: Vec<ConsentRow>,
    form: ConsentForm,
    /// (code, ticked).
    purposes: Vec<(&'static str, bool)>,
    methods: [&'static str; 3],
    errors: Vec<(String, String)>,
}

impl ConsentPage {
    /// The purposes of an event, in words.
    fn purposes_of(&self, row: &ConsentRow) -> String {
        row.purposes
            .split(',')
            .filter(|p| !p.is_empty())
            .map(|p| self.chrome.tk("consent-purpose", p))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

async fn consent_page(
    state: &AppState,
    page: &Page,
    id: Uuid,
    form: ConsentForm,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let view = actions::get_household(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let history = actions::consent_history(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let purposes = PURPOSES
        .iter()
        .map(|p| {
            let ticked = match *p {
                "announcements" => !form.purpose_announcements.is_empty(),
                _ => !form.purpose_programme.is_empty(),
            };
            (*p, ticked)
        })
        .collect();
    Ok(render_form(
        &ConsentPage {
            chrome: page.chrome.clone(),
            view,
            history,
            form,
            purposes,
            methods: METHODS,
            errors: errors.clone(),
        },
        &errors,
    ))
}

/// The consent page.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let form = ConsentForm {
        on: langso_app::today().to_string(),
        method: "paper".to_owned(),
        ..ConsentForm::default()
    };
    consent_page(&state, &page, id, form, Vec::new()).await
}

/// Records a giving or a withdrawal; back to the page, or the form with what was refused.
pub(super) async fn submit(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ConsentForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let mut purposes = Vec::new();
    if !form.purpose_announcements.is_empty() {
        purposes.push("announcements".to_owned());
    }
    if !form.purpose_programme.is_empty() {
        purposes.push("programme".to_owned());
    }
    let input = ConsentInput {
        on: form.on.clone(),
        purposes,
        purpose: form.purpose.clone(),
        method: form.method.clone(),
    };
    let result = if form.action == "withdraw" {
        actions::withdraw_consent(&state.db, &page.actor, id, &input).await
    } else {
        actions::record_consent(&state.db, &page.actor, id, &input).await
    };
    page.form_or_redirect(
        result,
        |()| format!("/households/{id}/consent"),
        async |errors| consent_page(&state, &page, id, form, errors).await,
    )
    .await
}
