//! The error page: a failure of a page answered in the reader's language, every refused field
//! listed, store failures logged once and never shown in detail.

use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use langso_app::AppError;

use super::Chrome;
use crate::messages::{self, Lang};

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    chrome: Chrome,
    message_key: &'static str,
    details: Vec<String>,
}

impl ErrorPage {
    /// The page saying `message_key`, with `details` (each refused field) below it.
    pub fn new(lang: Lang, message_key: &'static str, details: Vec<String>) -> Self {
        ErrorPage {
            chrome: Chrome::new(lang, "/".to_owned(), false),
            message_key,
            details,
        }
    }

    /// The page, or plain text if the template itself fails.
    pub fn render_or_plain(&self) -> String {
        self.render()
            .unwrap_or_else(|_| self.chrome.t(self.message_key).to_owned())
    }
}

/// A page failure, rendered as a page in the reader's language.
#[derive(Debug)]
pub struct PageError {
    /// What failed.
    pub error: AppError,
    /// The reader's language.
    pub lang: Lang,
}

impl PageError {
    /// A multipart upload that cannot be read (cut off, malformed), in the reader's language.
    pub fn unreadable_upload(_: axum::extract::multipart::MultipartError, lang: Lang) -> Self {
        PageError {
            error: AppError::refused_key("upload-unreadable", &[]),
            lang,
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, key) = match &self.error {
            AppError::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "error-forbidden"),
            AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "error-signed-out"),
            AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "error-invalid"),
            AppError::Store(_) | AppError::Internal(_) => {
                tracing::error!(error = %self.error, "page failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
            }
        };
        let details = match &self.error {
            AppError::Invalid(errors) | AppError::Conflict(errors) => errors
                .iter()
                .map(|error| messages::describe(error, self.lang))
                .collect(),
            _ => Vec::new(),
        };
        let page = ErrorPage::new(self.lang, key, details);
        (status, Html(page.render_or_plain())).into_response()
    }
}

/// Renders a page template, or the error page if rendering fails.
pub fn render(page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed");
            let page = ErrorPage::new(Lang::Vi, "error-internal", Vec::new());
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html(page.render_or_plain()),
            )
                .into_response()
        }
    }
}

/// Any unknown path.
pub async fn not_found(headers: HeaderMap) -> Response {
    let lang = Lang::from_headers(&headers);
    let page = ErrorPage::new(lang, "error-not-found", Vec::new());
    (StatusCode::NOT_FOUND, Html(page.render_or_plain())).into_response()
}
