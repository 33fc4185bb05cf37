//! The teams domain for officers: the digital teams at or under a unit (and the form to set one
//! up), one team with its members (and the form to add one) in [`team`], and the trainings and
//! outreach of a unit (and the form to record one) in [`outreach`]. Every action goes through
//! the same `langso_app` function as the API; each form is answered by
//! [`Page::form_or_redirect`].

mod outreach;
mod team;

use langso_app::auth::policy;
use langso_app::{AppError, AppResult, CellError};
use langso_domain::auth::Permission;
use langso_domain::units::parse_date;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use crate::AppState;
use crate::html::{Page, Routes};

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

/// A date as the browser's date field sends it (`YYYY-MM-DD`), or its refusal under `field`.
fn day(text: &str, field: &str) -> Result<Date, CellError> {
    parse_date(text).map_err(|_| CellError::keyed(0, field, "teams-date-invalid", &[]))
}

/// A field refused before the action ran: access is checked first, so a caller outside the
/// unit learns nothing from a form error.
async fn refuse<T>(state: &AppState, page: &Page, unit: Uuid, refused: CellError) -> AppResult<T> {
    policy::require(&state.db, &page.actor, Permission::ManageProgramme, unit).await?;
    Err(AppError::Invalid(vec![refused]))
}
