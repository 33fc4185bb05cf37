//! `POST /api/v1/telemetry` at its limits over real HTTP: the same clock rules as MQTT, a
//! batch applied in the order measured, and a property test over generated bodies (valid,
//! invalid and junk): 200 with every reading stored, or a 4xx with nothing stored, never a 5xx.
//! `PROPTEST_CASES` sets the number of generated bodies (64 by default).

use langso_app::Actor;
use langso_app::assets;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::support::TestApp;

/// A camera and a device token bound to it.
async fn device(app: &TestApp, code: &str) -> (uuid::Uuid, String) {
    let id = crate::telemetry::camera(app, "09805-T01", code).await;
    let token = crate::telemetry::device_token(app, "09805-T01", Some(code)).await;
    (id, token)
}

async fn post(app: &TestApp, token: &str, body: Vec<u8>) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/api/v1/telemetry", app.base))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn heartbeats(app: &TestApp, id: uuid::Uuid) -> i64 {
    assets::asset(app.db(), &Actor::system("test"), id)
        .await
        .unwrap()
        .state
        .map_or(0, |s| s.heartbeats)
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap()
}

#[tokio::test]
async fn readings_are_timed_by_the_device_within_bounds() {
    let app = TestApp::with_demo().await;
    let (cam, token) = device(&app, "HTTP-CLOCK").await;
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let body = |readings: Value| json!({ "readings": readings }).to_string().into_bytes();

    // Far ahead or far behind: refused, naming the reading and the field; nothing stored.
    for at in [
        now + time::Duration::minutes(10),
        now - time::Duration::days(31),
    ] {
        let (status, answer) = post(
            &app,
            &token,
            body(json!([{"battery": 5}, {"at": rfc3339(at)}])),
        )
        .await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["errors"][0]["row"], 2, "{answer}");
        assert_eq!(answer["errors"][0]["field"], "at", "{answer}");
    }
    assert_eq!(heartbeats(&app, cam).await, 0);

    // A batch sent newest first is applied in the order measured: both changes are recorded
    // and the device ends in its latest state, at its own time.
    let (t1, t2) = (
        now - time::Duration::minutes(3),
        now + time::Duration::minutes(4),
    );
    let (status, answer) = post(
        &app,
        &token,
        body(json!([{"at": rfc3339(t2), "fault": "E2"}, {"at": rfc3339(t1)}])),
    )
    .await;
    assert_eq!(
        (status, answer["stored"].as_i64()),
        (200, Some(2)),
        "{answer}"
    );
    let view = assets::asset(app.db(), &Actor::system("test"), cam)
        .await
        .unwrap();
    let state = view.state.unwrap();
    assert_eq!(
        (state.fault.as_deref(), state.last_seen_at),
        (Some("E2"), t2)
    );
    let changes: Vec<_> = view
        .changes
        .iter()
        .map(|c| (c.at, c.new_status.as_str()))
        .collect();
    assert_eq!(changes, vec![(t2, "fault:E2"), (t1, "ok")]);
    assert!(app.shutdown().await);
}

/// One generated reading and whether the server must accept it.
#[derive(Debug, Clone)]
struct Generated {
    json: Value,
    valid: bool,
}

fn reading(now: OffsetDateTime) -> impl Strategy<Value = Generated> {
    (
        prop_oneof![
            Just(""),
            Just("HTTP-PROP"),
            Just("http-prop "),
            Just("NOPE-1"),
            Just("x")
        ],
        // Minutes from now; those near the edges of the window are left out (the server's
        // clock moves on while the test runs).
        proptest::option::of(prop_oneof![
            -60_000i64..-43_205,
            -43_190i64..4,
            6i64..100_000
        ]),
        proptest::option::of(-5i64..110),
        proptest::option::of(prop_oneof!["[ -~]{0,40}", ".{0,10}"]),
        proptest::option::of(-5i64..100_010),
        any::<bool>(),
    )
        .prop_map(move |(asset, minutes, battery, fault, clients, online)| {
            let mut valid = matches!(asset, "" | "HTTP-PROP" | "http-prop ");
            let mut json = json!({"online": online});
            if !asset.is_empty() {
                json["asset"] = json!(asset);
            }
            if let Some(m) = minutes {
                valid &= (-43_200..=5).contains(&m);
                json["at"] = json!(rfc3339(now + time::Duration::minutes(m)));
            }
            if let Some(b) = battery {
                valid &= (0..=100).contains(&b);
                json["battery"] = json!(b);
            }
            if let Some(f) = &fault {
                let t = f.trim();
                valid &= t.is_empty() || (t.len() <= 32 && t.bytes().all(|b| b.is_ascii_graphic()));
                json["fault"] = json!(f);
            }
            if let Some(c) = clients {
                valid &= (0..=100_000).contains(&c);
                json["clients"] = json!(c);
            }
            Generated { json, valid }
        })
}

#[derive(Debug, Clone)]
enum Body {
    Readings(Vec<Generated>),
    TooMany(usize),
    Junk(Vec<u8>),
}

#[test]
fn generated_bodies_are_stored_whole_or_refused_whole() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (app, cam, token) = runtime.block_on(async {
        let app = TestApp::with_demo().await;
        let (cam, token) = device(&app, "HTTP-PROP").await;
        (app, cam, token)
    });
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let now = OffsetDateTime::now_utc();
    let strategy = prop_oneof![
        6 => proptest::collection::vec(reading(now), 0..6).prop_map(Body::Readings),
        1 => (501usize..520).prop_map(Body::TooMany),
        2 => proptest::collection::vec(any::<u8>(), 0..200).prop_map(Body::Junk),
        1 => "[\\[\\]{}\":,0-9a-z ]{0,60}".prop_map(|s| Body::Junk(s.into_bytes())),
    ];
    let outcome = runner.run(&strategy, |body| {
        runtime.block_on(async {
            let before = heartbeats(&app, cam).await;
            let (bytes, expected) = match &body {
                Body::Readings(list) => {
                    let readings: Vec<Value> = list.iter().map(|g| g.json.clone()).collect();
                    let valid = list.iter().all(|g| g.valid);
                    let bytes = json!({ "readings": readings }).to_string().into_bytes();
                    (bytes, valid.then_some(list.len()))
                }
                Body::TooMany(n) => {
                    let readings = vec![json!({}); *n];
                    (
                        json!({ "readings": readings }).to_string().into_bytes(),
                        None,
                    )
                }
                Body::Junk(bytes) => (bytes.clone(), None),
            };
            let (status, answer) = post(&app, &token, bytes).await;
            let after = heartbeats(&app, cam).await;
            let junk = matches!(body, Body::Junk(_));
            match expected {
                // Junk may happen to be a valid (empty) batch.
                None if junk && status == 200 => {
                    let stored = answer["stored"].as_i64().unwrap_or(-1);
                    prop_assert_eq!(after, before + stored);
                }
                Some(n) => {
                    prop_assert_eq!(status, 200, "{}", answer);
                    prop_assert_eq!(answer["stored"].as_u64(), Some(n as u64));
                    prop_assert_eq!(after, before + n as i64);
                }
                None => {
                    prop_assert!((400..500).contains(&status), "{} {}", status, answer);
                    prop_assert_eq!(after, before, "nothing stored on refusal");
                }
            }
            Ok(())
        })
    });
    runtime.block_on(async {
        assert!(app.shutdown().await);
    });
    if let Err(error) = outcome {
        panic!("{error}");
    }
}
