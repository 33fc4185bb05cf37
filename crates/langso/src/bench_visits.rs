//! `langso bench visits`: visits recorded through `POST /api/v1/households/{id}/visits` as a
//! team's phones send them — a whole body each (every indicator of the catalogue within the
//! household's range, help given, a note), households drawn at random from the whole commune,
//! an officer's API token — by 1, 8 and 32 keep-alive clients, each visit answered 201 after
//! its transaction committed. Beside visits/s and p99 it prints the process's CPU time per
//! acknowledged visit. The load runs in the same process as the server (its CPU is in the
//! figure); wrk from outside measures the server alone (README, "Benchmarks").

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use langso_app::auth::{self, NewToken};
use langso_app::{Db, demo, today};
use langso_domain::auth::Role;
use langso_domain::households::{HELP_KINDS, INDICATOR_SEEDS, IndicatorKind};
use langso_web::{AppState, Settings};
use uuid::Uuid;

use crate::bench::{Conn, InProcess, Tally, gather};
use crate::bench_households::peak_mb;
use crate::progress::Bar;

/// A household the phones may visit: what its values must fit.
#[derive(Clone, Copy)]
struct Door {
    id: Uuid,
    adults: i64,
    business: bool,
}

/// Runs the benchmark on `database_url` (a temporary SQLite demo when `None`) in `commune`.
pub async fn visits(
    database_url: Option<&str>,
    commune: &str,
    seconds: u64,
    clients: &[usize],
) -> Result<()> {
    let dir = tempfile::tempdir().context("temporary folder")?;
    let url = match database_url {
        Some(url) => url.to_owned(),
        None => dir.path().join("bench.db").to_string_lossy().into_owned(),
    };
    let (db, doors, secret) = setup(&url, commune).await?;
    let visits_before = count_visits(&db).await?;

    let state = AppState::new(db.clone(), Settings::default());
    let server = InProcess::start(&state).await?;
    let addr = server.addr;
    println!(
        "{} ({}), {} households of {commune} drawn at random, whole bodies, {seconds} s per run",
        db.dialect_name(),
        if database_url.is_some() {
            "given database"
        } else {
            "temporary SQLite demo"
        },
        doors.len()
    );
    let doors = Arc::new(doors);
    let secret = Arc::new(secret);
    // Warm-up.
    let (mut total_ok, ..) = load(addr, &doors, &secret, 4, Duration::from_millis(500)).await?;
    for &n in clients {
        let cpu_before = cpu_seconds();
        let (ok, other, elapsed, mut latencies) = load(
            addr,
            &doors,
            &secret,
            n.max(1),
            Duration::from_secs(seconds.max(1)),
        )
        .await?;
        let cpu = cpu_seconds() - cpu_before;
        total_ok += ok;
        latencies.sort_unstable();
        let p = |q: f64| {
            latencies
                .get(((latencies.len().saturating_sub(1)) as f64 * q).round() as usize)
                .map_or(0.0, |d| d.as_secs_f64() * 1e3)
        };
        println!(
            "{n:>3} clients: {:>7.0} visits/s   p50 {:>6.2} ms   p99 {:>6.2} ms   CPU {:.2} ms per visit   ({ok} recorded, {other} other)   peak memory {:.0} MB",
            ok as f64 / elapsed.as_secs_f64().max(1e-9),
            p(0.5),
            p(0.99),
            cpu * 1e3 / (ok.max(1) as f64),
            peak_mb()
        );
    }
    server.stop(&state).await?;
    let written = count_visits(&db).await? - visits_before;
    println!(
        "every acknowledged visit is in the ledger: {} ({written} written, {} acknowledged incl. warm-up)",
        if written == total_ok { "yes" } else { "NO" },
        total_ok
    );
    db.close().await;
    Ok(())
}

/// The database (the demo built when it is empty), the commune's households and a new
/// officer's API token on the commune.
async fn setup(url: &str, commune: &str) -> Result<(Db, Vec<Door>, String)> {
    let db = Db::open(url).await.context("cannot open the database")?;
    if !demo::is_built(&db).await? {
        println!("Đang tạo dữ liệu demo / building the demo…");
        demo::build(&db, &Bar::new()).await.map_err(crate::report)?;
    }
    let unit = langso_app::units::by_code(&db, commune, today())
        .await
        .map_err(crate::report)?;
    let doors: Vec<Door> =
        langso_store::households::list_households(&db, unit.id, today(), None, 10_000_000, 0)
            .await?
            .into_iter()
            .filter(|h| !h.erased)
            .map(|h| Door {
                id: h.id,
                adults: h.adults.max(0),
                business: h.business,
            })
            .collect();
    if doors.is_empty() {
        bail!("no household to visit under {commune}");
    }
    let (_, secret) = auth::create_token(
        &db,
        &crate::operator(),
        &NewToken {
            name: "bench visits".to_owned(),
            kind: "api".to_owned(),
            role: Role::Officer,
            unit_id: unit.id,
            subject: None,
            expires_at: None,
        },
    )
    .await
    .map_err(crate::report)?;
    Ok((db, doors, secret))
}

