//! Household import and export over real HTTP: the XLSX an office sends, refused with every
//! bad cell named and nothing written; fixed, previewed, confirmed; imported again without
//! change; exported and read back with Vietnamese intact.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use langso_app::demo::DEMO_PASSWORD;
use reqwest::multipart::{Form, Part};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

use crate::support::{Session, TestApp, hidden};

const VILLAGE: &str = "09805-T01";
const COMMUNE: &str = "09817";

/// Shuffled headers with stray spaces; a phone that lost its 0; an Excel date.
fn office_file(village: &str, bad: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let headers = [
        " Số  thành viên",
        "THÔN ",
        "Mã hộ",
        "Họ và tên chủ hộ",
        "Số điện thoại",
        "Ngày đồng ý",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    type Row<'a> = (f64, &'a str, &'a str, &'a str, Option<f64>, Option<&'a str>);
    let rows: [Row; 2] = [
        (
            3.0,
            village,
            "WEB-1",
            "Nguyễn Thị Hoà",
            Some(912_000_111.0),
            None,
        ),
        (
            4.0,
            if bad { "Thôn Ma" } else { village },
            "WEB-2",
            "Đặng Văn Hưởng",
            None,
            Some(if bad { "0912" } else { "0988 111 222" }),
        ),
    ];
    for (r, (members, v, code, head, phone_number, phone_text)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_number(r, 0, *members).unwrap();
        sheet.write_string(r, 1, *v).unwrap();
        sheet.write_string(r, 2, *code).unwrap();
        sheet.write_string(r, 3, *head).unwrap();
        if let Some(n) = phone_number {
            sheet.write_number(r, 4, *n).unwrap();
        }
        if let Some(t) = phone_text {
            sheet.write_string(r, 4, *t).unwrap();
        }
        let date = ExcelDateTime::from_ymd(2025, 4, 1).unwrap();
        sheet.write_datetime_with_format(r, 5, &date, &day).unwrap();
    }
    book.save_to_buffer().unwrap()
}

fn form_with(file: Vec<u8>, extra: &[(&str, String)]) -> Form {
    let mut form = Form::new();
    for (k, v) in extra {
        form = form.text((*k).to_owned(), v.clone());
    }
    form.part("file", Part::bytes(file).file_name("danh-sach.xlsx"))
}

async fn api_import(
    app: &TestApp,
    session: &Session,
    file: Vec<u8>,
    dry_run: bool,
) -> (u16, Value) {
    let response = app
        .client
        .post(format!(
            "{}/api/v1/households/import?unit={COMMUNE}&dry_run={dry_run}",
            app.base
        ))
        .header("cookie", session.header())
        .header("x-csrf-token", session.csrf.clone())
        .multipart(form_with(file, &[]))
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn households_named(app: &TestApp, session: &Session, q: &str) -> usize {
    let response = app
        .client
        .get(format!("{}/api/v1/households?q={q}", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap();
    response
        .json::<Value>()
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn an_office_xlsx_is_refused_cell_by_cell_then_imported_once_and_exported_intact() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let village = format!(
        "{} ({VILLAGE})",
        langso_app::units::by_code(app.db(), VILLAGE, langso_app::today())
            .await
            .unwrap()
            .name
    );

    // The API refuses the bad file with both cells named, and writes nothing.
    let (status, problem) = api_import(&app, &officer, office_file(&village, true), false).await;
    assert_eq!(status, 422, "{problem}");
    let cells: Vec<(i64, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        cells,
        vec![(3, "THÔN".to_owned()), (3, "Số điện thoại".to_owned())],
        "{problem}"
    );
    assert_eq!(households_named(&app, &officer, "WEB-").await, 0);

    // In the web: upload → preview with the errors table.
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
    let upload = |file: Vec<u8>| {
        app.client
            .post(format!("{}/households/import", app.base))
            .header("cookie", officer.header())
            .multipart(form_with(
                file,
                &[("csrf", csrf.clone()), ("unit", COMMUNE.to_owned())],
            ))
            .send()
    };
    let refused = upload(office_file(&village, true)).await.unwrap();
    assert_eq!(refused.status(), 200);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("id=\"import-errors\""));
    assert!(refused.contains("Thôn Ma"), "the unknown village is named");
    assert!(refused.contains("0912"), "the bad phone is named");
    assert!(!refused.contains("/confirm"), "nothing to confirm");

    // The fixed file: counts, then confirm.
    let preview = upload(office_file(&village, false))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(preview.contains("id=\"import-counts\""), "{preview}");
    assert_eq!(
        households_named(&app, &officer, "WEB-").await,
        0,
        "preview writes nothing"
    );
    let action = preview
        .split("action=\"/households/import/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let done = app
        .client
        .post(format!("{}/households/import/{action}", app.base))
        .header("cookie", officer.header())
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    let done = done.text().await.unwrap();
    assert!(done.contains("id=\"import-done\""), "{done}");
    assert_eq!(households_named(&app, &officer, "WEB-").await, 2);

    // The same file again through the API: nothing changes.
    let (status, report) = api_import(&app, &officer, office_file(&village, false), false).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (
            report["created"].as_i64(),
            report["updated"].as_i64(),
            report["unchanged"].as_i64()
        ),
        (Some(0), Some(0), Some(2))
    );

    // The export opens with Vietnamese intact: the officer (PII right) sees the phone with
    // its leading 0 restored, as text; the village head (no PII right) sees it masked.
    let head = app.login("truongthon", DEMO_PASSWORD).await;
    for (session, unit, phone) in [
        (&officer, COMMUNE, "0912000111"),
        (&head, VILLAGE, "091*****11"),
    ] {
        let export = app
            .client
            .get(format!(
                "{}/api/v1/households/export?unit={unit}&format=xlsx",
                app.base
            ))
            .header("cookie", session.header())
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 200);
        let bytes = export.bytes().await.unwrap().to_vec();
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(rows[0][6], Data::String("Họ và tên chủ hộ".into()));
        let hoa = rows
            .iter()
            .find(|r| r[0] == Data::String("WEB-1".into()))
            .unwrap();
        assert_eq!(hoa[6], Data::String("Nguyễn Thị Hoà".into()));
        assert_eq!(hoa[8], Data::String(phone.into()));
    }

    // CSV with a BOM, from the page's export button.
    let list = app
        .client
        .get(format!("{}/households", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let href = list
        .split("href=\"/households/export?")
        .find(|part| part.contains("format=csv"))
        .and_then(|part| part.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    let csv = app
        .client
        .get(format!("{}/households/export?{href}", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(csv.starts_with("\u{feff}Mã hộ".as_bytes()));
    assert!(
        String::from_utf8(csv.to_vec())
            .unwrap()
            .contains("Đặng Văn Hưởng")
    );
}
