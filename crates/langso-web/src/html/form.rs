//! [`CsrfForm`]: a posted form, its CSRF token checked against the signed-in actor, parsed into
//! a struct. Fields arrive as text (`#[serde(default)]` strings), so a missing or odd field is
//! never a bare 400: the action checks them and names each refused field, and the page shows
//! the message beside it ([`super::Page::form_or_redirect`]).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use langso_app::AppError;
use serde::de::DeserializeOwned;

use super::PageError;
use super::page::SignedIn;
use crate::AppState;
use crate::auth::{Authenticated, csrf_ok};
use crate::messages::Lang;

/// A form posted by a signed-in officer, CSRF-checked, parsed into `T`.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let lang = Lang::from_headers(&parts.headers);
        let actor = match parts.extensions.get::<SignedIn>() {
            Some(SignedIn(actor)) => actor.clone(),
            None => {
                Authenticated::from_request_parts(&mut parts, state)
                    .await?
                    .0
            }
        };
        let refuse = |error: AppError| PageError { error, lang }.into_response();
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| refuse(AppError::refused_key("form-unreadable", &[])))?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| refuse(AppError::refused_key("form-unreadable", &[])))?;
        let sent = pairs
            .iter()
            .find(|(name, _)| name == "csrf")
            .map_or("", |(_, value)| value.as_str());
        if !csrf_ok(&actor, sent) {
            return Err(refuse(AppError::Forbidden));
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|_| refuse(AppError::refused_key("form-unreadable", &[])))
    }
}

impl super::Page {
    /// The CSRF check of a multipart upload, which keeps its own extractor (a file part is
    /// not a urlencoded form): `sent` is the value of its `csrf` part.
    pub fn check_csrf(&self, sent: &str) -> Result<(), PageError> {
        if csrf_ok(&self.actor, sent) {
            Ok(())
        } else {
            Err(self.fail(AppError::Forbidden))
        }
    }
}

/// 200 for a form shown fresh, 422 when it comes back with refusals, so scripts and tests can
/// tell one from the other.
pub fn form_status(errors: &[(String, String)]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// A page holding a form, with the status [`form_status`] gives for its `errors`.
pub fn render_form(page: &impl Template, errors: &[(String, String)]) -> Response {
    (form_status(errors), super::render(page)).into_response()
}
