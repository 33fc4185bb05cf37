//! Server-rendered officer pages (askama) on the `html` toolkit, one file per domain. Every page works without JavaScript;
//! Vietnamese first, with an English switch kept in a cookie.

pub(crate) mod assets;
mod audit;
mod auth;
// --- comms ---
mod comms;
mod home;
mod households;
mod procedure_versions;
mod qr;
mod qr_analytics;
mod units;
// --- dashboard ---
mod dashboard;
// --- webhooks page (issue 8b) ---
mod asset_import;
mod asset_page;
mod programme;
mod webhooks;
mod work_orders;

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
        .route("/qr", &["GET"], get(qr::index))
        .route(
            "/qr/new",
            &["GET", "POST"],
            get(qr::new_form).post(qr::create),
        )
        .route("/qr/placements/{id}", &["GET"], get(qr::show))
        .route(
            "/qr/placements/{id}/active",
            &["POST"],
            post(qr::set_active),
        )
        .route("/qr/analytics", &["GET"], get(qr_analytics::analytics))
        .route(
            "/procedures/{code}/history",
            &["GET"],
            get(qr_analytics::history),
        )
        .route(
            "/procedures/{code}/new-version",
            &["GET", "POST"],
            get(procedure_versions::form).post(procedure_versions::publish),
        )
        // --- assets ---
        .route("/assets", &["GET"], get(assets::index))
        .route("/alarms", &["GET"], get(assets::alarms))
        .route(
            "/alarms/{id}/{action}",
            &["POST"],
            post(assets::alarm_action),
        )
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
            "/assets/import",
            &["GET", "POST"],
            get(asset_import::form).post(asset_import::upload).layer(
                axum::extract::DefaultBodyLimit::max(
                    langso_app::assets::MAX_ASSET_UPLOAD + 64 * 1024,
                ),
            ),
        )
        .route(
            "/assets/import/{id}/confirm",
            &["POST"],
            post(asset_import::confirm),
        )
        .route("/work-orders/{id}/photo", &["GET"], get(work_orders::photo))
        .route("/work-orders", &["GET"], get(work_orders::index))
        .route("/work-orders/{id}", &["GET"], get(work_orders::show))
        .route(
            "/work-orders/{id}/transition",
            &["POST"],
            post(work_orders::transition),
        )
        .route("/assets/{id}", &["GET"], get(asset_page::show))
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
