//! Server-rendered officer pages (askama) on the `html` toolkit, one file per domain. Every page works without JavaScript;
//! Vietnamese first, with an English switch kept in a cookie.

mod account;
mod admin_users;
pub(crate) mod assets;
mod audit;
// --- comms ---
mod comms;
mod home;
mod household_files;
mod households;
mod login;
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
mod work_orders;

use axum::routing::{get, post};

use crate::Settings;
use crate::html::Routes;
pub(crate) use crate::html::{Chrome, render};

/// Every officer page, each domain's screens in its own file.
pub(crate) fn routes(settings: &Settings) -> Routes {
    let login = Routes::new()
        .route(
            "/login",
            &["GET", "POST"],
            get(login::form).post(login::submit),
        )
        .wrap(|login| {
            crate::security::public_rate_limit(
                login,
                20,
                std::time::Duration::from_secs(3),
                settings.trust_forwarded,
                Some(vec![axum::http::Method::POST]),
            )
        });
    Routes::new()
        .route("/", &["GET"], get(home::show))
        .route("/units", &["GET"], get(units::index))
        .route("/units/{id}", &["GET"], get(units::show))
        .route("/logout", &["POST"], post(login::logout))
        .route("/account", &["GET"], get(account::show))
        .route(
            "/account/password",
            &["POST"],
            post(account::change_password),
        )
        .route(
            "/admin/users",
            &["GET", "POST"],
            get(admin_users::index).post(admin_users::create),
        )
        .route("/admin/users/{id}", &["GET"], get(admin_users::show))
        .route(
            "/admin/users/{id}/disable",
            &["POST"],
            post(admin_users::disable),
        )
        .route("/households", &["GET"], get(households::index))
        .route("/households/{id}", &["GET"], get(households::show))
        .route(
            "/households/{id}/visit",
            &["GET", "POST"],
            get(households::visit_form).post(households::visit_submit),
        )
        .route("/round", &["GET"], get(households::round))
        .route("/progress", &["GET"], get(households::progress))
        .route("/audit", &["GET"], get(audit::index))
        .route("/audit/export", &["GET"], get(audit::export))
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
        // --- households import/export ---
        .route(
            "/households/import",
            &["GET", "POST"],
            get(household_files::form)
                .post(household_files::upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    langso_app::households::MAX_UPLOAD + 64 * 1024,
                )),
        )
        .route(
            "/households/import/{id}/confirm",
            &["POST"],
            post(household_files::confirm),
        )
        .route("/households/export", &["GET"], get(household_files::export))
        // --- dashboard ---
        .route("/dashboard", &["GET"], get(dashboard::show))
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
        // --- comms ---
        .merge(comms::routes())
        .merge(login)
}
