//! The breach register and the processing record through the pages (h21c): an officer records
//! an incident (a refused field named, then saved), reads its 72-hour clock, downloads the
//! notification draft, writes the follow-up; only the top of the tree's administrator changes
//! the anomaly thresholds; the record downloads as PDF and XLSX; outside the unit, not found.

use langso_app::demo::DEMO_PASSWORD;
use langso_app::today;
use time::{Duration, OffsetDateTime};

use crate::support::{Session, TestApp};

async fn get(app: &TestApp, session: &Session, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_officer_records_a_breach_and_drafts_its_notification() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let commune = langso_app::units::by_code(app.db(), "09817", today())
        .await
        .unwrap();
    let unit = commune.id.to_string();
    let list = get(&app, &officer, &format!("/privacy/breaches?unit={unit}")).await;
    assert_eq!(list.status().as_u16(), 200);
    let html = list.text().await.unwrap();
    assert!(html.contains("name=\"discovered_at\""), "{html}");
    assert!(!html.contains("privacy-"), "a key shown: {html}");

    let local =
        OffsetDateTime::now_utc().to_offset(langso_domain::locale::VIETNAM) - Duration::hours(1);
    let discovered = format!("{}T{:02}:{:02}", local.date(), local.hour(), local.minute());
    let (status, body) = app
        .submit(
            &officer,
            "/privacy/breaches",
            &[
                ("unit", &unit),
                ("what", ""),
                ("discovered_at", &discovered),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("href=\"#what\""), "{body}");
    let (status, location) = app
        .submit(
            &officer,
            "/privacy/breaches",
            &[
                ("unit", &unit),
                ("what", "Máy tính xách tay của xã bị mất"),
                ("discovered_at", &discovered),
                ("people", "320"),
                ("kind_phones", "1"),
                ("kind_citizen_ids", "1"),
                ("measures", "Đổi mật khẩu các tài khoản"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{location}");
    assert!(location.starts_with("/privacy/breaches/"), "{location}");
    let detail = get(&app, &officer, &location).await.text().await.unwrap();
    assert!(
        detail.contains("Còn 70 giờ") || detail.contains("Còn 71 giờ"),
        "{detail}"
    );
    assert!(detail.contains("Số định danh cá nhân"), "{detail}");

    let notice = get(&app, &officer, &format!("{location}/notice?number=4")).await;
    assert_eq!(notice.status().as_u16(), 200);
    assert_eq!(notice.headers()["content-type"], "application/pdf");
    assert!(notice.bytes().await.unwrap().starts_with(b"%PDF"));

    let today = today().to_string();
    let (status, _) = app
        .submit(
            &officer,
            &location,
            &[
                ("status", "notified"),
                ("notified_on", &today),
                ("actions", "Đã báo"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let detail = get(&app, &officer, &location).await.text().await.unwrap();
    assert!(detail.contains("Đã thông báo ngày"), "{detail}");

    // The thresholds: the commune officer is told "not found", the root administrator saves.
    let form = [
        ("unit", unit.as_str()),
        ("factor", "6"),
        ("threshold_people", "150"),
    ];
    assert_eq!(app.submit(&officer, "/privacy/anomaly", &form).await.0, 404);
    let admin = app.login("admin", DEMO_PASSWORD).await;
    assert_eq!(app.submit(&admin, "/privacy/anomaly", &form).await.0, 303);
    let list = get(&app, &admin, &format!("/privacy/breaches?unit={unit}")).await;
    assert!(list.text().await.unwrap().contains("value=\"150\""));
}

#[tokio::test]
async fn the_processing_record_downloads_for_the_units_officers_only() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let commune = langso_app::units::by_code(app.db(), "09817", today())
        .await
        .unwrap();
    let form = get(
        &app,
        &officer,
        &format!("/privacy/record?unit={}", commune.id),
    )
    .await;
    assert_eq!(form.status().as_u16(), 200);
    assert!(form.text().await.unwrap().contains("TM. ỦY BAN NHÂN DÂN"));
    let pdf = get(
        &app,
        &officer,
        &format!(
            "/privacy/record/file?unit={}&format=pdf&signer_name=L%C3%AA+V%C4%83n+B",
            commune.id
        ),
    )
    .await;
    assert_eq!(pdf.status().as_u16(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let xlsx = get(
        &app,
        &officer,
        &format!("/privacy/record/file?unit={}&format=xlsx", commune.id),
    )
    .await;
    assert_eq!(xlsx.status().as_u16(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    // A village head of another commune: the commune is not there for them.
    let head = app.login("truongthon", DEMO_PASSWORD).await;
    let refused = get(&app, &head, &format!("/privacy/record?unit={}", commune.id)).await;
    assert_eq!(refused.status().as_u16(), 404);
}
