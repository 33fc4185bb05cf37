//! The delivery workers `langso serve` runs: the webhook outbox and the channel worker (Zalo
//! ZNS, SMS, e-mail), sharing one outbound HTTP client (rustls with ring, certificates
//! checked, the proxy and timeouts set here).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use langso_app::Db;
use langso_app::comms::channels::{ChannelConfig, ChannelSecrets, ChannelWorker};
use langso_app::comms::{DeliveryWorker, WorkerConfig};
use langso_app::outbound::Outbound;

/// Options of outbound calls and the channels.
#[derive(clap::Args, Clone)]
pub(crate) struct ChannelOptions {
    /// Every outbound HTTP call (webhooks, Zalo, the SMS gateway) goes through this proxy
    /// (`http://host:port`). None: direct.
    #[arg(long, env = "LANGSO_HTTP_PROXY")]
    http_proxy: Option<String>,
    /// Seconds an outbound call may take to connect (TCP and TLS).
    #[arg(long, env = "LANGSO_HTTP_CONNECT_TIMEOUT", default_value_t = 5)]
    http_connect_timeout: u64,
    /// Seconds an outbound call may take in all.
    #[arg(long, env = "LANGSO_HTTP_TIMEOUT", default_value_t = 10)]
    http_timeout: u64,
    /// A PEM file of extra trusted CA certificates (a private CA), added to the system's.
    #[arg(long, env = "LANGSO_HTTP_CA_FILE")]
    http_ca_file: Option<PathBuf>,
    /// The Zalo app's secret key, for units whose settings hold none.
    #[arg(long, env = "LANGSO_ZNS_SECRET_KEY", hide_env_values = true)]
    zns_secret_key: Option<String>,
    /// The SMS gateway's secret key, for units whose settings hold none.
    #[arg(long, env = "LANGSO_SMS_SECRET_KEY", hide_env_values = true)]
    sms_secret_key: Option<String>,
    /// The SMTP password, for units whose settings hold none.
    #[arg(long, env = "LANGSO_SMTP_PASSWORD", hide_env_values = true)]
    smtp_password: Option<String>,
}

/// The running workers.
pub(crate) struct Workers {
    delivery: DeliveryWorker,
    channels: ChannelWorker,
}

impl ChannelOptions {
    /// Builds the shared client and starts both workers; `public_url` is where providers send
    /// their delivery reports (empty: none asked for).
    pub(crate) fn start(&self, db: &Db, public_url: &str) -> Result<Workers> {
        let mut extra_roots_pem = Vec::new();
        if let Some(path) = &self.http_ca_file {
            extra_roots_pem.push(
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?,
            );
        }
        let outbound = Outbound {
            proxy: self.http_proxy.clone(),
            connect_timeout: Duration::from_secs(self.http_connect_timeout.max(1)),
            timeout: Duration::from_secs(self.http_timeout.max(1)),
            extra_roots_pem,
        };
        let client = outbound.client().map_err(anyhow::Error::new)?;
        let webhooks = WorkerConfig {
            timeout: outbound.timeout,
            ..WorkerConfig::default()
        };
        let channels = ChannelConfig {
            lease: outbound
                .timeout
                .saturating_mul(6)
                .max(Duration::from_secs(120)),
            secrets: ChannelSecrets {
                zns_secret_key: self.zns_secret_key.clone(),
                sms_secret_key: self.sms_secret_key.clone(),
                smtp_password: self.smtp_password.clone(),
            },
            public_url: public_url.to_owned(),
            ..ChannelConfig::default()
        };
        Ok(Workers {
            delivery: DeliveryWorker::start_with(db.clone(), webhooks, client.clone()),
            channels: ChannelWorker::start(db.clone(), channels, client),
        })
    }
}

impl Workers {
    /// Stops both after their current message.
    pub(crate) async fn shutdown(self) {
        self.delivery.shutdown().await;
        self.channels.shutdown().await;
    }
}
