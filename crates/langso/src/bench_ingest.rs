//! `langso bench ingest`: heartbeats over HTTP, each acknowledged after its commit.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use langso_app::assets::{self as assets, AssetFilter};
use langso_app::auth::{NewToken, create_token};
use langso_app::{Db, today};
use langso_domain::auth::Role;
use langso_web::{AppState, Settings};

use crate::bench::{Conn, InProcess, Phase, Tally, gather, load};
use crate::bench_households::peak_mb;

/// The database (the small demo built when it is empty), the codes of its reporting
/// devices and a new device token for them.
async fn devices(url: &str) -> Result<(Db, Vec<String>, String)> {
    let db = Db::open(url)
        .await
        .context("cannot open the benchmark database")?;
    if !langso_app::demo::is_built(&db).await? {
        println!("Đang tạo dữ liệu demo (nhỏ) / building the (small) demo…");
        langso_app::demo::build_small(&db, &langso_app::progress::NoProgress)
            .await
            .map_err(crate::report)?;
    }
    let hanoi = langso_app::units::by_code(&db, "01", today()).await?;
    let codes: Vec<String> = assets::assets_under(
        &db,
        &crate::operator(),
        hanoi.id,
        &AssetFilter::default(),
        100_000,
    )
    .await?
    .into_iter()
    .filter(|a| a.heartbeat_seconds > 0)
    .map(|a| a.code)
    .collect();
    if codes.is_empty() {
        bail!("no reporting device");
    }
    let token = NewToken {
        name: "bench".into(),
        kind: "device".into(),
        role: Role::Viewer,
        unit_id: hanoi.id,
        subject: None,
        expires_at: None,
    };
    let (_, secret) = create_token(&db, &crate::operator(), &token)
        .await
        .map_err(crate::report)?;
    Ok((db, codes, secret))
}

/// One heartbeat's body.
fn heartbeat(code: &str) -> String {
    format!("{{\"readings\":[{{\"asset\":\"{code}\",\"battery\":80}}]}}")
}

/// Writes `count` heartbeats over the devices to `file` (path, a tab, the body) and prints
/// the device token, for `.ci/wrk-posts.lua` against a running server.
pub(crate) async fn wrk_file(
    database_url: Option<&str>,
    count: usize,
    file: &std::path::Path,
) -> Result<()> {
    use std::io::Write;
    let Some(url) = database_url else {
        bail!("--wrk-heartbeats needs the database of the server wrk will drive: --database-url");
    };
    let (db, codes, secret) = devices(url).await?;
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(file).with_context(|| format!("cannot write {}", file.display()))?,
    );
    for i in 0..count {
        let code = &codes[(i * 7) % codes.len()];
        writeln!(out, "/api/v1/telemetry\t{}", heartbeat(code))?;
    }
    out.flush()?;
    db.close().await;
    println!(
        "{count} heartbeats over {} devices in {}",
        codes.len(),
        file.display()
    );
    println!("LANGSO_TOKEN={secret}");
    Ok(())
}

