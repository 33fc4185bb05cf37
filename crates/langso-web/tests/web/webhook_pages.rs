//! The webhook endpoint pages: an administrator lists the endpoints of their unit, adds one
//! (its secret shown once), sees its delivery attempts and switches it off; another commune's
//! endpoint is 404 to them, through the page and the API.

use std::collections::HashMap;

use langso_app::Actor;
use langso_app::auth::{self, NewAccount};
use langso_app::comms::{self, NewAnnouncement, NewWebhook, WorkerConfig};
use langso_domain::auth::Role;

use crate::support::{TestApp, hidden};

const PASSWORD: &str = "mật khẩu thử nghiệm";

#[tokio::test]
async fn an_administrator_adds_watches_and_switches_off_a_webhook() {
    let app = TestApp::with_demo().await;
    let today = langso_app::today();
    let commune = langso_app::units::by_code(app.db(), "09817", today)
        .await
        .unwrap();
    auth::create_user(
        app.db(),
        &Actor::system("test"),
        &NewAccount {
            login: "quantri.odien".to_owned(),
            display_name: "Quản trị".to_owned(),
            password: PASSWORD.to_owned(),
            role: Role::Admin,
            unit_id: commune.id,
            pii: false,
        },
    )
    .await
    .unwrap();
    let admin = app.login("quantri.odien", PASSWORD).await;
    let get = |path: String| {
        let request = app
            .client
            .get(format!("{}{path}", app.base))
            .header("cookie", admin.header());
        async move {
            let r = request.send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };

    let (status, page) = get(format!("/webhooks?unit={}", commune.id)).await;
    assert_eq!(status, 200);
    let csrf = hidden(&page, "csrf");
    assert!(!page.contains("Cổng SMS xã"));

    // Add one: the page that answers shows the generated secret, once.
    let mut form = HashMap::new();
    form.insert("csrf", csrf.clone());
    form.insert("unit", commune.id.to_string());
    form.insert("name", "Cổng SMS xã".to_owned());
    form.insert("url", "http://127.0.0.1:9/sms".to_owned());
    let response = app
        .client
        .post(format!("{}/webhooks", app.base))
        .header("cookie", admin.header())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let page = response.text().await.unwrap();
    assert!(page.contains("whsec_"), "the secret is shown once");
    let hooks = comms::list_webhooks(app.db(), &Actor::system("test"), commune.id)
        .await
        .unwrap();
    let hook = hooks.iter().find(|h| h.name == "Cổng SMS xã").unwrap();
    assert!(hook.active);
    let (_, list) = get(format!("/webhooks?unit={}", commune.id)).await;
    assert!(list.contains("Cổng SMS xã") && list.contains("http://127.0.0.1:9/sms"));
    assert!(!list.contains("whsec_"), "never again");

    // A refused bad address keeps the form and names the field.
    form.insert("url", "ftp://x".to_owned());
    let page = app
        .client
        .post(format!("{}/webhooks", app.base))
        .header("cookie", admin.header())
        .form(&form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("href=\"#url\""), "{page}");

    // An announcement to the commune is sent to it; the receiver is down, the attempt shows.
    comms::create_announcement(
        app.db(),
        &Actor::system("test"),
        &NewAnnouncement {
            unit_id: Some(commune.id),
            title: "Lịch tiêm chủng".into(),
            body: "Nội dung".into(),
            category: "event".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let sent = comms::run_once(
        app.db(),
        &{
            langso_app::outbound::install_tls_provider();
            reqwest::Client::new()
        },
        &WorkerConfig {
            worker_id: "page-test".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(sent >= 1);
    let (status, page) = get(format!("/webhooks/{}", hook.id)).await;
    assert_eq!(status, 200);
    assert!(!page.contains("Chưa gửi lần nào"), "the attempt is listed");
    assert!(page.contains(" ms</td>"));
    assert!(!page.contains("whsec_"));

    // Switch it off.
    let response = app
        .client
        .post(format!("{}/webhooks/{}/deactivate", app.base, hook.id))
        .header("cookie", admin.header())
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let (_, page) = get(format!("/webhooks/{}", hook.id)).await;
    assert!(page.contains("Đã tắt") && !page.contains("/deactivate\""));
    let detail = comms::webhook(app.db(), &Actor::system("test"), hook.id)
        .await
        .unwrap();
    assert!(!detail.webhook.active);
    assert!(!detail.attempts.is_empty());

    // Another commune's endpoint: 404 on the page and through the API.
    let village = langso_app::units::by_code(app.db(), "09787-T01", today)
        .await
        .unwrap();
    let elsewhere = langso_store::units::parent_at(app.db(), village.id, today)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(elsewhere.id, commune.id);
    let other = comms::create_webhook(
        app.db(),
        &Actor::system("test"),
        &NewWebhook {
            unit_id: Some(elsewhere.id),
            name: "Zalo OA xã khác".into(),
            url: "http://127.0.0.1:9/zalo".into(),
            secret: String::new(),
        },
    )
    .await
    .unwrap();
    let (status, _) = get(format!("/webhooks/{}", other.id)).await;
    assert_eq!(status, 404);
    let status = app
        .client
        .post(format!(
            "{}/api/v1/webhooks/{}/deactivate",
            app.base, other.id
        ))
        .header("cookie", admin.header())
        .header("x-csrf-token", &admin.csrf)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 404);
    assert!(
        comms::webhook(app.db(), &Actor::system("test"), other.id)
            .await
            .unwrap()
            .webhook
            .active
    );
}