/// Writes `count` visits drawn as the benchmark draws them to `file`, one per line (path, a
/// tab, the JSON body), and prints the token to send them with: what `.ci/wrk-posts.lua`
/// reads to drive a running server from outside.
pub async fn wrk_file(
    database_url: Option<&str>,
    commune: &str,
    count: usize,
    file: &std::path::Path,
) -> Result<()> {
    let Some(url) = database_url else {
        bail!("--wrk-visits needs the database of the server wrk will drive: --database-url");
    };
    let (db, doors, secret) = setup(url, commune).await?;
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(file).with_context(|| format!("cannot write {}", file.display()))?,
    );
    let mut dice = Dice::new(7);
    for _ in 0..count {
        let door = doors[dice.below(doors.len() as u64) as usize];
        writeln!(
            out,
            "/api/v1/households/{}/visits\t{}",
            door.id,
            body(&door, &mut dice)
        )?;
    }
    out.flush()?;
    db.close().await;
    println!(
        "{count} visits over {} households in {}",
        doors.len(),
        file.display()
    );
    println!("LANGSO_TOKEN={secret}");
    Ok(())
}

async fn count_visits(db: &Db) -> Result<u64> {
    Ok(langso_store::households::count_visits(db).await? as u64)
}

/// User and system CPU time of this process so far, in seconds (`/proc/self/stat` counts in
/// USER_HZ, 100 a second on Linux).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // Fields after the command name (which may hold spaces) in parentheses.
            let rest = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let user: f64 = fields.get(11)?.parse().ok()?;
            let system: f64 = fields.get(12)?.parse().ok()?;
            Some((user + system) / 100.0)
        })
        .unwrap_or(0.0)
}

/// Runs `clients` keep-alive clients for `duration`: (acknowledged, other, elapsed, latencies).
async fn load(
    addr: SocketAddr,
    doors: &Arc<Vec<Door>>,
    secret: &Arc<String>,
    clients: usize,
    duration: Duration,
) -> Result<(u64, u64, Duration, Vec<Duration>)> {
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::new();
    for c in 0..clients {
        let doors = Arc::clone(doors);
        let secret = Arc::clone(secret);
        tasks.push(tokio::spawn(async move {
            client(addr, doors, secret, c as u64, deadline).await
        }));
    }
    let phase = gather(started, tasks).await?;
    Ok((phase.ok, phase.other, phase.elapsed, phase.latencies))
}

/// A small xorshift generator: each phone its own sequence, no dependency for a benchmark.
struct Dice(u64);

impl Dice {
    fn new(seed: u64) -> Dice {
        Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        if n == 0 { 0 } else { self.0 % n }
    }
}

/// A visit's body as the round's form sends it: every indicator the household may hold
/// within its range (level 2 never above level 1), two kinds of help, a note.
fn body(door: &Door, dice: &mut Dice) -> String {
    let adults = u64::try_from(door.adults).unwrap_or(0);
    let mut values = Vec::new();
    let mut level1 = 0;
    for seed in INDICATOR_SEEDS.iter() {
        if seed.business_only && !door.business {
            continue;
        }
        let value = match seed.kind {
            IndicatorKind::YesNo => dice.below(2),
            IndicatorKind::Count => dice.below(5),
            IndicatorKind::Level => dice.below(3),
            IndicatorKind::AdultCount if seed.code == "vneid_2" => dice.below(level1 + 1),
            IndicatorKind::AdultCount => dice.below(adults + 1),
        };
        if seed.code == "vneid_1" {
            level1 = value;
        }
        values.push(format!("\"{}\":{value}", seed.code));
    }
    let help = |dice: &mut Dice| HELP_KINDS[dice.below(HELP_KINDS.len() as u64) as usize].0;
    format!(
        "{{\"values\":{{{}}},\"help\":[\"{}\",\"{}\"],\"notes\":\"Đã hướng dẫn cài VNeID cho người con; hẹn quay lại tuần sau để lên mức 2.\"}}",
        values.join(","),
        help(dice),
        help(dice)
    )
}

/// One phone: visits households drawn at random until `deadline`.
async fn client(
    addr: SocketAddr,
    doors: Arc<Vec<Door>>,
    secret: Arc<String>,
    seed: u64,
    deadline: Instant,
) -> Result<Tally> {
    let mut conn = Conn::open(addr).await?;
    let (mut ok, mut other, mut latencies) = (0, 0, Vec::new());
    let mut dice = Dice::new(seed + 1);
    while Instant::now() < deadline {
        let door = doors[dice.below(doors.len() as u64) as usize];
        let body = body(&door, &mut dice);
        let request = format!(
            "POST /api/v1/households/{}/visits HTTP/1.1\r\nHost: bench\r\n\
             Authorization: Bearer {secret}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            door.id,
            body.len()
        );
        let (status, took) = conn.ask(&request).await?;
        latencies.push(took);
        if status == 201 {
            ok += 1;
        } else {
            other += 1;
        }
    }
    Ok((ok, other, latencies))
}
