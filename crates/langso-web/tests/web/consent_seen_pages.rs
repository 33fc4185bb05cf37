//! h21a: consent recorded per person on the household's consent page, with a paper form's
//! scan and the printable form; the household's "who saw my data" page, in Vietnamese with
//! Vietnam dates, linked from the household page, and not found from another commune.

use langso_app::demo::DEMO_PASSWORD;
use langso_app::today;

use crate::support::{Session, TestApp};

async fn get(app: &TestApp, session: &Session, path: &str) -> (u16, String, String) {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.bytes().await.unwrap_or_default();
    (status, kind, String::from_utf8_lossy(&body).into_owned())
}

async fn upload(app: &TestApp, session: &Session, path: &str, bytes: Vec<u8>) -> (u16, String) {
    let form = reqwest::multipart::Form::new()
        .text("csrf", session.csrf.clone())
        .part(
            "scan",
            reqwest::multipart::Part::bytes(bytes).file_name("phieu.png"),
        );
    let response = app
        .client
        .post(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .multipart(form)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.text().await.unwrap_or_default(),
    )
}

#[tokio::test]
async fn consent_per_person_with_its_scan_and_who_saw_the_household() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let village = langso_app::units::by_code(app.db(), "09817-T01", today())
        .await
        .unwrap();
    let id = langso_store::households::list_households(app.db(), village.id, today(), None, 1, 0)
        .await
        .unwrap()[0]
        .id;

    // A spouse consents on paper; the page names her and what she gives.
    let path = format!("/households/{id}/consent");
    let response = app
        .client
        .post(format!("{}{path}", app.base))
        .header("cookie", officer.header())
        .form(&[
            ("csrf", officer.csrf.as_str()),
            ("action", "give"),
            ("person_name", "Trần Thị Bình"),
            ("relation", "spouse"),
            ("purpose_survey", "1"),
            ("purpose_announcements", "1"),
            ("method", "paper"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let (status, _, html) = get(&app, &officer, &path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Trần Thị Bình") && html.contains("Vợ/chồng"),
        "{html}"
    );
    assert!(html.contains("Khảo sát mức độ sử dụng dịch vụ số"));
    assert!(html.contains(&format!("{path}/form.pdf")));

    // Its scan: a page is refused, a PNG kept and opened.
    let admin = langso_app::Actor::system("test");
    let event = langso_app::households::consent_history(app.db(), &admin, id)
        .await
        .unwrap()[0]
        .id;
    let scan_path = format!("{path}/{event}/scan");
    assert!(
        html.contains(&scan_path),
        "the upload form of the paper consent"
    );
    let (status, html) = upload(&app, &officer, &scan_path, b"<html></html>".to_vec()).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Bản quét phải là tệp PDF, JPEG hoặc PNG"),
        "{html}"
    );
    let png = [
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..],
        b"scan",
    ]
    .concat();
    assert_eq!(upload(&app, &officer, &scan_path, png).await.0, 303);
    let (status, kind, _) = get(&app, &officer, &scan_path).await;
    assert_eq!((status, kind.as_str()), (200, "image/png"));
    let (status, kind, _) = get(&app, &officer, &format!("{path}/form.pdf")).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));

    // Who saw the household: the household page links to it; the scan opened is on it.
    let (_, _, household) = get(&app, &officer, &format!("/households/{id}")).await;
    let seen = format!("/households/{id}/seen");
    assert!(household.contains(&seen), "linked from the household page");
    let (status, _, html) = get(&app, &officer, &seen).await;
    assert_eq!(status, 200);
    assert!(html.contains("Ai đã xem dữ liệu cá nhân của hộ"));
    assert!(html.contains("Xem bản quét phiếu đồng ý"), "{html}");
    assert!(html.contains("Xem hồ sơ hộ với số đầy đủ"), "{html}");
    let vietnam = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+7));
    let day = format!(
        "{:02}/{:02}/{}",
        vietnam.day(),
        u8::from(vietnam.month()),
        vietnam.year()
    );
    assert!(html.contains(&day), "dd/mm/yyyy, Vietnam time: {day}");
    assert!(!html.contains("household.view_unmasked"), "no code shown");

    // Another commune's village head (who holds the audit right there): not found.
    let stranger = app.login("truongthon", DEMO_PASSWORD).await;
    assert_eq!(get(&app, &stranger, &seen).await.0, 404);
    assert_eq!(get(&app, &stranger, &scan_path).await.0, 404);
}
