//! What an action can answer besides success.
//!
//! Policy: refusals (bad input, a rule broken) carry messages meant for the person who asked
//! and change nothing. A refusal names a catalogue key with arguments ([`Message`]), never a
//! sentence: the web (and the command line) renders it in the reader's language. Domain errors
//! give theirs with `.message()`. `Display` texts here are English, for operators' logs. Store
//! failures are logged once by the web layer and shown as a generic error; their details never
//! reach a user.

use langso_store::StoreError;

pub use langso_domain::message::Message;

/// One bad cell of an imported file, or one bad field of a form.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CellError {
    /// Spreadsheet row number (the header is row 1); 0 for a form or the whole file.
    pub row: usize,
    /// Column header or form field name.
    pub column: String,
    /// What is wrong, for logs: the key with its arguments (`units-date-invalid {value: x}`);
    /// text worded by a caller outside the app for the few web refusals not yet keyed.
    pub message: String,
    /// The catalogue message (always present for refusals of the app and the domain); the web
    /// and the command line render it in the reader's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Message>,
}

impl CellError {
    /// A problem with one cell, named by its catalogue key with arguments.
    pub fn keyed(
        row: usize,
        column: &str,
        key: &'static str,
        args: &[(&'static str, &dyn std::fmt::Display)],
    ) -> Self {
        CellError::from_message(row, column, Message::new(key, args))
    }

    /// A problem with one cell, with a message already built (a domain error's `.message()`).
    pub fn from_message(row: usize, column: &str, message: Message) -> Self {
        CellError {
            row,
            column: column.to_owned(),
            message: message.to_string(),
            key: Some(message),
        }
    }
}

impl std::fmt::Display for CellError {
    /// Where and what, in English with the key, for logs; people read the rendered catalogue.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.row > 0 {
            write!(f, "row {}, ", self.row)?;
        }
        if !self.column.is_empty() {
            write!(f, "column \"{}\": ", self.column)?;
        }
        f.write_str(&self.message)
    }
}

/// Why an action did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (or, later, is outside the actor's scope).
    #[error("not found")]
    NotFound,
    /// The actor may see this but not do this (inside its scope, without the permission).
    #[error("forbidden")]
    Forbidden,
    /// The credential stopped working while the request waited for a writer (an API token
    /// revoked, or its creator disabled); nothing was changed.
    #[error("the credential no longer works")]
    Unauthenticated,
    /// The input is invalid; every problem is listed and nothing was changed.
    #[error("invalid input: {}", list(.0))]
    Invalid(Vec<CellError>),
    /// The request clashes with what is already stored (a visit id reused for another
    /// household); nothing was changed.
    #[error("conflict: {}", list(.0))]
    Conflict(Vec<CellError>),
    /// The storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something of ours failed (no randomness, hashing); logged, never shown in detail.
    #[error("internal error: {0}")]
    Internal(String),
}

fn list(errors: &[CellError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl AppError {
    /// A refusal with a message already built (a domain error's `.message()`).
    pub fn refusal(message: Message) -> Self {
        AppError::Invalid(vec![CellError::from_message(0, "", message)])
    }

    /// A refusal named by its catalogue key, belonging to no particular cell.
    pub fn refused_key(key: &'static str, args: &[(&'static str, &dyn std::fmt::Display)]) -> Self {
        AppError::Invalid(vec![CellError::keyed(0, "", key, args)])
    }
}

/// Result of an action.
pub type AppResult<T> = Result<T, AppError>;

impl From<langso_render::RenderError> for AppError {
    /// A document that cannot be produced is our failure, not the asker's.
    fn from(error: langso_render::RenderError) -> Self {
        AppError::Internal(error.to_string())
    }
}
