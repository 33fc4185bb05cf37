//! Server-rendered pages (askama), one file per screen. Every page works without JavaScript;
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
pub(crate) mod format;
// --- webhooks page (issue 8b) ---
mod asset_import;
mod asset_page;
mod programme;
mod webhooks;
mod work_orders;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use langso_app::Actor;
use langso_domain::auth::Permission;
use langso_domain::units::UnitKind;
use serde::Deserialize;

use crate::i18n::Lang;
use crate::{AppState, Settings};

const STYLESHEET: &str = include_str!("../../static/langso.css");

pub(crate) fn router(settings: &Settings) -> Router<AppState> {
    // The login form is public: a per-address rate limit on top of the per-account throttle.
    let login = crate::security::public_rate_limit(
        Router::new().route("/login", get(login::form).post(login::submit)),
        20,
        std::time::Duration::from_secs(3),
        settings.trust_forwarded,
        Some(vec![axum::http::Method::POST]),
    );
    Router::new()
        .route("/", get(home::show))
        .route("/units", get(units::index))
        .route("/units/{id}", get(units::show))
        .route("/logout", post(login::logout))
        .route("/account", get(account::show))
        .route("/account/password", post(account::change_password))
        .route(
            "/admin/users",
            get(admin_users::index).post(admin_users::create),
        )
        .route("/admin/users/{id}", get(admin_users::show))
        .route("/admin/users/{id}/disable", post(admin_users::disable))
        .route("/households", get(households::index))
        .route("/households/{id}", get(households::show))
        .route(
            "/households/{id}/visit",
            get(households::visit_form).post(households::visit_submit),
        )
        .route("/round", get(households::round))
        .route("/progress", get(households::progress))
        .route("/audit", get(audit::index))
        .route("/audit/export", get(audit::export))
        .route("/qr", get(qr::index))
        .route("/qr/new", get(qr::new_form).post(qr::create))
        .route("/qr/placements/{id}", get(qr::show))
        .route("/qr/placements/{id}/active", post(qr::set_active))
        .route("/qr/analytics", get(qr_analytics::analytics))
        .route("/procedures/{code}/history", get(qr_analytics::history))
        .route(
            "/procedures/{code}/new-version",
            get(procedure_versions::form).post(procedure_versions::publish),
        )
        // --- assets ---
        .route("/assets", get(assets::index))
        .route("/alarms", get(assets::alarms))
        .route("/alarms/{id}/{action}", post(assets::alarm_action))
        .route("/lang/{code}", get(switch_language))
        .route("/static/langso.css", get(stylesheet))
        // --- households import/export ---
        .route(
            "/households/import",
            get(household_files::form)
                .post(household_files::upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    langso_app::households::MAX_UPLOAD + 64 * 1024,
                )),
        )
        .route(
            "/households/import/{id}/confirm",
            post(household_files::confirm),
        )
        .route("/households/export", get(household_files::export))
        // --- comms ---
        .route("/groups", get(comms::groups).post(comms::create_group))
        .route("/groups/{id}", get(comms::group))
        .route("/groups/{id}/members", post(comms::add_members))
        .route("/households/{id}/groups", get(comms::household_groups))
        .route("/coverage", get(comms::coverage))
        .route("/coverage/uncovered", get(comms::uncovered))
        .route("/announcements", get(comms::announcements))
        .route(
            "/announcements/new",
            get(comms::new_form).post(comms::create),
        )
        .route("/announcements/{id}", get(comms::show))
        .route("/announcements/{id}/decision", post(comms::decide))
        // --- dashboard ---
        .route("/dashboard", get(dashboard::show))
        // --- webhooks page (issue 8b) ---
        .route("/webhooks", get(webhooks::index).post(webhooks::create))
        .route("/webhooks/{id}", get(webhooks::show))
        .route("/webhooks/{id}/deactivate", post(webhooks::deactivate))
        .route(
            "/assets/import",
            get(asset_import::form).post(asset_import::upload).layer(
                axum::extract::DefaultBodyLimit::max(
                    langso_app::assets::MAX_ASSET_UPLOAD + 64 * 1024,
                ),
            ),
        )
        .route("/assets/import/{id}/confirm", post(asset_import::confirm))
        .route("/work-orders/{id}/photo", get(work_orders::photo))
        .route("/work-orders", get(work_orders::index))
        .route("/work-orders/{id}", get(work_orders::show))
        .route(
            "/work-orders/{id}/transition",
            post(work_orders::transition),
        )
        .route("/assets/{id}", get(asset_page::show))
        .route(
            "/teams",
            get(programme::teams_index).post(programme::create_team),
        )
        .route("/teams/{id}", get(programme::team))
        .route("/teams/{id}/members", post(programme::add_member))
        .route(
            "/outreach",
            get(programme::outreach_index).post(programme::record_outreach),
        )
        .route(
            "/criteria",
            get(programme::sets)
                .post(programme::import_set)
                .layer(axum::extract::DefaultBodyLimit::max(2 * 1024 * 1024)),
        )
        .route("/criteria/{id}", get(programme::set))
        .route("/villages/{id}", get(programme::village))
        .route(
            "/villages/{id}/evidence",
            post(programme::upload_evidence).layer(axum::extract::DefaultBodyLimit::max(
                langso_app::criteria::MAX_EVIDENCE + 64 * 1024,
            )),
        )
        .route("/villages/{id}/propose", post(programme::propose))
        .route("/villages/{id}/approve", post(programme::approve))
        .route("/villages/{id}/revoke", post(programme::revoke))
        .route("/evidence/{id}/approve", post(programme::approve_evidence))
        .route("/evidence/{id}/file", get(programme::evidence_file))
        .merge(login)
}

