//! Operator alerts: each condition opens one alert and resolves it when it clears (disk with
//! thresholds that trip on the real filesystem, a broker on a closed port then a real
//! Mosquitto there, a stuck message, a certificate made by openssl expiring in 3 days, a pool
//! that cannot reach the database); the banner shows to a root admin and not to a village
//! head; /metrics carries the gauges; two checkers at once open one alert.

use std::time::Duration;

use langso_app::Db;
use langso_app::ops::{Board, CheckConfig, check_once};
use langso_store::comms::{self as messages, MessageRow};
use langso_store::ops::{AlertRow, recent_alerts};
use langso_web::Settings;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::support::TestApp;

/// Every alert row of `condition`, open or not.
async fn rows(db: &Db, condition: &str) -> Vec<AlertRow> {
    recent_alerts(db, OffsetDateTime::UNIX_EPOCH, 1_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.condition == condition)
        .collect()
}

/// A configuration that watches nothing unless told.
fn quiet() -> CheckConfig {
    CheckConfig {
        disk_warn_percent: 101,
        outbox_age: Duration::from_secs(3_600),
        unreachable_after: Duration::ZERO,
        ..CheckConfig::default()
    }
}

fn tripping_disk(dir: &std::path::Path) -> CheckConfig {
    CheckConfig {
        disk_paths: vec![dir.to_owned()],
        disk_warn_percent: 1,
        ..quiet()
    }
}

#[tokio::test]
async fn a_full_disk_opens_one_alert_and_resolves_when_the_threshold_is_not_reached() {
    let app = TestApp::with_demo().await;
    let admin = langso_store::auth::list_users(app.db())
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.login == "admin")
        .unwrap();
    let mut tx = app.db().begin().await.unwrap();
    messages::set_contacts(&mut tx, admin.id, Some("quantri@langso.test"), None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..3 {
        check_once(app.db(), &app.state.ops, &tripping_disk(dir.path()))
            .await
            .unwrap();
    }
    let found = rows(app.db(), "disk").await;
    assert_eq!(found.len(), 1, "{found:?}");
    // The root admin who gave an address is e-mailed once, however many checks saw it.
    let mails = messages::messages_of(app.db(), "alert", found[0].id)
        .await
        .unwrap();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].address, "quantri@langso.test");
    assert_eq!(mails[0].channel, "email");
    assert!(
        mails[0].subject.contains("Ổ đĩa sắp đầy"),
        "{}",
        mails[0].subject
    );
    assert!(found[0].resolved_at.is_none());
    assert!(found[0].last_seen_at >= found[0].opened_at);
    assert_eq!(found[0].subject, dir.path().display().to_string());
    let untripped = CheckConfig {
        disk_paths: vec![dir.path().to_owned()],
        ..quiet()
    };
    check_once(app.db(), &app.state.ops, &untripped)
        .await
        .unwrap();
    let found = rows(app.db(), "disk").await;
    assert_eq!(found.len(), 1);
    assert!(found[0].resolved_at.is_some(), "resolved: {found:?}");
    assert!(app.state.ops.open().is_empty());
}

