//! `langso assets import FILE.xlsx` with the built binary: an office workbook (title row,
//! Vietnamese headers in their own order, an Excel date) is checked with `--dry-run`, then
//! imported; a bad one is refused with its cell named and writes nothing. SQLite, and
//! PostgreSQL with LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use langso_app::demo;
use langso_app::progress::NoProgress;
use langso_store::testing::TestDb;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn workbook(kind: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(0, 0, "DANH SÁCH ĐÈN THÔN 1").unwrap();
    let headers = [
        "Ngày lắp đặt",
        " Nguồn kinh phí",
        "Mã thôn",
        "Loại thiết bị",
        "Tên",
        "Vị trí",
        "Mã thiết bị",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let date = ExcelDateTime::from_ymd(2023, 9, 2).unwrap();
    sheet.write_datetime_with_format(2, 0, &date, &day).unwrap();
    for (c, v) in [
        "Xã hội hóa",
        "09805-T01",
        kind,
        "Đèn đầu ngõ 5",
        "Ngõ",
        "CLI-SOL-1",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(2, c as u16 + 1, *v).unwrap();
    }
    book.save_to_buffer().unwrap()
}

fn import(url: &str, file: &std::path::Path, dry_run: bool) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_langso"));
    command.args(["--database-url", url, "assets", "import"]);
    command.arg(file);
    if dry_run {
        command.arg("--dry-run");
    }
    let output = command.env("RUST_LOG", "error").output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

async fn stored(test: &TestDb) -> bool {
    langso_store::assets::asset_by_code(&test.db, "CLI-SOL-1")
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn the_cli_imports_an_office_workbook_all_or_nothing() {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    let dir = tempfile::tempdir().unwrap();

    let bad = dir.path().join("hong.xlsx");
    std::fs::write(&bad, workbook("Máy bay")).unwrap();
    let (ok, text) = import(test.url(), &bad, false);
    assert!(!ok, "{text}");
    assert!(
        text.contains("Loại thiết bị"),
        "the column is named: {text}"
    );
    assert!(!stored(&test).await);

    let good = dir.path().join("den.xlsx");
    std::fs::write(&good, workbook("Đèn năng lượng mặt trời")).unwrap();
    let (ok, text) = import(test.url(), &good, true);
    assert!(ok, "{text}");
    assert!(!stored(&test).await, "a dry run writes nothing");
    let (ok, text) = import(test.url(), &good, false);
    assert!(ok, "{text}");
    let light = langso_store::assets::asset_by_code(&test.db, "CLI-SOL-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(light.kind, "solar_light");
    assert_eq!(
        light.installed_on,
        Some(time::macros::date!(2023 - 09 - 02))
    );
}
