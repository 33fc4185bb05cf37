//! Households: the register, the indicator catalogue and current values, the visit ledger and
//! the per-village roll-up counters. Every read that returns people takes a scope root (a unit)
//! and only returns households under it.

mod bulk;
mod counters;
mod exchange;
mod indicators;
mod register;
mod rollups;
mod round;
mod visits;

pub use bulk::*;
pub use counters::*;
pub use exchange::*;
pub use indicators::*;
pub use register::*;
pub use rollups::*;
pub use round::*;
pub use visits::*;
