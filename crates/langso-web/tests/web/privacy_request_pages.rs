//! The register of data subjects' requests and the retention pages, as plain forms: a
//! request recorded from a household's page on a Friday shows its deadline, the erasure is
//! done from the request's page, the overdue banner names late requests; the top
//! administrator edits a retention rule, makes a dry run, sees the runs and the backups'
//! retention, and enters a day off; a village head is kept out of the installation settings.

use langso_app::demo::DEMO_PASSWORD;
use langso_app::today;

use crate::support::TestApp;

#[tokio::test]
async fn a_request_is_recorded_from_the_household_and_its_erasure_done_from_the_request() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let admin = app.login("admin", DEMO_PASSWORD).await;
    let (status, _) = app
        .submit(
            &admin,
            "/privacy/calendar",
            &[
                ("action", "add"),
                ("day", "2026-04-27"),
                ("name", "Giỗ Tổ Hùng Vương (nghỉ bù)"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let village = langso_app::units::by_code(app.db(), "09817-T01", today())
        .await
        .unwrap();
    let id = langso_store::households::list_households(app.db(), village.id, today(), None, 1, 0)
        .await
        .unwrap()[0]
        .id;
    let (_, html) = app.page(&officer, &format!("/households/{id}")).await;
    assert!(html.contains(&format!("/privacy/requests?household={id}")));
    let form_path = format!("/privacy/requests?household={id}");
    let (status, html) = app.page(&officer, &form_path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Ghi nhận yêu cầu mới"));
    let household = id.to_string();
    let mut form = vec![
        ("household", household.as_str()),
        ("person", "Nguyễn Thị Hoa"),
        ("kind", "erasure"),
        ("received_on", "2026-04-24"),
        ("channel", "paper"),
        ("details", "Xin xóa thông tin"),
    ];
    form[1] = ("person", "");
    let (status, html) = app.submit(&officer, "/privacy/requests", &form).await;
    assert_eq!(status, 422, "{html}");
    form[1] = ("person", "Nguyễn Thị Hoa");
    let (status, location) = app.submit(&officer, "/privacy/requests", &form).await;
    assert_eq!(status, 303, "{location}");
    let (status, html) = app.page(&officer, &location).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("13/05/2026"),
        "10 working days after Friday 24/4/2026"
    );
    assert!(html.contains("Quá hạn"));
    let (_, list) = app.page(&officer, "/privacy/requests").await;
    assert!(list.contains("id=\"overdue\"") && list.contains("Nguyễn Thị Hoa"));

    let (status, after) = app
        .submit(&officer, &format!("{location}/execute"), &[])
        .await;
    assert_eq!((status, after.as_str()), (303, location.as_str()));
    let row = langso_store::households::get_household(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert!(row.erased);
    let (status, location2) = app
        .submit(
            &officer,
            &location,
            &[
                ("status", "answered"),
                ("answer", "Đã xóa thông tin của hộ."),
            ],
        )
        .await;
    assert_eq!((status, location2.as_str()), (303, location.as_str()));
    let (_, list) = app.page(&officer, "/privacy/requests").await;
    assert!(!list.contains("id=\"overdue\""));
}

#[tokio::test]
async fn the_top_administrator_edits_retention_and_sees_a_dry_run() {
    let app = TestApp::with_demo().await;
    let admin = app.login("admin", DEMO_PASSWORD).await;
    let (status, html) = app.page(&admin, "/privacy/retention").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Ghi chú khi thăm hộ") && html.contains("id=\"backups\""),
        "{html}"
    );
    assert!(html.contains("không tự sao lưu"));
    let (status, html) = app
        .submit(
            &admin,
            "/privacy/retention",
            &[
                ("kind", "audit_names"),
                ("days", "365"),
                ("action", "delete"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("không cho phép"), "{html}");
    let (status, _) = app
        .submit(
            &admin,
            "/privacy/retention",
            &[
                ("kind", "login_failures"),
                ("days", "30"),
                ("action", "delete"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, html) = app.submit(&admin, "/privacy/retention/dry-run", &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"dry-run\"") && html.contains("Lần đăng nhập sai"));
    let (_, html) = app.page(&admin, "/privacy/retention").await;
    assert!(
        html.contains("Chạy thử ·") || html.contains("Chạy thử</"),
        "the run is listed"
    );
    let (status, html) = app.page(&admin, "/privacy/calendar?year=2026").await;
    assert_eq!(status, 200);
    assert!(html.contains("Quốc khánh") && html.contains("chờ pháp chế xác nhận"));

    let head = app.login("truongthon", DEMO_PASSWORD).await;
    assert_eq!(app.page(&head, "/privacy/retention").await.0, 404);
}
