//! Langso's domain: the types and rules of the smart-village programme, with no I/O.
//!
//! Every other crate speaks in these types. Nothing here knows about databases or HTTP, so the
//! rules can be tested exhaustively (property tests for text folding, unit codes and dates).

pub mod assets;
pub mod auth;
// --- comms ---
pub mod comms;
pub mod consent;
// h17a: channel text rules (phones, SMS segments)
pub mod channels;
pub mod faults;
pub mod households;
pub mod locale;
pub mod markdown;
pub mod message;
pub mod notices;
pub mod ops;
pub mod procedures;
pub mod public_text;
pub mod radio;
pub mod text;
pub mod units;

pub use message::Message;
pub use text::{fold, search_rank};
// --- teams, criteria ---
pub mod criteria;
pub mod teams;
