//! Langso's HTTP face: the JSON API (with OpenAPI), server-rendered pages, health and metrics.
//!
//! Handlers parse input, call one langso-app action and render the answer; they hold no SQL
//! and no policy. Errors become `application/problem+json` in the API and a plain page on the
//! web ([`error`]).

pub mod api;
pub mod auth;
pub mod error;
pub mod failures;
pub mod files;
pub mod html;
pub mod messages;
mod metrics;
pub mod pages;
pub mod public;
pub mod security;
mod server;
mod system;

pub use server::{ConnectionLimits, serve_with};

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use langso_app::Db;
use langso_app::assets::{Devices, Ingest, IngestConfig};
use langso_app::procedures::{RecorderConfig, ScanRecorder};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::TraceLayer;

/// What every handler can reach: one shared [`AppParts`]. axum clones the state for each
/// request (and for each layer that asks for it), so cloning is one reference count rather
/// than one per part (about 3 % of a heartbeat's CPU when it was a dozen).
#[derive(Clone)]
pub struct AppState(Arc<AppParts>);

impl std::ops::Deref for AppState {
    type Target = AppParts;

    fn deref(&self) -> &AppParts {
        &self.0
    }
}

/// The parts of the [`AppState`].
pub struct AppParts {
    /// The database.
    pub db: Db,
    /// Settings that shape what pages show.
    pub settings: Arc<Settings>,
    /// QR scans, committed in groups by one writer task.
    pub scans: ScanRecorder,
    /// Public pages and QR tokens kept in memory.
    pub public: Arc<public::PublicCache>,
    // --- assets ---
    /// Device tokens and the telemetry writer (group commit).
    pub devices: Arc<Devices>,
    /// The offline detector and the MQTT subscriber, ended at shutdown.
    pub background: Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
    // --- households ---
    /// Door-to-door visits, committed in groups by one writer task.
    pub visits: langso_app::households::VisitWriter,
    /// API tokens kept in memory, checked against the credential generation.
    pub tokens: langso_app::auth::ApiTokens,
    // --- h20d: operator alerts ---
    /// The alerts as this node knows them: banner, `/metrics`, the checker, the broker link.
    pub ops: Arc<langso_app::ops::Board>,
}

impl AppState {
    /// The state over `db`; starts the scan writer, so call it inside the runtime.
    pub fn new(db: Db, settings: Settings) -> AppState {
        let devices = Arc::new(Devices::with_lifetime(
            db.clone(),
            Ingest::start(
                db.clone(),
                IngestConfig {
                    capacity: if settings.ingest_capacity == 0 {
                        IngestConfig::default().capacity
                    } else {
                        settings.ingest_capacity
                    },
                    ..IngestConfig::default()
                },
            ),
            settings.caches.devices,
        ));
        let mut background = Vec::new();
        let every = if settings.offline_check.is_zero() {
            Duration::from_secs(10)
        } else {
            settings.offline_check
        };
        background.push(langso_app::assets::start_detector(db.clone(), every));
        let node = if settings.node_id.is_empty() {
            langso_app::assets::mqtt::default_node("")
        } else {
            settings.node_id.clone()
        };
        // Follow-ups due and digests at 07:00 Vietnam time, once across every node.
        background.push(langso_app::comms::morning::start_morning(
            db.clone(),
            node.clone(),
            Duration::from_secs(60),
        ));
        // Unusual access to people's numbers opens a draft incident, once per account and day
        // across every node.
        background.push(langso_app::privacy::anomaly::start_anomaly_check(
            db.clone(),
            Duration::from_secs(600),
        ));
        // Overdue data-subject requests flagged, retention rules applied once a day.
        background.push(langso_app::privacy::retention::start_privacy(
            db.clone(),
            node.clone(),
            Duration::from_secs(300),
        ));
        let ops = Arc::new(langso_app::ops::Board::new(&node));
        if let Some(url) = &settings.mqtt_url {
            let id = langso_app::assets::mqtt::client_id(&node);
            tracing::info!(%node, client_id = %id, "MQTT subscriber");
            match langso_app::assets::mqtt::start(url, &id, devices.clone(), ops.broker().clone()) {
                Ok(task) => background.push(task),
                Err(error) => tracing::error!(%error, "MQTT subscriber not started"),
            }
        }
        let visits = langso_app::households::VisitWriter::with_catalogue_lifetime(
            db.clone(),
            settings.caches.catalogue,
        );
        let tokens = langso_app::auth::ApiTokens::new(
            db.clone(),
            settings.caches.tokens,
            visits.generation_seen(),
        );
        let public = Arc::new(public::PublicCache::new(settings.caches.public));
        background.extend(public.spread(&db));
        AppState(Arc::new(AppParts {
            scans: ScanRecorder::start(db.clone(), RecorderConfig::default()),
            db,
            settings: Arc::new(settings),
            public,
            devices,
            background: Arc::new(std::sync::Mutex::new(background)),
            visits,
            tokens,
            ops,
        }))
    }

