//! The spreadsheet readers within their memory budget (`households::limits`): crafted
//! workbooks (a cell reference far past the grid, millions of shared strings, a huge
//! dimension, long and deep cells, a zip bomb, thousands of parts) and CSV files (an endless
//! line, too many columns, rows or characters) are refused with the limit named, and an
//! import of them writes nothing. Runs on SQLite, and on PostgreSQL when
//! LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/crafted.rs"]
mod crafted;

use std::io::Cursor;

use crafted::{household_rows, sheet, simple, text_cell, workbook};
use langso_app::households::limits::{MAX_COLUMNS, MAX_ROWS, MAX_SHARED_STRINGS};
use langso_app::households::{self as hh, sheet as reader};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, demo, today};
use langso_store::testing::TestDb;

const COMMUNE: &str = "09817";
const VILLAGE: &str = "09805-T01";

/// Reads the whole file; the refusal's text, or `None` if every row was read.
fn refusal(bytes: Vec<u8>) -> Option<String> {
    let mut rows = match reader::open(Cursor::new(bytes)) {
        Ok(rows) => rows,
        Err(AppError::Invalid(errors)) => return Some(errors[0].to_string()),
        Err(other) => panic!("expected a refusal, got {other:?}"),
    };
    while let Some(row) = rows.next_row() {
        match row {
            Ok((_, cells)) => assert!(cells.len() <= MAX_COLUMNS),
            Err(AppError::Invalid(errors)) => return Some(errors[0].to_string()),
            Err(other) => panic!("expected a refusal, got {other:?}"),
        }
    }
    None
}

fn refused_naming(bytes: Vec<u8>, limit: &str) -> String {
    let message = refusal(bytes).unwrap_or_else(|| panic!("expected a refusal naming {limit}"));
    assert!(message.contains(limit), "{limit} not in: {message}");
    message
}

fn far_cell() -> Vec<u8> {
    simple(&household_rows(&format!(
        "<row r=\"3\">{}</row>",
        text_cell("FXSHRXW2", "x")
    )))
}

fn many_shared_strings() -> Vec<u8> {
    let strings = crafted::shared_strings(MAX_SHARED_STRINGS as usize + 1, None);
    workbook(
        sheet(None, &household_rows("")).as_bytes(),
        Some(&strings),
        &[],
        false,
    )
}

fn zip_bomb() -> Vec<u8> {
    let spaces = vec![b' '; 16 * 1024 * 1024];
    let mut xml = sheet(None, &household_rows("")).into_bytes();
    let at = xml.len() - "</worksheet>".len();
    xml.splice(at..at, spaces);
    crafted::packed(&xml, None, &[], Some(9))
}

