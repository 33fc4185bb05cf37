//! Langso's actions: one function per thing a person or a device does, `(db, input) -> result`.
//!
//! Handlers in langso-web and commands in the binary call these and nothing below them, so
//! validation, transactions and (from the accounts issue on) the access policy live in one place.

pub mod assets;
pub mod audit;
pub mod auth;
pub mod cache;
// --- comms ---
pub mod comms;
// h17a: the one outbound HTTP client builder (rustls/ring, proxy, timeouts)
pub mod demo;
mod error;
pub mod faults;
pub mod group_commit;
pub mod households;
pub mod ops;
pub mod outbound;
pub mod privacy;
pub mod procedures;
pub mod progress;
pub mod units;

pub use auth::Actor;
pub use error::{AppError, AppResult, CellError, Message};
pub use langso_store::{Db, DbOptions};

/// Today's date in Vietnam (UTC+7): "as of today" for every date-dependent view.
pub fn today() -> time::Date {
    let offset = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::now_utc().to_offset(offset).date()
}
// --- teams, criteria, dashboard ---
pub mod criteria;
pub mod dashboard;
pub mod teams;
