//! Households: the register, the indicator catalogue and current values, the visit ledger and
//! the per-village roll-up counters. Every read that returns people takes a scope root (a unit)
//! and only returns households under it.

mod bulk;
mod counters;
mod exchange;
mod indicators;
mod register;
mod visits;
// --- counter roll-ups (issue 5c) ---
mod rollups;

pub use bulk::*;
pub use counters::*;
pub use exchange::*;
pub use indicators::*;
pub use register::*;
pub use visits::*;
// --- counter roll-ups (issue 5c) ---
pub use rollups::*;
