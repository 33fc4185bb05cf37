//! Teams, criteria and the dashboard over real HTTP: the article's figures on the demo, a
//! recognition decided through the API, the report downloads.

use langso_app::demo::DEMO_PASSWORD;
use serde_json::{Value, json};

use crate::support::{Session, TestApp};

async fn get(app: &TestApp, session: &Session, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap()
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
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn the_dashboard_shows_the_article_and_the_reports_download() {
    let app = TestApp::with_demo().await;
    let admin = app.login("admin", DEMO_PASSWORD).await;
    let d: Value = get(&app, &admin, "/api/v1/dashboard?unit=273&date=2024-12-31")
        .await
        .json()
        .await
        .unwrap();
    let f = &d["figures"];
    assert_eq!(d["name"], "Huyện Đan Phượng");
    assert_eq!(
        (&f["commune_teams"], &f["village_teams"], &f["members"]),
        (&json!(16), &json!(129), &json!(1015))
    );
    assert_eq!(
        (&f["recognised"], &f["villages"]),
        (&json!(101), &json!(101))
    );
    assert_eq!(f["recognised_share"], json!(1.0));
    // The small assets demo: three cameras in each of the 101 villages.
    assert_eq!(f["cameras"], json!(303));
    let page = get(&app, &admin, "/dashboard?unit=273&date=2024-12-31")
        .await
        .text()
        .await
        .unwrap();
    for expected in [
        "Huyện Đan Phượng",
        "101 / 101 (100 %)",
        "1.015",
        "<svg",
        "Đã công nhận thôn thông minh (101)",
    ] {
        assert!(page.contains(expected), "missing {expected:?}");
    }
    let xlsx = get(
        &app,
        &admin,
        "/api/v1/reports/monthly.xlsx?unit=273&month=2024-12",
    )
    .await;
    assert_eq!(xlsx.status(), 200);
    assert_eq!(
        xlsx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    let pdf = get(
        &app,
        &admin,
        "/api/v1/reports/monthly.pdf?unit=273&month=2024-12",
    )
    .await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let bad = get(
        &app,
        &admin,
        "/api/v1/reports/monthly.pdf?unit=273&month=2024-13",
    )
    .await;
    assert_eq!(bad.status(), 422);
    // Exports are audited against the unit (the former district: read as the operator, since
    // audit scoping follows today's tree).
    let query = langso_app::audit::AuditQuery {
        action: Some("report.export".into()),
        ..Default::default()
    };
    let log = langso_app::audit::list(app.db(), &langso_app::Actor::system("test"), &query)
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|r| r.actor_label.contains("admin") || r.actor_label.contains("Quản trị")),
        "{:?}",
        log[0].actor_label
    );
}

#[tokio::test]
async fn a_set_imports_a_village_is_revoked_and_the_map_changes() {
    let app = TestApp::with_demo().await;
    let admin = app.login("admin", DEMO_PASSWORD).await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    // Export the demo set and import it back as version 2.
    let sets: Value = get(&app, &admin, "/api/v1/criteria-sets")
        .await
        .json()
        .await
        .unwrap();
    let id = sets[0]["id"].as_str().unwrap().to_owned();
    let file: Value = get(&app, &admin, &format!("/api/v1/criteria-sets/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(file["criteria"].as_array().unwrap().len(), 13);
    let (status, v2) = post(&app, &admin, "/api/v1/criteria-sets", file).await;
    assert_eq!((status, &v2["version"]), (201, &json!(2)));
    // The commune officer may not decide; the province administrator revokes.
    let village: Value = get(&app, &admin, "/api/v1/units/by-code/09817-T01")
        .await
        .json()
        .await
        .unwrap();
    let village = village["unit"]["id"]
        .as_str()
        .or(village["id"].as_str())
        .unwrap()
        .to_owned();
    let decision = json!({"decision_number": "99/QĐ-UBND", "decision_date": "2025-08-01", "note": "không duy trì"});
    let path = format!("/api/v1/villages/{village}/recognition/revoke");
    let (status, _) = post(&app, &officer, &path, decision.clone()).await;
    assert_eq!(status, 403);
    let (status, body) = post(&app, &admin, &path, decision).await;
    assert_eq!(status, 201, "{body}");
    let history: Value = get(
        &app,
        &officer,
        &format!("/api/v1/villages/{village}/recognition"),
    )
    .await
    .json()
    .await
    .unwrap();
    let steps: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["proposed", "recognised", "revoked"]);
    let map = get(
        &app,
        &officer,
        &format!("/api/v1/dashboard/map.svg?unit={village}"),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(map.contains("Đã công nhận / recognised (0)"), "{map}");
    // A team member added through the API moves the figures.
    let teams: Value = get(&app, &officer, &format!("/api/v1/teams?unit={village}"))
        .await
        .json()
        .await
        .unwrap();
    let team = teams[0]["id"].as_str().unwrap().to_owned();
    let (status, member) = post(
        &app,
        &officer,
        &format!("/api/v1/teams/{team}/members"),
        json!({"full_name": "Đỗ Thị Mới", "role": "member", "affiliation": "womens_union", "phone": "0987654321"}),
    )
    .await;
    assert_eq!(status, 201, "{member}");
    let d: Value = get(&app, &officer, &format!("/api/v1/dashboard?unit={village}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d["figures"]["members"], json!(8));
    let evaluation: Value = get(
        &app,
        &officer,
        &format!("/api/v1/evaluation?unit={village}"),
    )
    .await
    .json()
    .await
    .unwrap();
    let outcomes = evaluation[0]["outcomes"].as_array().unwrap();
    let team_outcome = outcomes.iter().find(|o| o["code"] == "TC13").unwrap();
    assert_eq!(
        (&team_outcome["measured"], &team_outcome["verdict"]),
        (&json!(8.0), &json!("pass"))
    );
    let groups = outcomes.iter().find(|o| o["code"] == "TC01").unwrap();
    // Group coverage is measured from the village groups' counters.
    assert!(groups["measured"].is_number(), "{groups}");
    assert_ne!(groups["verdict"], "no_data");
}
