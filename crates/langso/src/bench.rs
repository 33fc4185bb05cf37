//! `langso bench …`: performance figures measured on this machine, each against a baseline
//! taken by the same server in the same run. Benchmarks print; they never fail for being slow.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use langso_app::procedures;
use langso_app::{Db, today};
use langso_web::{AppState, Settings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

use crate::progress::Bar;

/// Which benchmark.
#[derive(Subcommand)]
pub enum BenchCommand {
    /// QR landing: `/q/{token}` redirects (each scan recorded) against `/healthz` plain text.
    Qr {
        /// Seconds per phase.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Concurrent keep-alive connections.
        #[arg(long, default_value_t = 32)]
        connections: usize,
    },
    // --- households ---
    /// Household import: generated households through the import path (CSV parsed, checked,
    /// written with counters in one transaction) beside the database's own insert rate for the
    /// same rows (their INSERTs encoded outside the clock, only the writes timed).
    Import {
        /// Households to generate.
        #[arg(long, default_value_t = 1_000_000)]
        count: usize,
    },
    /// Visits recorded through the HTTP API as phones send them (whole bodies, households at
    /// random over a commune, an officer's token), each acknowledged after commit, with CPU
    /// time per visit.
    Visits {
        /// The commune whose households are visited (the demo's Ô Diên: 18,250 households).
        #[arg(long, default_value = crate::bench_households::COMMUNE)]
        commune: String,
        /// Seconds per run.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Concurrent clients of each run.
        #[arg(long, value_delimiter = ',', default_value = "1,8,32")]
        clients: Vec<usize>,
        /// Instead of running: write this many visits (household id, tab, body) to
        /// `--wrk-file` and print an officer's API token, for `.ci/wrk-posts.lua`.
        #[arg(long, requires = "wrk_file")]
        wrk_visits: Option<usize>,
        /// Where `--wrk-visits` writes.
        #[arg(long)]
        wrk_file: Option<std::path::PathBuf>,
    },
    // --- assets ---
    /// Telemetry: acknowledged heartbeats per second over HTTP against `/healthz` plain text,
    /// then 10× the connections to see the server shed load and stay alive.
    Ingest {
        /// Seconds per phase.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Concurrent keep-alive device connections.
        #[arg(long, default_value_t = 32)]
        connections: usize,
        /// Instead of running: write this many heartbeats (path, tab, body) to `--wrk-file`
        /// and print a device token, for `.ci/wrk-posts.lua`.
        #[arg(long, requires = "wrk_file")]
        wrk_heartbeats: Option<usize>,
        /// Where `--wrk-heartbeats` writes.
        #[arg(long)]
        wrk_file: Option<std::path::PathBuf>,
    },
    // --- dashboard ---
    /// The programme dashboard over 1,000,000 households in 100 communes: p95 for a commune
    /// and for the province against DESIGN.md's targets.
    Dashboard {
        /// Dashboards computed per unit.
        #[arg(long, default_value_t = 200)]
        rounds: usize,
    },
    // --- national ---
    /// The nation (PostgreSQL): 34 provinces, 3,321 communes, 63,600 villages and N households
    /// imported through the import path; database size per household and dashboard p95 for
    /// communes, provinces and the nation, alone and beside a node writing visits.
    National(crate::bench_national::NationalArgs),
}

/// Runs a benchmark. Without `--database-url`, a fresh SQLite demo in a temporary folder.
pub async fn run(database_url: Option<&str>, command: BenchCommand) -> Result<()> {
    match command {
        BenchCommand::Qr {
            seconds,
            connections,
        } => qr(database_url, seconds, connections.max(1)).await,
        // --- households ---
        BenchCommand::Import { count } => crate::bench_households::import(count).await,
        BenchCommand::Visits {
            commune,
            seconds,
            clients,
            wrk_visits,
            wrk_file,
        } => match (wrk_visits, wrk_file) {
            (Some(count), Some(file)) => {
                crate::bench_visits::wrk_file(database_url, &commune, count, &file).await
            }
            _ => crate::bench_visits::visits(database_url, &commune, seconds, &clients).await,
        },
        // --- assets ---
        BenchCommand::Ingest {
            seconds,
            connections,
            wrk_heartbeats,
            wrk_file,
        } => match (wrk_heartbeats, wrk_file) {
            (Some(count), Some(file)) => {
                crate::bench_ingest::wrk_file(database_url, count, &file).await
            }
            _ => crate::bench_ingest::run(database_url, seconds, connections.max(1)).await,
        },
        // --- dashboard ---
        BenchCommand::Dashboard { rounds } => {
            crate::bench_dashboard::run(database_url, rounds.max(1)).await
        }
        BenchCommand::National(args) => crate::bench_national::run(database_url, args).await,
    }
}

/// What one phase measured.
pub(crate) struct Phase {
    pub(crate) ok: u64,
    pub(crate) other: u64,
    pub(crate) elapsed: Duration,
    pub(crate) latencies: Vec<Duration>,
}

impl Phase {
    pub(crate) fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub(crate) fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let index = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[index.min(self.latencies.len() - 1)]
    }

    pub(crate) fn print(&self, name: &str) {
        println!(
            "{name:<28} {:>9.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   ({} ok, {} other)",
            self.rate(),
            self.percentile(0.50).as_secs_f64() * 1e3,
            self.percentile(0.99).as_secs_f64() * 1e3,
            self.ok,
            self.other
        );
    }
}

