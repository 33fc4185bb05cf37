//! The programme report read back the way a person would: `pdftotext` (poppler-utils) for the
//! PDF, calamine (what Excel-reading tools use) for the XLSX.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;
use std::process::Command;

use calamine::{Data, Reader, Xlsx};
use langso_render::report::{Cell, Report, ReportChart, Section, report_pdf, report_xlsx};

fn report() -> Report {
    let mut rows = vec![vec![Cell::Text("Tổ CNSCĐ cấp xã".into()), Cell::Count(16)]];
    rows.push(vec![Cell::Text("Thành viên".into()), Cell::Count(1015)]);
    rows.push(vec![Cell::Text("Thôn thông minh".into()), Cell::Share(1.0)]);
    // Enough rows to need a second page.
    let villages = (1..=80)
        .map(|i| {
            vec![
                Cell::Text(format!("Thôn Hạ Mỗ {i}")),
                Cell::Count(300 + i),
                Cell::Share(0.5 + f64::from(i as u8) / 200.0),
            ]
        })
        .collect();
    Report {
        title: "Báo cáo tháng 12/2024 — Huyện Đan Phượng".into(),
        subtitle: vec!["Số liệu đến ngày 31/12/2024 (dữ liệu mô phỏng)".into()],
        sections: vec![
            Section {
                title: "Chỉ tiêu chính".into(),
                headers: vec!["Chỉ tiêu".into(), "Giá trị".into()],
                rows,
            },
            Section {
                title: "Thôn, tổ dân phố".into(),
                headers: vec!["Thôn".into(), "Số hộ".into(), "Tỉ lệ đến hộ".into()],
                rows: villages,
            },
        ],
        charts: vec![ReportChart {
            title: "Tỉ lệ thôn thông minh theo xã".into(),
            bars: vec![("Xã Song Phượng".into(), 1.0, "100%".into())],
        }],
    }
}

#[test]
fn the_xlsx_reads_back_with_vietnamese_headers_and_numbers() {
    let bytes = report_xlsx(&report()).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Chỉ tiêu chính", "Thôn, tổ dân phố"]);
    let range = book.worksheet_range("Chỉ tiêu chính").unwrap();
    assert_eq!(range.get((0, 0)), Some(&Data::String("Chỉ tiêu".into())));
    assert_eq!(range.get((2, 1)), Some(&Data::Float(1015.0)));
    assert_eq!(range.get((3, 1)), Some(&Data::Float(1.0)));
    let villages = book.worksheet_range("Thôn, tổ dân phố").unwrap();
    assert_eq!(villages.height(), 81);
}

#[test]
fn the_pdf_is_a4_with_vietnamese_text_that_extracts() {
    let pdf = report_pdf(&report()).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let Ok(out) = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
    else {
        eprintln!("pdftotext missing (Debian package poppler-utils): PDF text not checked");
        return;
    };
    let text = String::from_utf8(out.stdout).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Báo cáo tháng 12/2024 — Huyện Đan Phượng",
        "Tổ CNSCĐ cấp xã",
        "1.015",
        "100,0%",
        "Thôn Hạ Mỗ 80",
        "Tỉ lệ thôn thông minh theo xã",
        "Xã Song Phượng",
        "trang 2",
    ] {
        assert!(flat.contains(expected), "missing {expected:?} in:\n{flat}");
    }
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(info.contains("595.28 x 841.89"), "{info}");
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap();
    assert!(pages >= 2, "{info}");
}
