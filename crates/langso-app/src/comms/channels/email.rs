//! E-mail over SMTP with lettre: plain text with an HTML alternative when the message has one.
//!
//! Settings: `endpoint` is `host:port`, `account` the user name (empty: no login), `sender`
//! the From address, option `tls` = `starttls` (default), `tls` (implicit, port 465) or `none`
//! (a relay on the same host). A 5xx reply is final; anything else is tried again.

use std::time::Duration;

use langso_store::comms::{ChannelSettingsRow, MessageRow};
use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{Adapter, Context, Outcome, option};

pub(super) struct Email;

/// The e-mail for a message: From the unit's sender, To the message's address, its subject,
/// the plain text and (when present) the HTML alternative, and a Message-ID made from the
/// idempotency key, so a repeat carries the same id.
pub fn email_message(from: &str, message: &MessageRow) -> Result<Message, String> {
    let from: Mailbox = from.parse().map_err(|e| format!("sender {from}: {e}"))?;
    let to: Mailbox = message
        .address
        .parse()
        .map_err(|e| format!("address {}: {e}", message.address))?;
    let domain = from.email.domain().to_owned();
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(message.subject.clone())
        .message_id(Some(format!("<{}@{domain}>", message.idempotency_key)));
    let built = match &message.html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            message.body.clone(),
            html.clone(),
        )),
        None => builder
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone()),
    };
    built.map_err(|e| e.to_string())
}

impl Adapter for Email {
    async fn send(
        &self,
        cx: &Context<'_>,
        settings: &ChannelSettingsRow,
        message: &MessageRow,
    ) -> Outcome {
        let email = match email_message(&settings.sender, message) {
            Ok(email) => email,
            Err(reason) => {
                tracing::debug!(%reason, "e-mail not built");
                return Outcome::failed(crate::comms::aim::own_reason("address-invalid", &[]));
            }
        };
        let (host, port) = match settings.endpoint.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), port.parse::<u16>().ok()),
            None => (settings.endpoint.clone(), None),
        };
        crate::outbound::install_tls_provider();
        let tls = option(settings, "tls").unwrap_or_else(|| "starttls".to_owned());
        let builder = match tls.as_str() {
            "none" => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                &host,
            )),
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&host),
            _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host),
        };
        let mut builder = match builder {
            Ok(builder) => {
                builder.timeout(Some(cx.config.smtp_timeout.max(Duration::from_secs(1))))
            }
            Err(e) => {
                return Outcome::failed(crate::comms::aim::own_reason(
                    "smtp-settings",
                    &[("detail", &e)],
                ));
            }
        };
        if let Some(port) = port {
            builder = builder.port(port);
        }
        if !settings.account.is_empty() {
            let password = settings
                .secret
                .clone()
                .or_else(|| cx.config.secrets.smtp_password.clone())
                .unwrap_or_default();
            builder = builder.credentials(Credentials::new(settings.account.clone(), password));
        }
        let transport = builder.build();
        match transport.send(email).await {
            Ok(response) => Outcome::Sent {
                provider_ref: response.message().next().map(str::to_owned),
                code: Some(response.code().to_string()),
            },
            Err(e) => {
                let code = e.status().map(|c| c.to_string());
                if e.is_permanent() {
                    Outcome::Failed {
                        code,
                        reason: e.to_string(),
                    }
                } else {
                    Outcome::Retry {
                        code,
                        reason: e.to_string(),
                    }
                }
            }
        }
    }
}
