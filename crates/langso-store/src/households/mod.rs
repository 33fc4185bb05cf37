//! Households: the register, the indicator catalogue and current values, the visit ledger and
//! the per-village roll-up counters. Every read that returns people takes a scope root (a unit)
//! and only returns households under it.

mod bulk;
mod consent;
mod counters;
mod exchange;
mod impossible;
mod indicators;
mod monthly;
mod offline;
mod register;
mod reviews;
mod rollups;
mod round;
mod seen;
mod visits;

pub use bulk::*;
pub use consent::*;
pub use counters::*;
pub use exchange::*;
pub use impossible::*;
pub use indicators::*;
pub use monthly::*;
pub use offline::*;
pub use register::*;
pub use reviews::*;
pub use rollups::*;
pub use round::*;
pub use seen::*;
pub use visits::*;
