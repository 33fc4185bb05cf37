//! Giving households to team members in the browser, for whoever runs the team: a whole
//! alley at once, or the households ticked on a list (fifty a page, in walking order). The
//! unit is picked by its name; outside the reader's units the page and the action answer 404.
//! The rule and the audit entry are the app's (`langso_app::households::assign_households`).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use langso_app::households::{self as actions, AssignView};
use langso_app::{AppError, AppResult};
use langso_domain::auth::Permission;
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, UnitPicker, picked_or_named, render};

#[derive(Template)]
#[template(path = "round_assign.html")]
struct AssignPage {
    chrome: Chrome,
    unit_picker: UnitPicker,
    /// The unit chosen, and its households.
    chosen: Option<(Uuid, AssignView)>,
    alley: String,
    /// How many were just assigned (after a redirect).
    done: Option<usize>,
    errors: Vec<(String, String)>,
}

impl AssignPage {
    fn link(&self, unit: &Uuid, page: usize) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("unit", &unit.to_string());
        if !self.alley.is_empty() {
            query.append_pair("alley", &self.alley);
        }
        query.append_pair("page", &page.to_string());
        format!("/households/assign?{}", query.finish())
    }

    fn sheet_link(&self, unit: &Uuid) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("unit", &unit.to_string());
        if !self.alley.is_empty() {
            query.append_pair("alley", &self.alley);
        }
        format!("/round/sheet?{}", query.finish())
    }
}

/// The unit and alley asked for, as GET parameters.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct AssignQuery {
    unit: String,
    alley: String,
    page: String,
    done: String,
}

/// The posted assignment: `household` repeats (one per ticked box), so the form is read
/// from its pairs.
#[derive(Deserialize, Default)]
#[serde(from = "Vec<(String, String)>")]
pub(super) struct AssignForm {
    unit: String,
    alley: String,
    user: String,
    mode: String,
    households: Vec<String>,
}

impl From<Vec<(String, String)>> for AssignForm {
    fn from(pairs: Vec<(String, String)>) -> Self {
        let mut form = AssignForm::default();
        for (name, value) in pairs {
            let value = value.trim().to_owned();
            match name.as_str() {
                "unit" => form.unit = value,
                "alley" => form.alley = value,
                "user" => form.user = value,
                "mode" => form.mode = value,
                "household" => form.households.push(value),
                _ => {}
            }
        }
        form
    }
}

/// The page for `unit_text` (a unit's label or id), with `errors` from a refused form.
async fn assign_page(
    state: &AppState,
    page: &Page,
    unit_text: &str,
    alley: &str,
    number: usize,
    done: Option<usize>,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let alley_filter = Some(alley).filter(|a| !a.is_empty());
    let list = async |unit: Uuid| {
        actions::assignment_list(&state.db, &page.actor, unit, alley_filter, number)
            .await
            .map(|view| (unit, view))
            .map_err(page.failing())
    };
    // A unit named by id is checked before anything else is read, so one outside the reader's
    // units answers 404 whatever the reader's roles are.
    let mut chosen = match Uuid::parse_str(unit_text.trim()) {
        Ok(unit) => Some(list(unit).await?),
        Err(_) => None,
    };
    let mut unit_picker = UnitPicker::load(
        &state.db,
        page,
        Permission::WritePeople,
        "unit",
        "round-assign-unit",
        chosen.as_ref().map(|(unit, _)| *unit),
    )
    .await?;
    if chosen.is_none() && !unit_text.trim().is_empty() {
        let unit = picked_or_named(&state.db, Some(&mut unit_picker), unit_text)
            .await
            .ok_or_else(|| page.not_found())?;
        chosen = Some(list(unit).await?);
    }
    let mut response = render(&AssignPage {
        chrome: page.chrome.clone(),
        unit_picker,
        chosen,
        alley: alley.to_owned(),
        done,
        errors: errors.clone(),
    });
    if !errors.is_empty() {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// The assignment page.
pub(super) async fn form(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<AssignQuery>,
) -> Result<Response, PageError> {
    let number = query.page.trim().parse().unwrap_or(1);
    let done = query.done.trim().parse().ok();
    assign_page(
        &state,
        &page,
        &query.unit,
        query.alley.trim(),
        number,
        done,
        Vec::new(),
    )
    .await
}

/// Assigns the alley or the ticked households, then shows the list again saying how many.
pub(super) async fn submit(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<AssignForm>,
) -> Result<Response, PageError> {
    let unit = page.id(&form.unit)?;
    let result: AppResult<usize> = async {
        let user = match form.user.as_str() {
            "" => None,
            text => Some(Uuid::parse_str(text).map_err(|_| AppError::NotFound)?),
        };
        if form.mode == "alley" {
            actions::assign_alley(&state.db, &page.actor, unit, &form.alley, user).await
        } else {
            let mut ids = Vec::with_capacity(form.households.len());
            for text in &form.households {
                ids.push(Uuid::parse_str(text).map_err(|_| AppError::NotFound)?);
            }
            actions::assign_households(&state.db, &page.actor, unit, &ids, user).await
        }
    }
    .await;
    let alley = if form.mode == "alley" {
        form.alley.clone()
    } else {
        String::new()
    };
    page.form_or_redirect(
        result,
        |count| {
            let mut query = form_urlencoded::Serializer::new(String::new());
            query.append_pair("unit", &unit.to_string());
            if !alley.is_empty() {
                query.append_pair("alley", &alley);
            }
            query.append_pair("done", &count.to_string());
            format!("/households/assign?{}", query.finish())
        },
        async |errors| {
            assign_page(
                &state,
                &page,
                &unit.to_string(),
                &form.alley,
                1,
                None,
                errors,
            )
            .await
        },
    )
    .await
}
