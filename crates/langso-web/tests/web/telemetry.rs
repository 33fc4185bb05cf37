//! Telemetry over real HTTP and a real MQTT broker (Mosquitto started by the test): device
//! tokens, readings stored after commit, the state shown per asset, MQTT messages stored.

use std::time::Duration;

use langso_app::Actor;
use langso_app::assets::{self as assets, AssetInput};
use langso_app::auth::{NewToken, create_token};
use langso_domain::auth::Role;
use langso_web::Settings;
use serde_json::{Value, json};

use crate::support::TestApp;

/// A camera registered in `village` (shared by the telemetry and MQTT tests).
pub(crate) async fn camera(app: &TestApp, village: &str, code: &str) -> uuid::Uuid {
    let unit = langso_app::units::by_code(app.db(), village, langso_app::today())
        .await
        .unwrap();
    let input = AssetInput {
        code: code.to_owned(),
        unit_id: Some(unit.id),
        kind: "camera".into(),
        name: "Camera thử".into(),
        place_type: "intersection".into(),
        funding: "state_budget".into(),
        ..Default::default()
    };
    assets::create_asset(app.db(), &Actor::system("test"), &input)
        .await
        .unwrap()
        .id
}

/// A device token for `village`, bound to the asset `subject` when given.
pub(crate) async fn device_token(app: &TestApp, village: &str, subject: Option<&str>) -> String {
    let unit = langso_app::units::by_code(app.db(), village, langso_app::today())
        .await
        .unwrap();
    let input = NewToken {
        name: "thiết bị".into(),
        kind: "device".into(),
        role: Role::Viewer,
        unit_id: unit.id,
        subject: subject.map(str::to_owned),
        expires_at: None,
    };
    create_token(app.db(), &Actor::system("test"), &input)
        .await
        .unwrap()
        .1
}

async fn post(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/api/v1/telemetry", app.base))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn heartbeats(app: &TestApp, asset: uuid::Uuid) -> i64 {
    assets::asset(app.db(), &Actor::system("test"), asset)
        .await
        .unwrap()
        .state
        .map_or(0, |s| s.heartbeats)
}

