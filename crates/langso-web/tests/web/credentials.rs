//! Credentials and accounts over real HTTP (issue 13): a disabled user's tokens answer 401 at
//! once (API token and cached device token alike), a device token sends telemetry and nothing
//! else, a revoked API token records no visit and learns nothing from a refusal, a visit id
//! reused for another household answers 409, a webhook secret is shown once.

use langso_app::Actor;
use langso_app::assets::{self as assets, AssetInput};
use langso_app::demo::DEMO_PASSWORD;
use serde_json::{Value, json};

use crate::support::{Session, TestApp};

async fn unit(app: &TestApp, code: &str) -> uuid::Uuid {
    langso_app::units::by_code(app.db(), code, langso_app::today())
        .await
        .unwrap()
        .id
}

async fn post(app: &TestApp, session: &Session, path: &str, body: Value) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .header("x-csrf-token", session.csrf.clone())
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// GET `path` as `session`, parsed as JSON (200 asserted).
async fn get_json(app: &TestApp, session: &Session, path: &str) -> Value {
    let (status, body) = app.page(session, path).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    serde_json::from_str(&body).unwrap()
}

async fn bearer(app: &TestApp, secret: &str, method: &str, path: &str, body: Value) -> u16 {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    app.client
        .request(method, format!("{}{path}", app.base))
        .bearer_auth(secret)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn heartbeat() -> Value {
    json!({"readings": [{"online": true}]})
}

#[tokio::test]
async fn a_disabled_users_tokens_answer_401_at_once() {
    let app = TestApp::with_demo().await;
    let village = unit(&app, "09805-T01").await;
    let input = AssetInput {
        code: "HTTP-CAM-1".into(),
        unit_id: Some(village),
        kind: "camera".into(),
        name: "Camera thử".into(),
        place_type: "intersection".into(),
        funding: "state_budget".into(),
        ..Default::default()
    };
    assets::create_asset(app.db(), &Actor::system("test"), &input)
        .await
        .unwrap();
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let (status, api) = post(
        &app,
        &officer,
        "/api/v1/tokens",
        json!({"name": "Zalo OA", "kind": "api", "role": "viewer", "unit_id": village}),
    )
    .await;
    assert_eq!(status, 201, "{api}");
    let api = api["secret"].as_str().unwrap().to_owned();
    let (status, device) = post(
        &app,
        &officer,
        "/api/v1/tokens",
        json!({"name": "Camera", "kind": "device", "role": "viewer", "unit_id": village, "subject": "HTTP-CAM-1"}),
    )
    .await;
    assert_eq!(status, 201, "{device}");
    let device = device["secret"].as_str().unwrap().to_owned();
    assert!(device.starts_with("lsd_"));

    assert_eq!(
        bearer(&app, &api, "GET", "/api/v1/me", Value::Null).await,
        200
    );
    // The device token sends telemetry (and is cached), and nothing else.
    let telemetry = |secret: String| {
        let app = &app;
        async move { bearer(app, &secret, "POST", "/api/v1/telemetry", heartbeat()).await }
    };
    assert_eq!(telemetry(device.clone()).await, 200);
    assert_eq!(telemetry(device.clone()).await, 200);
    assert_eq!(
        telemetry(api.clone()).await,
        401,
        "an API token sends no telemetry"
    );
    for (method, path) in [
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/assets"),
        ("GET", "/api/v1/alarms"),
    ] {
        assert_eq!(
            bearer(&app, &device, method, path, Value::Null).await,
            401,
            "{method} {path} with a device token"
        );
    }

    // The administrator disables the officer: both tokens stop at once.
    let admin = app.login("admin", DEMO_PASSWORD).await;
    let users = get_json(&app, &admin, "/api/v1/users").await;
    let id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == "canbo.odien")
        .and_then(|u| u["id"].as_str())
        .unwrap()
        .to_owned();
    let (status, _) = post(
        &app,
        &admin,
        &format!("/api/v1/users/{id}/disable"),
        json!({}),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        bearer(&app, &api, "GET", "/api/v1/me", Value::Null).await,
        401
    );
    assert_eq!(telemetry(device.clone()).await, 401);
    assert_eq!(telemetry(device).await, 401);
}

