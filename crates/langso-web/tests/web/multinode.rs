//! Two nodes on one database (two pools, two servers): a QR placement taken down on one node
//! stops redirecting on the other within the documented bound — at once on PostgreSQL (the
//! change is announced with NOTIFY and every node listens), within the public cache's lifetime
//! on SQLite (one node in production; the bound is what remains).

use std::time::{Duration, Instant};

use langso_app::cache::Lifetimes;
use langso_app::demo::DEMO_PASSWORD;
use langso_app::procedures::{self, PlaceKind};
use langso_app::{Actor, today};
use langso_store::testing::TEST_DATABASE_URL;
use langso_web::{AppState, Settings};
use tokio::sync::oneshot;

use crate::support::TestApp;

/// A second `langso serve` over the same database, through a pool of its own.
struct OtherNode {
    base: String,
    state: AppState,
    stop: oneshot::Sender<()>,
}

impl OtherNode {
    async fn start(app: &TestApp, settings: Settings) -> OtherNode {
        let db = langso_app::Db::connect(app.test_db.url()).await.unwrap();
        let state = AppState::new(db, settings);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(langso_web::serve_with(
            listener,
            langso_web::router(state.clone()),
            state.settings.connections,
            async {
                let _ = stopped.await;
            },
        ));
        OtherNode { base, state, stop }
    }

    async fn location(&self, client: &reqwest::Client, path: &str) -> String {
        let response = client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302, "GET {path}");
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.state.shutdown().await;
    }
}

#[tokio::test]
async fn a_placement_taken_down_on_one_node_is_gone_from_the_other_within_the_bound() {
    let postgres = std::env::var(TEST_DATABASE_URL).is_ok_and(|u| !u.is_empty());
    // PostgreSQL: a lifetime far longer than the test, so only the notification can clear it.
    let lifetime = Duration::from_secs(if postgres { 600 } else { 2 });
    let bound = if postgres {
        Duration::from_secs(3)
    } else {
        lifetime + Duration::from_secs(1)
    };
    let settings = Settings {
        caches: Lifetimes {
            public: lifetime,
            ..Lifetimes::default()
        },
        ..Settings::default()
    };
    let app = TestApp::with_settings(settings.clone()).await;
    let other = OtherNode::start(
        &app,
        Settings {
            demo: true,
            ..settings
        },
    )
    .await;
    let commune = langso_app::units::by_code(app.db(), "09817", today())
        .await
        .unwrap();
    let placement = procedures::placements_under(app.db(), &Actor::system("t"), commune.id)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.active && p.kind == PlaceKind::AlleyEntrance && p.procedures.len() == 1)
        .unwrap();
    let scan = format!("/q/{}", placement.token);
    let guide = format!("/thu-tuc/{}", placement.procedures[0]);
    // Both nodes have the placement in memory.
    assert_eq!(app.get(&scan).await.status(), 302);
    assert_eq!(other.location(&app.client, &scan).await, guide);

    // Taken down through the first node's API.
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let response = app
        .client
        .patch(format!("{}/api/v1/placements/{}", app.base, placement.id))
        .header("cookie", officer.header())
        .header("x-csrf-token", &officer.csrf)
        .json(&serde_json::json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let taken_down = Instant::now();

    let mut gone = None;
    while taken_down.elapsed() < bound + Duration::from_secs(5) {
        if other.location(&app.client, &scan).await == "/thu-tuc" {
            gone = Some(taken_down.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let gone = gone.expect("the other node stopped redirecting to the guide");
    assert!(gone <= bound, "gone after {gone:?}, bound {bound:?}");
    other.stop().await;
    assert!(app.shutdown().await);
}
