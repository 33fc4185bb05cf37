//! Server-rendered pages: Vietnamese by default, English on request, usable without JavaScript.

use crate::support::TestApp;

#[tokio::test]
async fn the_units_page_shows_the_tree_as_of_a_date() {
    let app = TestApp::with_demo().await;
    let (status, page) = app.text("/units").await;
    assert_eq!(status, 200);
    assert!(page.contains("<html lang=\"vi\">"));
    assert!(page.contains("Đơn vị hành chính"));
    assert!(page.contains("Xã Ô Diên") && page.contains("Xã Liên Minh"));
    assert!(page.contains("DEMO"), "the synthetic-data banner");
    assert!(!page.contains("<script"), "no script needed");

    let (_, old) = app.text("/units?date=2025-06-01").await;
    assert!(old.contains("Huyện Đan Phượng") && old.contains("Xã Song Phượng"));
    assert!(!old.contains("Xã Ô Diên"));

    let (_, search) = app.text("/units?q=song+phuong").await;
    assert!(search.contains("Kết quả tìm kiếm") && search.contains("09829"));

    let (status, bad) = app.text("/units?date=2025-02-30").await;
    assert_eq!(status, 200);
    assert!(bad.contains("error-summary") && bad.contains("Ngày không hợp lệ"));
}

#[tokio::test]
async fn a_unit_page_shows_where_it_came_from_and_went() {
    let app = TestApp::with_demo().await;
    let found = app.json("/api/v1/units?q=thuong%20mo").await;
    let id = found["items"][0]["unit"]["id"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    let (status, page) = app.text(&format!("/units/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Xã Thượng Mỗ"));
    assert!(page.contains("Sáp nhập vào") && page.contains("Xã Đan Phượng"));
    assert!(
        page.contains("chưa xác minh"),
        "the unverified line is marked"
    );
    assert!(page.contains("unverified (demo)"));

    let dan_phuong = app
        .json("/api/v1/units/by-code/09784?date=2025-07-01")
        .await;
    let id = dan_phuong["unit"]["id"].as_str().unwrap_or("");
    let (_, page) = app.text(&format!("/units/{id}")).await;
    assert!(page.contains("Hình thành từ") && page.contains("Thị trấn Phùng"));
    assert!(page.contains("Cùng mã ở thời kỳ khác"));

    let (status, _) = app.text("/units/not-an-id").await;
    assert_eq!(status, 404);
    let (status, missing) = app.text("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(missing.contains("Không tìm thấy"));
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_and_returns() {
    let app = TestApp::with_demo().await;
    let response = app.get("/lang/en?back=/units%3Fdate%3D2025-06-01").await;
    assert_eq!(response.status(), 303);
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    assert_eq!(location.as_deref(), Some("/units?date=2025-06-01"));
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(cookie.starts_with("lang=en"));
    let page = app
        .client
        .get(format!("{}/units", app.base))
        .header("cookie", "lang=en")
        .send()
        .await;
    let page = match page {
        Ok(page) => page.text().await.unwrap_or_default(),
        Err(error) => unreachable!("{error}"),
    };
    assert!(page.contains("<html lang=\"en\">") && page.contains("Administrative units"));
    // Only local paths are followed back.
    let response = app.get("/lang/en?back=//evil.example").await;
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    assert_eq!(location.as_deref(), Some("/"));
}
