//! Accounts: users, role grants, web sessions, API/device tokens and login failures.
//!
//! Secrets never reach this crate in clear: passwords arrive hashed (argon2id), session and API
//! tokens as their SHA-256. Nothing here decides who may do what: that is langso-app's policy.

mod sessions;
mod tokens;
mod users;

pub use sessions::*;
pub use tokens::*;
pub use users::*;
