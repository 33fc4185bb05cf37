//! h17c: "my notifications" (contacts, channels, quiet hours, modes) and a household's consent
//! (record, withdraw, history) are plain forms that work without JavaScript, refuse bad input
//! in the page's language, and fit a 360-px phone.

use langso_app::demo::DEMO_PASSWORD;
use langso_app::today;

use crate::browser::{log_in, phone, start_driver};
use crate::phone::{small_targets, width};
use crate::support::TestApp;

async fn a_household(app: &TestApp) -> uuid::Uuid {
    let village = langso_app::units::by_code(app.db(), "09817-T01", today())
        .await
        .unwrap();
    langso_store::households::list_households(app.db(), village.id, today(), None, 1, 0)
        .await
        .unwrap()[0]
        .id
}

#[tokio::test]
async fn preferences_and_consent_are_plain_forms() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let (status, html) = app.page(&officer, "/account/notifications").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Giờ yên lặng") && html.contains("value=\"21:00\""),
        "defaults shown"
    );

    let mut form = vec![
        ("email", "Lan@Xa.VN"),
        ("phone", "0912 345 678"),
        ("channel_email", "1"),
        ("channel_sms", "1"),
        ("quiet_start", "22:00"),
        ("quiet_end", "05:30"),
        ("fault", "immediate"),
        ("alarm", "digest"),
        ("follow_up", "off"),
    ];
    let mut bad = form.clone();
    bad[0] = ("email", "lan@");
    let (status, html) = app.submit(&officer, "/account/notifications", &bad).await;
    assert_eq!(status, 422);
    assert!(html.contains("Địa chỉ thư điện tử không hợp lệ"), "{html}");
    assert!(html.contains("href=\"#email\""));
    let (status, location) = app.submit(&officer, "/account/notifications", &form).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/account/notifications?saved=1")
    );
    let (_, html) = app.page(&officer, "/account/notifications?saved=1").await;
    assert!(html.contains("value=\"lan@xa.vn\"") && html.contains("value=\"84912345678\""));
    assert!(html.contains("value=\"22:00\"") && html.contains("Đã lưu"));
    assert!(html.contains("<option value=\"digest\" selected>"));
    assert!(html.contains("Hộ cần thăm lại"), "every kind in words");
    form[4] = ("quiet_start", "25:00");
    let (status, html) = app.submit(&officer, "/account/notifications", &form).await;
    assert_eq!(status, 422);
    assert!(html.contains("GG:PP"));

    // Consent: recorded, then withdrawn; the history keeps both.
    let id = a_household(&app).await;
    let path = format!("/households/{id}/consent");
    let (status, html) = app.page(&officer, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Ghi nhận đồng ý"));
    let (status, html) = app
        .submit(&officer, &path, &[("action", "give"), ("method", "paper")])
        .await;
    assert_eq!(status, 422, "a purpose is needed");
    assert!(html.contains("Chọn ít nhất một nội dung"));
    let give = [
        ("action", "give"),
        ("purpose_announcements", "1"),
        ("method", "phone"),
        ("purpose", "Nhận thông báo qua Zalo"),
    ];
    assert_eq!(app.submit(&officer, &path, &give).await.0, 303);
    assert!(
        langso_app::households::may_contact(app.db(), id, "announcements")
            .await
            .unwrap()
    );
    let withdraw = [("action", "withdraw"), ("method", "in_person")];
    assert_eq!(app.submit(&officer, &path, &withdraw).await.0, 303);
    assert!(
        !langso_app::households::may_contact(app.db(), id, "announcements")
            .await
            .unwrap()
    );
    let (status, html) = app.page(&officer, &path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Rút lại") && html.contains("Qua điện thoại") && html.contains("Trực tiếp"),
        "{html}"
    );
    assert!(html.contains("chưa đồng ý nhận liên hệ"));
    let (_, household) = app.page(&officer, &format!("/households/{id}")).await;
    assert!(household.contains(&path), "the household page links to it");
}

#[tokio::test]
async fn the_new_pages_fit_a_360px_phone() {
    let Some(driver) = start_driver() else {
        eprintln!(
            "SKIPPED: chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let app = TestApp::with_demo().await;
    let id = a_household(&app).await;
    let client = phone(&driver).await;
    log_in(&client, &app.base, "canbo.odien", "/account/notifications").await;
    for path in [
        "/account/notifications".to_owned(),
        format!("/households/{id}/consent"),
    ] {
        client.goto(&format!("{}{path}", app.base)).await.unwrap();
        let (w, wide) = width(&client).await;
        assert!(w <= 360, "{path}: {w} px ({wide})");
        let small = small_targets(&client).await;
        assert!(small.is_empty(), "{path}: targets under 44 px: {small}");
    }
    client.close().await.unwrap();
}
