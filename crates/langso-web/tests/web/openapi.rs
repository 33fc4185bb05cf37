//! The OpenAPI document is served, snapshotted so API changes show in review, and accepted by
//! a standard validator (`openapi-spec-validator`, from PyPI; `.ci/run` installs it).

use std::process::Command;

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

#[test]
fn every_response_is_described_and_public_routes_say_so() {
    let document = serde_json::to_value(langso_web::api::openapi()).unwrap();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let described = response["description"].as_str().unwrap_or_default();
                assert!(!described.is_empty(), "{method} {path} {status}");
                if status.starts_with('4') || status.starts_with('5') {
                    let content = response["content"].as_object();
                    assert!(
                        content.is_none_or(|c| c.keys().all(|k| k == "application/problem+json")),
                        "{method} {path} {status}: errors are problem+json"
                    );
                }
            }
        }
    }
    let public = &document["paths"]["/api/v1/units"]["get"];
    assert_eq!(public["security"], serde_json::json!([{}]));
    assert!(public["responses"].get("401").is_none());
    let private = &document["paths"]["/api/v1/households"]["post"];
    assert!(
        private.get("security").is_none(),
        "the document's bearer default applies"
    );
    assert!(private["responses"].get("401").is_some());
}

/// Runs `openapi-spec-validator` on the document. Where it is not installed the check is
/// skipped, except in CI (`CI` set), where that is a failure.
#[test]
fn the_document_passes_a_standard_validator() {
    let document = serde_json::to_string_pretty(&langso_web::api::openapi()).unwrap();
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("openapi.json");
    std::fs::write(&path, document).unwrap();
    let run = Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(&path)
        .output();
    let installed = run
        .as_ref()
        .is_ok_and(|output| !String::from_utf8_lossy(&output.stderr).contains("No module named"));
    if !installed {
        assert!(
            std::env::var_os("CI").is_none(),
            "openapi-spec-validator is not installed (pip install openapi-spec-validator)"
        );
        eprintln!("openapi-spec-validator not installed: skipped");
        return;
    }
    let output = run.unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
