//! The register: search by name, address or code, in one unit.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use langso_app::households::{self as actions, HouseholdRow};
use langso_domain::auth::Permission;
use serde::Deserialize;

use crate::AppState;
use crate::html::{Chrome, Page, PageError, render};

#[derive(Template)]
#[template(path = "households.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<HouseholdRow>,
    query: String,
    unit: String,
    /// The unit the import and export buttons act on (the chosen one, or the actor's first).
    file_unit: String,
    may_import: bool,
    may_export: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ListQuery {
    q: String,
    unit: String,
}

/// The register, searched.
pub(super) async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let unit = match query.unit.trim() {
        "" => None,
        text => Some(page.id(text)?),
    };
    let rows = actions::list_households(&state.db, &page.actor, unit, &query.q, 200, 0)
        .await
        .map_err(page.failing())?;
    let file_unit = unit
        .or_else(|| page.actor.grants.first().map(|g| g.unit_id))
        .map(|u| u.to_string())
        .unwrap_or_default();
    Ok(render(&ListPage {
        may_import: page.actor.may(Permission::WritePeople),
        may_export: page.actor.may(Permission::ExportPeople) && !file_unit.is_empty(),
        chrome: page.chrome,
        rows,
        query: query.q,
        unit: query.unit,
        file_unit,
    }))
}
