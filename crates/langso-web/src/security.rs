//! Security headers on every response, and the rate limit for public endpoints.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::{KeyExtractor, PeerIpKeyExtractor, SmartIpKeyExtractor};

/// The policy for our own pages: no inline script, no framing, nothing from elsewhere.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
/// Swagger UI (vendored) styles itself inline; it gets a looser style rule, nothing else.
const CSP_DOCS: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                        img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/// Adds CSP, `frame-ancestors 'none'`, Referrer-Policy and nosniff to every response.
pub async fn headers(request: Request, next: Next) -> Response {
    let docs = request.uri().path().starts_with("/api/docs");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let csp = if docs { CSP_DOCS } else { CSP };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// The rate-limit key: the socket peer's address, or (behind a trusted proxy) the first
/// forwarded hop.
#[derive(Clone, Copy, Debug)]
pub struct ClientKey {
    /// Trust `X-Forwarded-For` / `Forwarded` headers.
    pub trust_forwarded: bool,
}

impl KeyExtractor for ClientKey {
    type Key = IpAddr;

    fn extract<T>(&self, request: &axum::http::Request<T>) -> Result<IpAddr, GovernorError> {
        if self.trust_forwarded {
            SmartIpKeyExtractor.extract(request)
        } else {
            PeerIpKeyExtractor.extract(request)
        }
    }
}

/// Wraps `router` in a per-client-address rate limit for public endpoints (login form, QR
/// landing, fault reports): a burst of `burst` requests, refilled one every `per`. Past it the
/// answer is 429 with Retry-After. Only `methods` are counted (all when `None`). Stale client
/// entries are forgotten every minute.
pub fn public_rate_limit<S>(
    router: Router<S>,
    burst: u32,
    per: Duration,
    trust_forwarded: bool,
    methods: Option<Vec<Method>>,
) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let millis = u64::try_from(per.as_millis()).unwrap_or(u64::MAX).max(1);
    let mut builder = GovernorConfigBuilder::default();
    builder.per_millisecond(millis).burst_size(burst.max(1));
    if let Some(methods) = methods {
        builder.methods(methods);
    }
    let Some(config) = builder
        .key_extractor(ClientKey { trust_forwarded })
        .finish()
    else {
        return router;
    };
    let config = Arc::new(config);
    let limiter = Arc::downgrade(config.limiter());
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                let Some(limiter) = limiter.upgrade() else {
                    break;
                };
                limiter.retain_recent();
            }
        });
    }
    router.layer(GovernorLayer::new(config))
}
