//! MQTT ingest against a real Mosquitto (started by each test on a free port, skipped with a
//! message when not installed): oversize messages do not stop ingest, messages published while
//! the node is away arrive after it restarts, each device's messages apply in its order,
//! clocks far ahead are refused, and two nodes share the subscription so each message is
//! applied once.

use std::time::Duration;

use langso_app::Actor;
use langso_app::assets::{self as assets, AssetView};
use langso_domain::assets::{MAX_PAYLOAD_BYTES, MAX_READINGS};
use langso_web::{AppState, Settings};
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::sync::mpsc;

use crate::support::TestApp;

/// Mosquitto on a free port, killed when dropped.
pub struct Broker {
    child: std::process::Child,
    pub port: u16,
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Broker {
    /// A broker, or None (with a message) when Mosquitto is not installed.
    pub async fn start() -> Option<Broker> {
        let binary = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists());
        let Some(binary) = binary else {
            eprintln!("SKIPPED: mosquitto is not installed (apt-get install mosquitto)");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new(binary)
            .args(["-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Some(Broker { child, port })
    }

    fn settings(&self, node: &str) -> Settings {
        Settings {
            mqtt_url: Some(format!("mqtt://127.0.0.1:{}", self.port)),
            node_id: node.to_owned(),
            ..Settings::default()
        }
    }
}

/// A device-side client whose every publish waits for the broker's acknowledgement.
struct Publisher {
    client: AsyncClient,
    acks: mpsc::UnboundedReceiver<()>,
    driver: tokio::task::JoinHandle<()>,
}

impl Publisher {
    fn new(port: u16) -> Publisher {
        let mut options = MqttOptions::new(format!("test-device-{port}"), "127.0.0.1", port);
        options.set_keep_alive(Duration::from_secs(30));
        options.set_max_packet_size(16 << 20, 16 << 20);
        let (client, mut eventloop) = AsyncClient::new(options, 64);
        let (sender, acks) = mpsc::unbounded_channel();
        let driver = tokio::spawn(async move {
            loop {
                match eventloop.poll().await {
                    Ok(Event::Incoming(Packet::PubAck(_))) => {
                        let _ = sender.send(());
                    }
                    Ok(_) => {}
                    Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            }
        });
        Publisher {
            client,
            acks,
            driver,
        }
    }

    async fn publish(&mut self, topic: &str, payload: impl Into<Vec<u8>>) {
        self.client
            .publish(topic, QoS::AtLeastOnce, false, payload.into())
            .await
            .unwrap();
        let acked = tokio::time::timeout(Duration::from_secs(60), self.acks.recv()).await;
        assert!(
            matches!(acked, Ok(Some(()))),
            "the broker acknowledged the message"
        );
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

async fn camera(app: &TestApp, code: &str) -> uuid::Uuid {
    crate::telemetry::camera(app, "09805-T01", code).await
}

fn topic(code: &str) -> String {
    format!("langso/09805-T01/{code}/status")
}

async fn view(db: &langso_app::Db, id: uuid::Uuid) -> AssetView {
    assets::asset(db, &Actor::system("test"), id).await.unwrap()
}

fn fault(view: &AssetView) -> Option<String> {
    view.state.as_ref().and_then(|s| s.fault.clone())
}

fn heartbeats(view: &AssetView) -> i64 {
    view.state.as_ref().map_or(0, |s| s.heartbeats)
}

/// Polls until the device reports `wanted` as its fault (bounded; the caller asserts after).
async fn wait_for_fault(db: &langso_app::Db, id: uuid::Uuid, wanted: &str) -> AssetView {
    for _ in 0..600 {
        let v = view(db, id).await;
        if fault(&v).as_deref() == Some(wanted) {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    view(db, id).await
}

/// Publishes to a warm-up device until the subscriber (which connects on its own) has stored
/// something, so that later messages find its subscription.
async fn warm_up(app: &TestApp, publisher: &mut Publisher) {
    let warm = camera(app, "MQTT-WARM").await;
    for _ in 0..100 {
        publisher.publish(&topic("MQTT-WARM"), "{}").await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        if heartbeats(&view(app.db(), warm).await) > 0 {
            return;
        }
    }
    panic!("the subscriber never stored a reading");
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap()
}

#[tokio::test]
async fn messages_over_any_limit_are_refused_and_ingest_goes_on() {
    let Some(broker) = Broker::start().await else {
        return;
    };
    let app = TestApp::with_settings(broker.settings("node-size")).await;
    let cam = camera(&app, "MQTT-BIG").await;
    let mut publisher = Publisher::new(broker.port);
    warm_up(&app, &mut publisher).await;
    let t = topic("MQTT-BIG");

    // The case: a valid batch of 100 readings is over rumqttc's default 10 KiB.
    let now = OffsetDateTime::now_utc();
    let hundred: Vec<Value> = (0..100)
        .map(|i| {
            json!({"asset": "MQTT-BIG", "at": rfc3339(now - time::Duration::seconds(1000 - i)),
                "online": true, "battery": 50, "lamp_on": true, "clients": 1234, "fault": format!("E{i}")})
        })
        .collect();
    let hundred = json!({ "readings": hundred }).to_string();
    assert!(hundred.len() > 10 * 1024);
    publisher.publish(&t, hundred).await;
    // The largest valid message: 500 readings, every field long, indented.
    let largest: Vec<Value> = (0..MAX_READINGS)
        .map(|i| {
            json!({"asset": "MQTT-BIG", "at": rfc3339(now - time::Duration::seconds(900 - i as i64 / 2)),
                "online": true, "battery": 100, "lamp_on": false, "clients": 100_000,
                "fault": format!("{:F<32}", i)})
        })
        .collect();
    let largest = serde_json::to_string_pretty(&json!({ "readings": largest })).unwrap();
    assert!(largest.len() > 64 * 1024 && largest.len() <= MAX_PAYLOAD_BYTES);
    publisher.publish(&t, largest).await;
    // Just over the limit, then far over it: each followed by a valid reading that is stored.
    let mut just_over = json!({"readings": [{"fault": "OVER"}]}).to_string();
    just_over.insert_str(1, &" ".repeat(MAX_PAYLOAD_BYTES + 1 - just_over.len()));
    assert_eq!(just_over.len(), MAX_PAYLOAD_BYTES + 1);
    publisher.publish(&t, just_over).await;
    publisher
        .publish(&t, json!({"fault": "AFTER-1"}).to_string())
        .await;
    let mut far_over = json!({"fault": "FAR"}).to_string();
    far_over.insert_str(1, &" ".repeat(5 << 20));
    publisher.publish(&t, far_over).await;
    publisher
        .publish(&t, json!({"fault": "AFTER-2"}).to_string())
        .await;

    let v = wait_for_fault(app.db(), cam, "AFTER-2").await;
    assert_eq!(fault(&v).as_deref(), Some("AFTER-2"), "ingest went on");
    assert_eq!(
        heartbeats(&v),
        100 + 500 + 2,
        "both valid batches stored, both oversize messages refused"
    );
    assert!(v.alarms.iter().any(|a| a.code == "AFTER-1"));
    assert!(!v.alarms.iter().any(|a| a.code == "OVER" || a.code == "FAR"));
    assert!(app.shutdown().await);
}

#[tokio::test]
async fn messages_published_while_the_node_restarts_are_delivered_after() {
    let Some(broker) = Broker::start().await else {
        return;
    };
    let app = TestApp::with_settings(broker.settings("node-a")).await;
    let cam = camera(&app, "MQTT-AWAY").await;
    let mut publisher = Publisher::new(broker.port);
    warm_up(&app, &mut publisher).await;

    // The node stops (its subscriber and its connection end) ...
    let tasks: Vec<_> = app.state.background.lock().unwrap().drain(..).collect();
    for task in tasks {
        task.abort();
        let _ = task.await;
    }
    // ... a device publishes (the broker acknowledges: it holds the message for the node) ...
    publisher
        .publish(
            &topic("MQTT-AWAY"),
            json!({"fault": "WHILE-AWAY"}).to_string(),
        )
        .await;
    assert_eq!(heartbeats(&view(app.db(), cam).await), 0);
    // ... and the node starts again under the same name: the message is stored.
    let again = AppState::new(app.db().clone(), broker.settings("node-a"));
    let v = wait_for_fault(app.db(), cam, "WHILE-AWAY").await;
    assert_eq!(fault(&v).as_deref(), Some("WHILE-AWAY"));
    assert_eq!(heartbeats(&v), 1);
    again.shutdown().await;
    assert!(app.shutdown().await);
}

#[tokio::test]
async fn each_device_ends_in_the_state_it_last_reported() {
    let Some(broker) = Broker::start().await else {
        return;
    };
    let app = TestApp::with_settings(broker.settings("node-order")).await;
    let mut ids = Vec::new();
    for d in 0..10 {
        ids.push(camera(&app, &format!("MQTT-ORD-{d}")).await);
    }
    let mut publisher = Publisher::new(broker.port);
    warm_up(&app, &mut publisher).await;

    // The case: 50 alternating fault/ok messages for 10 devices, without times (each
    // counts at its arrival), the last one of each device a fault.
    for round in 0..5 {
        for d in 0..10 {
            let body = if round % 2 == 0 {
                json!({"fault": format!("E{round}")})
            } else {
                json!({"fault": null})
            };
            publisher
                .publish(&topic(&format!("MQTT-ORD-{d}")), body.to_string())
                .await;
        }
    }
    for &id in &ids {
        let v = wait_for_fault(app.db(), id, "E4").await;
        assert_eq!(fault(&v).as_deref(), Some("E4"), "ends as last reported");
        assert_eq!(heartbeats(&v), 5);
        assert_eq!(v.changes.len(), 5, "every status change recorded");
    }

    // With the devices' own times (ahead of ours, within the tolerance): kept as sent. A time
    // far ahead is refused; the next reading is applied.
    let base = (OffsetDateTime::now_utc() + time::Duration::minutes(2))
        .replace_nanosecond(0)
        .unwrap();
    for k in 0..4i64 {
        for d in 0..10 {
            let at = rfc3339(base + time::Duration::seconds(k));
            let body = if k % 2 == 0 {
                json!({"at": at})
            } else {
                json!({"at": at, "fault": "LATE"})
            };
            publisher
                .publish(&topic(&format!("MQTT-ORD-{d}")), body.to_string())
                .await;
        }
    }
    let far = rfc3339(OffsetDateTime::now_utc() + time::Duration::minutes(10));
    let last = base + time::Duration::seconds(10);
    for d in 0..10 {
        let t = topic(&format!("MQTT-ORD-{d}"));
        publisher
            .publish(&t, json!({"at": far, "fault": "FUTURE"}).to_string())
            .await;
        publisher
            .publish(&t, json!({"at": rfc3339(last), "fault": "END"}).to_string())
            .await;
    }
    for &id in &ids {
        let v = wait_for_fault(app.db(), id, "END").await;
        let state = v.state.clone().unwrap();
        assert_eq!(state.fault.as_deref(), Some("END"));
        assert_eq!(state.last_seen_at, last, "the device's own time");
        assert_eq!(
            state.heartbeats,
            5 + 4 + 1,
            "the far-future reading refused"
        );
        assert_eq!(v.changes.len(), 5 + 4 + 1);
        assert!(!v.alarms.iter().any(|a| a.code == "FUTURE"));
    }
    let total: usize = {
        let mut n = 0;
        for &id in &ids {
            n += view(app.db(), id).await.changes.len();
        }
        n
    };
    assert_eq!(total, 100);
    assert!(app.shutdown().await);
}

#[tokio::test]
async fn two_nodes_share_the_subscription_and_apply_each_message_once() {
    let Some(broker) = Broker::start().await else {
        return;
    };
    let app = TestApp::with_settings(broker.settings("node-one")).await;
    // The second node: a pool of its own on the same database, a client id of its own.
    let other_db = langso_app::Db::connect(app.test_db.url()).await.unwrap();
    let other = AppState::new(other_db, broker.settings("node-two"));
    let mut ids = Vec::new();
    for d in 0..10 {
        ids.push(camera(&app, &format!("MQTT-TWO-{d}")).await);
    }
    let warm = camera(&app, "MQTT-WARM").await;
    let mut publisher = Publisher::new(broker.port);
    let stored = |state: &AppState| state.devices.ingest.counters().0;
    // Until the broker has handed each node a message, both have not yet subscribed.
    let mut warm_sent = 0;
    while stored(&app.state) == 0 || stored(&other) == 0 {
        assert!(warm_sent < 200, "both nodes subscribed");
        publisher.publish(&topic("MQTT-WARM"), "{}").await;
        warm_sent += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for _ in 0..200 {
        if heartbeats(&view(app.db(), warm).await) >= warm_sent {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let before = (stored(&app.state), stored(&other));

    const EACH: usize = 20;
    for round in 0..EACH {
        for d in 0..10 {
            let body = json!({"battery": 50 + round}).to_string();
            publisher
                .publish(&topic(&format!("MQTT-TWO-{d}")), body)
                .await;
        }
    }
    let total = |views: Vec<AssetView>| views.iter().map(heartbeats).sum::<i64>();
    let mut counted = 0;
    for _ in 0..600 {
        let mut views = Vec::new();
        for &id in &ids {
            views.push(view(app.db(), id).await);
        }
        counted = total(views);
        if counted >= (10 * EACH) as i64 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A second delivery to the other node would land within moments.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut views = Vec::new();
    for &id in &ids {
        views.push(view(app.db(), id).await);
    }
    assert_eq!(counted, (10 * EACH) as i64);
    assert_eq!(
        total(views),
        (10 * EACH) as i64,
        "each message applied once"
    );
    let (one, two) = (stored(&app.state) - before.0, stored(&other) - before.1);
    assert_eq!(one + two, (10 * EACH) as u64);
    assert!(
        one > 0 && two > 0,
        "the broker shared them: {one} and {two}"
    );
    other.shutdown().await;
    assert!(app.shutdown().await);
}