/// A self-signed certificate valid for `days`, written to `file` by the openssl tool.
fn certificate(file: &std::path::Path, days: u32) -> bool {
    let key = file.with_extension("key");
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args([
            "-nodes",
            "-subj",
            "/CN=langso.test",
            "-days",
            &days.to_string(),
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    matches!(made, Ok(status) if status.success())
}

#[tokio::test]
async fn a_certificate_three_days_from_its_end_opens_an_alert_until_renewed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("proxy.pem");
    if !certificate(&file, 3) {
        eprintln!("SKIPPED: the openssl tool is not installed");
        return;
    }
    let app = TestApp::with_demo().await;
    let config = CheckConfig {
        certificates: vec![file.clone()],
        certificate_days: 14,
        ..quiet()
    };
    check_once(app.db(), &app.state.ops, &config).await.unwrap();
    check_once(app.db(), &app.state.ops, &config).await.unwrap();
    let found = rows(app.db(), "certificate").await;
    assert_eq!(found.len(), 1, "{found:?}");
    let end = found[0].figure.unwrap();
    let left = end - OffsetDateTime::now_utc().unix_timestamp();
    assert!(
        (2 * 86_400..=3 * 86_400 + 60).contains(&left),
        "{left} s left"
    );
    let (_, metrics) = app.text("/metrics").await;
    assert!(
        metrics.contains(&format!(
            "langso_certificate_expiry_timestamp_seconds{{path=\"{}\"}} {end}",
            file.display()
        )),
        "{metrics}"
    );
    assert!(certificate(&file, 90));
    check_once(app.db(), &app.state.ops, &config).await.unwrap();
    let found = rows(app.db(), "certificate").await;
    assert_eq!(found.len(), 1);
    assert!(found[0].resolved_at.is_some());
}

#[tokio::test]
async fn a_stuck_message_opens_the_outbox_alert_until_it_is_sent() {
    let app = TestApp::with_demo().await;
    let unit = langso_app::units::by_code(app.db(), "09817", langso_app::today())
        .await
        .unwrap();
    let now = OffsetDateTime::now_utc();
    let two_hours_ago = messages::millis(now) - 2 * 3_600_000;
    let message = MessageRow {
        id: Uuid::now_v7(),
        unit_id: unit.id,
        source: "announcement".to_owned(),
        source_id: None,
        channel: "sms".to_owned(),
        recipient_kind: "household".to_owned(),
        recipient_id: None,
        recipient_label: "Hộ thử".to_owned(),
        address: "84912345678".to_owned(),
        subject: "Họp thôn".to_owned(),
        body: "Họp thôn tối nay".to_owned(),
        html: None,
        template_id: None,
        template_data: None,
        idempotency_key: Uuid::now_v7().to_string(),
        status: messages::QUEUED.to_owned(),
        provider_ref: None,
        reason: None,
        attempts: 0,
        next_attempt_at: two_hours_ago,
        claimed_by: None,
        claimed_until: None,
        sent_at: None,
        delivered_at: None,
        created_at: now,
    };
    let mut tx = app.db().begin().await.unwrap();
    messages::insert_message(&mut tx, &message).await.unwrap();
    tx.commit().await.unwrap();
    for _ in 0..2 {
        check_once(app.db(), &app.state.ops, &quiet())
            .await
            .unwrap();
    }
    let found = rows(app.db(), "outbox").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].subject, "messages");
    assert!(found[0].figure.unwrap() >= 7_190, "{found:?}");
    let (_, metrics) = app.text("/metrics").await;
    assert!(
        metrics.contains("langso_alert_active{condition=\"outbox\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("langso_outbox_oldest_due_age_seconds{outbox=\"messages\"} 7"),
        "{metrics}"
    );
    let sent = "UPDATE comm_messages SET status = 'sent' WHERE id = $1";
    match app.db() {
        Db::Sqlite(pool, _) => sqlx::query(sent)
            .bind(message.id)
            .execute(pool)
            .await
            .map(|_| ()),
        Db::Postgres(pool) => sqlx::query(sent)
            .bind(message.id)
            .execute(pool)
            .await
            .map(|_| ()),
    }
    .unwrap();
    check_once(app.db(), &app.state.ops, &quiet())
        .await
        .unwrap();
    let found = rows(app.db(), "outbox").await;
    assert!(found[0].resolved_at.is_some(), "{found:?}");
}

/// A port nothing listens on (yet).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Mosquitto on `port`, killed when dropped.
struct Mosquitto(std::process::Child);

impl Drop for Mosquitto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn an_unreachable_broker_opens_an_alert_until_it_answers() {
    let Some(binary) = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
    else {
        eprintln!("SKIPPED: mosquitto is not installed");
        return;
    };
    let port = free_port();
    let app = TestApp::with_settings(Settings {
        mqtt_url: Some(format!("mqtt://127.0.0.1:{port}")),
        node_id: "node-broker-test".to_owned(),
        ..Settings::default()
    })
    .await;
    let link = app.state.ops.broker().clone();
    for _ in 0..100 {
        if link.down_since_ms().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    check_once(app.db(), &app.state.ops, &quiet())
        .await
        .unwrap();
    check_once(app.db(), &app.state.ops, &quiet())
        .await
        .unwrap();
    let found = rows(app.db(), "broker").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].subject, format!("127.0.0.1:{port}"));
    let (_, metrics) = app.text("/metrics").await;
    assert!(
        metrics.contains("langso_mqtt_broker_connected 0"),
        "{metrics}"
    );
    assert!(
        metrics.contains("langso_alert_active{condition=\"broker\"} 1"),
        "{metrics}"
    );

    let _broker = Mosquitto(
        std::process::Command::new(binary)
            .args(["-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    for _ in 0..200 {
        if link.is_connected() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(link.is_connected(), "the subscriber reached the broker");
    check_once(app.db(), &app.state.ops, &quiet())
        .await
        .unwrap();
    let found = rows(app.db(), "broker").await;
    assert_eq!(found.len(), 1);
    assert!(found[0].resolved_at.is_some(), "{found:?}");
}

#[tokio::test]
async fn a_node_that_cannot_reach_the_database_keeps_the_outage_and_records_it_after() {
    let app = TestApp::with_demo().await;
    let unreachable = Db::connect(app.test_db.url()).await.unwrap();
    unreachable.close().await;
    let board = Board::new("node-cut-off");
    check_once(&unreachable, &board, &quiet()).await.unwrap();
    check_once(&unreachable, &board, &quiet()).await.unwrap();
    let open = board.open();
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0].subject, "node-cut-off");
    assert!(rows(app.db(), "database").await.is_empty());
    check_once(app.db(), &board, &quiet()).await.unwrap();
    assert!(board.open().is_empty());
    let found = rows(app.db(), "database").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].subject, "node-cut-off");
    assert!(found[0].resolved_at.is_some());
    assert!(found[0].detail.is_some());
}

