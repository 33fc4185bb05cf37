//! Who is asking: the session cookie or the bearer token of a request, turned into an
//! [`Actor`] by langso-app; CSRF checks for state-changing requests.
//!
//! API clients send `Authorization: Bearer lso_…`; browsers carry the `langso_session`
//! cookie (HttpOnly, SameSite=Lax, Secure behind https). A request without a valid one gets
//! 401 problem+json on the API and a redirect to the login page on the web.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::Actor;
use langso_app::auth::{Check, SESSION_ABSOLUTE, actor_for_session};

use crate::AppState;
use crate::error::{ApiError, problem};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "langso_session";
/// The anonymous CSRF cookie (double submit) used by the login form.
pub const CSRF_COOKIE: &str = "langso_csrf";
/// The header API calls made with a session cookie must echo the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The value of cookie `name`.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A `Set-Cookie` value for the session: HttpOnly, SameSite=Lax, Secure when served over https.
pub fn session_cookie(value: &str, secure: bool) -> String {
    let max_age = if value.is_empty() {
        0
    } else {
        SESSION_ABSOLUTE.whole_seconds()
    };
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// The actor of a request, if any credential in it is valid.
pub async fn actor_of(state: &AppState, headers: &HeaderMap) -> Result<Option<Actor>, ApiError> {
    actor_checked(state, headers, Check::Now).await
}

/// The actor of a request; an API token is taken from memory as `check` allows
/// ([`langso_app::auth::ApiTokens`]).
async fn actor_checked(
    state: &AppState,
    headers: &HeaderMap,
    check: Check,
) -> Result<Option<Actor>, ApiError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if let Some(token) = bearer {
        return Ok(state.tokens.actor(token, check).await?);
    }
    match cookie(headers, SESSION_COOKIE) {
        Some(value) if !value.is_empty() => Ok(actor_for_session(&state.db, &value).await?),
        _ => Ok(None),
    }
}

/// The client's address: the socket peer, or the first `X-Forwarded-For` hop when the server
/// is told it sits behind a trusted proxy.
pub fn client_address(parts: &Parts, trust_forwarded: bool) -> String {
    if trust_forwarded
        && let Some(forwarded) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
        && let Some(first) = forwarded.split(',').next()
    {
        return first.trim().to_owned();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |info| info.0.ip().to_string())
}

/// A logged-in actor; rejects anonymous requests (401 on the API, login redirect on pages)
/// and API writes made with a session cookie but without the CSRF header.
pub struct Authenticated(pub Actor);

/// An actor if there is one: public pages show the login state with it.
pub struct MaybeActor(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeActor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        actor_of(state, &parts.headers)
            .await
            .map(MaybeActor)
            .map_err(IntoResponse::into_response)
    }
}

/// Like [`Authenticated`], but an API token may come from memory unchecked
/// ([`Check::AtWrite`]): only for a handler that hands its work to a writer that checks the
/// credential generation inside its transaction (visits), and that checks the token again
/// (`ApiTokens::still_holds`) before any answer the writer did not give.
pub struct AuthenticatedAtWrite(pub Actor);

impl FromRequestParts<AppState> for AuthenticatedAtWrite {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        authenticate(parts, state, Check::AtWrite)
            .await
            .map(AuthenticatedAtWrite)
    }
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        authenticate(parts, state, Check::Now)
            .await
            .map(Authenticated)
    }
}

/// The actor of a request, or the answer refusing it.
async fn authenticate(parts: &Parts, state: &AppState, check: Check) -> Result<Actor, Response> {
    // Nested routers see a shortened URI: the original one tells API from pages.
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or_else(|| parts.uri.clone(), |original| original.0.clone());
    let api = uri.path().starts_with("/api/");
    let Some(actor) = actor_checked(state, &parts.headers, check)
        .await
        .map_err(IntoResponse::into_response)?
    else {
        if api {
            return Err(problem(
                StatusCode::UNAUTHORIZED,
                &crate::messages::both_key("api-login-required"),
                None,
                Vec::new(),
            ));
        }
        let next = uri.path_and_query().map_or("/", |pq| pq.as_str());
        let target = format!(
            "/login?next={}",
            form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        );
        return Err(Redirect::to(&target).into_response());
    };
    let writes = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if api && writes && actor.session.is_some() {
        let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if sent.is_none() || sent != actor.csrf.as_deref() {
            return Err(problem(
                StatusCode::FORBIDDEN,
                &crate::messages::both_key("api-csrf-missing"),
                None,
                Vec::new(),
            ));
        }
    }
    Ok(actor)
}

/// Checks the CSRF field of a form posted with a session.
pub fn csrf_ok(actor: &Actor, sent: &str) -> bool {
    actor
        .csrf
        .as_deref()
        .is_some_and(|expected| constant_time_eq(expected, sent))
}

/// Compares secrets without leaking where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
