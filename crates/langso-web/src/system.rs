//! Health, readiness and metrics endpoints for load balancers and Prometheus.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::AppState;

pub(crate) fn router(metrics: Option<PrometheusHandle>) -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route(
            "/metrics",
            get(move |State(state): State<AppState>| {
                let metrics = metrics.clone();
                async move {
                    // The alert gauges come from this server's own board (not the process-wide
                    // recorder), read fresh from the database at most every few seconds.
                    state.ops.refresh(&state.db).await;
                    let mut text = metrics.map(|m| m.render()).unwrap_or_default();
                    text.push_str(&crate::metrics::alert_gauges(&state.ops));
                    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text)
                }
            }),
        )
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The process can serve: the database answers.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            format!("ready ({})", state.db.dialect_name()),
        ),
        Err(error) => {
            tracing::warn!(%error, "database not reachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "database unreachable".to_owned(),
            )
        }
    }
}
