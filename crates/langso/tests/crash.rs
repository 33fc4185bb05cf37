//! The crash test and the dropped-connection test, against the built `langso` binary serving
//! a real database (SQLite, or PostgreSQL with LANGSO_TEST_DATABASE_URL):
//! - devices send heartbeats; the server is killed with SIGKILL mid-ingest; after a restart
//!   every acknowledged heartbeat is in the database;
//! - devices that disconnect mid-request leave nothing locked: the server keeps answering.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Spawned servers are waited for by `Server`'s Drop (and a panic ends the test anyway).
#![allow(clippy::zombie_processes)]

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use langso_app::assets::{self as assets, AssetFilter};
use langso_app::auth::{NewToken, create_token};
use langso_app::progress::NoProgress;
use langso_app::{Actor, demo, today};
use langso_domain::auth::Role;
use langso_store::testing::TestDb;
use serde_json::json;
use tokio::io::AsyncWriteExt;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn serve(url: &str) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_langso"))
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            url,
        ])
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the langso binary");
    let base = format!("http://127.0.0.1:{port}");
    let client = {
        langso_app::outbound::install_tls_provider();
        reqwest::Client::new()
    };
    for _ in 0..400 {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status() == 200
        {
            return Server { child, base };
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

/// A demo database, `count` cameras and a gateway device token for them.
async fn setup(count: usize) -> (TestDb, Vec<(uuid::Uuid, String)>, String) {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    let hanoi = langso_app::units::by_code(&test.db, "01", today())
        .await
        .unwrap();
    let filter = AssetFilter {
        kind: Some("camera".into()),
        ..Default::default()
    };
    let cameras: Vec<_> =
        assets::assets_under(&test.db, &Actor::system("t"), hanoi.id, &filter, 1000)
            .await
            .unwrap()
            .into_iter()
            .take(count)
            .map(|a| (a.id, a.code))
            .collect();
    assert_eq!(cameras.len(), count);
    let token = NewToken {
        name: "gateway".into(),
        kind: "device".into(),
        role: Role::Viewer,
        unit_id: hanoi.id,
        subject: None,
        expires_at: None,
    };
    let (_, secret) = create_token(&test.db, &Actor::system("t"), &token)
        .await
        .unwrap();
    (test, cameras, secret)
}

async fn stored(test: &TestDb, asset: uuid::Uuid) -> i64 {
    assets::asset(&test.db, &Actor::system("t"), asset)
        .await
        .unwrap()
        .state
        .map_or(0, |s| s.heartbeats)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_heartbeat_survives_kill_9() {
    let (test, cameras, token) = setup(12).await;
    let before: Vec<i64> = {
        let mut v = Vec::new();
        for (id, _) in &cameras {
            v.push(stored(&test, *id).await);
        }
        v
    };
    let server = serve(test.url()).await;
    let acked: Arc<Vec<AtomicI64>> = Arc::new(cameras.iter().map(|_| AtomicI64::new(0)).collect());
    let mut clients = Vec::new();
    for (i, (_, code)) in cameras.iter().enumerate() {
        let (base, token, code, acked) = (
            server.base.clone(),
            token.clone(),
            code.clone(),
            acked.clone(),
        );
        clients.push(tokio::spawn(async move {
            let client = {
                langso_app::outbound::install_tls_provider();
                reqwest::Client::new()
            };
            for _ in 0..5_000 {
                let sent = client
                    .post(format!("{base}/api/v1/telemetry"))
                    .bearer_auth(&token)
                    .json(&json!({"readings": [{"asset": code, "battery": 70}]}))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == 200 => {
                        acked[i].fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
        }));
    }
    // Kill -9 once a few hundred heartbeats were acknowledged, while the clients keep sending.
    for _ in 0..1_200 {
        if acked.iter().map(|a| a.load(Ordering::SeqCst)).sum::<i64>() >= 300 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let mut server = server;
    server.child.kill().unwrap(); // SIGKILL on Unix
    server.child.wait().unwrap();
    for c in clients {
        c.await.unwrap();
    }
    let total: i64 = acked.iter().map(|a| a.load(Ordering::SeqCst)).sum();
    assert!(total >= 300, "only {total} acknowledged before the kill");

    // Restart on the same database: every acknowledged heartbeat is there.
    let restarted = serve(test.url()).await;
    for (i, (id, code)) in cameras.iter().enumerate() {
        let have = stored(&test, *id).await - before[i];
        let want = acked[i].load(Ordering::SeqCst);
        assert!(have >= want, "{code}: {want} acknowledged, {have} stored");
    }
    let again = {
        langso_app::outbound::install_tls_provider();
        reqwest::Client::new()
    }
    .post(format!("{}/api/v1/telemetry", restarted.base))
    .bearer_auth(&token)
    .json(&json!({"readings": [{"asset": cameras[0].1}]}))
    .send()
    .await
    .unwrap();
    assert_eq!(again.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_connections_leave_nothing_locked() {
    let (test, cameras, token) = setup(4).await;
    let server = serve(test.url()).await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let body = json!({"readings": [{"asset": cameras[0].1}]}).to_string();
    // 50 devices send headers and half a body, then vanish; 50 send a whole request and
    // vanish before the answer.
    let mut vanishing = Vec::new();
    for i in 0..100 {
        let (addr, token, body) = (addr.clone(), token.clone(), body.clone());
        vanishing.push(tokio::spawn(async move {
            let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
            let head = format!(
                "POST /api/v1/telemetry HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await.unwrap();
            let part = if i % 2 == 0 { &body[..body.len() / 2] } else { &body[..] };
            stream.write_all(part.as_bytes()).await.unwrap();
            drop(stream);
        }));
    }
    for v in vanishing {
        v.await.unwrap();
    }
    // The others are answered, every one of them, and their heartbeats are stored.
    let client = {
        langso_app::outbound::install_tls_provider();
        reqwest::Client::new()
    };
    let before = stored(&test, cameras[1].0).await;
    let mut ok = 0;
    for _ in 0..200 {
        let r = client
            .post(format!("{}/api/v1/telemetry", server.base))
            .bearer_auth(&token)
            .json(&json!({"readings": [{"asset": cameras[1].1}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        ok += 1;
    }
    assert_eq!(stored(&test, cameras[1].0).await - before, ok);
    let health = client
        .get(format!("{}/readyz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulated_devices_report_and_silent_ones_raise_one_alarm_each() {
    let (test, _, _) = setup(1).await;
    let village = langso_app::units::by_code(&test.db, "09805-T01", today())
        .await
        .unwrap();
    // Twelve cameras reporting every second; their codes sort first, so the simulator takes them.
    let mut ids = Vec::new();
    for i in 0..12 {
        let input = assets::AssetInput {
            code: format!("00SIM-{i:02}"),
            unit_id: Some(village.id),
            kind: "camera".into(),
            name: "Camera mô phỏng".into(),
            place_type: "alley".into(),
            funding: "state_budget".into(),
            heartbeat_seconds: Some(1),
            ..Default::default()
        };
        ids.push(
            assets::create_asset(&test.db, &Actor::system("t"), &input)
                .await
                .unwrap()
                .id,
        );
    }
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_langso"))
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            test.url(),
            "--offline-check",
            "1",
        ])
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    langso_app::outbound::install_tls_provider();
    for _ in 0..400 {
        if reqwest::get(format!("{}/healthz", server.base))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let status = Command::new(env!("CARGO_BIN_EXE_langso"))
        .args([
            "simulate",
            "devices",
            "--count",
            "12",
            "--interval",
            "1",
            "--rounds",
            "2",
            "--silent",
            "0.25",
            "--failing",
            "0",
            "--server",
            &server.base,
            "--database-url",
            test.url(),
        ])
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&status.stdout).to_string();
    assert!(status.status.success(), "{printed}");
    // Every fourth device spoke once and fell silent; the others spoke twice.
    let silent: Vec<usize> = (0..12).filter(|i| (i + 1) % 4 == 0).collect();
    for (i, id) in ids.iter().enumerate() {
        let want = if silent.contains(&i) { 1 } else { 2 };
        assert_eq!(stored(&test, *id).await, want, "device {i}: {printed}");
    }
    // The detector (every second) raises exactly one offline alarm per silent device.
    let mut alarms = Vec::new();
    for _ in 0..200 {
        alarms = Vec::new();
        for i in &silent {
            let view = assets::asset(&test.db, &Actor::system("t"), ids[*i])
                .await
                .unwrap();
            alarms.push(view.alarms.iter().filter(|a| a.kind == "offline").count());
        }
        if alarms.iter().all(|n| *n >= 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(2500)).await; // more detector runs change nothing
    for i in &silent {
        let view = assets::asset(&test.db, &Actor::system("t"), ids[*i])
            .await
            .unwrap();
        let offline: Vec<_> = view.alarms.iter().filter(|a| a.kind == "offline").collect();
        assert_eq!(offline.len(), 1, "device {i}: {alarms:?}");
        assert!(offline[0].open);
    }
    drop(server);
}
