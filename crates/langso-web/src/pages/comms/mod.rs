//! Communications pages (domain `comms`): a unit's village groups and their rosters, coverage
//! of households by groups ([`groups`]), announcements written, approved and followed per
//! channel ([`announcements`]), and the webhook endpoints announcements are sent to
//! ([`webhooks`]).

mod announcements;
// h17a: channel settings and ZNS templates
mod channels;
mod groups;
mod webhooks;

use serde::Deserialize;

use crate::html::Routes;

/// Every communications screen.
pub(super) fn routes() -> Routes {
    groups::routes()
        .merge(announcements::routes())
        .merge(webhooks::routes())
        .merge(channels::routes())
}

/// `?unit=` on a list page.
#[derive(Deserialize)]
struct UnitQuery {
    unit: Option<String>,
}
