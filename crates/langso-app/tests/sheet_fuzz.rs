//! Property-based tests of the spreadsheet readers and the two importers built on them:
//! random bytes, random but well-formed workbooks (random cell references, strings, shared
//! strings, dimensions) and random CSV text never panic the reader (nor its thread), never
//! yield a row past the limits, and end in rows or a refusal; random household and asset
//! files either import exactly what they report or are refused writing nothing (SQLite, and
//! PostgreSQL with LANGSO_TEST_DATABASE_URL).
//!
//! CI runs a few cases; `LANGSO_FUZZ_CASES=5000 cargo test -p langso-app --test sheet_fuzz`
//! runs a longer campaign.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/crafted.rs"]
mod crafted;

use std::io::{Cursor, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use langso_app::households::limits::{MAX_CELL_CHARS, MAX_COLUMNS};
use langso_app::households::{self as hh, sheet};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, demo, today};
use langso_store::testing::TestDb;
use proptest::prelude::*;

/// Whether the reader's thread panicked (its panics would otherwise read as refusals).
static READER_PANICKED: AtomicBool = AtomicBool::new(false);

fn watch_the_reader_thread() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some("xlsx-reader") {
                READER_PANICKED.store(true, Ordering::SeqCst);
            }
            previous(info);
        }));
    });
}

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("LANGSO_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Reads everything: rows within the limits, or a refusal; never a panic.
fn read_all(bytes: Vec<u8>) -> Result<usize, TestCaseError> {
    watch_the_reader_thread();
    let mut rows = match sheet::open(Cursor::new(bytes)) {
        Ok(rows) => rows,
        Err(AppError::Invalid(errors)) => {
            prop_assert!(!errors.is_empty());
            prop_assert!(
                !READER_PANICKED.load(Ordering::SeqCst),
                "the reader panicked"
            );
            return Ok(0);
        }
        Err(other) => return Err(TestCaseError::fail(format!("not a refusal: {other:?}"))),
    };
    prop_assert!(rows.headers().len() <= MAX_COLUMNS);
    let mut read = 0;
    while let Some(row) = rows.next_row() {
        match row {
            Ok((_, cells)) => {
                prop_assert!(cells.len() <= MAX_COLUMNS);
                for cell in cells {
                    if let sheet::Cell::Text(text) = cell {
                        prop_assert!(text.chars().count() <= MAX_CELL_CHARS);
                    }
                }
                read += 1;
            }
            Err(AppError::Invalid(errors)) => prop_assert!(!errors.is_empty()),
            Err(other) => return Err(TestCaseError::fail(format!("not a refusal: {other:?}"))),
        }
        prop_assert!(read < 100_000, "the reader does not end");
    }
    prop_assert!(
        !READER_PANICKED.load(Ordering::SeqCst),
        "the reader panicked"
    );
    Ok(read)
}

/// A cell reference, mostly plausible, sometimes absurd.
fn reference() -> impl Strategy<Value = String> {
    prop_oneof![
        ("[A-Z]{1,2}", 1u32..200).prop_map(|(c, r)| format!("{c}{r}")),
        "[A-Za-z$]{0,9}[0-9]{0,13}",
        any::<String>().prop_map(|s| s.chars().filter(|c| *c != '"' && *c != '<').collect()),
    ]
}

fn xml_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~àáạảãăâđêôơư]{0,40}".prop_map(|s| s.replace('&', "&amp;").replace('<', "&lt;")),
        any::<String>(),
        (1usize..5, "[a-z]{1,3}").prop_map(|(n, s)| s.repeat(n * 1000)),
    ]
}

