//! The page toolkit, under every page handler of `pages/` and `public/`: the frame of a page
//! ([`Chrome`], rendered by `templates/base.html`), the extractors a handler starts from
//! ([`Page`] for officers, [`Visitor`] for residents), the CSRF-checked typed form
//! ([`CsrfForm`]), the one way to answer a form ([`Page::form_or_redirect`]), the error page,
//! a router that lists its routes ([`Routes`]), unit names told apart and the unit picker
//! ([`unit_label`], [`UnitPicker`]) and the local formats (dates dd/mm/yyyy,
//! Vietnam time, Vietnamese numbers).
//!
//! `pages/`, `api/` and `public/` use this module and `langso-app`, never each other; this
//! module uses only the crate's foundations (`auth`, `messages`, `error`).

pub mod alerts;
mod chrome;
mod devices;
mod error;
mod form;
pub mod format;
mod page;
mod routes;
mod units;

pub use chrome::{Chrome, url_encode};
pub use devices::{DeviceLine, device_lines};
pub use error::{ErrorPage, PageError, not_found, render};
pub use form::{CsrfForm, form_status, render_form};
pub use page::{Page, Visitor};
pub use routes::Routes;
pub use units::{UnitChoice, UnitPicker, picked_or_named, unit_label};

use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

const STYLESHEET: &str = include_str!("../../static/langso.css");

/// The routes of the frame itself: the language switch and the stylesheet.
pub fn routes() -> Routes {
    Routes::new()
        .get("/lang/{code}", switch_language)
        .get("/static/langso.css", stylesheet)
        .get("/static/fault-form.js", fault_script)
        .get("/static/announce.js", announce_script)
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

/// Sets the language cookie and returns to the page the reader was on (only a local path).
async fn switch_language(Path(code): Path<String>, Query(query): Query<Back>) -> Response {
    let lang = if code == "en" { "en" } else { "vi" };
    let back = langso_domain::public_text::same_site_path(query.back.as_deref().unwrap_or("/"));
    let cookie = format!("lang={lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    ([(header::SET_COOKIE, cookie)], Redirect::to(back)).into_response()
}

/// The fault form's one script (the phone's position), our own, embedded.
const FAULT_SCRIPT: &str = include_str!("../../static/fault-form.js");

async fn fault_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAULT_SCRIPT,
    )
        .into_response()
}

/// The announcement pages' one script (target list, Zalo copy), our own, embedded.
const ANNOUNCE_SCRIPT: &str = include_str!("../../static/announce.js");

async fn announce_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ANNOUNCE_SCRIPT,
    )
        .into_response()
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        STYLESHEET,
    )
        .into_response()
}