/// The app served in this process on a free local port, for a benchmark's own clients.
pub(crate) struct InProcess {
    /// Where the clients connect.
    pub(crate) addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl InProcess {
    /// Serves `state`'s router on 127.0.0.1 at a free port.
    pub(crate) async fn start(state: &AppState) -> Result<InProcess> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(langso_web::serve(
            listener,
            langso_web::router(state.clone()),
            async {
                let _ = stopped.await;
            },
        ));
        Ok(InProcess { addr, stop, server })
    }

    /// Stops serving, then lets `state`'s writers finish.
    pub(crate) async fn stop(self, state: &AppState) -> Result<()> {
        let _ = self.stop.send(());
        self.server.await.context("server task")??;
        state.shutdown().await;
        Ok(())
    }
}

async fn qr(database_url: Option<&str>, seconds: u64, connections: usize) -> Result<()> {
    let dir = tempfile::tempdir().context("temporary folder")?;
    let url = match database_url {
        Some(url) => url.to_owned(),
        None => dir.path().join("bench.db").to_string_lossy().into_owned(),
    };
    let db = Db::open(&url)
        .await
        .context("cannot open the benchmark database")?;
    if !langso_app::demo::is_built(&db).await? {
        println!("Đang tạo dữ liệu demo / building the demo…");
        langso_app::demo::build(&db, &Bar::new())
            .await
            .map_err(crate::report)?;
    }
    let hanoi = langso_app::units::by_code(&db, "01", today()).await?;
    let tokens: Vec<String> = procedures::placements_under(&db, &crate::operator(), hanoi.id)
        .await?
        .into_iter()
        .filter(|p| p.active)
        .map(|p| format!("/q/{}", p.token))
        .collect();
    if tokens.is_empty() {
        bail!("no active placement to scan");
    }
    let scans_before = langso_store::procedures::count_scans(&db).await?;

    let state = AppState::new(db.clone(), Settings::default());
    let server = InProcess::start(&state).await?;
    let addr = server.addr;
    println!(
        "{} ({}), {connections} connections, {seconds} s per phase, {} placements",
        db.dialect_name(),
        if database_url.is_some() {
            "given database"
        } else {
            "temporary SQLite demo"
        },
        tokens.len()
    );
    let duration = Duration::from_secs(seconds.max(1));
    // Warm-up: connections, caches, the first scans.
    let warm = load(
        addr,
        Arc::new(tokens.clone()),
        connections,
        Duration::from_millis(500),
        302,
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
    let redirects = load(addr, Arc::new(tokens), connections, duration, 302).await?;
    plain.print("GET /healthz (plain text)");
    redirects.print("GET /q/{token} (302 + scan)");
    let ratio = redirects.rate() / plain.rate().max(1e-9);
    println!(
        "ratio {ratio:.2} × plain text (target ≥ 0.50): {}",
        if ratio >= 0.5 { "met" } else { "NOT met" }
    );

    server.stop(&state).await?;
    let (recorded, lost, commits) = state.scans.counters();
    let scans_after = langso_store::procedures::count_scans(&db).await?;
    let written = scans_after - scans_before;
    println!(
        "scans: {written} written, {recorded} recorded by the writer in {commits} commits (≈{:.0} per commit), {lost} lost",
        recorded as f64 / commits.max(1) as f64
    );
    // Warm-up redirects recorded scans too.
    let answered = redirects.ok + warm.ok;
    println!(
        "every scan recorded: {} ({written} in the database for {answered} redirects)",
        if written as u64 == answered && lost == 0 {
            "yes"
        } else {
            "NO"
        }
    );
    db.close().await;
    Ok(())
}

/// Runs `connections` keep-alive clients for `duration`, cycling through `paths`; a response
/// with status `expect` counts as ok.
pub(crate) async fn load(
    addr: SocketAddr,
    paths: Arc<Vec<String>>,
    connections: usize,
    duration: Duration,
    expect: u16,
) -> Result<Phase> {
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(connections);
    for c in 0..connections {
        let paths = Arc::clone(&paths);
        tasks.push(tokio::spawn(async move {
            client(addr, paths, c, deadline, expect).await
        }));
    }
    gather(started, tasks).await
}

/// What one client counted: answers with the expected status, other answers, latencies.
pub(crate) type Tally = (u64, u64, Vec<Duration>);

/// Waits for a phase's clients (started at `started`) and sums what they counted, latencies
/// sorted.
pub(crate) async fn gather(
    started: Instant,
    tasks: Vec<JoinHandle<Result<Tally>>>,
) -> Result<Phase> {
    let mut phase = Phase {
        ok: 0,
        other: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for task in tasks {
        let (ok, other, mut latencies) = task.await.context("client task")??;
        phase.ok += ok;
        phase.other += other;
        phase.latencies.append(&mut latencies);
    }
    phase.elapsed = started.elapsed();
    phase.latencies.sort_unstable();
    Ok(phase)
}

/// One keep-alive HTTP/1.1 connection of a benchmark client.
pub(crate) struct Conn {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Conn {
    pub(crate) async fn open(addr: SocketAddr) -> Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buffer: Vec::with_capacity(8192),
        })
    }

    /// Sends one request and reads its answer: (status, time until answered).
    pub(crate) async fn ask(&mut self, request: &str) -> Result<(u16, Duration)> {
        let sent = Instant::now();
        self.stream.write_all(request.as_bytes()).await?;
        let status = read_response(&mut self.stream, &mut self.buffer).await?;
        Ok((status, sent.elapsed()))
    }
}

