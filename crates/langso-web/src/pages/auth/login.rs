//! Signing in and out. The login form is protected by a double-submit CSRF cookie (there is
//! no session yet, so [`CsrfForm`] cannot check it); signing out needs the session's token.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::auth::{self as actions, LoginFailure};
use langso_app::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount};
use langso_domain::public_text::same_site_path;
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::AppState;
use crate::auth::{CSRF_COOKIE, client_address, constant_time_eq, cookie, session_cookie};
use crate::html::{Chrome, CsrfForm, Page, PageError, Visitor, render};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    next: String,
    login: String,
    error_key: Option<&'static str>,
    demo_accounts: &'static [DemoAccount],
    demo_password: &'static str,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Next {
    next: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct LoginForm {
    login: String,
    password: String,
    csrf: String,
    next: String,
}

/// Only paths on this site are followed after login (see [`same_site_path`]).
fn local(next: &str) -> String {
    same_site_path(if next.is_empty() { "/" } else { next }).to_owned()
}

/// The login page, its CSRF token taken from the cookie or fresh (then returned to be set).
fn page(
    state: &AppState,
    headers: &HeaderMap,
    mut chrome: Chrome,
    next: String,
    login: String,
    error_key: Option<&'static str>,
) -> (LoginPage, Option<String>) {
    let (csrf, fresh) = match cookie(headers, CSRF_COOKIE).filter(|c| c.len() == 64) {
        Some(existing) => (existing, None),
        None => {
            let token = actions::random_token("").unwrap_or_default();
            (token.clone(), Some(token))
        }
    };
    chrome.csrf = csrf;
    let demo = state.settings.demo;
    let page = LoginPage {
        chrome,
        next,
        login,
        error_key,
        demo_accounts: if demo { &DEMO_ACCOUNTS } else { &[] },
        demo_password: DEMO_PASSWORD,
    };
    (page, fresh)
}

fn with_csrf_cookie(mut response: Response, fresh: Option<String>, secure: bool) -> Response {
    if let Some(token) = fresh {
        let secure = if secure { "; Secure" } else { "" };
        let value =
            format!("{CSRF_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict{secure}");
        if let Ok(value) = header::HeaderValue::from_str(&value) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The login form.
pub(super) async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    parts: Parts,
    Query(query): Query<Next>,
) -> Response {
    let (page, fresh) = page(
        &state,
        &parts.headers,
        visitor.chrome,
        local(&query.next),
        String::new(),
        None,
    );
    with_csrf_cookie(render(&page), fresh, state.settings.secure_cookies)
}

/// Signs in and goes on to `next`; or the form again, saying why not.
pub(super) async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    parts: Parts,
    Form(form): Form<LoginForm>,
) -> Response {
    let headers = &parts.headers;
    let next = local(&form.next);
    let expected = cookie(headers, CSRF_COOKIE).unwrap_or_default();
    let failed = |status: StatusCode, key: &'static str| {
        let (page, fresh) = page(
            &state,
            headers,
            visitor.chrome.clone(),
            next.clone(),
            form.login.clone(),
            Some(key),
        );
        let mut response = with_csrf_cookie(render(&page), fresh, state.settings.secure_cookies);
        *response.status_mut() = status;
        response
    };
    if expected.is_empty() || !constant_time_eq(&expected, &form.csrf) {
        return failed(StatusCode::FORBIDDEN, "error-csrf");
    }
    let address = client_address(&parts, state.settings.trust_forwarded);
    match actions::login(&state.db, &form.login, &form.password, &address).await {
        Ok(outcome) => {
            let cookie = session_cookie(&outcome.session_token, state.settings.secure_cookies);
            ([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response()
        }
        Err(LoginFailure::Rejected) => failed(StatusCode::UNAUTHORIZED, "login-rejected"),
        Err(LoginFailure::Throttled(seconds)) => {
            let mut response = failed(StatusCode::TOO_MANY_REQUESTS, "login-throttled");
            if let Ok(value) = header::HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Err(LoginFailure::App(error)) => visitor.fail(error).into_response(),
    }
}

/// Ends this session and goes home.
pub(super) async fn logout(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(_): CsrfForm<IgnoredAny>,
) -> Result<Response, PageError> {
    actions::logout(&state.db, &page.actor)
        .await
        .map_err(page.failing())?;
    let cookie = session_cookie("", state.settings.secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response())
}
