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
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PasswordForm {
    current: String,
    new: String,
}

fn account_page(page: &Page, errors: Vec<(String, String)>, done: bool) -> Response {
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
    });
    *response.status_mut() = status;
    response
}

/// The account page.
pub(super) async fn show(page: Page) -> Response {
    account_page(&page, Vec::new(), false)
}

/// Changes the password: the page saying so (signed out), or the form with what was refused.
pub(super) async fn change_password(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, PageError> {
    match actions::change_own_password(&state.db, &page.actor, &form.current, &form.new).await {
        Ok(()) => {
            let mut response = account_page(&page, Vec::new(), true);
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
        )),
        Err(error) => Err(page.fail(error)),
    }
}
