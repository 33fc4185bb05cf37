//! The one HTTP client builder for every outbound call (webhooks, Zalo, the SMS gateway).
//!
//! TLS is rustls with the ring provider (no cmake or C library beyond ring's own small build),
//! certificates checked against the system's roots (Debian's /etc/ssl/certs, through the
//! platform verifier) plus any extra roots given (a private CA; the tests' own CA). Redirects
//! are not followed (a provider that moved must be reconfigured, not silently followed), and
//! every request has a connect timeout and an overall timeout, so a worker never hangs on a
//! provider.

use std::sync::Once;
use std::time::Duration;

use crate::{AppError, AppResult};

/// How outbound HTTP calls are made.
#[derive(Clone, Debug)]
pub struct Outbound {
    /// Every call goes through this proxy (`http://host:port`), when set.
    pub proxy: Option<String>,
    /// Seconds allowed to open the connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Seconds allowed for the whole request, answer included.
    pub timeout: Duration,
    /// Extra trusted roots, PEM (a private CA), added to the system's.
    pub extra_roots_pem: Vec<Vec<u8>>,
}

impl Default for Outbound {
    fn default() -> Self {
        Outbound {
            proxy: None,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            extra_roots_pem: Vec::new(),
        }
    }
}

/// Makes ring the process's TLS provider (once; reqwest and lettre both use the default).
pub fn install_tls_provider() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Err only when another provider was installed first, which is fine too. ring is
        // chosen on purpose (no cmake build); rustls marks it deprecated only for lacking
        // post-quantum key exchange.
        #[allow(deprecated)]
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl Outbound {
    /// The client. Fails on a proxy or a root certificate that cannot be read.
    pub fn client(&self) -> AppResult<reqwest::Client> {
        install_tls_provider();
        let mut builder = reqwest::Client::builder()
            .tls_backend_rustls()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("langso/", env!("CARGO_PKG_VERSION")));
        builder = match self.proxy.as_deref().filter(|p| !p.trim().is_empty()) {
            Some(proxy) => builder.proxy(
                reqwest::Proxy::all(proxy.trim())
                    .map_err(|e| AppError::Internal(format!("proxy {proxy}: {e}")))?,
            ),
            None => builder.no_proxy(),
        };
        let mut roots = Vec::new();
        for pem in &self.extra_roots_pem {
            roots.extend(
                reqwest::Certificate::from_pem_bundle(pem)
                    .map_err(|e| AppError::Internal(format!("root certificate: {e}")))?,
            );
        }
        if !roots.is_empty() {
            builder = builder.tls_certs_merge(roots);
        }
        builder
            .build()
            .map_err(|e| AppError::Internal(format!("HTTP client: {e}")))
    }
}

/// A failed call in words an officer can act on: the TLS or connection cause, not just
/// "error sending request" (reqwest keeps the cause in its source chain).
pub fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_owned()
    } else if error.is_connect() {
        "could not connect".to_owned()
    } else {
        error.to_string()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
