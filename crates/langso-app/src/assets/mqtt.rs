//! The MQTT subscriber: a client of an existing broker (Mosquitto; EMQX at national scale; we
//! run no broker of our own). It subscribes to `langso/+/+/status`, where the two levels are
//! the unit code and the asset code, and feeds each message's readings to the same ingest
//! writer as HTTP. Messages are received QoS 1 and acknowledged only after their readings are
//! committed, so a crash makes the broker deliver them again rather than lose them.

use std::sync::Arc;
use std::time::Duration;

use langso_domain::assets::Reading;
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use serde::Deserialize;
use tokio::sync::Semaphore;

use super::devices::Devices;

/// The topic filter subscribed to.
pub const TOPIC_FILTER: &str = "langso/+/+/status";

/// Messages being stored at once; past this the subscriber stops reading from the broker.
const IN_FLIGHT: usize = 1_024;

/// A payload: a batch like the HTTP body, or one reading.
#[derive(Deserialize)]
#[serde(untagged)]
enum Payload {
    Batch { readings: Vec<Reading> },
    One(Box<Reading>),
}

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

/// Subscribes to `url` and stores what arrives until the task is aborted; reconnects after
/// a lost connection (subscribing again each time).
pub fn start(
    url: &str,
    client_id: &str,
    devices: Arc<Devices>,
) -> Result<tokio::task::JoinHandle<()>, String> {
    let (host, port) = parse_url(url)?;
    let mut options = MqttOptions::new(client_id, host, port);
    options.set_keep_alive(Duration::from_secs(30));
    options.set_manual_acks(true);
    options.set_clean_session(false);
    let (client, mut eventloop) = AsyncClient::new(options, 1_024);
    let permits = Arc::new(Semaphore::new(IN_FLIGHT));
    Ok(tokio::spawn(async move {
        loop {
            match eventloop.poll().await {
                Ok(Event::Incoming(Packet::ConnAck(_))) => {
                    tracing::info!("MQTT connected; subscribing to {TOPIC_FILTER}");
                    if let Err(error) = client.subscribe(TOPIC_FILTER, QoS::AtLeastOnce).await {
                        tracing::warn!(%error, "MQTT subscribe failed");
                    }
                }
                Ok(Event::Incoming(Packet::Publish(publish))) => {
                    let Ok(permit) = permits.clone().acquire_owned().await else {
                        break;
                    };
                    let devices = devices.clone();
                    let client = client.clone();
                    tokio::spawn(async move {
                        handle(&devices, &publish).await;
                        let _ = client.ack(&publish).await;
                        drop(permit);
                    });
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(%error, "MQTT connection lost; retrying in 1 s");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }))
}

/// Stores one message; bad ones are logged and dropped (acknowledged, so they do not return).
async fn handle(devices: &Devices, publish: &rumqttc::Publish) {
    let Some((unit, asset)) = parse_topic(&publish.topic) else {
        tracing::debug!(topic = %publish.topic, "MQTT topic ignored");
        return;
    };
    let readings = match serde_json::from_slice::<Payload>(&publish.payload) {
        Ok(Payload::Batch { readings }) => readings,
        Ok(Payload::One(reading)) => vec![*reading],
        Err(error) => {
            tracing::warn!(%error, topic = %publish.topic, "MQTT payload is not a reading");
            return;
        }
    };
    // The writer retries; a refusal here is bad data, or the server stopping.
    if let Err(error) = devices.ingest_topic(unit, asset, readings).await {
        tracing::warn!(%error, topic = %publish.topic, "MQTT readings refused");
    }
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
}
