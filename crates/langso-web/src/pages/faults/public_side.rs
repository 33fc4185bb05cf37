//! What officers do about the public side of a report (issue 16): mark it as a duplicate of
//! another (it closes; its reporter and followers follow the original) and hide its text or
//! photo from the public with a reason. Both are audited by the app.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::faults as actions;
use serde::Deserialize;

use crate::AppState;
use crate::html::{CsrfForm, Page, PageError, Routes};

/// The routes of these two actions.
pub(super) fn routes() -> Routes {
    Routes::new()
        .post("/work-orders/{id}/duplicate", duplicate)
        .post("/work-orders/{id}/moderate", moderate)
}

/// The original report: picked among the candidates, or its id pasted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct DuplicateForm {
    original: String,
}

/// What to hide and why (empty: shown).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ModerateForm {
    text_reason: String,
    photo_reason: String,
    note: String,
}

/// `POST /work-orders/{id}/duplicate`.
async fn duplicate(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<DuplicateForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    actions::mark_duplicate(&state.db, &page.actor, id, &form.original)
        .await
        .map_err(page.failing())?;
    Ok(Redirect::to(&format!("/work-orders/{id}")).into_response())
}

/// `POST /work-orders/{id}/moderate`.
async fn moderate(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ModerateForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let reason = |r: &str| Some(r.to_owned()).filter(|r| !r.trim().is_empty());
    actions::moderate(
        &state.db,
        &page.actor,
        id,
        reason(&form.text_reason).as_deref(),
        reason(&form.photo_reason).as_deref(),
        &form.note,
    )
    .await
    .map_err(page.failing())?;
    Ok(Redirect::to(&format!("/work-orders/{id}")).into_response())
}
