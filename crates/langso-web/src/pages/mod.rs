//! Server-rendered officer pages (askama) on the `html` toolkit, one file per domain. Every page works without JavaScript;
//! Vietnamese first, with an English switch kept in a cookie.

mod assets;
mod audit;
mod auth;
// --- comms ---
mod comms;
mod home;
mod households;
mod procedures;
mod units;
// --- dashboard ---
mod dashboard;
// --- webhooks page (issue 8b) ---
mod criteria;
mod faults;
mod teams;
mod webhooks;

use axum::routing::{get, post};

use crate::Settings;
use crate::html::Routes;
pub(crate) use crate::html::{Chrome, render};

/// Every officer page, each domain's screens in its own file.
pub(crate) fn routes(settings: &Settings) -> Routes {
    Routes::new()
        .merge(home::routes())
        .merge(units::routes())
        .merge(auth::routes(settings))
        .merge(households::routes())
        .merge(audit::routes())
        .merge(procedures::routes())
        .merge(assets::routes())
        .merge(faults::routes())
        // --- comms ---
        .route(
            "/groups",
            &["GET", "POST"],
            get(comms::groups).post(comms::create_group),
        )
        .route("/groups/{id}", &["GET"], get(comms::group))
        .route("/groups/{id}/members", &["POST"], post(comms::add_members))
        .route(
            "/households/{id}/groups",
            &["GET"],
            get(comms::household_groups),
        )
        .route("/coverage", &["GET"], get(comms::coverage))
        .route("/coverage/uncovered", &["GET"], get(comms::uncovered))
        .route("/announcements", &["GET"], get(comms::announcements))
        .route(
            "/announcements/new",
            &["GET", "POST"],
            get(comms::new_form).post(comms::create),
        )
        .route("/announcements/{id}", &["GET"], get(comms::show))
        .route(
            "/announcements/{id}/decision",
            &["POST"],
            post(comms::decide),
        )
        // --- dashboard ---
        .merge(dashboard::routes())
        // --- webhooks page (issue 8b) ---
        .route(
            "/webhooks",
            &["GET", "POST"],
            get(webhooks::index).post(webhooks::create),
        )
        .route("/webhooks/{id}", &["GET"], get(webhooks::show))
        .route(
            "/webhooks/{id}/deactivate",
            &["POST"],
            post(webhooks::deactivate),
        )
        .merge(teams::routes())
        .merge(criteria::routes())
}
