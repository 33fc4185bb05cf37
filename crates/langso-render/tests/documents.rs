//! The documents checked with the tools a person would use: `zbarimg` (zbar-tools) reads the
//! QR codes, `pdftotext` and `pdftoppm` (poppler-utils) read and rasterise the posters. Where a
//! tool is missing, its check is skipped with a message saying which Debian package brings it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

use langso_render::poster::{Poster, PosterSection, posters_pdf};
use langso_render::qr::{Correction, QrMatrix};

const URL: &str = "http://127.0.0.1:8080/q/K7M2QX9D";

fn tool(name: &str, package: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    if !found {
        eprintln!(
            "SKIPPED: `{name}` not found; install the Debian package {package} to run this check"
        );
    }
    found
}

/// What zbarimg reads in an image: the decoded texts.
fn zbar(path: &Path) -> Vec<String> {
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

fn poster(title: &str) -> Poster {
    Poster {
        kicker: "HƯỚNG DẪN THỦ TỤC HÀNH CHÍNH".to_owned(),
        title: title.to_owned(),
        subtitle: "Birth registration · Mã thủ tục 1.001193".to_owned(),
        qr_url: URL.to_owned(),
        qr_caption: vec!["Quét mã QR để xem hướng dẫn".to_owned(), URL.to_owned()],
        sections: vec![
            PosterSection {
                heading: "Các bước".to_owned(),
                items: vec![
                    "Chuẩn bị tờ khai đăng ký khai sinh và Giấy chứng sinh.".to_owned(),
                    "Nộp hồ sơ tại bộ phận một cửa Ủy ban nhân dân xã, trên Cổng Dịch vụ công quốc gia hoặc ứng dụng VNeID.".to_owned(),
                    "Nhận Giấy khai sinh.".to_owned(),
                ],
                numbered: true,
            },
            PosterSection {
                heading: "Lệ phí".to_owned(),
                items: vec!["Miễn lệ phí khi đăng ký đúng hạn; miễn cho gia đình người có công, hộ nghèo, người khuyết tật; đăng ký quá hạn theo mức HĐND tỉnh quy định".to_owned()],
                numbered: false,
            },
        ],
        footer: vec![
            "Xã Song Phượng".to_owned(),
            "Nhà văn hóa thôn Tháp Thượng".to_owned(),
            "Đường dây nóng: 024 3388 0000".to_owned(),
        ],
    }
}

#[test]
fn a_qr_png_decodes_to_its_url() {
    let dir = tempfile::tempdir().unwrap();
    let qr = QrMatrix::encode(URL, Correction::Medium).unwrap();
    for size in [128, 512] {
        let path = dir.path().join(format!("qr-{size}.png"));
        std::fs::write(&path, qr.png(size).unwrap()).unwrap();
        if tool("zbarimg", "zbar-tools") {
            assert_eq!(zbar(&path), vec![URL.to_owned()], "size {size}");
        }
    }
}

#[test]
fn a_poster_keeps_its_vietnamese_text_and_its_qr_scans_from_the_print() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = posters_pdf(
        "Áp phích",
        &[poster("Đăng ký khai sinh"), poster("Đăng ký khai tử")],
    )
    .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let path = dir.path().join("poster.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if tool("pdftotext", "poppler-utils") {
        let out = Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Đăng ký khai sinh",
            "Đăng ký khai tử",
            "HƯỚNG DẪN THỦ TỤC HÀNH CHÍNH",
            "Miễn lệ phí khi đăng ký đúng hạn",
            "người khuyết tật",
            "Ủy ban nhân dân xã",
            "Nhà văn hóa thôn Tháp Thượng",
        ] {
            assert!(
                flat.contains(expected),
                "{expected:?} not in the PDF text:\n{text}"
            );
        }
        assert_eq!(text.matches('\u{c}').count(), 2, "two pages");
    }
    if tool("pdftoppm", "poppler-utils") && tool("zbarimg", "zbar-tools") {
        let prefix = dir.path().join("page");
        let status = Command::new("pdftoppm")
            .args(["-png", "-r", "100", "-f", "1", "-l", "1"])
            .arg(&path)
            .arg(&prefix)
            .status()
            .unwrap();
        assert!(status.success());
        let page = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "png"))
            .unwrap();
        assert_eq!(zbar(&page), vec![URL.to_owned()], "the printed QR scans");
    }
}

#[test]
fn a_crowded_poster_shrinks_rather_than_overflows() {
    let mut crowded = poster("Hướng dẫn thủ tục hành chính tại nhà văn hóa thôn");
    for _ in 0..4 {
        crowded.sections.push(crowded.sections[1].clone());
    }
    let pdf = posters_pdf("x", &[crowded]).unwrap();
    assert!(pdf.len() > 1000);
}
