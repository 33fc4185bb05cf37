//! The MQTT subscriber: a client of an existing broker (Mosquitto; EMQX at national scale; we
//! run no broker of our own). It subscribes to `langso/+/+/status` (shared among the nodes:
//! [`SHARED_FILTER`]), where the two levels are
//! the unit code and the asset code, and feeds each message's readings to the same ingest
//! writer as HTTP. Messages are received QoS 1 and acknowledged only after their readings are
//! committed, so a crash makes the broker deliver them again rather than lose them.
//!
//! Nothing the broker delivers may stop the subscriber: the client accepts packets up to the
//! protocol's maximum and our own code refuses payloads over [`MAX_PAYLOAD_BYTES`] (logged and
//! acknowledged), because with rumqttc a packet over the client's limit is a connection error,
//! and the broker would deliver the same message again after every reconnection. The session
//! is kept (`clean_session = false`) under a client id stable for the node ([`client_id`]), so
//! the broker queues QoS 1 messages published while Langso restarts and delivers them after.
//!
//! Order: the messages of one topic (one device) go to the same worker, which stores them one
//! after the other in the order the broker delivered them (the device's order); each reading
//! counts at the device's own time when it sends one ([`reading_time`]).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use langso_domain::assets::parse_payload;
#[cfg(doc)]
use langso_domain::assets::{MAX_PAYLOAD_BYTES, reading_time};
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, Publish, QoS};
use tokio::sync::mpsc;

use super::devices::{Devices, TelemetryError};
use super::ingest::IngestError;
use crate::auth::sha256_hex;

/// The topics device messages arrive on.
pub const TOPIC_FILTER: &str = "langso/+/+/status";

/// What each node subscribes to: [`TOPIC_FILTER`] as a shared subscription of the group
/// `langso`, so that with several nodes the broker hands each message to one of them (MQTT 5
/// shared subscriptions, which Mosquitto 2 and EMQX also honour for MQTT 3.1.1 clients) rather
/// than to every node, which would count every heartbeat once per node. One node alone gets
/// every message, as before. The broker picks the node per message, so one device's messages
/// may be stored by different nodes: each counts at the device's own time when it sends one,
/// and a reading older than the device's stored state changes nothing but the heartbeat count.
pub const SHARED_FILTER: &str = "$share/langso/langso/+/+/status";

/// The client's packet limit: the largest packet MQTT 3.1.1 can carry (its remaining length is
/// at most 268,435,455 bytes), so that no message the broker delivers breaks the connection.
/// Deployments bound memory with the broker's own limit (Mosquitto `max_packet_size`).
pub const MAX_INCOMING_PACKET: usize = 268_435_455;

/// Workers storing messages; the messages of one topic always go to the same one.
const WORKERS: usize = 32;
/// Messages waiting per worker; past this the subscriber stops reading from the broker.
const WORKER_QUEUE: usize = 64;

/// Parses `mqtt://host:port` (port 1883 when absent).
pub fn parse_url(url: &str) -> Result<(String, u16), String> {
    let rest = url
        .strip_prefix("mqtt://")
        .or_else(|| url.strip_prefix("tcp://"))
        .ok_or_else(|| format!("MQTT URL must start with mqtt:// : {url}"))?;
    let rest = rest.trim_end_matches('/');
    match rest.rsplit_once(':') {
        Some((host, port)) => port
            .parse()
            .map(|p| (host.to_owned(), p))
            .map_err(|_| format!("bad MQTT port in {url}")),
        None if !rest.is_empty() => Ok((rest.to_owned(), 1883)),
        None => Err(format!("no host in {url}")),
    }
}

/// Splits `langso/{unit}/{asset}/status`.
pub fn parse_topic(topic: &str) -> Option<(&str, &str)> {
    let mut parts = topic.split('/');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("langso"), Some(unit), Some(asset), Some("status"), None)
            if !unit.is_empty() && !asset.is_empty() =>
        {
            Some((unit, asset))
        }
        _ => None,
    }
}

/// The client id of a node: `langso-` and 16 hex digits of a hash of `node`, 23 characters,
/// the length every MQTT 3.1.1 broker must accept. The broker keeps one session per id, so
/// the id must be the same each time this node starts (or messages queued for it are lost)
/// and differ between nodes (or they take over each other's session).
pub fn client_id(node: &str) -> String {
    let hash = sha256_hex(node);
    format!("langso-{}", hash.get(..16).unwrap_or(&hash))
}

/// A node's name when none is configured: the host's name and the address it listens on, both
/// stable across restarts and different for two nodes on one machine.
pub fn default_node(listen: &str) -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{host}/{listen}")
}

