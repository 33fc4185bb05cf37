//! Every `/api/v1` error is application/problem+json naming the field, and authentication is
//! checked before the body is read.

use langso_app::demo::DEMO_PASSWORD;
use serde_json::Value;

use crate::support::{Session, TestApp};

/// (status, content type, body as JSON).
async fn answer(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, content_type, body)
}

async fn post_raw(
    app: &TestApp,
    session: Option<&Session>,
    path: &str,
    content_type: Option<&str>,
    body: &str,
) -> (u16, String, Value) {
    let mut request = app.client.post(format!("{}{path}", app.base));
    if let Some(session) = session {
        request = request
            .header("cookie", session.header())
            .header("x-csrf-token", session.csrf.clone());
    }
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    answer(request.body(body.to_owned()).send().await.unwrap()).await
}

async fn get_as(app: &TestApp, session: &Session, path: &str) -> (u16, String, Value) {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap();
    answer(response).await
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str().map(str::to_owned))
        .collect()
}

const JSON: Option<&str> = Some("application/json");
const PROBLEM: &str = "application/problem+json";

#[tokio::test]
async fn rejected_bodies_and_queries_are_problems_naming_the_field() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let me = Some(&officer);

    // Not JSON at all.
    let (status, kind, problem) = post_raw(&app, me, "/api/v1/households", JSON, "{oops").await;
    assert_eq!((status, kind.as_str()), (400, PROBLEM), "{problem}");
    assert_eq!(problem["status"], 400);
    assert_eq!(fields(&problem), ["body"], "{problem}");

    // A required field missing.
    let (status, kind, problem) =
        post_raw(&app, me, "/api/v1/households", JSON, r#"{"code": "X-1"}"#).await;
    assert_eq!((status, kind.as_str()), (422, PROBLEM), "{problem}");
    assert_eq!(fields(&problem), ["head_name"], "{problem}");
    let message = problem["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("Thiếu trường") && message.contains("required"),
        "{message}"
    );

    // A field of the wrong type.
    let (status, kind, problem) = post_raw(
        &app,
        me,
        "/api/v1/households",
        JSON,
        r#"{"code": "X-1", "head_name": "A", "unit_id": "not-an-id"}"#,
    )
    .await;
    assert_eq!((status, kind.as_str()), (422, PROBLEM), "{problem}");
    assert_eq!(fields(&problem), ["unit_id"], "{problem}");

    // No JSON content type.
    let (status, kind, problem) = post_raw(&app, me, "/api/v1/households", None, "{}").await;
    assert_eq!((status, kind.as_str()), (415, PROBLEM), "{problem}");

    // A query value of the wrong type.
    let (status, kind, problem) = get_as(&app, &officer, "/api/v1/households?limit=many").await;
    assert_eq!((status, kind.as_str()), (422, PROBLEM), "{problem}");
    assert_eq!(fields(&problem), ["limit"], "{problem}");
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_are_problems() {
    let app = TestApp::with_demo().await;
    let response = app.get("/api/v1/no-such-thing").await;
    let (status, kind, problem) = answer(response).await;
    assert_eq!((status, kind.as_str()), (404, PROBLEM), "{problem}");
    assert_eq!(problem["status"], 404);
    assert!(problem["title"].as_str().is_some_and(|t| t.contains(" / ")));

    let response = app
        .client
        .delete(format!("{}/api/v1/units", app.base))
        .send()
        .await
        .unwrap();
    assert!(response.headers().contains_key("allow"), "405 keeps Allow");
    let (status, kind, problem) = answer(response).await;
    assert_eq!((status, kind.as_str()), (405, PROBLEM), "{problem}");

    // Pages keep their HTML error page.
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    let kind = response.headers().get("content-type").cloned();
    assert!(
        kind.is_some_and(|k| k.to_str().unwrap_or_default().starts_with("text/html")),
        "a page's 404 stays a page"
    );
}

#[tokio::test]
async fn authentication_is_checked_before_the_body_is_read() {
    let app = TestApp::with_demo().await;
    for path in [
        "/api/v1/households",
        "/api/v1/groups",
        "/api/v1/telemetry",
        "/api/v1/tokens",
    ] {
        let (status, kind, problem) = post_raw(&app, None, path, JSON, "{not json").await;
        assert_eq!((status, kind.as_str()), (401, PROBLEM), "{path}: {problem}");
        let (status, _, problem) = post_raw(&app, None, path, None, "").await;
        assert_eq!(status, 401, "{path}: {problem}");
    }
}

#[tokio::test]
async fn a_rewritten_problem_is_compressed_after_it_is_written() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    // Not multipart: axum's multipart rejection is text/plain, rewritten into a problem.
    let send = |encoding: &'static str| {
        app.client
            .post(format!(
                "{}/api/v1/households/import?unit=00000000-0000-0000-0000-000000000000",
                app.base
            ))
            .header("cookie", officer.header())
            .header("x-csrf-token", officer.csrf.clone())
            .header("content-type", "text/csv")
            .header("accept-encoding", encoding)
            .body("code,head_name\n".repeat(20))
            .send()
    };
    let (status, kind, problem) = answer(send("identity").await.unwrap()).await;
    assert_eq!((status, kind.as_str()), (400, PROBLEM), "{problem}");
    assert!(
        problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{problem}"
    );

    let compressed = send("gzip").await.unwrap();
    let encoding = compressed.headers().get("content-encoding").cloned();
    let body = compressed.bytes().await.unwrap();
    match encoding {
        // Compressed: the bytes are gzip's, not a plain body labelled gzip.
        Some(encoding) => {
            assert_eq!(encoding, "gzip");
            assert_eq!(body.get(..2), Some(&[0x1f, 0x8b][..]));
        }
        None => assert!(serde_json::from_slice::<Value>(&body).is_ok()),
    }
}
