//! Service levels and updates to the reporter over HTTP: an order's due times come from its
//! category's level (a province's own row before the default); an order past them is flagged
//! on the dashboard, in the work-order list and on its page; a status change with a public
//! note reaches the status page and its Atom feed at once and is queued for the reporter and
//! each follower with a contact; the reporter confirms or reopens within 14 days, not after.

use langso_app::{Actor, Db};
use langso_domain::faults::ServiceLevel;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::comms::parse_xml;
use crate::public_text::assert_well_formed;
use crate::support::{Session, TestApp};

/// A report on a village's street light by a resident who left a phone number.
async fn report(app: &TestApp) -> (Uuid, String) {
    let response = app
        .client
        .post(format!("{}/open311/v2/requests.json", app.base))
        .form(&[
            ("service_code", "grid_light"),
            ("address_string", "Ngõ 5, thôn Hạ Mỗ 1"),
            ("attribute[unit]", "09805-T01"),
            ("description", "Đèn đường tắt"),
            ("first_name", "Lan"),
            ("phone", "0912 345 678"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    (
        body[0]["service_request_id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
        body[0]["token"].as_str().unwrap().to_owned(),
    )
}

/// Runs one statement with an order id and a time on either database.
async fn at(db: &Db, sql: &'static str, order: Uuid, when: OffsetDateTime) {
    match db {
        Db::Sqlite(pool, _) => {
            sqlx::query(sql)
                .bind(order)
                .bind(when)
                .execute(pool)
                .await
                .unwrap();
        }
        Db::Postgres(pool) => {
            sqlx::query(sql)
                .bind(order)
                .bind(when)
                .execute(pool)
                .await
                .unwrap();
        }
    }
}

async fn move_to(app: &TestApp, session: &Session, id: Uuid, to: &str, note: &str, public: bool) {
    let response = app
        .client
        .post(format!("{}/api/v1/work-orders/{id}/transition", app.base))
        .header("cookie", session.header())
        .header("x-csrf-token", &session.csrf)
        .json(&json!({"status": to, "assignee": "Anh Hùng điện", "note": note, "public_note": public}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "→ {to}");
}

async fn page(app: &TestApp, session: &Session, path: &str) -> String {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn due_times_come_from_the_level_and_an_overdue_order_is_flagged() {
    let app = TestApp::with_demo().await;
    let (id, _) = report(&app).await;
    let order = langso_store::faults::order(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    let respond = order.respond_by.unwrap() - order.requested_at;
    assert_eq!(
        (
            respond.whole_hours(),
            (order.due_at - order.requested_at).whole_hours()
        ),
        (24, 72)
    );

    // Hà Nội sets its own level for street lights: new reports there follow it.
    let province = langso_app::units::by_code(app.db(), "01", langso_app::today())
        .await
        .unwrap();
    let level = ServiceLevel {
        response_hours: 4,
        repair_hours: 12,
    };
    langso_app::faults::levels::set_level(
        app.db(),
        &Actor::system("test"),
        Some(province.id),
        "grid_light",
        level,
    )
    .await
    .unwrap();
    let (faster, _) = report(&app).await;
    let faster = langso_store::faults::order(app.db(), faster)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((faster.due_at - faster.requested_at).whole_hours(), 12);
    let refused = ServiceLevel {
        response_hours: 20,
        repair_hours: 12,
    };
    assert!(
        langso_app::faults::levels::set_level(
            app.db(),
            &Actor::system("test"),
            None,
            "grid_light",
            refused
        )
        .await
        .is_err()
    );

    // The first order is now past its due time (moved back in time, as if reported 4 days ago).
    let now = OffsetDateTime::now_utc();
    at(
        app.db(),
        "UPDATE work_orders SET respond_by = $2 WHERE id = $1",
        id,
        now - Duration::days(3),
    )
    .await;
    at(
        app.db(),
        "UPDATE work_orders SET due_at = $2 WHERE id = $1",
        id,
        now - Duration::minutes(5),
    )
    .await;
    // Hà Nội's administrator, at the province: the block counts every commune under it.
    let commune = province.id;
    let admin = app.login("admin", langso_app::demo::DEMO_PASSWORD).await;
    let dashboard = page(&app, &admin, &format!("/dashboard?unit={commune}")).await;
    assert!(
        dashboard.contains("id=\"overdue-orders\""),
        "no overdue block"
    );
    assert!(
        dashboard.contains("Phiếu đang quá hạn: 1"),
        "one overdue order"
    );
    assert!(
        dashboard.contains("id=\"on-time\""),
        "on-time share per commune"
    );
    let list = page(
        &app,
        &admin,
        &format!("/work-orders?unit={commune}&overdue=1"),
    )
    .await;
    assert!(list.contains(&id.to_string()) && list.contains("Quá hạn"));
    assert!(
        !list.contains(&faster.id.to_string()),
        "only the overdue order"
    );
    let one = page(&app, &admin, &format!("/work-orders/{id}")).await;
    assert!(one.contains("Quá hạn") && one.contains("Hạn phản hồi"));

    // The monthly report carries the on-time section.
    let month = format!("{:04}-{:02}", now.year(), u8::from(now.month()));
    let response = app
        .client
        .get(format!(
            "{}/api/v1/reports/monthly.xlsx?unit={commune}&month={month}",
            app.base
        ))
        .header("cookie", admin.header())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap().to_vec();
    let book: calamine::Xlsx<_> = calamine::Reader::new(std::io::Cursor::new(bytes)).unwrap();
    let sheets = calamine::Reader::sheet_names(&book);
    assert!(sheets.iter().any(|s| s.contains("đúng hạn")), "{sheets:?}");
}

#[tokio::test]
async fn a_status_change_reaches_the_status_page_the_feed_and_the_outbox() {
    let app = TestApp::with_demo().await;
    let (id, token) = report(&app).await;
    // Two followers ("this is my problem too"): one left an e-mail address, one nothing.
    for contact in ["Bác Tư tu@example.vn", ""] {
        let sql = "INSERT INTO work_order_followers (id, work_order_id, contact, created_at) \
                   VALUES ($1, $2, $3, $4)";
        let now = OffsetDateTime::now_utc();
        match app.db() {
            Db::Sqlite(pool, _) => sqlx::query(sql)
                .bind(Uuid::now_v7())
                .bind(id)
                .bind(contact)
                .bind(now)
                .execute(pool)
                .await
                .map(|_| ()),
            Db::Postgres(pool) => sqlx::query(sql)
                .bind(Uuid::now_v7())
                .bind(id)
                .bind(contact)
                .bind(now)
                .execute(pool)
                .await
                .map(|_| ()),
        }
        .unwrap();
    }
    let head = app
        .login("truongthon", langso_app::demo::DEMO_PASSWORD)
        .await;
    move_to(&app, &head, id, "assigned", "nội bộ", false).await;
    assert!(
        langso_app::faults::updates::notifications(app.db(), id)
            .await
            .unwrap()
            .is_empty()
    );
    move_to(
        &app,
        &head,
        id,
        "in_progress",
        "Đã thay bóng, chờ điện lực đóng điện",
        true,
    )
    .await;

    let (status, status_page) = app.text(&format!("/bao-hong/{token}")).await;
    assert_eq!(status, 200);
    assert!(status_page.contains("Đã thay bóng") && !status_page.contains("nội bộ"));
    assert!(status_page.contains(&format!("/bao-hong/{token}/feed.atom")));
    let response = app.get(&format!("/bao-hong/{token}/feed.atom")).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let feed = response.text().await.unwrap();
    assert_well_formed(&feed);
    let entries: Vec<_> = parse_xml(&feed)
        .into_iter()
        .filter(|e| e.path == "/feed/entry/content")
        .map(|e| e.text)
        .collect();
    assert_eq!(
        entries,
        vec!["Đã thay bóng, chờ điện lực đóng điện".to_owned()]
    );

    let queued = langso_app::faults::updates::notifications(app.db(), id)
        .await
        .unwrap();
    let who: Vec<_> = queued
        .iter()
        .map(|n| {
            (
                n.recipient.as_str(),
                n.channel.as_str(),
                n.contact.as_str(),
                n.status.as_str(),
            )
        })
        .collect();
    assert_eq!(
        who,
        vec![
            ("reporter", "sms", "0912345678", "queued"),
            ("follower", "email", "tu@example.vn", "queued"),
        ]
    );
    let payload: Value = serde_json::from_str(&queued[0].payload).unwrap();
    assert_eq!(payload["status"], "in_progress");
    assert_eq!(payload["page"], format!("/bao-hong/{token}"));
    let follower: Value = serde_json::from_str(&queued[1].payload).unwrap();
    assert!(
        !follower.to_string().contains(&token),
        "followers never get the reporter's token"
    );
}

#[tokio::test]
async fn the_reporter_confirms_or_reopens_within_14_days_and_not_after() {
    let app = TestApp::with_demo().await;
    let (id, token) = report(&app).await;
    let post = |path: String, note: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}{path}", app.base))
                .form(&[("note", note)])
                .send()
                .await
                .unwrap()
        }
    };
    // Not fixed yet: refused.
    let response = post(format!("/bao-hong/{token}/mo-lai"), "Vẫn tắt").await;
    assert_eq!(response.status(), 422);
    let head = app
        .login("truongthon", langso_app::demo::DEMO_PASSWORD)
        .await;
    for to in ["assigned", "in_progress", "fixed"] {
        move_to(&app, &head, id, to, "", false).await;
    }
    let (_, status_page) = app.text(&format!("/bao-hong/{token}")).await;
    assert!(
        status_page.contains("id=\"fault-confirm\"") && status_page.contains("id=\"fault-reopen\"")
    );

    // Reopened with the reporter's words: back to its assignee, the fix forgotten.
    let response = post(
        format!("/bao-hong/{token}/mo-lai"),
        "Đèn lại tắt sau một đêm",
    )
    .await;
    assert_eq!(response.status(), 303);
    let order = langso_store::faults::order(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((order.status.as_str(), order.fixed_at), ("assigned", None));
    let (_, status_page) = app.text(&format!("/bao-hong/{token}")).await;
    assert!(status_page.contains("Đèn lại tắt sau một đêm"));

    // Fixed again, then confirmed: closed.
    for to in ["in_progress", "fixed"] {
        move_to(&app, &head, id, to, "", false).await;
    }
    let response = post(format!("/bao-hong/{token}/xac-nhan"), "").await;
    assert_eq!(response.status(), 303);
    let order = langso_store::faults::order(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.status, "closed");

    // Fifteen days after the fix: refused with the reason, nothing changes.
    let long_ago = OffsetDateTime::now_utc() - Duration::days(15);
    at(
        app.db(),
        "UPDATE work_orders SET fixed_at = $2 WHERE id = $1",
        id,
        long_ago,
    )
    .await;
    let response = post(format!("/bao-hong/{token}/mo-lai"), "Lại hỏng").await;
    assert_eq!(response.status(), 422);
    let refusal = response.text().await.unwrap();
    assert!(refusal.contains("Đã quá 14 ngày"), "{refusal}");
    let (_, status_page) = app.text(&format!("/bao-hong/{token}")).await;
    assert!(!status_page.contains("id=\"fault-reopen\""));
    let order = langso_store::faults::order(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.status, "closed");
}
