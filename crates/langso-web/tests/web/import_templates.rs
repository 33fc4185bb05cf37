//! Each import page offers its template (XLSX: the Vietnamese headers and one example row),
//! and the template imports back through the same upload → check → confirm path, the example
//! row accepted.

use langso_app::demo::DEMO_PASSWORD;
use reqwest::multipart::{Form, Part};

use crate::support::{Session, TestApp};

async fn get(app: &TestApp, session: &Session, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap()
}

/// Downloads the template linked from `page`, checking it is an XLSX attachment.
async fn template(app: &TestApp, session: &Session, page: &str) -> Vec<u8> {
    let html = get(app, session, page).await.text().await.unwrap();
    let link = html
        .split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.ends_with("/template"))
        .unwrap_or_else(|| panic!("{page} links its template"))
        .to_owned();
    let response = get(app, session, &link).await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment") && disposition.contains(".xlsx"));
    response.bytes().await.unwrap().to_vec()
}

/// Uploads `file` to `page` (with `unit` when given), confirms the check, and returns the
/// confirmed page.
async fn import(
    app: &TestApp,
    session: &Session,
    page: &str,
    unit: Option<String>,
    file: Vec<u8>,
) -> String {
    let mut form = Form::new().text("csrf", session.csrf.clone());
    if let Some(unit) = unit {
        form = form.text("unit", unit);
    }
    form = form.part("file", Part::bytes(file).file_name("mau.xlsx"));
    let preview = app
        .client
        .post(format!("{}{page}", app.base))
        .header("cookie", session.header())
        .multipart(form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!preview.contains("id=\"import-errors\""), "{preview}");
    assert!(preview.contains("id=\"import-counts\""), "{preview}");
    let action = preview
        .split(&format!("action=\"{page}/"))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let done = app
        .client
        .post(format!("{}{page}/{action}", app.base))
        .header("cookie", session.header())
        .form(&[("csrf", session.csrf.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(done.contains("id=\"import-done\""), "{done}");
    done
}

#[tokio::test]
async fn templates_download_and_import_back_cleanly() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let commune = langso_app::units::by_code(app.db(), "09817", langso_app::today())
        .await
        .unwrap();

    let households = template(&app, &officer, "/households/import").await;
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(households.clone())).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows.len(), 2, "headers and one example row");
    assert_eq!(rows[0][0].to_string(), "Mã hộ");
    assert!(
        rows[0]
            .iter()
            .any(|c| matches!(c, calamine::Data::String(s) if s == "Họ và tên chủ hộ"))
    );
    import(
        &app,
        &officer,
        "/households/import",
        Some(commune.id.to_string()),
        households,
    )
    .await;
    let found = langso_store::households::households_in_commune(app.db(), commune.id)
        .await
        .unwrap();
    assert!(
        found
            .iter()
            .any(|h| h.code == langso_app::households::EXAMPLE_HOUSEHOLD_CODE)
    );

    let assets = template(&app, &officer, "/assets/import").await;
    import(&app, &officer, "/assets/import", None, assets).await;
    let asset =
        langso_store::assets::asset_by_code(app.db(), langso_app::assets::EXAMPLE_ASSET_CODE)
            .await
            .unwrap();
    assert!(asset.is_some(), "the example asset is in the register");
}