/// Every page route as (method, path template), for the access-control matrix test: a route
/// added to [`router`] must be added here and to the matrix.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/units"),
    ("GET", "/units/{id}"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/account"),
    ("POST", "/account/password"),
    ("GET", "/admin/users"),
    ("POST", "/admin/users"),
    ("GET", "/admin/users/{id}"),
    ("POST", "/admin/users/{id}/disable"),
    ("GET", "/households"),
    ("GET", "/households/{id}"),
    ("GET", "/households/{id}/visit"),
    ("POST", "/households/{id}/visit"),
    ("GET", "/round"),
    ("GET", "/progress"),
    ("GET", "/audit"),
    ("GET", "/audit/export"),
    ("GET", "/qr"),
    ("GET", "/qr/new"),
    ("POST", "/qr/new"),
    ("GET", "/qr/placements/{id}"),
    ("POST", "/qr/placements/{id}/active"),
    ("GET", "/qr/analytics"),
    ("GET", "/procedures/{code}/history"),
    ("GET", "/procedures/{code}/new-version"),
    ("POST", "/procedures/{code}/new-version"),
    // The residents' pages (public/ router).
    ("GET", "/q/{token}"),
    ("GET", "/thu-tuc"),
    ("GET", "/thu-tuc/{code}"),
    ("GET", "/lang/{code}"),
    ("GET", "/static/langso.css"),
    // --- households import/export ---
    ("GET", "/households/import"),
    ("POST", "/households/import"),
    ("POST", "/households/import/{id}/confirm"),
    ("GET", "/households/export"),
    // --- comms ---
    ("GET", "/groups"),
    ("POST", "/groups"),
    ("GET", "/groups/{id}"),
    ("POST", "/groups/{id}/members"),
    ("GET", "/households/{id}/groups"),
    ("GET", "/coverage"),
    ("GET", "/coverage/uncovered"),
    ("GET", "/announcements"),
    ("GET", "/announcements/new"),
    ("POST", "/announcements/new"),
    ("GET", "/announcements/{id}"),
    ("POST", "/announcements/{id}/decision"),
    ("GET", "/v/{village}/feed"),
    ("GET", "/v/{village}/feed.atom"),
    ("GET", "/a/{code}"),
    ("GET", "/huong-dan"),
    ("GET", "/huong-dan/{slug}"),
    // --- assets ---
    ("GET", "/assets"),
    ("GET", "/alarms"),
    ("POST", "/alarms/{id}/{action}"),
    ("GET", "/wifi"),
    ("GET", "/bao-hong"),
    ("POST", "/bao-hong"),
    ("GET", "/bao-hong/{token}"),
    ("GET", "/open311/v2/{file}"),
    ("POST", "/open311/v2/{file}"),
    ("GET", "/open311/v2/services/{code}"),
    ("GET", "/open311/v2/requests/{id}"),
    ("GET", "/open311/v2/tokens/{id}"),
    // --- dashboard ---
    ("GET", "/dashboard"),
    // --- webhooks page (issue 8b) ---
    ("GET", "/webhooks"),
    ("POST", "/webhooks"),
    ("GET", "/webhooks/{id}"),
    ("POST", "/webhooks/{id}/deactivate"),
    ("GET", "/assets/import"),
    ("POST", "/assets/import"),
    ("POST", "/assets/import/{id}/confirm"),
    ("GET", "/work-orders/{id}/photo"),
    ("GET", "/work-orders"),
    ("GET", "/work-orders/{id}"),
    ("POST", "/work-orders/{id}/transition"),
    ("GET", "/assets/{id}"),
    ("GET", "/teams"),
    ("POST", "/teams"),
    ("GET", "/teams/{id}"),
    ("POST", "/teams/{id}/members"),
    ("GET", "/outreach"),
    ("POST", "/outreach"),
    ("GET", "/criteria"),
    ("POST", "/criteria"),
    ("GET", "/criteria/{id}"),
    ("GET", "/villages/{id}"),
    ("POST", "/villages/{id}/evidence"),
    ("POST", "/villages/{id}/propose"),
    ("POST", "/villages/{id}/approve"),
    ("POST", "/villages/{id}/revoke"),
    ("POST", "/evidence/{id}/approve"),
    ("GET", "/evidence/{id}/file"),
];

