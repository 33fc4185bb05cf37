//! The teams domain for officers: the digital teams at or under a unit (and the form to set one
//! up), one team with its members (and the form to add one) in [`team`], and the trainings and
//! outreach of a unit (and the form to record one) in [`outreach`]. Every action goes through
//! the same `langso_app` function as the API; each form is answered by
//! [`Page::form_or_redirect`].

mod outreach;
mod team;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use langso_app::auth::policy;
use langso_app::{AppError, AppResult, CellError};
use langso_domain::auth::Permission;
use langso_domain::units::{Unit, parse_date};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use crate::AppState;
use crate::html::{Page, PageError, Routes, render};

/// The teams screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/teams", team::index)
        .post("/teams", team::create)
        .get("/teams/{id}", team::show)
        .post("/teams/{id}/members", team::add_member)
        .get("/outreach", outreach::index)
        .post("/outreach", outreach::record)
}

type Errors = Vec<(String, String)>;

/// `?unit=<id>`: the unit a list is about (the reader's first unit without it).
#[derive(Deserialize)]
struct UnitQuery {
    unit: Option<String>,
}

/// The unit asked for, else the reader's first grant; an id that does not parse is not found.
async fn chosen_unit(
    state: &AppState,
    page: &Page,
    asked: Option<&str>,
) -> Result<Unit, PageError> {
    let id = match asked.map(str::trim).filter(|text| !text.is_empty()) {
        Some(text) => Uuid::parse_str(text).map_err(|_| page.not_found())?,
        None => page
            .actor
            .grants
            .first()
            .map(|grant| grant.unit_id)
            .ok_or_else(|| page.fail(AppError::Forbidden))?,
    };
    langso_app::units::get(&state.db, id)
        .await
        .map_err(page.failing())
}

/// A date as the browser's date field sends it (`YYYY-MM-DD`), or its refusal under `field`.
fn day(text: &str, field: &str) -> Result<Date, CellError> {
    parse_date(text).map_err(|_| CellError::keyed(0, field, "teams-date-invalid", &[]))
}

/// A page with a form: 422 when it comes back with refusals, so scripts and tests can tell.
fn answer(page: &impl Template, errors: &Errors) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, render(page)).into_response()
}

/// A field refused before the action ran: access is checked first, so a caller outside the
/// unit learns nothing from a form error.
async fn refuse<T>(state: &AppState, page: &Page, unit: Uuid, refused: CellError) -> AppResult<T> {
    policy::require(&state.db, &page.actor, Permission::ManageProgramme, unit).await?;
    Err(AppError::Invalid(vec![refused]))
}
