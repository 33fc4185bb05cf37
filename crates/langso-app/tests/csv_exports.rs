//! CSV exports hand a spreadsheet nothing it would run: a household name or an actor's label
//! that begins like a formula leaves as text (prefixed with an apostrophe), while figures and
//! ordinary names are unchanged. Runs on SQLite, and on PostgreSQL when
//! LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;

use langso_app::audit::{self, AuditQuery};
use langso_app::households::{self as hh, ExportFormat, sheet};
use langso_app::progress::NoProgress;
use langso_app::{Actor, demo, today};
use langso_store::testing::TestDb;

const COMMUNE: &str = "09817";
const VILLAGE: &str = "09805-T01";

const FORMULAS: [&str; 4] = [
    "=HYPERLINK(\"http://evil.example\",\"Xem\")",
    "@SUM(A1:A9)",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
];

fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// No cell starts a formula: `=`, `@`, tab or CR first, or `+`/`-` before anything but a number.
fn assert_inert(rows: &[Vec<String>]) {
    for cell in rows.iter().flatten() {
        let mut chars = cell.chars();
        match chars.next() {
            Some('=' | '@' | '\t' | '\r') => panic!("formula cell {cell:?}"),
            Some('+' | '-') => assert!(
                chars.all(|c| c.is_ascii_digit() || " .,".contains(c)),
                "formula cell {cell:?}"
            ),
            _ => {}
        }
    }
}

#[tokio::test]
async fn household_and_audit_exports_neutralise_formula_cells() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let name = langso_app::units::by_code(db, VILLAGE, today())
        .await
        .unwrap()
        .name;
    let village = format!("{name} ({VILLAGE})");
    let mut file = String::from("Mã hộ,Họ và tên chủ hộ,Thôn,Số thành viên\n");
    for (i, name) in FORMULAS.iter().enumerate() {
        file.push_str(&format!(
            "F-{i},\"{}\",{village},2\n",
            name.replace('"', "\"\"")
        ));
    }
    file.push_str(&format!("F-9,Nguyễn Văn An,{village},3\n"));
    let rows = sheet::open(Cursor::new(file.into_bytes())).unwrap();
    // An officer whose label was typed to look like a formula: it lands in the audit log.
    let actor = Actor::system("=cmd|' /C calc'!A0");
    hh::import_households(db, &actor, COMMUNE, rows, "f.csv", false, &NoProgress)
        .await
        .unwrap();

    let export = hh::export_households(db, &actor, COMMUNE, ExportFormat::Csv)
        .await
        .unwrap();
    let rows = records(&export.bytes);
    assert_inert(&rows);
    for name in FORMULAS {
        let quoted = format!("'{name}");
        assert!(
            rows.iter().flatten().any(|cell| *cell == quoted),
            "{name} exported as text"
        );
    }
    assert!(rows.iter().flatten().any(|cell| cell == "Nguyễn Văn An"));
    assert!(
        rows.iter().flatten().any(|cell| cell == "3"),
        "figures stay figures"
    );

    let log = audit::export_csv(db, &Actor::system("test"), &AuditQuery::default())
        .await
        .unwrap();
    let rows = records(&log);
    assert_inert(&rows);
    assert!(
        rows.iter()
            .flatten()
            .any(|cell| cell == "'=cmd|' /C calc'!A0")
    );
}
