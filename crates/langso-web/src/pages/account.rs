//! "My account": roles held, and changing one's own password.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use langso_app::AppError;
use langso_app::auth as actions;
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{Authenticated, csrf_ok, session_cookie};
use crate::html::PageError;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    grants: Vec<(String, String)>,
    pii: bool,
    errors: Vec<String>,
    done: bool,
}

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
}

fn account_page(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    actor: &langso_app::Actor,
    errors: Vec<String>,
    done: bool,
) -> AccountPage {
    let chrome = Chrome::for_request(state, headers, uri, Some(actor));
    let grants = actor
        .grants
        .iter()
        .map(|g| (chrome.role(g.role.as_str()).to_owned(), g.unit_name.clone()))
        .collect();
    AccountPage {
        chrome,
        grants,
        pii: actor.pii,
        errors,
        done,
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    render(&account_page(
        &state,
        &headers,
        &uri,
        &actor,
        Vec::new(),
        false,
    ))
}

pub(super) async fn change_password(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let lang = crate::messages::Lang::from_headers(&headers);
    if !csrf_ok(&actor, &form.csrf) {
        return Err(PageError {
            error: AppError::Forbidden,
            lang,
        });
    }
    match actions::change_own_password(&state.db, &actor, &form.current, &form.new).await {
        Ok(()) => {
            let mut response = render(&account_page(
                &state,
                &headers,
                &uri,
                &actor,
                Vec::new(),
                true,
            ));
            if let Ok(value) =
                header::HeaderValue::from_str(&session_cookie("", state.settings.secure_cookies))
            {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            Ok(response)
        }
        Err(AppError::Invalid(errors)) => {
            let messages = errors
                .iter()
                .map(|e| crate::messages::text(e, lang))
                .collect();
            let mut response = render(&account_page(
                &state, &headers, &uri, &actor, messages, false,
            ));
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response.into_response())
        }
        Err(error) => Err(PageError { error, lang }),
    }
}