/// Subscribes to `url` and stores what arrives until the task is aborted; reconnects after
/// a lost connection (subscribing again each time). `link` hears of each connection and each
/// failure, so the operator's alerts know how long the broker has been unreachable.
pub fn start(
    url: &str,
    client_id: &str,
    devices: Arc<Devices>,
    link: crate::ops::BrokerLink,
) -> Result<tokio::task::JoinHandle<()>, String> {
    let (host, port) = parse_url(url)?;
    link.configure(&format!("{host}:{port}"));
    if client_id.is_empty() {
        return Err("MQTT client id is empty".to_owned());
    }
    let mut options = MqttOptions::new(client_id, host, port);
    options.set_keep_alive(Duration::from_secs(30));
    options.set_manual_acks(true);
    options.set_clean_session(false);
    options.set_max_packet_size(MAX_INCOMING_PACKET, 64 * 1024);
    let (client, mut eventloop) = AsyncClient::new(options, 1_024);
    Ok(tokio::spawn(async move {
        // Dropping the senders (when this task is aborted) ends the workers.
        let workers: Vec<mpsc::Sender<Publish>> = (0..WORKERS)
            .map(|_| {
                let (sender, receiver) = mpsc::channel(WORKER_QUEUE);
                tokio::spawn(work(receiver, client.clone(), devices.clone()));
                sender
            })
            .collect();
        loop {
            match eventloop.poll().await {
                Ok(Event::Incoming(Packet::ConnAck(_))) => {
                    link.connected();
                    tracing::info!("MQTT connected; subscribing to {SHARED_FILTER}");
                    if let Err(error) = client.subscribe(SHARED_FILTER, QoS::AtLeastOnce).await {
                        tracing::warn!(%error, "MQTT subscribe failed");
                    }
                }
                Ok(Event::Incoming(Packet::Publish(publish))) => {
                    let mut hasher = DefaultHasher::new();
                    publish.topic.hash(&mut hasher);
                    let index = usize::try_from(hasher.finish() % WORKERS as u64).unwrap_or(0);
                    let Some(worker) = workers.get(index) else {
                        break;
                    };
                    if worker.send(publish).await.is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(error) => {
                    link.lost();
                    tracing::warn!(%error, "MQTT connection lost; retrying in 1 s");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }))
}

/// Stores the messages of some topics one after the other, acknowledging each once stored
/// (or refused as bad data). A database failure is retried, holding back the topic's later
/// messages; when the server stops, the message is left unacknowledged for the broker to
/// deliver again.
async fn work(mut receiver: mpsc::Receiver<Publish>, client: AsyncClient, devices: Arc<Devices>) {
    while let Some(publish) = receiver.recv().await {
        loop {
            match handle(&devices, &publish).await {
                Err(TelemetryError::Ingest(IngestError::Stopped)) => return,
                Err(TelemetryError::Ingest(error)) => {
                    tracing::warn!(%error, topic = %publish.topic, "MQTT readings not stored; retrying in 1 s");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(TelemetryError::App(error)) => {
                    tracing::warn!(%error, topic = %publish.topic, "MQTT readings refused");
                    break;
                }
                Ok(_) => break,
            }
        }
        if let Err(error) = client.ack(&publish).await {
            tracing::debug!(%error, "MQTT acknowledgement not sent");
        }
    }
}

/// Stores one message; a bad topic or payload is logged and counts as handled (acknowledged,
/// so it does not return).
async fn handle(devices: &Devices, publish: &Publish) -> Result<usize, TelemetryError> {
    let Some((unit, asset)) = parse_topic(&publish.topic) else {
        tracing::debug!(topic = %publish.topic, "MQTT topic ignored");
        return Ok(0);
    };
    let readings = match parse_payload(&publish.payload) {
        Ok(readings) => readings,
        Err(error) => {
            tracing::warn!(%error, topic = %publish.topic, "MQTT payload refused");
            return Ok(0);
        }
    };
    devices.ingest_topic(unit, asset, readings).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_and_urls() {
        assert_eq!(
            parse_topic("langso/09805-T01/09805-T01-CAM-001/status"),
            Some(("09805-T01", "09805-T01-CAM-001"))
        );
        assert_eq!(parse_topic("langso/x/status"), None);
        assert_eq!(parse_topic("langso/a/b/status/extra"), None);
        assert_eq!(
            parse_url("mqtt://127.0.0.1:1884"),
            Ok(("127.0.0.1".into(), 1884))
        );
        assert_eq!(parse_url("mqtt://broker"), Ok(("broker".into(), 1883)));
        assert!(parse_url("http://x").is_err());
    }

    #[test]
    fn client_ids_are_stable_per_node_and_differ_between_nodes() {
        let a = client_id(&default_node("0.0.0.0:8080"));
        assert_eq!(a, client_id(&default_node("0.0.0.0:8080")));
        assert_ne!(a, client_id(&default_node("0.0.0.0:8081")));
        assert_eq!(a.len(), 23);
        assert!(a.starts_with("langso-"));
    }
}