/// One `<c>` element: inline text, a number, a shared-string index, or an empty styled cell.
fn cell() -> impl Strategy<Value = String> {
    (
        proptest::option::of(reference()),
        0u8..4,
        xml_text(),
        any::<u32>(),
    )
        .prop_map(|(r, kind, text, n)| {
            let r = r.map(|r| format!(r#" r="{r}""#)).unwrap_or_default();
            match kind {
                0 => format!(r#"<c{r} t="inlineStr"><is><t>{text}</t></is></c>"#),
                1 => format!("<c{r}><v>{n}</v></c>"),
                2 => format!(r#"<c{r} t="s"><v>{}</v></c>"#, n % 8),
                _ => format!(r#"<c{r} s="1"/>"#),
            }
        })
}

fn row() -> impl Strategy<Value = String> {
    (
        proptest::option::of(0u64..2_000_000),
        prop::collection::vec(cell(), 0..8),
    )
        .prop_map(|(r, cells)| {
            let r = r.map(|r| format!(r#" r="{r}""#)).unwrap_or_default();
            format!("<row{r}>{}</row>", cells.concat())
        })
}

prop_compose! {
    fn workbook()(
        rows in prop::collection::vec(row(), 0..12),
        dimension in proptest::option::of(prop_oneof![reference(), (reference(), reference()).prop_map(|(a, b)| format!("{a}:{b}"))]),
        strings in proptest::option::of(prop::collection::vec(xml_text(), 0..10)),
        unique in proptest::option::of(any::<u64>()),
        junk in proptest::option::of(any::<Vec<u8>>()),
        stored in any::<bool>(),
    ) -> Vec<u8> {
        let sheet = crafted::sheet(dimension.as_deref(), &rows.concat());
        let shared = strings.map(|strings| {
            let unique = unique.map(|n| format!(r#" uniqueCount="{n}""#)).unwrap_or_default();
            let items: String = strings.iter().map(|s| format!("<si><t>{s}</t></si>")).collect();
            format!(r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"{unique}>{items}</sst>"#).into_bytes()
        });
        let extra: Vec<(String, Vec<u8>)> = junk.map(|j| ("xl/styles.xml".to_owned(), j)).into_iter().collect();
        crafted::workbook(sheet.as_bytes(), shared.as_deref(), &extra, stored)
    }
}

fn csv_text() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "(\u{feff})?([a-zA-Zàáạđ0-9 ]{0,12}[,;\"\r\n]){0,200}".prop_map(String::into_bytes),
        any::<Vec<u8>>(),
        (1usize..200, "[a-z\",;]{1,4}")
            .prop_map(|(n, s)| format!("a,b\n{}", s.repeat(n * 100)).into_bytes()),
    ]
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn random_bytes_are_read_or_refused(bytes in any::<Vec<u8>>(), zip in any::<bool>()) {
        let bytes = if zip { [b"PK\x03\x04".as_slice(), &bytes].concat() } else { bytes };
        read_all(bytes)?;
    }

    #[test]
    fn random_workbooks_are_read_or_refused(bytes in workbook()) {
        read_all(bytes)?;
    }

    #[test]
    fn random_csv_is_read_or_refused(bytes in csv_text()) {
        read_all(bytes)?;
    }

    /// Damaged archives: a good workbook with bytes flipped or cut.
    #[test]
    fn damaged_workbooks_are_read_or_refused(at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<bool>()) {
        let mut bytes = crafted::simple(&crafted::household_rows(""));
        let i = at.index(bytes.len());
        if cut { bytes.truncate(i) } else { bytes[i] = byte }
        read_all(bytes)?;
    }
}

/// A random household or asset file: headers from `headers`, cells from `values`, as CSV
/// (comma or semicolon) or XLSX.
fn table(
    headers: &'static [&'static str],
    values: impl Strategy<Value = String> + Clone,
) -> impl Strategy<Value = (Vec<&'static str>, Vec<Vec<String>>, u8)> {
    (
        prop::sample::subsequence(headers.to_vec(), 0..=headers.len()).prop_shuffle(),
        prop::collection::vec(prop::collection::vec(values, headers.len()), 0..6),
        0u8..3,
    )
}

fn write_table(headers: &[&str], rows: &[Vec<String>], format: u8) -> Vec<u8> {
    if format == 2 {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in headers.iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().take(headers.len()).enumerate() {
                match value.parse::<f64>() {
                    Ok(n) if n.is_finite() => sheet.write_number(r as u32 + 1, c as u16, n),
                    _ => sheet.write_string(r as u32 + 1, c as u16, value),
                }
                .unwrap();
            }
        }
        return book.save_to_buffer().unwrap();
    }
    let delimiter = if format == 0 { b',' } else { b';' };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_writer(Vec::new());
    writer.write_record(headers).unwrap();
    for row in rows {
        writer.write_record(row.iter().take(headers.len())).unwrap();
    }
    let mut bytes = writer.into_inner().unwrap();
    bytes.flush().unwrap();
    bytes
}

const HOUSEHOLD_HEADERS: &[&str] = &[
    "Mã hộ",
    "Họ và tên chủ hộ",
    "Số thành viên",
    "Thôn",
    "Số điện thoại",
    "Số CCCD",
    "Số người lớn",
    "Hộ kinh doanh",
    "Ngày đồng ý",
    "Ghi chú",
    "STT",
];

fn household_value() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        "FZ-[0-9]{1,4}",
        "[0-9]{1,2}",
        "0[0-9]{9}",
        "[0-9]{2}/[0-9]{2}/20[0-9]{2}",
        "(x|có|không|Thôn 1|09805-T01)",
        "[ -~àáạảãđêôơư]{0,20}",
        Just(String::new()),
    ]
}

const ASSET_HEADERS: &[&str] = &[
    "Mã thiết bị",
    "Mã thôn",
    "Loại thiết bị",
    "Tên",
    "Vị trí",
    "Nguồn kinh phí",
    "Vĩ độ",
    "Kinh độ",
    "Ngày lắp đặt",
    "Chu kỳ báo cáo",
];

fn asset_value() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        "(09805-T01|09805-T02|99999|)",
        "(Đèn năng lượng mặt trời|camera|wifi|Máy bay)",
        "(Ngõ|intersection|Nhà văn hóa|Sân bay)",
        "(Xã hội hóa|Ngân sách|Không rõ)",
        "-?[0-9]{1,3}[.,][0-9]{1,6}",
        "[0-9]{2}/[0-9]{2}/20[0-9]{2}",
        "[ -~àáạđ]{0,16}",
    ]
}

async fn household_count(db: &langso_app::Db) -> usize {
    let commune = langso_app::units::by_code(db, "09817", today())
        .await
        .unwrap();
    langso_store::households::households_in_commune(db, commune.id)
        .await
        .unwrap()
        .len()
}

/// The household importer: what it reports created is what the register gained; a refusal
/// changes nothing; nothing else ever comes out (no panic, no internal error).
#[test]
fn random_household_files_import_as_reported_or_not_at_all() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let test = runtime.block_on(async {
        let test = TestDb::new().await.unwrap();
        demo::build_small(&test.db, &NoProgress).await.unwrap();
        test
    });
    let actor = Actor::system("fuzz");
    let mut runner = proptest::test_runner::TestRunner::new(cases(12));
    runner
        .run(
            &table(HOUSEHOLD_HEADERS, household_value()),
            |(headers, rows, format)| {
                let bytes = write_table(&headers, &rows, format);
                runtime.block_on(async {
                    let before = household_count(&test.db).await;
                    let result = match sheet::open(Cursor::new(bytes)) {
                        Ok(rows) => {
                            hh::import_households(
                                &test.db,
                                &actor,
                                "09805-T01",
                                rows,
                                "fuzz",
                                false,
                                &NoProgress,
                            )
                            .await
                        }
                        Err(error) => Err(error),
                    };
                    let after = household_count(&test.db).await;
                    match result {
                        Ok(report) => prop_assert_eq!(after, before + report.created),
                        Err(AppError::Invalid(errors)) => {
                            prop_assert!(!errors.is_empty());
                            prop_assert_eq!(after, before);
                        }
                        Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
                    }
                    Ok(())
                })
            },
        )
        .unwrap();
}

/// The asset importer: every code of an accepted file is in the register; none of a
/// refused one is.
#[test]
fn random_asset_files_import_whole_or_not_at_all() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let test = runtime.block_on(async {
        let test = TestDb::new().await.unwrap();
        demo::build_small(&test.db, &NoProgress).await.unwrap();
        test
    });
    let actor = Actor::system("fuzz");
    let case = std::sync::atomic::AtomicU32::new(0);
    let mut runner = proptest::test_runner::TestRunner::new(cases(12));
    runner
        .run(
            &table(ASSET_HEADERS, asset_value()),
            |(headers, mut rows, format)| {
                let case = case.fetch_add(1, Ordering::SeqCst);
                // Codes unique to this case, in the code column when the file has one.
                let code_column = headers.iter().position(|h| *h == "Mã thiết bị");
                let mut codes = Vec::new();
                for (i, row) in rows.iter_mut().enumerate() {
                    if let Some(c) = code_column {
                        row[c] = format!("FZ{case}-{i}");
                        codes.push(row[c].clone());
                    }
                }
                let bytes = write_table(&headers, &rows, format);
                runtime.block_on(async {
                    let result =
                        langso_app::assets::import_assets_file(&test.db, &actor, bytes, false)
                            .await;
                    let mut stored = 0;
                    for code in &codes {
                        if langso_store::assets::asset_by_code(&test.db, code)
                            .await
                            .unwrap()
                            .is_some()
                        {
                            stored += 1;
                        }
                    }
                    match result {
                        Ok(report) => {
                            prop_assert_eq!(report.created, report.rows);
                            prop_assert_eq!(stored, codes.len());
                        }
                        Err(AppError::Invalid(errors)) => {
                            prop_assert!(!errors.is_empty());
                            prop_assert_eq!(stored, 0);
                        }
                        Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
                    }
                    Ok(())
                })
            },
        )
        .unwrap();
}
