//! The open alarms of a unit's devices, each with an acknowledge and a resolve button.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::AppError;
use langso_app::assets::{self as actions, AlarmRow};
use langso_domain::units::Unit;
use serde::Deserialize;

use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, render};

/// The most alarms one page lists.
const LIST_LIMIT: i64 = 500;

#[derive(Template)]
#[template(path = "alarms.html")]
struct AlarmsPage {
    chrome: Chrome,
    unit: Unit,
    alarms: Vec<AlarmRow>,
}

#[derive(Deserialize)]
pub(super) struct UnitQuery {
    unit: Option<String>,
}

/// What was done about an alarm, when resolving it.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct AlarmForm {
    note: String,
}

/// `GET /alarms?unit=`: the open alarms under a unit.
pub(super) async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    let alarms = actions::alarms_under(&state.db, &page.actor, unit.id, true, LIST_LIMIT)
        .await
        .map_err(page.failing())?;
    Ok(render(&AlarmsPage {
        chrome: page.chrome,
        unit,
        alarms,
    }))
}

/// `POST /alarms/{id}/acknowledge` and `…/resolve`: back to the unit's alarms.
pub(super) async fn act(
    State(state): State<AppState>,
    page: Page,
    Path((id, action)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<AlarmForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let alarm = match action.as_str() {
        "acknowledge" => actions::acknowledge_alarm(&state.db, &page.actor, id).await,
        "resolve" => actions::resolve_alarm(&state.db, &page.actor, id, &form.note).await,
        _ => Err(AppError::NotFound),
    }
    .map_err(page.failing())?;
    Ok(Redirect::to(&format!("/alarms?unit={}", alarm.unit_id)).into_response())
}