#[tokio::test]
async fn the_banner_shows_to_the_root_admin_and_not_to_a_village_head() {
    let app = TestApp::with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    check_once(app.db(), &app.state.ops, &tripping_disk(dir.path()))
        .await
        .unwrap();
    let admin = app.login("admin", langso_app::demo::DEMO_PASSWORD).await;
    let head = app
        .login("truongthon", langso_app::demo::DEMO_PASSWORD)
        .await;
    let page = |session: crate::support::Session, path: &'static str| {
        let app = &app;
        async move {
            let response = app
                .client
                .get(format!("{}{path}", app.base))
                .header("cookie", session.header())
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, seen) = page(admin.clone(), "/account").await;
    assert_eq!(status, 200);
    assert!(seen.contains("Cảnh báo vận hành hệ thống"), "{seen}");
    assert!(seen.contains(&dir.path().display().to_string()));
    assert!(!seen.contains("ops-"), "no key shown");
    assert!(!seen.contains(">disk<"), "no code shown");
    let (status, list) = page(admin, "/admin/alerts").await;
    assert_eq!(status, 200);
    assert!(list.contains(&dir.path().display().to_string()));
    let (_, seen) = page(head.clone(), "/account").await;
    assert!(!seen.contains("Cảnh báo vận hành hệ thống"));
    assert_eq!(page(head, "/admin/alerts").await.0, 404);
}

#[tokio::test]
async fn metrics_carry_the_alert_gauges() {
    let app = TestApp::with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    langso_app::ops::record_backup(
        app.db(),
        "node-a",
        langso_app::ops::MANUAL,
        &dir.path().join("langso.db"),
        Ok(()),
    )
    .await
    .unwrap();
    check_once(app.db(), &app.state.ops, &tripping_disk(dir.path()))
        .await
        .unwrap();
    let (status, metrics) = app.text("/metrics").await;
    assert_eq!(status, 200);
    for condition in ["backup", "broker", "database", "outbox", "certificate"] {
        let line = format!("langso_alert_active{{condition=\"{condition}\"}} 0");
        assert!(metrics.contains(&line), "{line} in {metrics}");
    }
    for line in [
        "langso_alert_active{condition=\"disk\"} 1",
        "langso_database_up 1",
        "langso_disk_free_bytes{path=",
        "langso_disk_free_ratio{path=",
        "langso_outbox_oldest_due_age_seconds{outbox=\"webhooks\"} 0",
        "langso_backup_last_success_timestamp_seconds ",
    ] {
        assert!(metrics.contains(line), "{line} in {metrics}");
    }
}

#[tokio::test]
async fn two_checkers_at_once_open_one_alert() {
    let app = TestApp::with_demo().await;
    // The second node has a pool of its own, as a second `langso serve` would.
    let other = Db::connect(app.test_db.url()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = tripping_disk(dir.path());
    let (a, b) = (Board::new("node-a"), Board::new("node-b"));
    for _ in 0..5 {
        let (x, y) = tokio::join!(
            check_once(app.db(), &a, &config),
            check_once(&other, &b, &config)
        );
        x.unwrap();
        y.unwrap();
    }
    let found = rows(app.db(), "disk").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(a.open().len(), 1);
    assert_eq!(b.open().len(), 1);
    other.close().await;
}
