//! Public pages for residents, no login: the QR landing `/q/{token}` and the procedure guides
//! `/thu-tuc` and `/thu-tuc/{code}`.
//!
//! They are the pages people reach from a poster on a cheap phone, so they are small (well
//! under 50 KB with the stylesheet), need no script and set no cookie, and they are served from
//! memory ([`cache`]) so they keep answering while the database is busy.

pub mod cache;
// --- comms ---
mod comms;
mod fault_updates;
mod faults;
// --- h16a: the residents' form, following a report ---
mod fault_follow;
mod fault_form;
mod open311;
mod open311_form;
mod open311_reply;
// --- h17b: the commune radio's schedule ---
mod radio;
mod views;
mod xml;
// --- h18b: the installable round ---
mod offline_app;
// --- h17d: providers' delivery reports ---
mod hooks;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use langso_app::AppError;
use langso_app::procedures::{self as actions, ScanTarget};
use serde::Deserialize;

use crate::AppState;
use crate::html::{Chrome, PageError, Routes, Visitor};
use cache::{Cached, TTL};

/// Rendered pages and resolved tokens. A change made on this node clears them at once here
/// and, on PostgreSQL, on every other node too: [`PublicCache::clear`] wakes a task that sends
/// a notification on `changes::PUBLIC_PAGES`, and each node listens on that channel and clears
/// its copy when one arrives (or when its listening connection was lost, since it may have
/// missed one). Whatever happens to that channel, no entry outlives its lifetime.
pub struct PublicCache {
    pages: Cached<Bytes>,
    targets: Cached<ScanTarget>,
    changed: Arc<tokio::sync::Notify>,
}

impl Default for PublicCache {
    fn default() -> Self {
        PublicCache::new(TTL)
    }
}

