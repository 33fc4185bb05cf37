//! The monthly report in the official form through the pages: the form opens prefilled with
//! the defaults of the unit's level, and the file it asks for carries what the officer wrote.

use langso_app::demo::DEMO_PASSWORD;

use crate::support::TestApp;

#[tokio::test]
async fn the_report_form_fills_the_official_frame() {
    let app = TestApp::with_demo().await;
    let admin = app.login("admin", DEMO_PASSWORD).await;
    let commune = langso_app::units::by_code(&app.test_db.db, "09817", langso_app::today())
        .await
        .unwrap();
    let get = |path: String| {
        app.client
            .get(format!("{}{path}", app.base))
            .header("cookie", admin.header())
            .send()
    };
    let form = get(format!(
        "/reports/monthly?unit={}&month=2024-12",
        commune.id
    ))
    .await
    .unwrap();
    assert_eq!(form.status().as_u16(), 200);
    let html = form.text().await.unwrap();
    for expected in [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Lưu: VT",
        "name=\"number\"",
    ] {
        assert!(html.contains(expected), "{expected:?} in {html}");
    }
    let pdf = get(format!(
        "/reports/monthly/file?unit={}&month=2024-12&number=7&recipients=S%E1%BB%9F+N%E1%BB%99i+v%E1%BB%A5%0ALuu&capacity=KT.+CH%E1%BB%A6+T%E1%BB%8ACH&signer_title=PH%C3%93+CH%E1%BB%A6+T%E1%BB%8ACH&signer_name=L%C3%AA+V%C4%83n+B&format=pdf",
        commune.id
    ))
    .await
    .unwrap();
    assert_eq!(pdf.status().as_u16(), 200);
    assert_eq!(
        pdf.headers()["content-type"].to_str().unwrap(),
        "application/pdf"
    );
    let bytes = pdf.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8(out.stdout).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Số: 7/BC-UBND",
        "- Sở Nội vụ;",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê Văn B",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    let xlsx = get(format!(
        "/reports/monthly/file?unit={}&month=2024-12&format=xlsx",
        commune.id
    ))
    .await
    .unwrap();
    assert_eq!(xlsx.status().as_u16(), 200);
}
