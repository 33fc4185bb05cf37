//! What an action can answer besides success.
//!
//! Policy: refusals (bad input, a rule broken) carry messages meant for the person who asked
//! and change nothing. New refusals name a catalogue key with arguments ([`Message`]), which
//! the web renders in the reader's language; older ones still carry "Vietnamese / English" text. Store failures are logged once by the
//! web layer and shown as a generic error; their details never reach a user.

use langso_store::StoreError;

/// A message named by its key in the catalogue (`langso-web/messages/*/<domain>.ftl`), with
/// its arguments: the app never words a refusal itself, so each reader gets it in one language.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Message {
    /// The catalogue key (a Fluent message id such as `households-too-many-columns`).
    pub key: &'static str,
    /// Named arguments, already formatted as text (`{ $limit }` in the catalogue).
    pub args: Vec<(&'static str, String)>,
}

impl Message {
    /// A message with these arguments.
    pub fn new(key: &'static str, args: &[(&'static str, &dyn std::fmt::Display)]) -> Self {
        Message {
            key,
            args: args
                .iter()
                .map(|(name, value)| (*name, value.to_string()))
                .collect(),
        }
    }
}

impl std::fmt::Display for Message {
    /// The key and its arguments, for logs and tests; people read the rendered catalogue text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key)?;
        for (index, (name, value)) in self.args.iter().enumerate() {
            let open = if index == 0 { " {" } else { ", " };
            write!(f, "{open}{name}: {value}")?;
        }
        if !self.args.is_empty() {
            f.write_str("}")?;
        }
        Ok(())
    }
}

/// One bad cell of an imported file, or one bad field of a form.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CellError {
    /// Spreadsheet row number (the header is row 1); 0 for a form or the whole file.
    pub row: usize,
    /// Column header or form field name.
    pub column: String,
    /// What is wrong: the rendered key for keyed errors, else "Vietnamese / English" text.
    pub message: String,
    /// The catalogue message, for errors raised by key; the web renders it per language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Message>,
}

impl CellError {
    /// A problem with one cell.
    pub fn new(row: usize, column: &str, message: impl Into<String>) -> Self {
        CellError {
            row,
            column: column.to_owned(),
            message: message.into(),
            key: None,
        }
    }

    /// A problem with one cell, named by its catalogue key with arguments.
    pub fn keyed(
        row: usize,
        column: &str,
        key: &'static str,
        args: &[(&'static str, &dyn std::fmt::Display)],
    ) -> Self {
        let message = Message::new(key, args);
        CellError {
            row,
            column: column.to_owned(),
            message: message.to_string(),
            key: Some(message),
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
