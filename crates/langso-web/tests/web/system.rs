//! Health, readiness, metrics, request ids, graceful shutdown.

use crate::support::TestApp;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::with_demo().await;
    assert_eq!(app.text("/healthz").await, (200, "ok".to_owned()));
    let (status, ready) = app.text("/readyz").await;
    assert_eq!(status, 200);
    assert!(ready.starts_with("ready"));
    let _ = app.get("/api/v1/units?q=song").await;
    let (status, metrics) = app.text("/metrics").await;
    assert_eq!(status, 200);
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/api/v1/units\""), "{metrics}");
    assert!(
        metrics.contains("http_request_duration_seconds_bucket"),
        "{metrics}"
    );
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::with_demo().await;
    let response = app.get("/healthz").await;
    let id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let response = app
        .client
        .get(format!("{}/healthz", app.base))
        .header("x-request-id", "abc-123")
        .send()
        .await;
    let kept = response.ok().and_then(|r| {
        r.headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    assert_eq!(kept.as_deref(), Some("abc-123"));
}

#[tokio::test]
async fn shutdown_is_graceful() {
    let app = TestApp::with_demo().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert!(app.shutdown().await, "the server stopped cleanly");
}