    /// After the server stopped: commits every scan and reading still queued, and stops the
    /// background tasks.
    pub async fn shutdown(&self) {
        if let Ok(mut tasks) = self.background.lock() {
            for task in tasks.drain(..) {
                task.abort();
            }
        }
        self.scans.shutdown().await;
        self.devices.ingest.shutdown().await;
        self.visits.shutdown().await;
    }
}

impl AppState {
    /// What QR codes and posters encode: the configured public URL, else the address the
    /// caller used.
    pub fn poster_settings(
        &self,
        headers: &axum::http::HeaderMap,
    ) -> langso_app::procedures::PosterSettings {
        let public_url = if self.settings.public_url.is_empty() {
            let host = headers
                .get(axum::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            let scheme = if self.settings.secure_cookies {
                "https"
            } else {
                "http"
            };
            format!("{scheme}://{host}")
        } else {
            self.settings.public_url.clone()
        };
        langso_app::procedures::PosterSettings {
            public_url,
            hotline: self.settings.hotline.clone(),
        }
    }
}

/// Server settings that handlers read.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Show the "synthetic demo data" banner on every page and the demo logins.
    pub demo: bool,
    /// Mark cookies `Secure` (the public URL is https).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded: bool,
    /// The address residents reach (`https://langso.example.gov.vn`): QR codes encode
    /// `{public_url}/q/{token}`. Empty: the address the officer's browser used.
    pub public_url: String,
    /// The hotline printed on posters.
    pub hotline: Option<String>,
    // --- assets ---
    /// An MQTT broker to subscribe to (`mqtt://host:port`) for device telemetry.
    pub mqtt_url: Option<String>,
    /// This node's name, from which its MQTT client id is derived (stable across restarts,
    /// different per node, so the broker keeps our queued messages). Empty: the host's name.
    pub node_id: String,
    /// How often the offline detector runs (zero: every 10 s).
    pub offline_check: Duration,
    /// Telemetry requests that may wait for the writer (zero: the default, 2,048); past this
    /// the server answers 503.
    pub ingest_capacity: usize,
    /// The connection cap and the time a client may take to send a request.
    pub connections: ConnectionLimits,
    // --- h16a: fault routing ---
    /// The code of the unit that takes residents' reports nothing else places (no asset, no
    /// position, no place picked, no QR poster); empty: the top of the tree.
    pub fault_default_unit: Option<String>,
    /// How long cached public pages, device tokens and the catalogue are trusted.
    pub caches: langso_app::cache::Lifetimes,
    /// Scheduled backups (how often, how many kept), stated on the retention page;
    /// `None` when the server takes none.
    pub backup_schedule: Option<(Duration, usize)>,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application: API, pages, health, metrics, with request ids and tracing.
pub fn router(state: AppState) -> Router {
    let metrics = metrics::handle();
    let (api, openapi) = api::split();
    let body_timeout = match state.settings.connections.body_timeout {
        zero if zero.is_zero() => ConnectionLimits::default().body_timeout,
        timeout => timeout,
    };
    Router::new()
        .merge(api)
        .merge(page_routes(&state.settings).into_router())
        .merge(system::router(metrics))
        .merge(api::docs(openapi))
        .fallback(html::not_found)
        .route_layer(axum::middleware::from_fn(metrics::track))
        .with_state(state)
        .layer(axum::middleware::from_fn(security::headers))
        .layer(RequestBodyTimeoutLayer::new(body_timeout))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(axum::middleware::from_fn(api::problems::api_problems))
        // Pages, JSON and SVG go out compressed (brotli or gzip, as the client accepts) so an
        // officer's page stays small on 3G; tiny bodies and images are left as they are.
        // Outside `api_problems`, which reads and rewrites error bodies: it must see them plain.
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .on_failure(failures::QuietShedding::default())
                .make_span_with(|request: &Request<_>| {
                    let request_id = request
                        .headers()
                        .get(&REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                        request_id = %request_id
                    )
                }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Every page, officers' and residents', with the frame's own routes: the list the access
/// matrix checks comes from here.
pub fn page_routes(settings: &Settings) -> html::Routes {
    html::routes()
        .merge(pages::routes(settings))
        .merge(public::routes(settings))
}

/// Serves `router` on `listener` with the default [`ConnectionLimits`] until `shutdown`
/// resolves, then finishes the requests in flight (graceful shutdown).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, router, ConnectionLimits::default(), shutdown).await
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
