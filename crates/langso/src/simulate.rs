//! `langso simulate devices`: simulated cameras, lights and wifi points sending real
//! heartbeats to a running server over HTTP (a gateway device token is created for them), or
//! publishing them to an MQTT broker the server subscribes to. A share of devices reports a
//! fault, and a share falls silent after the first round, so alarms follow.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use langso_app::assets::{self as assets, AssetFilter};
use langso_app::auth::{NewToken, create_token};
use langso_app::{Db, today};
use langso_domain::auth::Role;
use serde_json::json;
use tokio::sync::Semaphore;

/// What to simulate.
#[derive(Subcommand)]
pub enum SimulateCommand {
    /// Devices of the register sending heartbeats.
    Devices {
        /// How many devices.
        #[arg(long, default_value_t = 100)]
        count: usize,
        /// Seconds between a device's heartbeats.
        #[arg(long, default_value_t = 60)]
        interval: u64,
        /// Publish to this MQTT broker (`mqtt://host:port`) instead of posting over HTTP.
        #[arg(long)]
        mqtt_url: Option<String>,
        /// The server to post to.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        server: String,
        /// Share of devices reporting a fault code (0–1).
        #[arg(long, default_value_t = 0.05)]
        failing: f64,
        /// Share of devices that fall silent after the first round (0–1).
        #[arg(long, default_value_t = 0.05)]
        silent: f64,
        /// Rounds to run (0: until Ctrl-C).
        #[arg(long, default_value_t = 0)]
        rounds: u64,
    },
}

/// Runs the simulation.
pub async fn run(db: &Db, command: SimulateCommand) -> Result<()> {
    let SimulateCommand::Devices {
        count,
        interval,
        mqtt_url,
        server,
        failing,
        silent,
        rounds,
    } = command;
    let root = langso_store::units::roots(db, today())
        .await?
        .into_iter()
        .next()
        .context("no unit in the database: run `langso demo` first")?;
    let devices: Vec<_> = assets::assets_under(
        db,
        &crate::operator(),
        root.id,
        &AssetFilter::default(),
        100_000,
    )
    .await?
    .into_iter()
    .filter(|a| a.heartbeat_seconds > 0 && a.status != "retired")
    .take(count)
    .collect();
    if devices.is_empty() {
        bail!("no reporting device in the register");
    }
    let codes: Vec<String> = devices.iter().map(|a| a.code.clone()).collect();
    let mut targets = langso_store::assets::device_targets(db, &codes).await?;
    targets.sort_by(|a, b| a.code.cmp(&b.code));
    let every = |share: f64| {
        if share <= 0.0 {
            usize::MAX
        } else {
            (1.0 / share.min(1.0)).round().max(1.0) as usize
        }
    };
    let (fail_every, silent_every) = (every(failing), every(silent));
    println!(
        "{} devices, a heartbeat every {interval} s, every {fail_every}th failing, every {silent_every}th silent after round 1, over {}",
        targets.len(),
        mqtt_url.as_deref().unwrap_or(&server)
    );
    let sender = match &mqtt_url {
        Some(url) => {
            let (host, port) =
                langso_app::assets::mqtt::parse_url(url).map_err(anyhow::Error::msg)?;
            let mut options =
                rumqttc::MqttOptions::new(format!("langso-sim-{}", std::process::id()), host, port);
            options.set_keep_alive(Duration::from_secs(30));
            let (client, mut eventloop) = rumqttc::AsyncClient::new(options, 10_000);
            tokio::spawn(async move {
                loop {
                    if eventloop.poll().await.is_err() {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            });
            Sender::Mqtt(client)
        }
        None => {
            let token = NewToken {
                name: "simulator".into(),
                kind: "device".into(),
                role: Role::Viewer,
                unit_id: root.id,
                subject: None,
                expires_at: None,
            };
            let (_, secret) = create_token(db, &crate::operator(), &token)
                .await
                .map_err(crate::report)?;
            Sender::Http(
                {
                    langso_app::outbound::install_tls_provider();
                    reqwest::Client::new()
                },
                server.trim_end_matches('/').to_owned(),
                secret,
            )
        }
    };
    let sender = Arc::new(sender);
    let limit = Arc::new(Semaphore::new(64));
    let mut round = 0u64;
    let mut tick = tokio::time::interval(Duration::from_secs(interval.max(1)));
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = tokio::signal::ctrl_c() => break,
        }
        round += 1;
        let mut tasks = Vec::new();
        for (i, target) in targets.iter().enumerate() {
            if round > 1 && (i + 1) % silent_every == 0 {
                continue;
            }
            let fault = ((i + 1) % fail_every == 0).then_some("E12");
            let reading = json!({"asset": target.code, "online": true, "battery": 50 + (i % 50), "fault": fault});
            let topic = format!("langso/{}/{}/status", target.unit_code, target.code);
            let (sender, permit) = (sender.clone(), limit.clone().acquire_owned().await?);
            tasks.push(tokio::spawn(async move {
                let ok = sender.send(&topic, reading).await;
                drop(permit);
                ok
            }));
        }
        let (mut ok, mut failed) = (0, 0);
        for task in tasks {
            if task.await.unwrap_or(false) {
                ok += 1;
            } else {
                failed += 1;
            }
        }
        println!("round {round}: {ok} heartbeats accepted, {failed} refused or lost");
        if rounds > 0 && round >= rounds {
            break;
        }
    }
    Ok(())
}

enum Sender {
    Http(reqwest::Client, String, String),
    Mqtt(rumqttc::AsyncClient),
}

impl Sender {
    async fn send(&self, topic: &str, reading: serde_json::Value) -> bool {
        match self {
            Sender::Http(client, base, token) => client
                .post(format!("{base}/api/v1/telemetry"))
                .bearer_auth(token)
                .json(&json!({"readings": [reading]}))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success()),
            Sender::Mqtt(client) => client
                .publish(topic, rumqttc::QoS::AtLeastOnce, false, reading.to_string())
                .await
                .is_ok(),
        }
    }
}
