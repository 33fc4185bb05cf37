//! Household files as offices keep them: a letterhead and a title above the header, a totals
//! row below the data, CSV files in the legacy Vietnamese encodings (Windows-1258, TCVN3,
//! VNI) or UTF-16, citizen-ID numbers Excel stored as numbers; and the files refused with
//! their real reason (an .xls workbook, an unknown encoding, a masked export).
//! Runs on SQLite, and on PostgreSQL when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;

use langso_app::households::encoding::{TextEncoding, decode};
use langso_app::households::{self as hh, ExportFormat, ImportReport, sheet};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, AppResult, Db, demo, today};
use langso_store::testing::TestDb;

const COMMUNE: &str = "09817";
const VILLAGE: &str = "09805-T01";

async fn import(db: &Db, unit: &str, bytes: Vec<u8>, dry_run: bool) -> AppResult<ImportReport> {
    let rows = sheet::open(Cursor::new(bytes))?;
    let actor = Actor::system("test");
    hh::import_households(db, &actor, unit, rows, "office", dry_run, &NoProgress).await
}

/// The one catalogue key a file was refused with.
fn refusal(result: AppResult<ImportReport>) -> (&'static str, String) {
    match result {
        Err(AppError::Invalid(errors)) => {
            assert_eq!(errors.len(), 1, "one message for the file: {errors:?}");
            (
                errors[0].key.as_ref().map_or("", |m| m.key),
                errors[0].message.clone(),
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn household(db: &Db, code: &str) -> hh::HouseholdRow {
    let commune = langso_app::units::by_code(db, COMMUNE, today())
        .await
        .unwrap();
    langso_store::households::household_by_code(db, commune.id, code)
        .await
        .unwrap()
        .expect("imported")
}

/// Text written in a single-byte legacy encoding: each character as the shortest bytes
/// (one byte, a letter and its mark byte, or two bytes) the decoder reads back as it.
fn encode(text: &str, encoding: TextEncoding) -> Vec<u8> {
    let high = || 0x80u8..=0xFF;
    let candidates: Vec<Vec<u8>> = high()
        .map(|b| vec![b])
        .chain(
            b"aeiouyAEIOUY"
                .iter()
                .flat_map(|l| high().map(move |b| vec![*l, b])),
        )
        .chain(high().flat_map(|a| high().map(move |b| vec![a, b])))
        .collect();
    // Decoded at once, one candidate a line (no high byte reads as a line break).
    let all = decode(&candidates.join(&b'\n'), encoding);
    let decoded: Vec<&str> = all.split('\n').collect();
    assert_eq!(decoded.len(), candidates.len());
    let mut out = Vec::new();
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        let want = c.to_string();
        let at = decoded
            .iter()
            .position(|d| *d == want)
            .unwrap_or_else(|| panic!("{c} has no {encoding:?} bytes"));
        out.extend_from_slice(&candidates[at]);
    }
    out
}

/// A household list as an office exports it (TCVN3 has no capitals with tone marks): a title line and a blank line above the
/// header, a totals line at the end.
const LIST: &str = "Danh sách hộ gia đình\n\nMã hộ,Họ và tên chủ hộ,Số thành viên\nENC-{n},Nguyễn Văn Hùng,4\nENC-{m},Trần Thị Ngọc Bích,3\nCộng,,7\n";

#[tokio::test]
async fn office_files_import_as_they_are() {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    let db = &test.db;

    // XLSX: issuing body and national motto, title, blank row, then the header; a totals row.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "UBND XÃ Ô DIÊN").unwrap();
    sheet
        .write_string(0, 3, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        .unwrap();
    sheet
        .write_string(1, 3, "Độc lập - Tự do - Hạnh phúc")
        .unwrap();
    sheet.write_string(3, 0, "DANH SÁCH HỘ GIA ĐÌNH").unwrap();
    let headers = [
        "STT",
        "Mã hộ",
        "Họ và tên chủ hộ",
        "Số thành viên",
        "Số CCCD",
    ];
    for (c, h) in (0u16..).zip(headers) {
        sheet.write_string(5, c, h).unwrap();
    }
    for (r, (code, name, members, id)) in [
        ("LH-1", "Đỗ Thị Hạnh", 3.0, 1_203_004_567.0),
        ("LH-2", "Vũ Văn Long", 5.0, 34_567_890_123.0),
    ]
    .into_iter()
    .enumerate()
    {
        let r = 6 + r as u32;
        sheet.write_number(r, 0, f64::from(r - 5)).unwrap();
        sheet.write_string(r, 1, code).unwrap();
        sheet.write_string(r, 2, name).unwrap();
        sheet.write_number(r, 3, members).unwrap();
        sheet.write_number(r, 4, id).unwrap();
    }
    sheet.write_string(8, 1, "Tổng cộng").unwrap();
    sheet.write_number(8, 3, 8.0).unwrap();
    let done = import(db, VILLAGE, book.save_to_buffer().unwrap(), false)
        .await
        .unwrap();
    assert_eq!((done.rows, done.created), (2, 2), "{done:?}");
    assert_eq!(done.totals_skipped, [9]);
    assert_eq!(done.converted_from, None);
    let first = household(db, "LH-1").await;
    assert_eq!(first.head_name, "Đỗ Thị Hạnh");
    assert_eq!(
        first.citizen_id.as_deref(),
        Some("001203004567"),
        "leading zeros restored"
    );
    assert_eq!(
        household(db, "LH-2").await.citizen_id.as_deref(),
        Some("034567890123")
    );

    // CSV in each office encoding, and UTF-16 with tabs (Excel's "Unicode Text").
    for (n, encoding) in [
        TextEncoding::Windows1258,
        TextEncoding::Tcvn3,
        TextEncoding::Vni,
    ]
    .into_iter()
    .enumerate()
    {
        let text = LIST
            .replace("{n}", &format!("{}", 2 * n))
            .replace("{m}", &format!("{}", 2 * n + 1));
        let done = import(db, VILLAGE, encode(&text, encoding), false)
            .await
            .unwrap_or_else(|e| panic!("{encoding:?}: {e:?}"));
        assert_eq!((done.rows, done.created), (2, 2), "{encoding:?}: {done:?}");
        assert_eq!(done.totals_skipped, [6], "{encoding:?}");
        assert_eq!(done.converted_from.as_deref(), Some(encoding.name()));
        let name = household(db, &format!("ENC-{}", 2 * n + 1)).await.head_name;
        assert_eq!(name, "Trần Thị Ngọc Bích", "{encoding:?}");
    }
    let mut utf16 = vec![0xFF, 0xFE];
    let text = LIST
        .replace(',', "\t")
        .replace("{n}", "10")
        .replace("{m}", "11");
    for unit in text.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let done = import(db, VILLAGE, utf16, false).await.unwrap();
    assert_eq!((done.rows, done.created), (2, 2), "{done:?}");
    assert_eq!(
        household(db, "ENC-11").await.head_name,
        "Trần Thị Ngọc Bích"
    );
}

#[tokio::test]
async fn files_that_cannot_be_read_are_refused_with_the_reason() {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    let db = &test.db;

    // An Excel 97–2003 workbook (an OLE2 compound file) is refused by name.
    let mut xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    xls.resize(4096, 0);
    let (key, _) = refusal(import(db, VILLAGE, xls, true).await);
    assert_eq!(key, "households-file-xls");

    // A web page saved as ".xls".
    let html = b"<html><body><table><tr><td>M\xc3\xa3 h\xe1\xbb\x99</td></tr></table>".to_vec();
    assert_eq!(
        refusal(import(db, VILLAGE, html, true).await).0,
        "households-file-html"
    );

    // Latin-1 that is not Vietnamese: not guessed, refused naming the line.
    let latin = b"M\xe3 h\xf4,Name,Members\nX-1,Gr\xfc\xdfe M\xfcller \xdcber,3\n".to_vec();
    let (key, _) = refusal(import(db, VILLAGE, latin, true).await);
    assert_eq!(key, "households-csv-encoding-unknown");

    // An export made without the right to see personal numbers: one message, not one a cell.
    let officer = Actor::new(
        None,
        "officer".into(),
        vec![langso_app::auth::Grant {
            role: langso_domain::auth::Role::Officer,
            unit_id: langso_app::units::by_code(db, COMMUNE, today())
                .await
                .unwrap()
                .id,
            unit_name: String::new(),
        }],
        false,
    );
    for format in [ExportFormat::Csv, ExportFormat::Xlsx] {
        let export = hh::export_households(db, &officer, COMMUNE, format)
            .await
            .unwrap();
        let (key, _) = refusal(import(db, COMMUNE, export.bytes, true).await);
        assert_eq!(key, "households-import-masked", "{format:?}");
    }
}
