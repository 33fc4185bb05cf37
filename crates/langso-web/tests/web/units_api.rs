//! `/api/v1/units`.

use serde_json::Value;

use crate::support::TestApp;

fn codes(items: &Value) -> Vec<String> {
    items["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["unit"]["code"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Village-level units under a branch.
fn count_villages(branch: &Value) -> usize {
    let kind = branch["unit"]["kind"].as_str().unwrap_or("");
    let own = usize::from(matches!(
        kind,
        "village" | "street_group" | "residential_cluster" | "hamlet"
    ));
    own + branch["children"]
        .as_array()
        .map_or(0, |c| c.iter().map(count_villages).sum())
}

#[tokio::test]
async fn search_finds_song_phuong_without_diacritics() {
    let app = TestApp::with_demo().await;
    let found = app.json("/api/v1/units?q=song%20phuong").await;
    assert_eq!(codes(&found).first().map(String::as_str), Some("09829"));
    assert_eq!(found["items"][0]["unit"]["name"], "Xã Song Phượng");
    assert_eq!(found["items"][0]["path"][0]["name"], "Thành phố Hà Nội");

    let found = app.json("/api/v1/units?q=dan%20phuong").await;
    let both: Vec<&Value> = found["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter(|i| i["unit"]["name"] == "Xã Đan Phượng")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(both.len(), 2, "{found}");
    // Typed with diacritics: exact-diacritic names first.
    let found = app
        .json("/api/v1/units?q=%C4%90an%20Ph%C6%B0%E1%BB%A3ng")
        .await;
    assert!(
        found["items"][0]["unit"]["name"]
            .as_str()
            .is_some_and(|n| n.contains("Đan Phượng"))
    );
    // Only units in force on a date.
    let found = app
        .json("/api/v1/units?q=dan%20phuong&date=2025-08-01")
        .await;
    assert_eq!(codes(&found), ["09784"]);
}

#[tokio::test]
async fn the_tree_changes_on_2025_07_01() {
    let app = TestApp::with_demo().await;
    let old = app.json("/api/v1/units/tree?date=2025-06-01&depth=3").await;
    assert_eq!(old[0]["unit"]["name"], "Thành phố Hà Nội");
    let district = &old[0]["children"][0];
    assert_eq!(district["unit"]["name"], "Huyện Đan Phượng");
    assert_eq!(district["children"].as_array().map(Vec::len), Some(16));
    assert_eq!(count_villages(&old[0]), 129);

    let new = app.json("/api/v1/units/tree?date=2026-11-28&depth=3").await;
    let mut communes: Vec<&str> = new[0]["children"]
        .as_array()
        .map(|c| {
            c.iter()
                .filter_map(|u| u["unit"]["name"].as_str())
                .collect()
        })
        .unwrap_or_default();
    communes.sort_unstable();
    assert_eq!(communes, ["Xã Liên Minh", "Xã Ô Diên", "Xã Đan Phượng"]);
    assert_eq!(count_villages(&new[0]), 129);
}

#[tokio::test]
async fn codes_are_read_on_a_date_and_lineage_is_served() {
    let app = TestApp::with_demo().await;
    let old = app
        .json("/api/v1/units/by-code/09784?date=2025-06-30")
        .await;
    assert_eq!(old["unit"]["name"], "Thị trấn Phùng");
    assert_eq!(old["path"][1]["name"], "Huyện Đan Phượng");
    let new = app
        .json("/api/v1/units/by-code/09784?date=2025-07-01")
        .await;
    assert_eq!(new["unit"]["name"], "Xã Đan Phượng");
    assert_eq!(new["unit"]["valid_from"], "2025-07-01");

    let id = new["unit"]["id"].as_str().unwrap_or("");
    let lineage = app.json(&format!("/api/v1/units/{id}/lineage")).await;
    let lines = lineage.as_array().cloned().unwrap_or_default();
    assert_eq!(lines.len(), 5);
    assert!(
        lines
            .iter()
            .any(|l| l["old_name"] == "Xã Thượng Mỗ" && l["verified"] == false)
    );
    let children = app
        .json(&format!("/api/v1/units/{id}/children?date=2025-07-01"))
        .await;
    assert_eq!(children.as_array().map(Vec::len), Some(38));
    let unit = app.json(&format!("/api/v1/units/{id}")).await;
    assert_eq!(unit["unit"]["code"], "09784");
}

#[tokio::test]
async fn errors_are_problem_json() {
    let app = TestApp::with_demo().await;
    for path in [
        "/api/v1/units/01900000-0000-7000-8000-000000000000",
        "/api/v1/units/not-a-uuid",
        "/api/v1/units/by-code/99999?date=2025-01-01",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        assert_eq!(kind.as_deref(), Some("application/problem+json"));
    }
    let response = app.get("/api/v1/units?q=x&date=2025-13-01").await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap_or_default();
    assert_eq!(problem["status"], 422);
    assert_eq!(problem["errors"][0]["field"], "date");
}