pub(crate) async fn run(
    database_url: Option<&str>,
    seconds: u64,
    connections: usize,
) -> Result<()> {
    let dir = tempfile::tempdir().context("temporary folder")?;
    let url = match database_url {
        Some(url) => url.to_owned(),
        None => dir.path().join("bench.db").to_string_lossy().into_owned(),
    };
    let (db, codes, secret) = devices(&url).await?;
    let before = assets::total_heartbeats(&db).await?;
    // The queue holds twice the nominal connections: 10× of them must overflow it.
    let state = AppState::new(
        db.clone(),
        Settings {
            ingest_capacity: connections * 2,
            ..Settings::default()
        },
    );
    let server = InProcess::start(&state).await?;
    let addr = server.addr;
    println!(
        "{}, {} devices, {connections} connections, {seconds} s per phase",
        db.dialect_name(),
        codes.len()
    );
    let duration = Duration::from_secs(seconds.max(1));
    let codes = Arc::new(codes);
    let warm = post_load(
        addr,
        codes.clone(),
        &secret,
        connections,
        Duration::from_millis(500),
    )
    .await?;
    load(
        addr,
        Arc::new(vec!["/healthz".to_owned()]),
        connections,
        Duration::from_millis(500),
        200,
    )
    .await?;
    let plain = load(
        addr,
        Arc::new(vec!["/healthz".to_owned()]),
        connections,
        duration,
        200,
    )
    .await?;
    let heartbeats = post_load(addr, codes.clone(), &secret, connections, duration).await?;
    plain.print("GET /healthz (plain text)");
    heartbeats.print("POST /api/v1/telemetry (ack)");
    let ratio = heartbeats.rate() / plain.rate().max(1e-9);
    let p99 = heartbeats.percentile(0.99).as_secs_f64() * 1e3;
    println!(
        "acknowledged heartbeats/s {:.0} (target ≥ 10,000): {}; p99 {p99:.1} ms (target ≤ 50): {}; ratio {ratio:.2} × plain text (target ≥ 0.35): {}",
        heartbeats.rate(),
        if heartbeats.rate() >= 10_000.0 {
            "met"
        } else {
            "NOT met"
        },
        if p99 <= 50.0 { "met" } else { "NOT met" },
        if ratio >= 0.35 { "met" } else { "NOT met" }
    );
    let overload = post_load(addr, codes.clone(), &secret, connections * 10, duration).await?;
    overload.print("overload 10× connections");
    let alive = load(
        addr,
        Arc::new(vec!["/healthz".to_owned()]),
        1,
        Duration::from_millis(300),
        200,
    )
    .await?;
    let rss = peak_mb();
    println!(
        "overload: {} acknowledged, {} shed with 503; server alive afterwards: {}; peak RSS {rss:.0} MB (target < 256): {}",
        overload.ok,
        overload.other,
        if alive.ok > 0 { "yes" } else { "NO" },
        if rss < 256.0 { "met" } else { "NOT met" }
    );
    server.stop(&state).await?;
    let (stored, commits, shed) = state.devices.ingest.counters();
    let after = assets::total_heartbeats(&db).await?;
    let acked = warm.ok + heartbeats.ok + overload.ok;
    println!(
        "writer: {stored} readings in {commits} commits (≈{:.0} per commit), {shed} requests shed; {} in the database for {acked} acknowledged: {}",
        stored as f64 / commits.max(1) as f64,
        after - before,
        if (after - before) as u64 >= acked {
            "every acknowledged heartbeat stored"
        } else {
            "MISSING heartbeats"
        }
    );
    db.close().await;
    Ok(())
}

/// `connections` keep-alive devices posting one reading per request for `duration`.
async fn post_load(
    addr: SocketAddr,
    codes: Arc<Vec<String>>,
    token: &str,
    connections: usize,
    duration: Duration,
) -> Result<Phase> {
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(connections);
    for c in 0..connections {
        let (codes, token) = (codes.clone(), token.to_owned());
        tasks.push(tokio::spawn(async move {
            device(addr, codes, token, c, deadline).await
        }));
    }
    gather(started, tasks).await
}

async fn device(
    addr: SocketAddr,
    codes: Arc<Vec<String>>,
    token: String,
    offset: usize,
    deadline: Instant,
) -> Result<Tally> {
    let mut conn = Conn::open(addr).await?;
    let (mut ok, mut other, mut latencies) = (0, 0, Vec::new());
    let mut i = offset;
    while Instant::now() < deadline {
        let code = &codes[i % codes.len()];
        i += 7;
        let body = heartbeat(code);
        let request = format!(
            "POST /api/v1/telemetry HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let (status, took) = conn.ask(&request).await?;
        if status == 200 {
            latencies.push(took);
            ok += 1;
        } else {
            other += 1;
        }
    }
    Ok((ok, other, latencies))
}