/// One keep-alive HTTP/1.1 client: (ok, other, latencies).
async fn client(
    addr: SocketAddr,
    paths: Arc<Vec<String>>,
    offset: usize,
    deadline: Instant,
    expect: u16,
) -> Result<Tally> {
    let mut conn = Conn::open(addr).await?;
    let (mut ok, mut other, mut latencies) = (0, 0, Vec::new());
    let mut i = offset;
    while Instant::now() < deadline {
        let path = &paths[i % paths.len()];
        i += 1;
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: bench\r\nUser-Agent: langso-bench\r\n\r\n");
        let (status, took) = conn.ask(&request).await?;
        latencies.push(took);
        if status == expect {
            ok += 1;
        } else {
            other += 1;
        }
    }
    Ok((ok, other, latencies))
}

/// Reads one response (headers and a Content-Length body) and returns its status.
async fn read_response(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<u16> {
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_string();
            let status: u16 = head
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_owned())
                })
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let total = end + 4 + length;
            while buffer.len() < total {
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    bail!("connection closed mid-body");
                }
                buffer.extend_from_slice(&chunk[..n]);
            }
            buffer.drain(..total);
            return Ok(status);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            bail!("connection closed");
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}

// --- assets --- (`langso bench ingest` is in `bench_ingest.rs`)
