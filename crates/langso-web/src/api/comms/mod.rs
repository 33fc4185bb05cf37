//! `/api/v1/groups`, `/api/v1/coverage`, `/api/v1/announcements`, `/api/v1/webhooks`: village
//! groups and their rosters, coverage, announcements with their delivery status, and webhook
//! endpoints. Scoped like everything else: outside the caller's units answers 404.

mod announcements;
mod groups;
mod webhooks;

use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::AppState;

pub use announcements::{
    AnnouncementBody, AnnouncementDetailDto, AnnouncementDto, ChannelDto, DecisionBody,
};
pub use groups::{CoverageDto, GroupBody, GroupDto, MemberDto, MembersBody, MembershipDto};
pub use webhooks::{WebhookBody, WebhookDto};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    groups::router()
        .merge(announcements::router())
        .merge(webhooks::router())
}

/// The unit to look under.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UnitParam {
    /// Unit id.
    pub(super) unit: Uuid,
}
