//! Communications pages (domain `comms`): a unit's village groups and their rosters, coverage
//! of households by groups ([`groups`]), announcements written, approved and followed per
//! channel ([`announcements`], written in [`compose`]), the commune radio ([`radio`]), and the
//! webhook endpoints announcements are sent to
//! ([`webhooks`]).

mod announcements;
mod compose;

mod channels;
mod groups;
mod radio;
mod webhooks;

use serde::Deserialize;

use crate::html::Routes;

/// Every communications screen.
pub(super) fn routes() -> Routes {
    groups::routes()
        .merge(announcements::routes())
        .merge(compose::routes())
        .merge(radio::routes())
        .merge(webhooks::routes())
        .merge(channels::routes())
}

/// `?unit=` on a list page.
#[derive(Deserialize)]
struct UnitQuery {
    unit: Option<String>,
}