#[tokio::test]
async fn devices_post_batches_with_their_tokens() {
    let app = TestApp::with_demo().await;
    let cam = camera(&app, "09805-T01", "WEB-CAM-1").await;
    camera(&app, "09787-T01", "WEB-CAM-FAR").await;
    let own = device_token(&app, "09805-T01", Some("WEB-CAM-1")).await;
    let gateway = device_token(&app, "09805-T01", None).await;
    assert!(own.starts_with("lsd_"));

    let (status, body) = post(
        &app,
        &own,
        json!({"readings": [{"battery": 80}, {"asset": "web-cam-1", "fault": "E3"}]}),
    )
    .await;
    assert_eq!((status, body["stored"].as_i64()), (200, Some(2)));
    assert_eq!(
        heartbeats(&app, cam).await,
        2,
        "acknowledged means committed"
    );

    // No token, an API session, a wrong token: 401. Bad readings: 422, nothing stored.
    let (status, _) = post(&app, "lsd_0000", json!({"readings": []})).await;
    assert_eq!(status, 401);
    let (status, body) = post(
        &app,
        &own,
        json!({"readings": [{"asset": "WEB-CAM-1", "battery": 101}]}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["row"], 1);
    // A gateway token reaches its unit's assets, not another commune's.
    let (status, _) = post(
        &app,
        &gateway,
        json!({"readings": [{"asset": "WEB-CAM-1"}]}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = post(
        &app,
        &gateway,
        json!({"readings": [{"asset": "WEB-CAM-FAR"}]}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(heartbeats(&app, cam).await, 3);

    // The fault is an open alarm that people see in the API.
    let session = app.login("admin", langso_app::demo::DEMO_PASSWORD).await;
    let village = langso_app::units::by_code(app.db(), "09805-T01", langso_app::today())
        .await
        .unwrap();
    let alarms: Value = app
        .client
        .get(format!(
            "{}/api/v1/alarms?unit={}&open=false",
            app.base, village.id
        ))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        alarms
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["asset_code"] == "WEB-CAM-1" && a["code"] == "E3")
    );
    assert!(app.shutdown().await);
}

#[tokio::test]
async fn readings_published_to_the_broker_are_stored() {
    let Some(broker) = crate::mqtt_ingest::Broker::start().await else {
        return;
    };
    let port = broker.port;
    let app = TestApp::with_settings(Settings {
        mqtt_url: Some(format!("mqtt://127.0.0.1:{port}")),
        ..Settings::default()
    })
    .await;
    let cam = camera(&app, "09805-T01", "MQTT-CAM-1").await;

    let mut options = rumqttc::MqttOptions::new("test-device", "127.0.0.1", port);
    options.set_keep_alive(Duration::from_secs(5));
    let (client, mut eventloop) = rumqttc::AsyncClient::new(options, 16);
    let driver = tokio::spawn(async move { while eventloop.poll().await.is_ok() {} });
    // Publish until the subscriber (which connects on its own) has stored a reading; each
    // message is a real heartbeat, so more than one may be stored.
    let mut stored = 0;
    for _ in 0..100 {
        client
            .publish(
                "langso/09805-T01/MQTT-CAM-1/status",
                rumqttc::QoS::AtLeastOnce,
                false,
                json!({"online": true, "fault": "E9"}).to_string(),
            )
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        stored = heartbeats(&app, cam).await;
        if stored > 0 {
            break;
        }
    }
    assert!(stored > 0, "a reading published to the broker was stored");
    // A message naming the wrong unit for the asset is dropped.
    let before = heartbeats(&app, cam).await;
    client
        .publish(
            "langso/09787-T01/MQTT-CAM-1/status",
            rumqttc::QoS::AtLeastOnce,
            false,
            json!({"readings": [{"online": true}]}).to_string(),
        )
        .await
        .unwrap();
    client
        .publish(
            "langso/09805-T01/MQTT-CAM-1/status",
            rumqttc::QoS::AtLeastOnce,
            false,
            json!({"readings": [{"online": true}]}).to_string(),
        )
        .await
        .unwrap();
    let mut view = None;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let v = assets::asset(app.db(), &Actor::system("test"), cam)
            .await
            .unwrap();
        if v.state.as_ref().is_some_and(|s| s.fault.is_none()) {
            view = Some(v);
            break;
        }
    }
    let view = view.expect("the healthy reading arrived");
    assert_eq!(
        view.state.unwrap().heartbeats,
        before + 1,
        "the wrong-unit message was dropped"
    );
    assert!(view.alarms.iter().any(|a| a.code == "E9" && !a.open));
    driver.abort();
    assert!(app.shutdown().await);
}

#[tokio::test]
async fn the_map_shows_assets_coloured_by_status_and_residents_find_wifi() {
    let app = TestApp::with_demo().await;
    let session = app.login("admin", langso_app::demo::DEMO_PASSWORD).await;
    let village = langso_app::units::by_code(app.db(), "09805-T01", langso_app::today())
        .await
        .unwrap();
    let page = |query: String| {
        let app = &app;
        let cookie = session.header();
        async move {
            let response = app
                .client
                .get(format!(
                    "{}/assets/map.svg?unit={}{query}",
                    app.base, village.id
                ))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            response.text().await.unwrap()
        }
    };
    // The list page loads the map as its own file.
    let list = app
        .client
        .get(format!("{}/assets?unit={}", app.base, village.id))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains(&format!("/assets/map.svg?unit={}", village.id)));
    let all = page(String::new()).await;
    assert!(all.contains("<svg") && all.contains("class=\"pt s-ok\""));
    // The demo makes every 23rd device silent: some village has one; filters narrow the map.
    let cameras = page("&kind=camera&status=ok".to_owned()).await;
    let circles = cameras.matches("class=\"pt s-ok\"").count();
    assert!(circles > 0, "the cameras that are fine: {circles}");
    assert!(!cameras.contains("class=\"pt s-fault\""));
    let (status, wifi) = app.text("/wifi").await;
    assert_eq!(status, 200);
    assert!(wifi.contains("Wifi miễn phí"));
    assert!(wifi.len() < 50_000);
}