/// What every page's frame needs: language, where we are, whether this is the demo, who is
/// logged in (and the CSRF token their forms carry).
#[derive(Clone, Debug)]
pub struct Chrome {
    /// The reader's language.
    pub lang: Lang,
    /// The current path with its query, for the language switch to come back to.
    pub back: String,
    /// Show the synthetic-data banner.
    pub demo: bool,
    /// The logged-in person's label.
    pub user: Option<String>,
    /// The CSRF token of the session, for forms.
    pub csrf: String,
    /// Show the accounts menu.
    pub manages_accounts: bool,
    /// Show the audit menu.
    pub reads_audit: bool,
    /// Show the households and round menus.
    pub reads_people: bool,
    /// Show the progress menu.
    pub reads_dashboard: bool,
}

impl Chrome {
    pub(crate) fn new(lang: Lang, back: String, demo: bool) -> Self {
        Chrome {
            lang,
            back,
            demo,
            user: None,
            csrf: String::new(),
            manages_accounts: false,
            reads_audit: false,
            reads_people: false,
            reads_dashboard: false,
        }
    }

    /// The frame for a request by `actor` (or nobody).
    pub(crate) fn for_request(
        state: &AppState,
        headers: &HeaderMap,
        uri: &axum::http::Uri,
        actor: Option<&Actor>,
    ) -> Self {
        let back = uri
            .path_and_query()
            .map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned());
        let mut chrome = Chrome::new(Lang::from_headers(headers), back, state.settings.demo);
        if let Some(actor) = actor {
            chrome.user = Some(actor.label.clone());
            chrome.csrf = actor.csrf.clone().unwrap_or_default();
            chrome.manages_accounts = actor.may(Permission::ManageAccounts);
            chrome.reads_audit = actor.may(Permission::ReadAudit);
            chrome.reads_people = actor.may(Permission::ReadPeople);
            chrome.reads_dashboard = actor.may(Permission::ReadDashboard);
        }
        chrome
    }

    /// The label of a role.
    pub fn role(&self, role: &str) -> &'static str {
        self.lang.t(&format!("role.{role}"))
    }

    /// The catalogue text for `key`.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The label of a unit kind.
    pub fn kind(&self, kind: &UnitKind) -> &'static str {
        self.lang.t(&format!("kind.{}", kind.as_str()))
    }

    /// The language-switch link.
    pub fn switch_href(&self) -> String {
        format!(
            "/lang/{}?back={}",
            self.lang.t("lang.other.code"),
            url_encode(&self.back)
        )
    }
}

/// Percent-encodes a query value.
pub(crate) fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char);
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    chrome: Chrome,
    message_key: &'static str,
    details: Vec<String>,
}

impl ErrorPage {
    pub(crate) fn new(lang: Lang, message_key: &'static str, details: Vec<String>) -> Self {
        ErrorPage {
            chrome: Chrome::new(lang, "/".to_owned(), false),
            message_key,
            details,
        }
    }

    /// The page, or plain text if the template itself fails.
    pub(crate) fn render_or_plain(&self) -> String {
        self.render()
            .unwrap_or_else(|_| self.chrome.t(self.message_key).to_owned())
    }
}

/// Renders a page template, or the error page if rendering fails.
pub(crate) fn render(page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed");
            let page = ErrorPage::new(Lang::Vi, "error.internal", Vec::new());
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html(page.render_or_plain()),
            )
                .into_response()
        }
    }
}

/// Any unknown path.
pub(crate) async fn not_found(headers: HeaderMap) -> Response {
    let lang = Lang::from_headers(&headers);
    let page = ErrorPage::new(lang, "error.not_found", Vec::new());
    (StatusCode::NOT_FOUND, Html(page.render_or_plain())).into_response()
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
