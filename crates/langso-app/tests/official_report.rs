//! The monthly report as a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP): the
//! PDF, read back with pdftotext, and the XLSX carry the issuing body, the national name and
//! motto, number, place and date, title, recipients and signer, Vietnamese intact; a long
//! unit name wraps instead of being cut. Runs on SQLite, and on PostgreSQL when
//! LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;
use std::process::Command;

use calamine::{Data, Reader, Xlsx};
use langso_app::dashboard::{self, Signing};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, demo, today};
use langso_render::official::Letterhead;
use langso_render::report::{Cell, Report, Section, report_pdf_with};
use langso_store::testing::TestDb;

/// The text of a PDF, white space collapsed.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bao-cao.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_monthly_report_is_an_administrative_document() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let commune = langso_app::units::by_code(db, "09817", today())
        .await
        .unwrap();
    let signing = Signing {
        number: "15".into(),
        recipients: vec!["UBND thành phố Hà Nội (b/c);".into(), "Lưu: VT".into()],
        capacity: String::new(),
        signer_title: String::new(),
        signer_name: "Nguyễn Thị Hoa".into(),
    };
    let op = Actor::system("test");
    let pdf = dashboard::official_report_pdf(db, &op, commune.id, demo::DEMO_AS_OF, &signing)
        .await
        .unwrap();
    let text = pdf_text(&pdf);
    let date = dashboard::written_date(today());
    for expected in [
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
        "ỦY BAN NHÂN DÂN XÃ Ô DIÊN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 15/BC-UBND",
        &format!("Ô Diên, {date}"),
        "BÁO CÁO",
        "Chương trình Thôn thông minh",
        "Nơi nhận:",
        "- UBND thành phố Hà Nội (b/c);",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Thị Hoa",
        "Thành viên tổ CNSCĐ",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }

    // The XLSX: every sheet under the same header, the signer under the last table.
    let xlsx = dashboard::official_report_xlsx(db, &op, commune.id, demo::DEMO_AS_OF, &signing)
        .await
        .unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(xlsx)).unwrap();
    let names = book.sheet_names();
    for name in &names {
        let range = book.worksheet_range(name).unwrap();
        let cell = |r: u32, c: u32| match range.get_value((r, c)) {
            Some(Data::String(s)) => s.clone(),
            other => format!("{other:?}"),
        };
        assert_eq!(cell(0, 0), "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "{name}");
        assert_eq!(cell(1, 0), "ỦY BAN NHÂN DÂN XÃ Ô DIÊN");
        assert_eq!(cell(2, 0), "Số: 15/BC-UBND");
        assert_eq!(cell(0, 2), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
        assert_eq!(cell(1, 2), "Độc lập - Tự do - Hạnh phúc");
        assert_eq!(cell(2, 2), format!("Ô Diên, {date}"));
        assert_eq!(cell(4, 0), "BÁO CÁO");
    }
    let last = book.worksheet_range(names.last().unwrap()).unwrap();
    let all: Vec<String> = last
        .rows()
        .flatten()
        .filter_map(|d| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    for expected in ["Nơi nhận:", "- Lưu: VT.", "CHỦ TỊCH", "Nguyễn Thị Hoa"] {
        assert!(all.iter().any(|s| s == expected), "{expected:?} in {all:?}");
    }

    // A form past its bounds is refused, not drawn.
    let long = Signing {
        signer_name: "A".repeat(500),
        ..Signing::default()
    };
    let refused =
        dashboard::official_report_pdf(db, &op, commune.id, demo::DEMO_AS_OF, &long).await;
    assert!(matches!(refused, Err(AppError::Invalid(_))), "{refused:?}");
}

/// Long unit names and labels wrap onto more lines; every word is in the PDF.
#[test]
fn long_names_wrap_and_are_never_cut() {
    let long =
        "Ủy ban nhân dân xã có một cái tên rất dài để thử việc xuống dòng Hòa Bình Thượng Nghiệp";
    let head = Letterhead {
        superior: "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI".into(),
        issuer: long.to_uppercase(),
        number: "Số: 1/BC-UBND".into(),
        place_date: "Hòa Bình, ngày 06 tháng 12 năm 2026".into(),
        kind: "BÁO CÁO".into(),
        summary: format!("Kết quả tháng 12/2026 của {long}"),
        recipients: vec![format!("- {long};"), "- Lưu: VT.".into()],
        capacity: "TM. ỦY BAN NHÂN DÂN".into(),
        signer_title: "CHỦ TỊCH".into(),
        signer_name: String::new(),
    };
    let report = Report {
        title: "Báo cáo".into(),
        subtitle: vec![],
        sections: vec![Section {
            title: "Theo đơn vị".into(),
            headers: vec!["Đơn vị".into(), "Số hộ".into()],
            rows: vec![vec![Cell::Text(long.into()), Cell::Count(1015)]],
        }],
        charts: vec![],
    };
    let pdf = report_pdf_with(&report, Some(&head)).unwrap();
    let text = pdf_text(&pdf);
    for word in long.split_whitespace() {
        assert!(text.contains(word), "{word:?} cut from {text}");
        assert!(
            text.contains(&word.to_uppercase()),
            "{word:?} cut from {text}"
        );
    }
    assert!(
        text.contains("Nghiệp"),
        "the last word of the table cell: {text}"
    );
    assert!(
        text.matches("Nghiệp").count() >= 3,
        "table, summary, recipients: {text}"
    );
}