#[tokio::test]
async fn a_revoked_api_token_records_no_visit_and_learns_nothing_from_a_refusal() {
    let app = TestApp::with_demo().await;
    let village = unit(&app, "09805-T01").await;
    let admin = app.login("admin", DEMO_PASSWORD).await;
    let (status, created) = post(
        &app,
        &admin,
        "/api/v1/tokens",
        json!({"name": "Điện thoại tổ", "kind": "api", "role": "officer", "unit_id": village}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let secret = created["secret"].as_str().unwrap().to_owned();
    let token_id = created["token"]["id"].as_str().unwrap().to_owned();
    let list = app
        .client
        .get(format!("{}/api/v1/households?unit={village}", app.base))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let household = list[0]["id"].as_str().unwrap().to_owned();
    let path = |household: &str| format!("/api/v1/households/{household}/visits");
    let visit = || json!({"id": uuid::Uuid::now_v7().to_string()});
    // The visit route takes the token from memory once it was checked.
    assert_eq!(
        bearer(&app, &secret, "POST", &path(&household), visit()).await,
        201
    );
    assert_eq!(
        bearer(&app, &secret, "POST", &path(&household), visit()).await,
        201
    );

    let revoked = app
        .client
        .delete(format!("{}/api/v1/tokens/{token_id}", app.base))
        .header("cookie", admin.header())
        .header("x-csrf-token", admin.csrf.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status().as_u16(), 204);
    // A household that does not exist would be 404 to a live token: 401, nothing told.
    let nowhere = path(&uuid::Uuid::now_v7().to_string());
    assert_eq!(bearer(&app, &secret, "POST", &nowhere, visit()).await, 401);
    let last = visit();
    assert_eq!(
        bearer(&app, &secret, "POST", &path(&household), last.clone()).await,
        401
    );
    assert_eq!(
        bearer(&app, &secret, "GET", "/api/v1/me", Value::Null).await,
        401
    );
    let visits = get_json(&app, &admin, &path(&household)).await;
    assert!(
        visits
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["id"] != last["id"]),
        "not written: {visits}"
    );
}

#[tokio::test]
async fn a_visit_id_reused_for_another_household_answers_409() {
    let app = TestApp::with_demo().await;
    let village = unit(&app, "09805-T01").await;
    let head = app.login("truongthon", DEMO_PASSWORD).await;
    let list = get_json(&app, &head, &format!("/api/v1/households?unit={village}")).await;
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["id"].as_str())
        .collect();
    let visit_id = uuid::Uuid::now_v7().to_string();
    let visit = json!({"id": visit_id});
    let path = |household: &str| format!("/api/v1/households/{household}/visits");
    assert_eq!(post(&app, &head, &path(ids[0]), visit.clone()).await.0, 201);
    assert_eq!(
        post(&app, &head, &path(ids[0]), visit.clone()).await.0,
        201,
        "a replay"
    );
    let (status, problem) = post(&app, &head, &path(ids[1]), visit).await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "id");
    let visits = get_json(&app, &head, &path(ids[1])).await;
    assert!(
        visits
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["id"] != visit_id),
        "not written: {visits}"
    );
}

#[tokio::test]
async fn a_webhook_secret_is_shown_once_over_the_api() {
    let app = TestApp::with_demo().await;
    let commune = unit(&app, "09817").await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let (status, created) = post(
        &app,
        &officer,
        "/api/v1/webhooks",
        json!({"unit_id": commune, "name": "Cổng SMS", "url": "http://127.0.0.1:9/sms"}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.len() >= 16);
    let id = created["id"].as_str().unwrap().to_owned();
    let list = app
        .client
        .get(format!("{}/api/v1/webhooks?unit={commune}", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("Cổng SMS") && !list.contains(&secret),
        "{list}"
    );
    let (status, off) = post(
        &app,
        &officer,
        &format!("/api/v1/webhooks/{id}/deactivate"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(!off.to_string().contains(&secret), "{off}");
    let page = app
        .client
        .get(format!("{}/webhooks/{id}", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains(&secret));
}
