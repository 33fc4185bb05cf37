//! The accept loop: connections cannot be held open for free.
//!
//! `axum::serve` has no header-read timeout and no cap on connections, so a few hundred idle
//! or half-sent sockets could exhaust the process's file descriptors. Here each connection is
//! served by hyper's HTTP/1 builder with a timer: the header-read timeout starts whenever the
//! server waits for a request head, so it closes idle keep-alive connections, connections that
//! never send anything and headers sent a byte at a time alike. Request bodies are bounded by
//! the router ([`ConnectionLimits::body_timeout`] between chunks, 30 s for the whole request).
//!
//! At most [`ConnectionLimits::max_connections`] connections are served. Past the cap, a few
//! more ([`ConnectionLimits::health_reserve`]) are served for `/healthz` only (everything else
//! answers 503 and the connection closes), so a load balancer still sees the process alive while
//! it is full. Past those, the server writes a fixed `503 Service Unavailable` with
//! `Retry-After` and closes, without reading the request: a refusal costs a few bytes and a
//! descriptor for at most [`REFUSAL_LINGER`]; at most [`REFUSALS_IN_FLIGHT`] refusals linger at
//! once, and beyond that a connection is closed at once.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tower::ServiceExt;

/// How long a refused connection may linger while its 503 is written and the client's request
/// drained (closing with unread input would reset the connection and lose the answer).
pub const REFUSAL_LINGER: Duration = Duration::from_secs(2);
/// Refusals lingering at once; past this a connection over the cap is closed unanswered.
pub const REFUSALS_IN_FLIGHT: usize = 64;
/// Descriptors kept for everything but connections (database pool, files, logs, MQTT).
const OTHER_DESCRIPTORS: u64 = 128;

/// Limits on connections and the time a client may take to send a request.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// Connections served at once (lowered at start to fit the open-files limit).
    pub max_connections: usize,
    /// Connections past the cap still served for `/healthz` (one request each).
    pub health_reserve: usize,
    /// Time to send a request's head, and the longest a connection may sit idle between
    /// requests.
    pub header_timeout: Duration,
    /// Longest wait for the next chunk of a request body.
    pub body_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: 512,
            health_reserve: 4,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
        }
    }
}

/// The answer past the cap, written without reading the request.
static REFUSAL: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let body = format!("{}\n", crate::messages::both_key("api-busy"));
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
});

/// Serves `router` on `listener` with the limits until `shutdown` resolves, then lets the
/// requests in flight finish (idle connections are closed at once).
pub async fn serve_with(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let reserve_size = limits.health_reserve.min(Semaphore::MAX_PERMITS);
    let max = fit_to_open_files(limits.max_connections.max(1), reserve_size);
    let slots = Arc::new(Semaphore::new(max.min(Semaphore::MAX_PERMITS)));
    let reserve = Arc::new(Semaphore::new(reserve_size));
    let refusals = Arc::new(Semaphore::new(REFUSALS_IN_FLIGHT));
    let (stop, stopping) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(error) => {
                    accept_failed(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let served = |stream, slot, health_only| {
            let connection = Connection {
                router: router.clone(),
                peer,
                health_only,
                limits,
                _slot: slot,
            };
            tokio::spawn(connection.run(stream, stopping.clone()));
        };
        if let Ok(slot) = slots.clone().try_acquire_owned() {
            served(stream, slot, false);
        } else if let Ok(slot) = reserve.clone().try_acquire_owned() {
            metrics::counter!("langso_connections_over_cap_total", "answer" => "reserve")
                .increment(1);
            served(stream, slot, true);
        } else {
            metrics::counter!("langso_connections_over_cap_total", "answer" => "503").increment(1);
            if let Ok(slot) = refusals.clone().try_acquire_owned() {
                tokio::spawn(refuse(stream, slot));
            }
        }
    }
    drop(listener);
    drop(stopping);
    let _ = stop.send(());
    stop.closed().await;
    Ok(())
}

/// One served connection and the slot it holds until it closes.
struct Connection {
    router: Router,
    peer: SocketAddr,
    health_only: bool,
    limits: ConnectionLimits,
    _slot: OwnedSemaphorePermit,
}

impl Connection {
    async fn run(self, stream: TcpStream, mut stopping: watch::Receiver<()>) {
        let Connection {
            router,
            peer,
            health_only,
            limits,
            _slot,
        } = self;
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let router = router.clone();
            async move {
                if health_only && request.uri().path() != "/healthz" {
                    return Ok::<_, Infallible>(busy());
                }
                router.oneshot(request).await
            }
        });
        let header_timeout = if limits.header_timeout.is_zero() {
            ConnectionLimits::default().header_timeout
        } else {
            limits.header_timeout
        };
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .keep_alive(!health_only);
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let mut connection = std::pin::pin!(connection);
        let ended = tokio::select! {
            ended = connection.as_mut() => ended,
            _ = stopping.changed() => {
                connection.as_mut().graceful_shutdown();
                connection.await
            }
        };
        if let Err(error) = ended {
            tracing::debug!(%error, %peer, "connection closed");
        }
    }
}

/// The 503 a reserve connection gives for anything but `/healthz`.
fn busy() -> Response<Body> {
    let mut response = Response::new(Body::from(format!(
        "{}\n",
        crate::messages::both_key("api-busy")
    )));
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Writes the fixed 503, then drains what the client sent until it closes (bounded by
/// [`REFUSAL_LINGER`]), so the answer is not lost to a connection reset.
async fn refuse(mut stream: TcpStream, _slot: OwnedSemaphorePermit) {
    let _ = tokio::time::timeout(REFUSAL_LINGER, async {
        stream.write_all(&REFUSAL).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 1024];
        while stream.read(&mut sink).await? > 0 {}
        Ok::<_, std::io::Error>(())
    })
    .await;
}

/// After hyper 0.14's policy: a failed accept of one connection is that client's business;
/// anything else (out of descriptors) is logged and accepting pauses for a moment.
async fn accept_failed(error: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(%error, "accept failed");
    tokio::time::sleep(Duration::from_millis(200)).await;
}

/// Lowers `max` so that connections, the reserve and lingering refusals stay below the
/// process's open-files limit (read from `/proc/self/limits`; unknown elsewhere).
fn fit_to_open_files(max: usize, reserve: usize) -> usize {
    let Some(limit) = open_files_limit() else {
        return max;
    };
    let others = OTHER_DESCRIPTORS + (reserve + REFUSALS_IN_FLIGHT) as u64;
    let room = usize::try_from(limit.saturating_sub(others))
        .unwrap_or(usize::MAX)
        .max(1);
    if max > room {
        tracing::warn!(
            max_connections = max,
            open_files_limit = limit,
            lowered_to = room,
            "the connection cap does not fit the open-files limit (ulimit -n); lowered"
        );
        return room;
    }
    max
}

/// The soft limit on open files, when the platform tells it.
fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
