//! Phones holding a copy of a member's offline round (issue 18): the member forgets one from
//! the account page; an officer who manages the member's account revokes one from the user's
//! page. Either way the phone deletes its copy when it next asks for one.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::households::offline as actions;
use serde::Deserialize;

use crate::AppState;
use crate::html::{CsrfForm, Page, PageError};

/// The buttons carry nothing but the CSRF token.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Empty {}

/// `POST /account/devices/{id}/forget`.
pub(super) async fn forget(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    actions::forget_device(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    Ok(Redirect::to("/account#devices").into_response())
}

/// `POST /admin/users/{id}/devices/{device}/revoke`.
pub(super) async fn revoke(
    State(state): State<AppState>,
    page: Page,
    Path((user, device)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let (user, device) = (page.id(&user)?, page.id(&device)?);
    actions::revoke_device(&state.db, &page.actor, user, device)
        .await
        .map_err(page.failing())?;
    Ok(Redirect::to(&format!("/admin/users/{user}#devices")).into_response())
}