/// A well-formed workbook reads; blank formatted cells far to the right are ignored.
#[test]
fn a_crafted_workbook_of_the_right_shape_reads() {
    let bytes = simple(&household_rows(r#"<row r="3"><c r="XFD3" s="1"/></row>"#));
    let mut rows = reader::open(Cursor::new(bytes)).unwrap();
    assert_eq!(rows.headers(), crafted::HEADERS);
    let (row, cells) = rows.next_row().unwrap().unwrap();
    assert_eq!((row, cells[0].text()), (2, "CRAFT-1".to_owned()));
    assert!(rows.next_row().is_none());
}

#[test]
fn a_cell_reference_past_the_grid_is_refused_not_allocated() {
    let message = refused_naming(far_cell(), "FXSHRXW2");
    assert!(message.contains("16384"), "{message}");
    // Inside the grid but past the columns read: refused by the column limit.
    let far = simple(&household_rows(&format!(
        "<row r=\"3\">{}</row>",
        text_cell("XFD3", "x")
    )));
    refused_naming(far, &MAX_COLUMNS.to_string());
    // Cells without references, counted along a row past Excel's columns.
    let cells = "<c><v>1</v></c>".repeat(16_385);
    refused_naming(simple(&format!("<row>{cells}</row>")), "16384");
    // A row far down, past the grid.
    let row = r#"<row r="99999999999"><c><v>1</v></c></row>"#;
    refused_naming(simple(&household_rows(row)), "1048576");
}

#[test]
fn a_huge_dimension_is_refused() {
    let xml = sheet(Some("A1:ZZZZ99999999"), &household_rows(""));
    refused_naming(workbook(xml.as_bytes(), None, &[], false), "1048576");
    // Corners the wrong way round (the reader would subtract past zero): found by the fuzz.
    let xml = sheet(Some("B5:A1"), &household_rows(""));
    refused_naming(workbook(xml.as_bytes(), None, &[], false), "dimension");
}

#[test]
fn millions_of_tiny_shared_strings_are_refused() {
    let bytes = many_shared_strings();
    assert!(bytes.len() < 24 * 1024 * 1024, "{}", bytes.len());
    refused_naming(bytes, &MAX_SHARED_STRINGS.to_string());
    // A table that only claims to be huge (the reader would reserve room for it).
    let claim = crafted::shared_strings(1, Some(4_000_000_000));
    let bytes = workbook(
        sheet(None, &household_rows("")).as_bytes(),
        Some(&claim),
        &[],
        false,
    );
    refused_naming(bytes, &MAX_SHARED_STRINGS.to_string());
}

#[test]
fn long_and_deep_cells_are_refused() {
    let long = "a".repeat(600 * 1024);
    let bytes = simple(&household_rows(&format!(
        "<row>{}</row>",
        text_cell("A3", &long)
    )));
    refused_naming(bytes, "512");
    // Rich text: runs that each fit, joined into one cell past the limit.
    let run = format!("<r><t>{}</t></r>", "b".repeat(300 * 1024));
    let bytes = simple(&household_rows(&format!(
        r#"<row><c r="A3" t="inlineStr"><is>{}</is></c></row>"#,
        run.repeat(3)
    )));
    refused_naming(bytes, "512");
    let long = "ă".repeat(40_000);
    let bytes = simple(&household_rows(&format!(
        "<row>{}</row>",
        text_cell("A3", &long)
    )));
    refused_naming(bytes, "32767");
    let deep = format!("{}{}", "<r>".repeat(100), "</r>".repeat(100));
    let bytes = simple(&household_rows(&format!(
        r#"<row><c r="A3" t="inlineStr"><is>{deep}</is></c></row>"#
    )));
    refused_naming(bytes, "64");
    // A tag that never ends, and an attribute whose quote never closes.
    let bytes = simple(&format!("<row {}>", "x".repeat(600 * 1024)));
    refused_naming(bytes, "512");
    let bytes = simple(&format!("<row a=\"{}>", ">".repeat(600 * 1024)));
    refused_naming(bytes, "512");
}

#[test]
fn a_zip_bomb_and_a_heap_of_parts_are_refused() {
    let bytes = zip_bomb();
    assert!(bytes.len() < 256 * 1024, "{}", bytes.len());
    refused_naming(bytes, "200");
    let parts: Vec<(String, Vec<u8>)> = (0..2_001)
        .map(|i| (format!("xl/media/p{i}.xml"), b"<a/>".to_vec()))
        .collect();
    let bytes = workbook(
        sheet(None, &household_rows("")).as_bytes(),
        None,
        &parts,
        true,
    );
    refused_naming(bytes, "2000");
    // A DOCTYPE (entities) in any part.
    let xml = format!("<!DOCTYPE x [<!ENTITY a \"b\">]>{}", sheet(None, ""));
    refused_naming(workbook(xml.as_bytes(), None, &[], false), "DOCTYPE");
}

#[test]
fn csv_files_are_bounded_too() {
    // One endless line: refused at the record limit, not buffered whole.
    let mut line = b"M\xc3\xa3 h\xe1\xbb\x99,T\xc3\xaan\n".to_vec();
    line.extend(std::iter::repeat_n(b'x', 8 * 1024 * 1024));
    refused_naming(line, "1024");
    // The same in the header.
    refused_naming(vec![b'y'; 3 * 1024 * 1024], "1024");
    // A quoted field running past the limit across line breaks.
    let mut quoted = b"a,b\n1,\"".to_vec();
    quoted.extend(std::iter::repeat_n(b'\n', 3 * 1024 * 1024));
    refused_naming(quoted, "1024");
    let wide = format!("a,b\n1,2{}\n", ",9".repeat(MAX_COLUMNS));
    refused_naming(wide.into_bytes(), &MAX_COLUMNS.to_string());
    let wide_header = format!("{}\n1\n", "h,".repeat(MAX_COLUMNS + 1));
    refused_naming(wide_header.into_bytes(), &MAX_COLUMNS.to_string());
    let long = format!("a,b\n1,{}\n", "ư".repeat(40_000));
    refused_naming(long.into_bytes(), "32767");
    let mut many = b"a,b\n".to_vec();
    many.extend("1,2\n".repeat(MAX_ROWS + 1).bytes());
    refused_naming(many, &MAX_ROWS.to_string());
    // Empty fields past the limit are ignored (spreadsheets save trailing separators).
    let trailing = format!("a,b\n1,2{}\n", ",".repeat(MAX_COLUMNS * 2));
    assert_eq!(refusal(trailing.into_bytes()), None);
}

async fn household_count(db: &langso_app::Db) -> usize {
    let commune = langso_app::units::by_code(db, COMMUNE, today())
        .await
        .unwrap();
    langso_store::households::households_in_commune(db, commune.id)
        .await
        .unwrap()
        .len()
}

/// Every crafted file, imported for real (households and assets): refused, nothing written.
#[tokio::test]
async fn crafted_files_are_refused_and_write_nothing() {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    let actor = Actor::system("test");
    let before = household_count(&test.db).await;
    // Two good rows, then a filled cell past the columns limit: refused mid-file.
    let late = simple(&household_rows(&format!(
        "<row r=\"3\">{}{}<c r=\"C3\"><v>2</v></c></row><row r=\"4\">{}</row>",
        text_cell("A3", "CRAFT-2"),
        text_cell("B3", "Trần Thị Bình"),
        text_cell("ZZ4", "x")
    )));
    let files = [
        far_cell(),
        many_shared_strings(),
        zip_bomb(),
        late,
        workbook(
            sheet(Some("A1:ZZZZ99999999"), &household_rows("")).as_bytes(),
            None,
            &[],
            false,
        ),
        format!(
            "Mã hộ,Họ và tên chủ hộ,Số thành viên\nCSV-1,An,3\n{}",
            "x".repeat(3 << 20)
        )
        .into_bytes(),
    ];
    for bytes in files {
        let result = match reader::open(Cursor::new(bytes.clone())) {
            Ok(rows) => {
                hh::import_households(
                    &test.db,
                    &actor,
                    VILLAGE,
                    rows,
                    "x.xlsx",
                    false,
                    &NoProgress,
                )
                .await
            }
            Err(error) => Err(error),
        };
        assert!(
            matches!(result, Err(AppError::Invalid(_))),
            "expected a refusal, got {result:?}"
        );
        let assets = langso_app::assets::import_assets_file(&test.db, &actor, bytes, false).await;
        assert!(
            matches!(assets, Err(AppError::Invalid(_))),
            "expected a refusal, got {assets:?}"
        );
    }
    assert_eq!(household_count(&test.db).await, before);
    // The same good rows alone import: the refusals were the limits, not the rows.
    let good = simple(&household_rows(""));
    let rows = reader::open(Cursor::new(good)).unwrap();
    let report = hh::import_households(
        &test.db,
        &actor,
        VILLAGE,
        rows,
        "x.xlsx",
        false,
        &NoProgress,
    )
    .await
    .unwrap();
    assert_eq!(report.created, 1);
    assert_eq!(household_count(&test.db).await, before + 1);
}

/// A file of bad rows keeps the first thousand bad cells and counts the rest (a million bad
/// rows must not fill memory with messages); households and assets.
#[tokio::test]
async fn bad_cells_past_the_reported_limit_are_counted_not_kept() {
    use langso_app::households::limits::MAX_REPORTED_ERRORS;
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    let actor = Actor::system("test");
    let mut csv = String::from("Mã hộ,Họ và tên chủ hộ,Số thành viên\n");
    for i in 0..1_500 {
        csv.push_str(&format!("BAD-{i},An,không\n"));
    }
    let rows = reader::open(Cursor::new(csv.into_bytes())).unwrap();
    let result =
        hh::import_households(&test.db, &actor, VILLAGE, rows, "x.csv", false, &NoProgress).await;
    let Err(AppError::Invalid(errors)) = result else {
        panic!("expected a refusal, got {result:?}");
    };
    assert_eq!(errors.len(), MAX_REPORTED_ERRORS + 1);
    let last = errors.last().unwrap().to_string();
    assert!(
        last.contains("households-file-more-errors {count: 500}"),
        "{last}"
    );

    let mut csv = String::from("Mã thôn,Loại thiết bị,Tên,Vị trí,Nguồn kinh phí\n");
    for _ in 0..1_500 {
        csv.push_str("99999,Máy bay,Đèn,Ngõ,Xã hội hóa\n");
    }
    let result =
        langso_app::assets::import_assets_file(&test.db, &actor, csv.into_bytes(), true).await;
    let Err(AppError::Invalid(errors)) = result else {
        panic!("expected a refusal, got {result:?}");
    };
    assert_eq!(errors.len(), MAX_REPORTED_ERRORS + 1);
    assert!(
        errors
            .last()
            .unwrap()
            .to_string()
            .contains("households-file-more-errors")
    );
}
