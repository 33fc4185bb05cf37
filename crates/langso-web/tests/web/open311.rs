//! Open311 GeoReport v2 and work orders over real HTTP: a report POSTed form-encoded by an
//! Open311 client near a light becomes a work order on that light, moves through its steps,
//! and the reporter follows it.

use langso_app::Actor;
use langso_app::assets::{self as assets, AssetInput};
use serde_json::{Value, json};

use crate::support::TestApp;

async fn light_at(app: &TestApp, lat: f64, lon: f64, code: &str) {
    let unit = langso_app::units::by_code(app.db(), "09805-T01", langso_app::today())
        .await
        .unwrap();
    let input = AssetInput {
        code: code.to_owned(),
        unit_id: Some(unit.id),
        kind: "solar_light".into(),
        name: "Đèn đầu ngõ".into(),
        place_type: "alley".into(),
        latitude: Some(lat),
        longitude: Some(lon),
        funding: "household".into(),
        ..Default::default()
    };
    assets::create_asset(app.db(), &Actor::system("test"), &input)
        .await
        .unwrap();
}

async fn report(app: &TestApp, form: &[(&str, &str)]) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/open311/v2/requests.json", app.base))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_open311_report_becomes_a_work_order_on_the_nearest_light() {
    let app = TestApp::with_demo().await;
    light_at(&app, 21.2000, 105.7000, "OPEN-SOL-1").await;
    light_at(&app, 21.2003, 105.7000, "OPEN-SOL-2").await; // about 33 m north

    let services: Value = app.json("/open311/v2/services.json").await;
    assert!(
        services
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["service_code"] == "solar_light")
    );
    let (status, xml) = app.text("/open311/v2/services.xml").await;
    assert_eq!(status, 200);
    assert!(xml.contains("<service_code>camera</service_code>"));
    let discovery: Value = app.json("/open311/v2/discovery.json").await;
    assert!(
        discovery["endpoints"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/open311/v2")
    );

    // 6 m from the first light: linked to it.
    let (status, body) = report(
        &app,
        &[
            ("service_code", "solar_light"),
            ("lat", "21.20005"),
            ("long", "105.70002"),
            ("description", "Đèn không sáng từ tối qua"),
            ("first_name", "Lan"),
        ],
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body[0]["service_request_id"].as_str().unwrap().to_owned();
    let token = body[0]["token"].as_str().unwrap().to_owned();
    let request: Value = app.json(&format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(request[0]["asset_id"], "OPEN-SOL-1");
    assert_eq!(request[0]["status"], "open");
    let (_, xml) = app.text(&format!("/open311/v2/requests/{id}.xml")).await;
    assert!(xml.contains(&format!("<service_request_id>{id}</service_request_id>")));
    let by_token: Value = app.json(&format!("/open311/v2/tokens/{token}.json")).await;
    assert_eq!(by_token[0]["service_request_id"], id.as_str());
    let open: Value = app
        .json("/open311/v2/requests.json?status=open&service_code=solar_light")
        .await;
    assert!(
        open.as_array()
            .unwrap()
            .iter()
            .any(|r| r["service_request_id"] == id.as_str())
    );

    // 100 m from any light: no asset; a report without description is refused.
    let (status, far) = report(
        &app,
        &[
            ("service_code", "solar_light"),
            ("lat", "21.2010"),
            ("long", "105.7000"),
            ("description", "tối"),
        ],
    )
    .await;
    assert_eq!(status, 201);
    let far_id = far[0]["service_request_id"].as_str().unwrap();
    let far: Value = app
        .json(&format!("/open311/v2/requests/{far_id}.json"))
        .await;
    assert!(far[0]["asset_id"].is_null());
    let (status, _) = report(&app, &[("service_code", "solar_light"), ("lat", "21.2")]).await;
    assert_eq!(status, 400);

    // The village head moves the work order to the end; the reporter sees it closed.
    let session = app
        .login("truongthon", langso_app::demo::DEMO_PASSWORD)
        .await;
    let mut moves = vec![
        ("assigned", 200),
        ("fixed", 422),
        ("in_progress", 200),
        ("fixed", 200),
        ("closed", 200),
    ];
    for (to, expected) in moves.drain(..) {
        let response = app
            .client
            .post(format!("{}/api/v1/work-orders/{id}/transition", app.base))
            .header("cookie", session.header())
            .header("x-csrf-token", &session.csrf)
            .json(&json!({"status": to, "assignee": "Anh Hùng điện", "note": to}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), expected, "→ {to}");
    }
    let request: Value = app.json(&format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(request[0]["status"], "closed");
    let (status, page) = app.text(&format!("/bao-hong/{token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Đã đóng") && page.contains("Đã giao người xử lý"));

    // The sticker's form: the asset filled in, a report, the status page.
    let (status, form) = app.text("/bao-hong?asset=OPEN-SOL-2").await;
    assert_eq!(status, 200);
    assert!(
        form.contains("value=\"OPEN-SOL-2\"") && form.contains("value=\"solar_light\" checked")
    );
    let response = app
        .client
        .post(format!("{}/bao-hong", app.base))
        .form(&[
            ("asset", "OPEN-SOL-2"),
            ("service_code", "solar_light"),
            ("description", "Tấm pin bị vỡ"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (status, page) = app.text(&location).await;
    assert_eq!(status, 200);
    assert!(page.contains("OPEN-SOL-2") && page.contains("Mới tiếp nhận"));
}
