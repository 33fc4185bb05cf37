//! What an action can answer besides success.
//!
//! Policy: refusals (bad input, a rule broken) carry messages meant for the person who asked,
//! Vietnamese first, English second, and change nothing. Store failures are logged once by the
//! web layer and shown as a generic error; their details never reach a user.

use langso_store::StoreError;

/// One bad cell of an imported file, or one bad field of a form.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CellError {
    /// Spreadsheet row number (the header is row 1); 0 for a form or the whole file.
    pub row: usize,
    /// Column header or form field name.
    pub column: String,
    /// What is wrong, Vietnamese first.
    pub message: String,
}

impl CellError {
    /// A problem with one cell.
    pub fn new(row: usize, column: &str, message: impl Into<String>) -> Self {
        CellError {
            row,
            column: column.to_owned(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.row > 0 {
            write!(f, "dòng {} / row {}, ", self.row, self.row)?;
        }
        if !self.column.is_empty() {
            write!(f, "cột / column \"{}\": ", self.column)?;
        }
        f.write_str(&self.message)
    }
}

/// Why an action did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (or, later, is outside the actor's scope).
    #[error("không tìm thấy / not found")]
    NotFound,
    /// The actor may see this but not do this (inside its scope, without the permission).
    #[error("không có quyền / forbidden")]
    Forbidden,
    /// The input is invalid; every problem is listed and nothing was changed.
    #[error("dữ liệu không hợp lệ / invalid input: {}", list(.0))]
    Invalid(Vec<CellError>),
    /// The request clashes with what is already stored (a visit id reused for another
    /// household); nothing was changed.
    #[error("xung đột / conflict: {}", list(.0))]
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
    /// A refusal with one message that belongs to no particular cell.
    pub fn refused(message: impl Into<String>) -> Self {
        AppError::Invalid(vec![CellError::new(0, "", message)])
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
