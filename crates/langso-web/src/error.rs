//! Turning an action's failure into a response, and logging it once.
//!
//! Policy (after crates.io's `util/errors.rs`): refusals (`NotFound`, `Invalid`) are the
//! asker's business: they are answered in full (every bad field named) and not logged as
//! errors. Store failures are ours: they are logged here, once, with the request's span, and
//! the answer says only that something failed. The API answers RFC 9457
//! `application/problem+json`; pages answer the toolkit's error page (`html::PageError`).

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use langso_app::{AppError, CellError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::messages;

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type; `about:blank` means "see the status".
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary, Vietnamese / English.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What went wrong in this case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Every bad field or cell, for invalid input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One bad field (or imported cell).
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// Row of an imported file (header is row 1); 0 for request fields.
    pub row: usize,
    /// Field or column name.
    pub field: String,
    /// What is wrong, Vietnamese / English.
    pub message: String,
}

impl From<&CellError> for FieldProblem {
    fn from(error: &CellError) -> Self {
        FieldProblem {
            row: error.row,
            field: error.column.clone(),
            message: crate::messages::both(error),
        }
    }
}

/// An API failure, rendered as problem+json.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        ApiError(error)
    }
}

impl ApiError {
    /// A bad request field with a catalogue message: a domain error
    /// (`.map_err(|e| ApiError::keyed("date", e))`) or a `Message`, worded in both languages
    /// by the problem document.
    pub fn keyed(field: &str, message: impl Into<langso_app::Message>) -> Self {
        ApiError(AppError::Invalid(vec![CellError::from_message(
            0,
            field,
            message.into(),
        )]))
    }
}

/// A problem+json response.
pub(crate) fn problem(
    status: StatusCode,
    title: &str,
    detail: Option<String>,
    errors: Vec<FieldProblem>,
) -> Response {
    let body = Problem {
        kind: "about:blank".to_owned(),
        title: title.to_owned(),
        status: status.as_u16(),
        detail,
        errors,
    };
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/problem+json"),
    );
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, title) = match &self.0 {
            AppError::NotFound => (StatusCode::NOT_FOUND, "api-record-not-found"),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "api-forbidden"),
            AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "api-login-required"),
            AppError::Invalid(errors) => {
                return problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &messages::both_key("api-invalid-input"),
                    Some(
                        errors
                            .iter()
                            .map(crate::messages::describe_both)
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    errors.iter().map(FieldProblem::from).collect(),
                );
            }
            AppError::Conflict(errors) => {
                return problem(
                    StatusCode::CONFLICT,
                    &messages::both_key("api-conflict"),
                    Some(
                        errors
                            .iter()
                            .map(crate::messages::describe_both)
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    errors.iter().map(FieldProblem::from).collect(),
                );
            }
            AppError::Store(_) | AppError::Internal(_) => {
                tracing::error!(error = %self.0, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "api-internal")
            }
        };
        problem(status, &messages::both_key(title), None, Vec::new())
    }
}
