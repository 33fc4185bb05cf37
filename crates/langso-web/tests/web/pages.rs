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

/// The text a reader sees in `<main>`, leaving out what is marked `translate="no"` (data as
/// entered: names, addresses, notes, codes).
fn main_text_without_data(page: &str) -> String {
    let start = page.find("<main").unwrap_or(0);
    let end = page.find("</main>").unwrap_or(page.len());
    let mut html = page[start..end].to_owned();
    while let Some(mark) = html.find("translate=\"no\"") {
        let open = html[..mark].rfind('<').unwrap_or(mark);
        let name: String = html[open + 1..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let after_open = html[mark..].find('>').map_or(html.len(), |i| mark + i + 1);
        let close = if name == "input" {
            after_open
        } else {
            // The matching end tag, counting elements of the same name opened inside.
            let (mut depth, mut at) = (1, after_open);
            loop {
                let next_open = html[at..].find(&format!("<{name}")).map(|i| at + i);
                let next_close = html[at..].find(&format!("</{name}>")).map(|i| at + i);
                match (next_open, next_close) {
                    (Some(o), Some(c)) if o < c => {
                        depth += 1;
                        at = o + 1;
                    }
                    (_, Some(c)) => {
                        depth -= 1;
                        at = c + name.len() + 3;
                        if depth == 0 {
                            break at;
                        }
                    }
                    _ => break html.len(),
                }
            }
        };
        html.replace_range(open..close, " ");
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The English pages of units, households, auth and audit read wholly in English once the
/// data marked `translate="no"` is left out: no Vietnamese letter in what the page itself says.
#[tokio::test]
async fn english_pages_of_units_households_auth_and_audit_read_wholly_in_english() {
    use langso_app::demo::DEMO_PASSWORD;
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let get = |path: String, cookie: String| {
        let request = app
            .client
            .get(format!("{}{path}", app.base))
            .header("cookie", cookie);
        async move {
            let response = request.send().await.unwrap_or_else(|e| unreachable!("{e}"));
            let status = response.status().as_u16();
            (status, response.text().await.unwrap_or_default())
        }
    };
    let json = |path: &str| {
        let request = get(path.to_owned(), officer.header());
        async move { serde_json::from_str::<serde_json::Value>(&request.await.1).unwrap_or_default() }
    };
    let commune = json("/api/v1/units/by-code/09817").await["unit"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let village = json("/api/v1/units/by-code/09805-T01").await["unit"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let households = json(&format!("/api/v1/households?unit={village}")).await;
    let household = households[0]["id"].as_str().unwrap_or_default().to_owned();
    let users = json("/api/v1/users").await;
    let user = users[0]["id"].as_str().unwrap_or_default().to_owned();
    let paths = [
        "/".to_owned(),
        "/units".to_owned(),
        format!("/units/{commune}"),
        "/households".to_owned(),
        format!("/households/{household}"),
        format!("/households/{household}/visit"),
        "/round".to_owned(),
        format!("/progress?unit={commune}"),
        "/households/import".to_owned(),
        "/account".to_owned(),
        "/admin/users".to_owned(),
        format!("/admin/users/{user}"),
        "/audit".to_owned(),
        "/login".to_owned(),
    ];
    for path in paths {
        let (status, page) = get(path.clone(), format!("{}; lang=en", officer.header())).await;
        assert_eq!(status, 200, "{path}");
        assert!(page.contains("<html lang=\"en\">"), "{path}");
        let text = main_text_without_data(&page);
        let foreign: String = text
            .chars()
            .filter(|c| c.is_alphabetic() && !c.is_ascii())
            .collect();
        assert!(
            foreign.is_empty(),
            "{path} shows Vietnamese letters ({foreign}) outside marked data:\n{text}"
        );
    }
}