impl PublicCache {
    /// Empty, with entries fresh for `ttl`.
    pub fn new(ttl: std::time::Duration) -> Self {
        PublicCache {
            pages: Cached::new(ttl),
            targets: Cached::new(ttl),
            changed: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// Forgets every page and token, here and on the other nodes: call after publishing a
    /// version or changing a placement (once the change is committed).
    pub fn clear(&self) {
        self.forget();
        self.changed.notify_one();
    }

    /// Forgets every page and token on this node only.
    fn forget(&self) {
        self.pages.clear();
        self.targets.clear();
    }

    /// On PostgreSQL, the tasks that tell the other nodes of this node's changes and hear
    /// theirs; none on SQLite.
    pub fn spread(self: &Arc<Self>, db: &langso_app::Db) -> Vec<tokio::task::JoinHandle<()>> {
        use langso_app::cache::changes::{self, Listener, PUBLIC_PAGES};
        if !matches!(db, langso_app::Db::Postgres(_)) {
            return Vec::new();
        }
        let (cache, announcer_db) = (self.clone(), db.clone());
        let announcer = tokio::spawn(async move {
            loop {
                cache.changed.notified().await;
                if let Err(error) = changes::announce(&announcer_db, PUBLIC_PAGES).await {
                    tracing::warn!(%error, "public pages changed: other nodes not told");
                }
            }
        });
        let (cache, db) = (self.clone(), db.clone());
        let listener = tokio::spawn(async move {
            loop {
                let mut listener = match Listener::start(&db, PUBLIC_PAGES).await {
                    Ok(Some(listener)) => listener,
                    Ok(None) => return,
                    Err(error) => {
                        tracing::warn!(%error, "cannot listen for public page changes; retrying");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        continue;
                    }
                };
                // Not cleared at the first start: what was cached before it is bounded by the
                // lifetime, and clearing then would empty a cache just warmed while the
                // database may be busy. A lost connection (below) clears it.
                loop {
                    if let Err(error) = listener.next().await {
                        tracing::warn!(%error, "listening for public page changes");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                    cache.forget();
                }
            }
        });
        vec![announcer, listener]
    }
}

/// Every page residents reach without login.
pub(crate) fn routes(settings: &crate::Settings) -> Routes {
    Routes::new()
        .get("/q/{token}", scan)
        .get("/thu-tuc", index)
        .get("/thu-tuc/{code}", guide)
        // --- comms ---
        .get("/v/{village}/feed", comms::feed)
        .get("/v/{village}/feed.atom", comms::atom)
        .get("/a/{code}", comms::short_link)
        .get("/huong-dan", comms::library)
        .get("/huong-dan/{slug}", comms::howto_page)
        .get("/dai-truyen-thanh/{commune}/lich.ics", radio::ics)
        .get("/dai-truyen-thanh/{commune}/lich.atom", radio::atom)
        .merge(faults_routes(settings))
        .merge(offline_app::routes())
        .merge(hooks::routes())
}

/// Fault reports: the residents' form and status page, and Open311 GeoReport v2. Posts are
/// rate-limited per client address (a burst of 20, then one every 3 s).
fn faults_routes(settings: &crate::Settings) -> Routes {
    let limited = |router: Router<AppState>| {
        crate::security::public_rate_limit(
            router,
            20,
            std::time::Duration::from_secs(3),
            settings.trust_forwarded,
            Some(vec![axum::http::Method::POST]),
        )
    };
    let posting = Routes::new()
        .route(
            "/bao-hong",
            &["GET", "POST"],
            get(fault_form::form).post(fault_form::submit).layer(
                axum::extract::DefaultBodyLimit::max(fault_form::MAX_REPORT_BODY),
            ),
        )
        .wrap(limited)
        .merge(
            Routes::new()
                .post("/bao-hong/{id}/theo-doi", fault_follow::follow)
                .wrap(limited),
        )
        .merge(
            Routes::new()
                .route(
                    "/open311/v2/{file}",
                    &["GET", "POST"],
                    get(open311::get_file).post(open311::post_request).layer(
                        axum::extract::DefaultBodyLimit::max(fault_form::MAX_REPORT_BODY),
                    ),
                )
                .wrap(limited),
        )
        // The reporter's answer to a fix (confirm or reopen), posted with the secret token;
        // each its own limit, like the routes above.
        .merge(
            Routes::new()
                .post("/bao-hong/{token}/xac-nhan", fault_updates::confirm)
                .wrap(limited),
        )
        .merge(
            Routes::new()
                .post("/bao-hong/{token}/mo-lai", fault_updates::reopen)
                .wrap(limited),
        );
    Routes::new()
        .get("/bao-hong/{token}", faults::status)
        .get("/bao-hong/phan-anh/{id}", fault_follow::show)
        .get("/bao-hong/anh/{id}", faults::photo)
        .get("/bao-hong/{token}/feed.atom", fault_updates::atom)
        .get("/wifi", faults::wifi)
        .get("/open311/v2/services/{code}", open311::service)
        .get("/open311/v2/requests/{id}", open311::request)
        .get("/open311/v2/tokens/{id}", open311::token)
        .merge(posting)
}

/// `/q/{token}`: records the scan (placement and time, nothing else) and sends the reader to
/// the guide, or to the placement's list of guides. A poster taken down still leads to the
/// list of every guide; a token the database cannot resolve right now leads there too.
async fn scan(
    State(state): State<AppState>,
    Path(token): Path<String>,
    visitor: Visitor,
) -> Response {
    if !langso_domain::procedures::is_token(&token) {
        return visitor.fail(AppError::NotFound).into_response();
    }
    let db = state.db.clone();
    let found = state
        .public
        .targets
        .get(&token, || {
            let token = token.clone();
            async move { actions::scan_target(&db, &token).await }
        })
        .await;
    let location = match found {
        Ok(target) => {
            state.scans.record(target.placement_id).await;
            match target.procedures.as_slice() {
                [one] if target.active => format!("/thu-tuc/{one}"),
                _ if target.active => format!("/thu-tuc?diem={token}"),
                _ => "/thu-tuc".to_owned(),
            }
        }
        Err(AppError::NotFound) => return visitor.fail(AppError::NotFound).into_response(),
        Err(error) => {
            tracing::warn!(%error, "QR token not resolved; sending the reader to every guide");
            "/thu-tuc".to_owned()
        }
    };
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
    )
        .into_response()
}

/// The frame of a page kept in the shared cache: one copy serves every reader of a language,
/// so it carries nobody's session and comes back to the page's own address.
fn shared_frame(visitor: &Visitor, back: String) -> Chrome {
    Chrome::new(visitor.lang, back, visitor.chrome.demo)
}

fn html(body: Bytes) -> Response {
    (
        [
            (header::CACHE_CONTROL, "public, max-age=60"),
            (header::VARY, "Cookie"),
        ],
        Html(body),
    )
        .into_response()
}

fn rendered(result: Result<String, askama::Error>) -> Result<Bytes, AppError> {
    result
        .map(Bytes::from)
        .map_err(|e| AppError::Internal(format!("template: {e}")))
}

/// `/thu-tuc/{code}`: the guide in force today.
async fn guide(
    State(state): State<AppState>,
    Path(code): Path<String>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let key = format!("guide:{}:{code}", visitor.lang.code());
    let db = state.db.clone();
    let chrome = shared_frame(&visitor, format!("/thu-tuc/{code}"));
    let page = state
        .public
        .pages
        .get(&key, || async move {
            let version = actions::guide(&db, &code).await?;
            rendered(views::guide_page(chrome, &version))
        })
        .await
        .map_err(|error| visitor.fail(error))?;
    Ok(html(page))
}

#[derive(Deserialize)]
struct IndexQuery {
    diem: Option<String>,
}

/// `/thu-tuc`: every guide in force, or those of one placement (`?diem=TOKEN`).
async fn index(
    State(state): State<AppState>,
    Query(query): Query<IndexQuery>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let token = query
        .diem
        .filter(|t| langso_domain::procedures::is_token(t));
    let key = format!(
        "index:{}:{}",
        visitor.lang.code(),
        token.as_deref().unwrap_or("")
    );
    let db = state.db.clone();
    let chrome = shared_frame(&visitor, "/thu-tuc".to_owned());
    let cache = Arc::clone(&state.public);
    let page = state
        .public
        .pages
        .get(&key, || async move {
            let guides = actions::guides(&db).await?;
            let place = match token {
                Some(token) => {
                    let lookup = || {
                        let token = token.clone();
                        let db = db.clone();
                        async move { actions::scan_target(&db, &token).await }
                    };
                    cache.targets.get(&token, lookup).await.ok()
                }
                None => None,
            };
            rendered(views::index_page(chrome, &guides, place.as_ref()))
        })
        .await
        .map_err(|error| visitor.fail(error))?;
    Ok(html(page))
}
