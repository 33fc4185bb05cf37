//! Communications: village groups and memberships, announcements and their feed rows, the
//! delivery outbox with its attempts, webhook endpoints, and messages to one recipient on one
//! channel (ZNS, SMS, e-mail) with theirs. Reads that return households take
//! a scope root and only return households under it.

mod announcements;
mod channels;
mod events;
mod groups;
mod messages;
mod notifications;
mod notify;
mod outbox;
mod radio;
mod reports;
mod targets;
mod webhook_admin;

pub use announcements::*;
pub use channels::*;
pub use events::*;
pub use groups::*;
pub use messages::*;
pub use notifications::*;
pub use notify::*;
pub use outbox::*;
pub use radio::*;
pub use reports::*;
pub use targets::*;
pub use webhook_admin::*;

/// Milliseconds since the Unix epoch: how instants that SQL compares are stored.
pub fn millis(at: time::OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// The instant of a stored millisecond count.
pub fn from_millis(ms: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}
