//! Communications pages (domain `comms`): a unit's village groups and their rosters, coverage
//! of households by groups ([`groups`]), announcements written, approved and followed per
//! channel ([`announcements`]), and the webhook endpoints announcements are sent to
//! ([`webhooks`]).

mod announcements;
mod groups;
mod webhooks;

use langso_app::AppError;
use langso_domain::units::Unit;
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::html::{Page, PageError, Routes};

/// Every communications screen.
pub(super) fn routes() -> Routes {
    groups::routes()
        .merge(announcements::routes())
        .merge(webhooks::routes())
}

/// `?unit=` on a list page.
#[derive(Deserialize)]
struct UnitQuery {
    unit: Option<String>,
}

/// The unit a screen is about: the one named (`?unit=` or a form's `unit`), else the reader's
/// first grant. Scope is checked by the action that reads under it.
async fn chosen_unit(
    state: &AppState,
    page: &Page,
    param: Option<&str>,
) -> Result<Unit, PageError> {
    let id = match param.map(str::trim).filter(|p| !p.is_empty()) {
        Some(text) => parse_id(page, text)?,
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

/// An id from a path or a form; one that does not parse names nothing, so it is not found.
fn parse_id(page: &Page, text: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(text.trim()).map_err(|_| page.not_found())
}

/// 200 for a fresh form, 422 for one shown again with refusals.
fn form_status(errors: &[(String, String)]) -> axum::http::StatusCode {
    if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    }
}
