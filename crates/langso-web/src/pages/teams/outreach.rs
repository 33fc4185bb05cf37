//! The trainings, conferences, billboards and broadcasts of a unit, and the form to record
//! one.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use langso_app::auth::policy;
use langso_app::teams::{self as actions, OutreachInput, OutreachRow};
use langso_app::{CellError, today};
use langso_domain::auth::Permission;
use langso_domain::teams::OutreachKind;
use langso_domain::units::Unit;
use serde::Deserialize;
use time::Duration;

use super::{Errors, UnitQuery, day, refuse};
use crate::AppState;
use crate::html::render_form;
use crate::html::{Chrome, CsrfForm, Page, PageError};

/// The form to record an event, as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct OutreachForm {
    unit: String,
    kind: String,
    held_on: String,
    topic: String,
    attendance: String,
    public: String,
}

#[derive(Template)]
#[template(path = "outreach.html")]
struct OutreachPage {
    chrome: Chrome,
    unit: Unit,
    events: Vec<OutreachRow>,
    kinds: Vec<&'static str>,
    write: bool,
    form: OutreachForm,
    errors: Errors,
}

async fn outreach_page(
    state: &AppState,
    page: &Page,
    unit: Unit,
    mut form: OutreachForm,
    errors: Errors,
) -> Result<Response, PageError> {
    let to = today();
    let from = to - Duration::days(3 * 366);
    let events = actions::list_outreach(&state.db, &page.actor, unit.id, from, to)
        .await
        .map_err(page.failing())?;
    let write = policy::allows(&state.db, &page.actor, Permission::ManageProgramme, unit.id)
        .await
        .map_err(page.failing())?;
    if form.held_on.is_empty() {
        form.held_on = to.to_string();
    }
    let shown = OutreachPage {
        chrome: page.chrome.clone(),
        unit,
        events,
        kinds: OutreachKind::ALL.iter().map(|k| k.as_str()).collect(),
        write,
        form,
        errors,
    };
    Ok(render_form(&shown, &shown.errors))
}

/// `/outreach?unit=`: trainings, conferences, billboards and broadcasts of the last three
/// years, and the form to record one.
pub(super) async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    outreach_page(&state, &page, unit, OutreachForm::default(), Vec::new()).await
}

/// POST `/outreach`: records an event.
pub(super) async fn record(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<OutreachForm>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(&form.unit)).await?;
    let held_on = day(&form.held_on, "held_on");
    let attendance = match form.attendance.trim() {
        "" => Ok(0),
        text => text
            .parse::<i64>()
            .map_err(|_| CellError::keyed(0, "attendance", "outreach-attendance-not-number", &[])),
    };
    let result = match (held_on, attendance) {
        (Ok(held_on), Ok(attendance)) => {
            let input = OutreachInput {
                unit_id: unit.id,
                kind: form.kind.trim().to_owned(),
                held_on,
                topic: form.topic.trim().to_owned(),
                attendance,
                public: form.public == "1",
            };
            actions::record_outreach(&state.db, &page.actor, &input).await
        }
        (Err(refused), _) | (_, Err(refused)) => refuse(&state, &page, unit.id, refused).await,
    };
    let unit_id = unit.id;
    page.form_or_redirect(
        result,
        move |_| format!("/outreach?unit={unit_id}"),
        async |errors| outreach_page(&state, &page, unit, form, errors).await,
    )
    .await
}
