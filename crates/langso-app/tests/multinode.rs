//! Two nodes on one database: two pools (as two `langso serve` processes would open), each
//! with its own visit writer or delivery worker. Concurrent visits to the same households
//! leave every village counter equal to the sum of the households' values, a slow webhook
//! receiver gets each message once, and two offline detectors raise one alarm per device without
//! waiting for each other's locks. SQLite (two pools on one file) by default, PostgreSQL when
//! LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use langso_app::auth::Grant;
use langso_app::comms::{self, DeliveryWorker, NewAnnouncement, NewWebhook, WorkerConfig};
use langso_app::households::{self, HouseholdInput, VisitInput, VisitWriter};
use langso_app::progress::NoProgress;
use langso_app::{Actor, Db, demo, today};
use langso_domain::auth::Role;
use langso_store::testing::TestDb;
use uuid::Uuid;

const HOUSEHOLDS: usize = 4;
const VISITS: usize = 2_000;
const INDICATORS: [&str; 4] = ["vneid_1", "vneid_2", "vssid", "smartphones"];

/// The same database opened a second time, as another node would.
async fn second_node(test: &TestDb) -> Db {
    Db::connect(test.url()).await.unwrap()
}

#[tokio::test]
async fn two_nodes_visiting_the_same_households_keep_counters_equal_to_values() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::seed_before_2025(db, &NoProgress).await.unwrap();
    langso_app::units::reorganise(
        db,
        &Actor::system("test"),
        &demo::plan_2025().unwrap(),
        false,
    )
    .await
    .unwrap();
    households::ensure_catalogue(db).await.unwrap();
    let commune = langso_app::units::by_code(db, "09817", today())
        .await
        .unwrap();
    let mut villages = Vec::new();
    for code in ["09817-T01", "09817-T02"] {
        villages.push(
            langso_app::units::by_code(db, code, today())
                .await
                .unwrap()
                .id,
        );
    }
    let officer = Actor::new(
        None,
        "can.bo.xa".to_owned(),
        vec![Grant {
            role: Role::Officer,
            unit_id: commune.id,
            unit_name: commune.name,
        }],
        false,
    );
    let mut ids = Vec::new();
    for n in 0..HOUSEHOLDS {
        let view = households::create_household(
            db,
            &officer,
            &HouseholdInput {
                unit_id: Some(villages[n % 2]),
                code: format!("MN-{n}"),
                head_name: format!("Trần Thị {n}"),
                members: 5,
                adults: 3,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        ids.push(view.row.id);
    }

    let other = second_node(&test).await;
    let pools = [db.clone(), other];
    let writers = [
        VisitWriter::start(pools[0].clone()),
        VisitWriter::start(pools[1].clone()),
    ];
    // Transactions of their own at once per node: fewer than its pool's connections, as a
    // node's requests would be.
    let in_flight = [
        Arc::new(tokio::sync::Semaphore::new(6)),
        Arc::new(tokio::sync::Semaphore::new(6)),
    ];
    let mut tasks = Vec::new();
    for v in 0..VISITS {
        let household = ids[v % HOUSEHOLDS];
        // Values that change at almost every visit, so each visit's delta matters.
        let values = INDICATORS
            .iter()
            .enumerate()
            .map(|(k, code)| ((*code).to_owned(), ((v / HOUSEHOLDS + k * v) % 4) as i64))
            .collect::<std::collections::BTreeMap<String, i64>>();
        // Values that can be true: VNeID level 2 never above level 1.
        let level1 = values["vneid_1"];
        let values = values
            .into_iter()
            .map(|(code, n)| match code.as_str() {
                "vneid_2" => (code, n.min(level1)),
                _ => (code, n),
            })
            .collect();
        let input = VisitInput {
            id: Some(Uuid::now_v7()),
            values,
            ..Default::default()
        };
        // Through each node's group-commit writer, and (as the CLI and the demo do) in a
        // transaction per visit on each node's pool: many small transactions at once.
        let (writer, officer) = (writers[v % 2].clone(), officer.clone());
        let (pool, turns) = (pools[v % 2].clone(), in_flight[v % 2].clone());
        tasks.push(tokio::spawn(async move {
            if v % 4 < 2 {
                writer.record(&officer, household, &input).await
            } else {
                let _turn = turns.acquire_owned().await.unwrap();
                households::record_visit(&pool, &officer, household, &input).await
            }
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let both: u64 = writers.iter().map(|w| w.counters().0).sum();
    assert_eq!(both as usize, VISITS / 2);
    for writer in &writers {
        assert!(writer.counters().0 > 0, "both nodes wrote visits");
        writer.shutdown().await;
    }

    let mut values: BTreeMap<(Uuid, String), i64> = BTreeMap::new();
    for (n, &household) in ids.iter().enumerate() {
        for (code, value) in langso_store::households::household_values(db, household)
            .await
            .unwrap()
        {
            *values.entry((villages[n % 2], code)).or_default() += value;
        }
    }
    let mut visits = 0;
    for &village in &villages {
        let counters: BTreeMap<String, i64> =
            langso_store::households::counters_under(db, village, today())
                .await
                .unwrap()
                .into_iter()
                .collect();
        for code in INDICATORS {
            let sum = values
                .get(&(village, code.to_owned()))
                .copied()
                .unwrap_or(0);
            assert_eq!(
                counters.get(&format!("ind:{code}")).copied().unwrap_or(0),
                sum,
                "counter ind:{code} of village {village} equals its households' values"
            );
        }
        assert_eq!(counters.get("visited"), Some(&((HOUSEHOLDS / 2) as i64)));
        visits += counters.get("visits").copied().unwrap_or(0);
    }
    assert_eq!(visits as usize, VISITS);
}

/// A webhook receiver that takes `delay` over each request and logs its idempotency key.
#[derive(Clone)]
struct SlowReceiver {
    log: Arc<Mutex<Vec<String>>>,
    delay: Duration,
}

async fn receive(State(r): State<SlowReceiver>, headers: HeaderMap) -> StatusCode {
    tokio::time::sleep(r.delay).await;
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    r.log.lock().unwrap().push(key);
    StatusCode::OK
}

async fn start_receiver(delay: Duration) -> (String, SlowReceiver) {
    let receiver = SlowReceiver {
        log: Arc::default(),
        delay,
    };
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(receiver.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, receiver)
}

#[tokio::test]
async fn a_slow_receiver_gets_each_message_once_from_two_nodes() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    // 150 ms a message: a batch of 20 takes 3 s, three times the lease below, which is how a
    // lease per batch let the other node send the last messages again.
    let (url, receiver) = start_receiver(Duration::from_millis(150)).await;
    let commune = langso_app::units::by_code(db, "09817", today())
        .await
        .unwrap()
        .id;
    let op = Actor::system("test");
    comms::create_webhook(
        db,
        &op,
        &NewWebhook {
            unit_id: Some(commune),
            name: "Cổng chậm".into(),
            url,
            secret: "khóa thử của cổng chậm".into(),
        },
    )
    .await
    .unwrap();
    for n in 0..20 {
        comms::create_announcement(
            db,
            &op,
            &NewAnnouncement {
                unit_id: Some(commune),
                title: format!("Thông báo {n}"),
                body: "Nội dung".into(),
                category: "event".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let config = |worker: &str| WorkerConfig {
        worker_id: worker.to_owned(),
        poll: Duration::from_millis(20),
        lease: Duration::from_secs(1),
        timeout: Duration::from_millis(500),
        batch: 20,
        backoff_unit: Duration::from_millis(5),
    };
    let other = second_node(&test).await;
    let first = DeliveryWorker::start(db.clone(), config("node-a"));
    let second = DeliveryWorker::start(other.clone(), config("node-b"));
    let mut settled = false;
    for _ in 0..1_500 {
        let counts: BTreeMap<String, i64> = langso_store::comms::outbox_counts(db)
            .await
            .unwrap()
            .into_iter()
            .collect();
        if !counts.contains_key("pending") && !counts.contains_key("sending") {
            settled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Any late resend would arrive within a lease or two.
    tokio::time::sleep(Duration::from_secs(2)).await;
    first.shutdown().await;
    second.shutdown().await;
    assert!(settled, "the outbox settled");
    let log = receiver.log.lock().unwrap().clone();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for key in &log {
        *seen.entry(key.clone()).or_default() += 1;
    }
    assert_eq!(seen.len(), 20);
    assert!(seen.values().all(|n| *n == 1), "{seen:?}");
    assert_eq!(log.len(), 20, "20 deliveries for 20 messages");
}

#[tokio::test]
async fn two_offline_detectors_share_the_due_devices_without_waiting_for_each_other() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let other = second_node(&test).await;
    let later = time::OffsetDateTime::now_utc() + time::Duration::days(1);
    let due = langso_store::assets::due_silent(db, later, 100_000)
        .await
        .unwrap();
    assert!(due.len() > 2, "the demo has devices to fall silent");
    let postgres =
        std::env::var(langso_store::testing::TEST_DATABASE_URL).is_ok_and(|u| !u.is_empty());
    let mut declared = 0;
    if postgres {
        // One node's detector is in the middle of its batch and holds the first device.
        let mut held = db.begin().await.unwrap();
        langso_store::assets::states_of(&mut held, &[due[0].0])
            .await
            .unwrap();
        // The other node's detector does not wait for it: it declares every other device.
        declared += tokio::time::timeout(
            Duration::from_secs(20),
            langso_app::assets::detect_silent(&other, later),
        )
        .await
        .expect("the detector skipped the locked device instead of waiting for it")
        .unwrap();
        assert_eq!(declared, due.len() - 1);
        drop(held);
    }
    // Both detectors at once: each device declared by one of them.
    let (a, b) = tokio::join!(
        langso_app::assets::detect_silent(db, later),
        langso_app::assets::detect_silent(&other, later)
    );
    declared += a.unwrap() + b.unwrap();
    assert_eq!(declared, due.len());
    let root = langso_app::units::by_code(db, "01", today())
        .await
        .unwrap()
        .id;
    let mut offline: BTreeMap<Uuid, usize> = BTreeMap::new();
    for alarm in langso_store::assets::alarms_under(db, root, today(), true, 100_000)
        .await
        .unwrap()
    {
        if alarm.kind == "offline" {
            *offline.entry(alarm.asset_id).or_default() += 1;
        }
    }
    for (asset, _) in &due {
        assert_eq!(
            offline.get(asset),
            Some(&1),
            "one offline alarm for {asset}"
        );
    }
}
