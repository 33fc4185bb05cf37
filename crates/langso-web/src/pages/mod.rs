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
mod faults;
mod programme;
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
        .route("/dashboard", &["GET"], get(dashboard::show))
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
        .route(
            "/teams",
            &["GET", "POST"],
            get(programme::teams_index).post(programme::create_team),
        )
        .route("/teams/{id}", &["GET"], get(programme::team))
        .route(
            "/teams/{id}/members",
            &["POST"],
            post(programme::add_member),
        )
        .route(
            "/outreach",
            &["GET", "POST"],
            get(programme::outreach_index).post(programme::record_outreach),
        )
        .route(
            "/criteria",
            &["GET", "POST"],
            get(programme::sets)
                .post(programme::import_set)
                .layer(axum::extract::DefaultBodyLimit::max(2 * 1024 * 1024)),
        )
        .route("/criteria/{id}", &["GET"], get(programme::set))
        .route("/villages/{id}", &["GET"], get(programme::village))
        .route(
            "/villages/{id}/evidence",
            &["POST"],
            post(programme::upload_evidence).layer(axum::extract::DefaultBodyLimit::max(
                langso_app::criteria::MAX_EVIDENCE + 64 * 1024,
            )),
        )
        .route(
            "/villages/{id}/propose",
            &["POST"],
            post(programme::propose),
        )
        .route(
            "/villages/{id}/approve",
            &["POST"],
            post(programme::approve),
        )
        .route("/villages/{id}/revoke", &["POST"], post(programme::revoke))
        .route(
            "/evidence/{id}/approve",
            &["POST"],
            post(programme::approve_evidence),
        )
        .route(
            "/evidence/{id}/file",
            &["GET"],
            get(programme::evidence_file),
        )
}
