//! Server-rendered officer pages (askama) on the `html` toolkit, one file or folder per domain,
//! each routing its own screens. Every page works without JavaScript; Vietnamese first, with an
//! English switch kept in a cookie.

mod assets;
mod audit;
mod auth;
mod comms;
mod criteria;
mod dashboard;
mod faults;
mod home;
mod households;
mod ops;
mod privacy;
mod procedures;
mod teams;
mod units;

use crate::Settings;
use crate::html::Routes;

/// Every officer page, each domain's screens from its own file.
pub(crate) fn routes(settings: &Settings) -> Routes {
    Routes::new()
        .merge(home::routes())
        .merge(units::routes())
        .merge(auth::routes(settings))
        .merge(households::routes())
        .merge(teams::routes())
        .merge(criteria::routes())
        .merge(procedures::routes())
        .merge(assets::routes())
        .merge(faults::routes())
        .merge(comms::routes())
        .merge(audit::routes())
        .merge(dashboard::routes())
        .merge(ops::routes())
        .merge(privacy::routes())
}
