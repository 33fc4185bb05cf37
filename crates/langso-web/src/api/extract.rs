//! `Json`, `Query` and `Path` for the API: axum's extractors, with every rejection answered as
//! problem+json naming the field (axum answers `text/plain` "Failed to deserialize…").
//!
//! The names are axum's so that the OpenAPI macros recognise them as they recognise axum's.
//! Put them after the actor in a handler's arguments: extractors run in order, so an anonymous
//! request is refused (401) before its body is read.

use std::error::Error as StdError;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use langso_app::CellError;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{FieldProblem, problem};

/// A JSON request body (and a JSON response, like axum's).
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

/// A query string.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

/// Path parameters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_rejected(&rejection)),
        }
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => Err(query_rejected(&rejection)),
        }
    }
}

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => Err(path_rejected(&rejection)),
        }
    }
}

fn json_rejected(rejection: &JsonRejection) -> Response {
    match rejection {
        JsonRejection::JsonDataError(error) => match find::<serde_json::Error>(error) {
            Some((path, message)) => invalid_field(&path, &message),
            None => bad_request("body", "api-body-not-json", &error.body_text()),
        },
        JsonRejection::JsonSyntaxError(error) => {
            let reason = find::<serde_json::Error>(error)
                .map_or_else(|| error.body_text(), |(_, message)| message);
            bad_request("body", "api-body-not-json", &reason)
        }
        JsonRejection::MissingJsonContentType(_) => refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "api-unsupported-media-type",
            CellError::keyed(0, "Content-Type", "api-body-json-content-type", &[]),
        ),
        other => body_unreadable(other.status()),
    }
}

fn query_rejected(rejection: &QueryRejection) -> Response {
    match rejection {
        QueryRejection::FailedToDeserializeQueryString(error) => {
            match find::<serde_urlencoded::de::Error>(error) {
                Some((path, message)) => invalid_field(&path, &message),
                None => bad_request("query", "api-field-invalid", &error.body_text()),
            }
        }
        other => bad_request("query", "api-field-invalid", &other.body_text()),
    }
}

fn path_rejected(rejection: &PathRejection) -> Response {
    use axum::extract::path::ErrorKind;
    let PathRejection::FailedToDeserializePathParams(error) = rejection else {
        return bad_request("path", "api-field-invalid", &rejection.body_text());
    };
    let field = match error.kind() {
        ErrorKind::ParseErrorAtKey { key, .. }
        | ErrorKind::InvalidUtf8InPathParam { key }
        | ErrorKind::DeserializeError { key, .. } => key.clone(),
        _ => "path".to_owned(),
    };
    bad_request(&field, "api-field-invalid", &error.body_text())
}

/// The field path and serde's message, from the `serde_path_to_error` error that axum keeps
/// at the bottom of its rejections.
fn find<E>(error: &(dyn StdError + 'static)) -> Option<(String, String)>
where
    E: StdError + 'static,
{
    let mut next = Some(error);
    while let Some(current) = next {
        if let Some(found) = current.downcast_ref::<serde_path_to_error::Error<E>>() {
            return Some((found.path().to_string(), found.inner().to_string()));
        }
        next = current.source();
    }
    None
}

/// A 422 naming the field. serde reports a missing or unknown field at its parent (path `.`),
/// with the name in backquotes: the name is taken from there.
fn invalid_field(path: &str, message: &str) -> Response {
    let named = message.split('`').nth(1).unwrap_or_default();
    let at = |name: &str| match path {
        "." | "" => name.to_owned(),
        parent if name.is_empty() => parent.to_owned(),
        parent => format!("{parent}.{name}"),
    };
    let error = if message.starts_with("missing field") {
        CellError::keyed(0, &at(named), "api-field-missing", &[])
    } else if message.starts_with("unknown field") {
        CellError::keyed(0, &at(named), "api-field-unknown", &[])
    } else {
        let field = if path == "." { "body" } else { path };
        CellError::keyed(
            0,
            field,
            "api-field-invalid",
            &[("reason", &without_position(message))],
        )
    };
    refused(StatusCode::UNPROCESSABLE_ENTITY, "api-invalid-input", error)
}

/// serde_json's "… at line 1 column 9": the place is the body's, not the reader's business.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

fn bad_request(field: &str, key: &'static str, reason: &str) -> Response {
    let reason = without_position(reason);
    refused(
        StatusCode::BAD_REQUEST,
        "api-bad-request",
        CellError::keyed(0, field, key, &[("reason", &reason)]),
    )
}

fn body_unreadable(status: StatusCode) -> Response {
    let (status, title) = if status == StatusCode::PAYLOAD_TOO_LARGE {
        (status, "api-too-large")
    } else {
        (StatusCode::BAD_REQUEST, "api-bad-request")
    };
    refused(
        status,
        title,
        CellError::keyed(0, "body", "api-body-unreadable", &[]),
    )
}

fn refused(status: StatusCode, title: &'static str, error: CellError) -> Response {
    let detail = crate::messages::describe_both(&error);
    problem(
        status,
        &crate::messages::both_key(title),
        Some(detail),
        vec![FieldProblem::from(&error)],
    )
}
