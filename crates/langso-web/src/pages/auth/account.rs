//! "My account": the roles held, and changing one's own password. A changed password ends
//! every session, this one included, so success is a page of its own (there is nowhere
//! signed-in to redirect to) that clears the session cookie.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;
use langso_app::AppError;
use langso_app::auth as actions;
use serde::Deserialize;

use crate::AppState;
use crate::auth::session_cookie;
use crate::html::{Chrome, CsrfForm, Page, PageError, render};
use crate::messages;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    /// (role in words, unit name) of each grant.
    grants: Vec<(&'static str, String)>,
    pii: bool,
    /// Refused fields: (field, message).
    errors: Vec<(String, String)>,
    done: bool,
    /// The phones holding a copy of the member's offline round (issue 18).
    devices: Vec<crate::html::DeviceLine>,
    device_action: &'static str,
    device_verb: &'static str,
    device_button: &'static str,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PasswordForm {
    current: String,
    new: String,
}

fn account_page(
    page: &Page,
    errors: Vec<(String, String)>,
    done: bool,
    devices: Vec<crate::html::DeviceLine>,
) -> Response {
    let chrome = page.chrome.clone();
    let grants = page
        .actor
        .grants
        .iter()
        .map(|g| (chrome.role(g.role.as_str()), g.unit_name.clone()))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = render(&AccountPage {
        chrome,
        grants,
        pii: page.actor.pii,
        errors,
        done,
        devices,
        device_action: "/account/devices",
        device_verb: "forget",
        device_button: "rounds-devices-forget",
    });
    *response.status_mut() = status;
    response
}

/// The account page.
pub(super) async fn show(State(state): State<AppState>, page: Page) -> Response {
    let devices = langso_app::households::offline::my_devices(&state.db, &page.actor)
        .await
        .unwrap_or_default();
    let lines = crate::html::device_lines(&page.chrome, &devices);
    account_page(&page, Vec::new(), false, lines)
}

/// Changes the password: the page saying so (signed out), or the form with what was refused.
pub(super) async fn change_password(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, PageError> {
    match actions::change_own_password(&state.db, &page.actor, &form.current, &form.new).await {
        Ok(()) => {
            let mut response = account_page(&page, Vec::new(), true, Vec::new());
            if let Ok(value) =
                header::HeaderValue::from_str(&session_cookie("", state.settings.secure_cookies))
            {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            Ok(response)
        }
        Err(AppError::Invalid(errors)) => Ok(account_page(
            &page,
            messages::field_errors(errors, page.lang),
            false,
            Vec::new(),
        )),
        Err(error) => Err(page.fail(error)),
    }
}
