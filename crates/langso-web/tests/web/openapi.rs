//! The OpenAPI document is served, and snapshotted so API changes show in review.

use crate::support::TestApp;

#[tokio::test]
async fn openapi_is_served_and_matches_the_snapshot() {
    let app = TestApp::with_demo().await;
    let served = app.json("/api/openapi.json").await;
    assert_eq!(served["info"]["title"], "Langso API");
    assert!(served["paths"]["/api/v1/units"].is_object());
    insta::assert_json_snapshot!("openapi", served);
    let (status, docs) = app.text("/api/docs/").await;
    assert_eq!(status, 200);
    assert!(
        docs.contains("swagger"),
        "Swagger UI served from the binary"
    );
}
