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

/// Pages and JSON go out compressed for clients that accept it (brotli preferred, gzip
/// otherwise), and uncompressed for those that do not; plain "ok" stays as it is.
#[tokio::test]
async fn responses_are_compressed_for_clients_that_accept_it() {
    let app = TestApp::with_demo().await;
    let encoding = |accept: &'static str, path: &'static str| {
        let request = app
            .client
            .get(format!("{}{path}", app.base))
            .header("accept-encoding", accept);
        async move {
            let response = request.send().await.unwrap();
            let header = response
                .headers()
                .get("content-encoding")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            (header, response.bytes().await.unwrap().len())
        }
    };
    let (plain, plain_size) = encoding("identity", "/units").await;
    assert_eq!(plain, "");
    let (gzip, gzip_size) = encoding("gzip", "/units").await;
    assert_eq!(gzip, "gzip");
    assert!(gzip_size < plain_size, "{gzip_size} < {plain_size}");
    assert_eq!(encoding("br, gzip", "/units").await.0, "br");
    assert_eq!(encoding("gzip", "/api/openapi.json").await.0, "gzip");
    assert_eq!(encoding("gzip", "/healthz").await.0, "");
}
