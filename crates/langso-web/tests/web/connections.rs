//! Connections cannot be held open for free: a cap answered with 503, `/healthz` served from a
//! small reserve, and idle, half-sent and trickling connections closed by the server.
//!
//! Raw sockets, so the test controls every byte. No timing assertions: a read either ends
//! (the server closed) before a generous bound, or the test fails.

use std::time::Duration;

use langso_web::{ConnectionLimits, Settings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::TestApp;

/// Far longer than any server timeout set below: reaching it means the server did not act.
const BOUND: Duration = Duration::from_secs(8);

async fn app(limits: ConnectionLimits) -> TestApp {
    TestApp::with_settings(Settings {
        connections: limits,
        ..Settings::default()
    })
    .await
}

async fn connect(app: &TestApp) -> TcpStream {
    let addr = app.base.trim_start_matches("http://");
    match TcpStream::connect(addr).await {
        Ok(stream) => stream,
        Err(error) => unreachable!("connect {addr}: {error}"),
    }
}

/// Reads until the server closes; `None` when it is still open at [`BOUND`].
async fn read_to_close(stream: &mut TcpStream) -> Option<String> {
    let mut seen = Vec::new();
    match tokio::time::timeout(BOUND, stream.read_to_end(&mut seen)).await {
        Ok(Ok(_)) => Some(String::from_utf8_lossy(&seen).into_owned()),
        // A reset is a close too.
        Ok(Err(_)) => Some(String::from_utf8_lossy(&seen).into_owned()),
        Err(_) => None,
    }
}

/// Sends one request and reads the whole answer (the server closes after it).
async fn exchange(app: &TestApp, request: &str) -> String {
    let mut stream = connect(app).await;
    let sent = stream.write_all(request.as_bytes()).await;
    assert!(sent.is_ok(), "{sent:?}");
    read_to_close(&mut stream)
        .await
        .unwrap_or_else(|| unreachable!("no answer to {request:?}"))
}

const HEALTHZ: &str = "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";

#[tokio::test]
async fn connections_past_the_cap_get_503_and_healthz_answers() {
    let app = app(ConnectionLimits {
        max_connections: 2,
        health_reserve: 1,
        header_timeout: Duration::from_secs(60),
        ..ConnectionLimits::default()
    })
    .await;
    // Two idle connections fill the cap; they are accepted in order, before any later one.
    let held = [connect(&app).await, connect(&app).await];

    // The reserve serves /healthz, and nothing else.
    let health = exchange(&app, HEALTHZ).await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.ends_with("ok"), "{health}");
    let other = exchange(
        &app,
        "GET /api/v1/units HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(other.starts_with("HTTP/1.1 503"), "{other}");
    assert!(
        other.to_ascii_lowercase().contains("retry-after: 1"),
        "{other}"
    );

    // With the reserve held too, the next socket reads a 503 without sending a byte.
    let mut reserve_holder = None;
    let mut refused = String::new();
    for _ in 0..50 {
        let holder = connect(&app).await;
        let mut extra = connect(&app).await;
        refused = read_to_close(&mut extra).await.unwrap_or_default();
        if refused.starts_with("HTTP/1.1 503") {
            reserve_holder = Some(holder);
            break;
        }
        // The reserve slot of the previous exchange was not yet released: try again.
        drop(holder);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(reserve_holder.is_some(), "never refused: {refused:?}");
    assert!(refused.contains("Retry-After: 1"), "{refused}");
    assert!(refused.contains("Connection: close"), "{refused}");

    // Once the holders leave, /healthz and the API are served again.
    drop(held);
    drop(reserve_holder);
    let mut served = String::new();
    for _ in 0..100 {
        served = exchange(
            &app,
            "GET /api/v1/units HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        )
        .await;
        if !served.starts_with("HTTP/1.1 503") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(served.starts_with("HTTP/1.1 200"), "{served}");
    let health = exchange(&app, HEALTHZ).await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
}

#[tokio::test]
async fn idle_and_half_sent_connections_are_closed_by_the_server() {
    let app = app(ConnectionLimits {
        header_timeout: Duration::from_secs(1),
        ..ConnectionLimits::default()
    })
    .await;
    let mut idle = connect(&app).await;
    let mut half_line = connect(&app).await;
    let sent = half_line.write_all(b"GET /healthz HT").await;
    assert!(sent.is_ok());
    let mut half_head = connect(&app).await;
    let sent = half_head
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ")
        .await;
    assert!(sent.is_ok());
    // Served once, then idle on keep-alive.
    let mut kept = connect(&app).await;
    let sent = kept
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .await;
    assert!(sent.is_ok());

    let idle_read = read_to_close(&mut idle).await;
    assert!(idle_read.is_some(), "an idle connection stays open");
    assert!(
        read_to_close(&mut half_line).await.is_some(),
        "a half-sent request line stays open"
    );
    assert!(
        read_to_close(&mut half_head).await.is_some(),
        "half-sent headers stay open"
    );
    let kept_read = read_to_close(&mut kept).await;
    assert!(
        kept_read
            .as_deref()
            .is_some_and(|text| text.starts_with("HTTP/1.1 200")),
        "a served keep-alive connection is not closed when idle: {kept_read:?}"
    );
    let health = exchange(&app, HEALTHZ).await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
}

#[tokio::test]
async fn a_trickled_body_is_cut_off() {
    let app = app(ConnectionLimits {
        body_timeout: Duration::from_secs(1),
        ..ConnectionLimits::default()
    })
    .await;
    let mut stream = connect(&app).await;
    let sent = stream
        .write_all(
            b"POST /login HTTP/1.1\r\nHost: t\r\n\
              Content-Type: application/x-www-form-urlencoded\r\n\
              Content-Length: 1000\r\n\r\nlogin=abc&",
        )
        .await;
    assert!(sent.is_ok());
    let answer = read_to_close(&mut stream).await;
    assert!(
        answer
            .as_deref()
            .is_some_and(|text| text.starts_with("HTTP/1.1 400")),
        "a body stalled past the timeout is not cut off: {answer:?}"
    );
    let health = exchange(&app, HEALTHZ).await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
}

#[tokio::test]
async fn headers_trickled_a_byte_at_a_time_are_cut_off() {
    let app = app(ConnectionLimits {
        header_timeout: Duration::from_secs(1),
        ..ConnectionLimits::default()
    })
    .await;
    let (mut reader, mut writer) = connect(&app).await.into_split();
    let sent = writer
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ")
        .await;
    assert!(sent.is_ok());
    // One byte every 200 ms: a timeout that restarted on each byte would never fire.
    let trickle = tokio::spawn(async move {
        let mut bytes = 0;
        while bytes < 100 && writer.write_all(b"a").await.is_ok() {
            bytes += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        bytes
    });
    let mut seen = Vec::new();
    let closed = tokio::time::timeout(BOUND, reader.read_to_end(&mut seen)).await;
    assert!(closed.is_ok(), "a trickled header is never cut off");
    trickle.abort();
}
