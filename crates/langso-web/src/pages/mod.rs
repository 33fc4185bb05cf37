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
mod criteria;
mod teams;
mod webhooks;
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
        .merge(teams::routes())
        .merge(criteria::routes())
        .merge(login)
}
