//! The auth domain in the web: signing in and out, one's own account and password, and the
//! accounts an officer manages (list, create with a first role, view, disable).

mod account;
mod devices;
mod login;
// --- h17c: contacts and notification preferences ---
mod notifications;
mod user;
mod users;

use axum::routing::get;

use crate::Settings;
use crate::html::Routes;

/// The auth screens. The login form's POST is rate-limited per client address (a burst of 20,
/// then one every 3 s), which is why these routes need the settings (behind a proxy or not).
pub(super) fn routes(settings: &Settings) -> Routes {
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
        .post("/logout", login::logout)
        .get("/account", account::show)
        .post("/account/password", account::change_password)
        // --- issue 18: phones holding a copy of the offline round ---
        .post("/account/devices/{id}/forget", devices::forget)
        .post("/admin/users/{id}/devices/{device}/revoke", devices::revoke)
        .route(
            "/account/notifications",
            &["GET", "POST"],
            get(notifications::show).post(notifications::save),
        )
        .route(
            "/admin/users",
            &["GET", "POST"],
            get(users::index).post(users::create),
        )
        .get("/admin/users/{id}", user::show)
        .post("/admin/users/{id}/grant", user::grant)
        .post("/admin/users/{id}/revoke", user::revoke)
        .post("/admin/users/{id}/password", user::password)
        .post("/admin/users/{id}/disable", user::disable)
        // h17d: a manager sets the account's e-mail and phone
        .post("/admin/users/{id}/contacts", user::contacts)
        .merge(login)
}
