//! Communications: village groups and coverage, announcements with approval and scheduling,
//! delivery through a transactional outbox (public feeds, signed webhooks with retries), reach,
//! and the how-to guide library.
//!
//! Permissions: groups and announcements are written with `WritePeople` on their unit; rosters
//! and the households in no group need `ReadPeople`; figures, announcements and coverage need
//! `ReadDashboard`; an announcement beyond one village needs `ApproveAnnouncements` (officers)
//! there; webhook endpoints, which hold a secret, need `ManageAccounts`.

mod aim;
mod announcements;
// h17a: channel adapters (ZNS, SMS, e-mail) and their worker
pub mod channels;
mod delivery;
mod feed;
mod groups;
pub mod guides;
mod radio;
mod status;
mod webhooks;
// --- h17c: notifications, preferences ---
pub mod morning;
pub mod notify;
pub mod preferences;

pub use aim::{
    CHANNELS, MAX_TARGETS, OWN_REASON, TargetChoice, own_reason, parse_own_reason, parse_targets,
    phone_84, short_link, target_choices,
};
pub use announcements::{
    AnnouncementView, NewAnnouncement, announcement, create_announcement, decide,
    list_announcements, open_short_link, publish_due,
};
pub use delivery::{DeliveryWorker, WorkerConfig, run_once, signature};
pub use feed::{FeedItem, VillageFeed, announcement_entry, public_events, village_feed};
pub(crate) use groups::household_moved;
pub use groups::{
    MembershipReport, NewGroup, add_members, add_members_by_codes, coverage, create_group, group,
    groups_of_household, joinable_groups, list_groups, members, remove_member, uncovered,
    uncovered_page,
};
pub use guides::{GUIDES, Guide, guide};
pub use langso_store::comms::{
    AnnouncementRow, AttemptRow, BroadcastRow, CoverageRow, GroupRow, MemberRow, MessageRow,
    OutboxRow, SlotRow, WebhookRow,
};
pub use radio::{
    RadioView, add_slot, commune_serving, public_schedule, radio, reading_time, readings,
    remove_slot,
};
pub use status::{Deliveries, ZaloGroup, deliveries, mark_posted, zalo_groups};
pub use webhooks::{
    NewWebhook, WebhookDetail, create_webhook, deactivate_webhook, list_webhooks, webhook,
};
