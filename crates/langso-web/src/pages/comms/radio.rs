//! The commune radio (đài truyền thanh): a commune's broadcast times, added and removed by its
//! officers, its schedule of readings (emergency first within a time) with each announcer's
//! script, and the addresses of the public schedule a radio system follows.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::auth::policy;
use langso_app::comms::{self as actions, BroadcastRow, RadioView};
use langso_domain::auth::Permission;
use langso_domain::units::Unit;
use serde::Deserialize;

use super::UnitQuery;
use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, Routes, render};

/// The radio screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/radio", radio)
        .post("/radio/slots", add_slot)
        .post("/radio/slots/{id}/remove", remove_slot)
}

#[derive(Template)]
#[template(path = "radio.html")]
struct RadioPage {
    chrome: Chrome,
    unit: Unit,
    view: Option<RadioView>,
    write: bool,
}

impl RadioPage {
    /// A slot's weekday in words and time.
    fn slot_text(&self, weekday: &i64, minute: &i64) -> String {
        format!(
            "{} {:02}:{:02}",
            self.chrome.tk("radio-weekday", &weekday.to_string()),
            minute / 60,
            minute % 60
        )
    }

    /// A reading's time.
    fn reading_at(&self, b: &BroadcastRow) -> String {
        self.chrome.minute(actions::reading_time(b))
    }
}

/// `/radio?unit=`: the radio of the commune serving the unit.
async fn radio(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    let view = actions::radio(&state.db, &page.actor, unit.id)
        .await
        .map_err(page.failing())?;
    let write = match &view {
        Some(v) => policy::allows(
            &state.db,
            &page.actor,
            Permission::WritePeople,
            v.commune.id,
        )
        .await
        .map_err(page.failing())?,
        None => false,
    };
    Ok(render(&RadioPage {
        chrome: page.chrome,
        unit,
        view,
        write,
    }))
}

/// A broadcast time as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
struct SlotForm {
    unit: String,
    weekday: String,
    time: String,
}

/// POST `/radio/slots`: adds a broadcast time to the commune.
async fn add_slot(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<SlotForm>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(&form.unit)).await?;
    actions::add_slot(&state.db, &page.actor, unit.id, &form.weekday, &form.time)
        .await
        .map_err(page.failing())?;
    Ok(Redirect::to(&format!("/radio?unit={}", unit.id)).into_response())
}

/// POST `/radio/slots/{id}/remove`: removes one.
async fn remove_slot(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<SlotForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let commune = actions::remove_slot(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    Ok(Redirect::to(&format!("/radio?unit={commune}")).into_response())
}
