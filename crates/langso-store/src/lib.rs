//! Langso storage: one [`Db`] over SQLite (embedded, the default) or PostgreSQL (for scale).
//!
//! The two pools are concrete types behind an enum, not sqlx's `Any` driver, so both keep
//! native dates, UUIDs and booleans. Most query texts are portable (`$1` placeholders,
//! `RETURNING`, explicit casts) and run on either pool through [`on_db!`] / [`on_tx!`]; a query
//! that must differ is written twice, side by side, in the module that needs it.
//!
//! One module per domain, with the same name as in every other crate.

pub mod assets;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod changes;
// --- comms ---
pub mod comms;
mod db;
mod error;
pub mod faults;
pub mod households;
pub mod ops;
pub mod privacy;
pub mod procedures;
mod script;
pub mod sizes;
mod sqlite_tx;
#[cfg(feature = "testing")]
pub mod testing;
pub mod units;

pub use db::{
    DEFAULT_POSTGRES_POOL, DEFAULT_SQLITE_POOL, Db, DbOptions, Exec, Tx, Writer, wipe_postgres,
};
pub use error::StoreError;
pub use script::Script;
pub use sqlite_tx::SqliteTx;

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;
// --- teams, criteria ---
pub mod criteria;
pub mod teams;
// --- dashboard: plans and targets ---
pub mod dashboard;
