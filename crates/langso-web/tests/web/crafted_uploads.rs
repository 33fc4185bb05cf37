//! Crafted spreadsheets sent to the real server (the API and the upload page, households and
//! assets): each is refused with its limit named, nothing is written, and the server goes on
//! answering (`/healthz`, a page) as if nothing happened. Also: every limit's message key is
//! in both catalogues.

#[path = "../../../langso-app/tests/support/crafted.rs"]
mod crafted;

use crafted::{household_rows, sheet, text_cell, workbook};
use langso_app::demo::DEMO_PASSWORD;
use langso_web::messages::Lang;
use langso_web::messages::render;
use reqwest::multipart::{Form, Part};

use crate::support::{TestApp, hidden};

const COMMUNE: &str = "09817";

fn form(file: Vec<u8>, extra: &[(&str, String)]) -> Form {
    let mut form = Form::new();
    for (k, v) in extra {
        form = form.text((*k).to_owned(), v.clone());
    }
    form.part("file", Part::bytes(file).file_name("danh-sach.xlsx"))
}

fn far_cell() -> Vec<u8> {
    let rows = household_rows(&format!(
        "<row r=\"3\">{}</row>",
        text_cell("FXSHRXW2", "x")
    ));
    workbook(sheet(None, &rows).as_bytes(), None, &[], false)
}

fn many_shared_strings() -> Vec<u8> {
    let limit = langso_app::households::limits::MAX_SHARED_STRINGS as usize;
    let strings = crafted::shared_strings(limit + 1, None);
    workbook(
        sheet(None, &household_rows("")).as_bytes(),
        Some(&strings),
        &[],
        false,
    )
}

#[tokio::test]
async fn crafted_workbooks_are_refused_and_the_server_keeps_answering() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let post = |path: String, form: Form| {
        app.client
            .post(format!("{}{path}", app.base))
            .header("cookie", officer.header())
            .header("x-csrf-token", officer.csrf.clone())
            .multipart(form)
            .send()
    };

    // The API: 422, the cell named.
    let response = post(
        format!("/api/v1/households/import?unit={COMMUNE}&dry_run=false"),
        form(far_cell(), &[]),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 422);
    let problem = response.text().await.unwrap();
    assert!(problem.contains("FXSHRXW2"), "{problem}");
    let response = post(
        "/api/v1/assets/import?dry_run=false".into(),
        form(far_cell(), &[]),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 422);

    // The upload page: the limit named in the errors table, nothing to confirm.
    let page = app
        .client
        .get(format!("{}/households/import", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&page, "csrf");
    let bytes = many_shared_strings();
    assert!(bytes.len() < langso_app::households::MAX_UPLOAD);
    let refused = post(
        "/households/import".into(),
        form(bytes, &[("csrf", csrf), ("unit", COMMUNE.to_owned())]),
    )
    .await
    .unwrap();
    assert_eq!(refused.status(), 200);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("id=\"import-errors\""), "{refused}");
    assert!(refused.contains("2500000"), "the limit is named");
    assert!(!refused.contains("/confirm"), "nothing to confirm");

    // Nothing written; the server answers.
    let listed = app
        .client
        .get(format!("{}/api/v1/households?q=CRAFT", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 0, "{listed}");
    assert_eq!(app.text("/healthz").await, (200, "ok".to_owned()));
    let households = app
        .client
        .get(format!("{}/households", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap();
    assert_eq!(households.status(), 200);
    assert!(app.shutdown().await);
}

/// The limits' keys are raised through a table (not at call sites the catalogue test scans):
/// each is read from that table's source and rendered in both languages.
#[test]
fn every_limit_message_is_in_both_catalogues() {
    let source = include_str!("../../../langso-app/src/households/refusal.rs");
    let keys: Vec<&str> = source
        .split('"')
        .filter(|s| s.starts_with("households-file-"))
        .collect();
    assert!(keys.len() >= 15, "{keys:?}");
    for key in keys {
        for lang in [Lang::Vi, Lang::En] {
            let text = render(lang, key, &[("limit", "7".into())]);
            assert_ne!(text, key, "{key} is missing from the {lang:?} catalogue");
        }
    }
}
