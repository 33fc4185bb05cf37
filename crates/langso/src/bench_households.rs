//! `langso bench import` and `langso bench visits`: the household register's two heavy paths,
//! each printed beside a baseline measured in the same run.

use std::io::{BufWriter, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use langso_app::auth::{self, NewToken};
use langso_app::households::{self as actions, HouseholdRow, sheet};
use langso_app::progress::NoProgress;
use langso_app::{Db, demo, today};
use langso_domain::auth::Role;
use langso_domain::units::Level;
use langso_web::{AppState, Settings};
use time::OffsetDateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use uuid::Uuid;

use crate::progress::Bar;

/// The commune the benchmarks work in (Ô Diên, Đan Phượng, after the 2025 merger).
const COMMUNE: &str = "09817";

/// Peak resident memory of this process (VmHWM), in MB.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A database with the demo's units only (no households).
async fn units_only(url: &str) -> Result<Db> {
    let db = Db::open(url).await.context("cannot open the database")?;
    demo::seed_before_2025(&db, &NoProgress)
        .await
        .map_err(crate::report)?;
    let plan = demo::plan_2025().map_err(crate::report)?;
    langso_app::units::reorganise(&db, &crate::operator(), &plan, false)
        .await
        .map_err(crate::report)?;
    Ok(db)
}

/// The villages of the benchmark commune: (id, code).
async fn villages(db: &Db) -> Result<(Uuid, Vec<(Uuid, String)>)> {
    let commune = langso_app::units::by_code(db, COMMUNE, today())
        .await
        .map_err(crate::report)?;
    let nodes = langso_store::units::subtree(db, commune.id, today(), 3).await?;
    let villages: Vec<(Uuid, String)> = nodes
        .into_iter()
        .filter(|n| n.unit.kind.level() == Level::Village)
        .map(|n| (n.unit.id, n.unit.code))
        .collect();
    if villages.is_empty() {
        bail!("no village under {COMMUNE}");
    }
    Ok((commune.id, villages))
}

const SURNAMES: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
const GIVEN: [&str; 8] = [
    "An", "Bình", "Cường", "Dũng", "Hương", "Lan", "Phương", "Thảo",
];

/// The i-th generated household: (code, village index, head, phone, members, adults, alley, house).
pub(crate) fn generated(
    i: usize,
    villages: usize,
) -> (String, usize, String, String, i64, i64, String, String) {
    let members = (i % 6) as i64 + 1;
    (
        format!("B{i:07}"),
        i % villages,
        format!(
            "{} Văn {}",
            SURNAMES[i % SURNAMES.len()],
            GIVEN[(i / 8) % GIVEN.len()]
        ),
        // Every other phone has lost its leading 0, as Excel does to numbers.
        if i.is_multiple_of(2) {
            format!("09{:08}", i % 100_000_000)
        } else {
            format!("9{:08}", i % 100_000_000)
        },
        members,
        (members - 1).max(1),
        format!("Ngõ {}", i % 40 + 1),
        format!("{}", i % 200 + 1),
    )
}

/// `langso bench import`: `count` generated households through the real import path (CSV
/// parsed, every cell checked, multi-row INSERTs and counters in one transaction), then the
/// database's own rate for the same rows: generated and encoded into the same INSERTs outside
/// the clock, only their writes timed, into a second database of the same run.
pub async fn import(count: usize) -> Result<()> {
    let dir = tempfile::tempdir().context("temporary folder")?;
    let import_db = units_only(&dir.path().join("import.db").to_string_lossy()).await?;
    let (_, village_list) = villages(&import_db).await?;
    let file = dir.path().join("households.csv");
    {
        let mut out = BufWriter::new(std::fs::File::create(&file)?);
        out.write_all(
            "\u{feff}Mã hộ,Mã thôn,Họ và tên chủ hộ,Số điện thoại,Số thành viên,Số người lớn,Ngõ,Số nhà,Ngày đồng ý\n"
                .as_bytes(),
        )?;
        for i in 0..count {
            let (code, v, head, phone, members, adults, alley, house) =
                generated(i, village_list.len());
            writeln!(
                out,
                "{code},{},{head},{phone},{members},{adults},{alley},{house},05/03/2025",
                village_list[v].1
            )?;
        }
        out.flush()?;
    }
    let size = std::fs::metadata(&file)?.len();
    println!(
        "SQLite, {count} generated households ({:.1} MB CSV), commune {COMMUNE} with {} villages",
        size as f64 / 1e6,
        village_list.len()
    );
    let base_memory = peak_mb();

    let started = Instant::now();
    let rows = sheet::open(std::fs::File::open(&file)?).map_err(crate::report)?;
    let report = actions::import_households(
        &import_db,
        &crate::operator(),
        COMMUNE,
        rows,
        "bench.csv",
        false,
        &Bar::new(),
    )
    .await
    .map_err(crate::report)?;
    let import_time = started.elapsed();
    let import_peak = peak_mb();
    if report.created != count {
        bail!("imported {} of {count}", report.created);
    }
    import_db.close().await;

    // The raw baseline: the database's own insert rate for the same rows. They are generated
    // and encoded into the same multi-row INSERTs outside the clock; only the writes, in one
    // transaction begun as the import begins its own, are timed.
    let raw_db = units_only(&dir.path().join("raw.db").to_string_lossy()).await?;
    let (commune, village_list) = villages(&raw_db).await?;
    let now = OffsetDateTime::now_utc();
    let mut raw_time = Duration::ZERO;
    let mut tx = raw_db.begin_bulk_load(actions::IMPORT_CACHE_MB).await?;
    let mut batch = Vec::with_capacity(1000);
    for i in 0..count {
        let (code, v, head, phone, members, adults, alley, house) =
            generated(i, village_list.len());
        batch.push(HouseholdRow {
            id: Uuid::now_v7(),
            unit_id: village_list[v].0,
            commune_id: commune,
            code,
            hamlet: String::new(),
            alley,
            house_number: house,
            representative_name: head.clone(),
            head_name: head,
            representative_phone: Some(phone),
            citizen_id: None,
            members,
            adults,
            business: false,
            consent_on: None,
            consent_purpose: String::new(),
            notes: String::new(),
            assigned_to: None,
            follow_up_on: None,
            last_visit_on: None,
            erased: false,
            created_at: now,
            updated_at: now,
        });
        if batch.len() == 1000 || i + 1 == count {
            let prepared = langso_store::households::prepare_households(
                &raw_db,
                std::mem::replace(&mut batch, Vec::with_capacity(1000)),
            );
            let started = Instant::now();
            langso_store::households::insert_prepared(&mut tx, prepared).await?;
            raw_time += started.elapsed();
        }
    }
    let started = Instant::now();
    tx.commit().await?;
    raw_time += started.elapsed();
    raw_db.close().await;

    let import_rate = count as f64 / import_time.as_secs_f64().max(1e-9);
    let raw_rate = count as f64 / raw_time.as_secs_f64().max(1e-9);
    println!(
        "import (parse, check, write, counters): {import_rate:>9.0} rows/s  ({:.1} s)",
        import_time.as_secs_f64()
    );
    println!(
        "database alone, same rows and INSERTs:  {raw_rate:>9.0} rows/s  ({:.1} s writing)",
        raw_time.as_secs_f64()
    );
    println!(
        "import / raw: {:.2}; peak memory (VmHWM) after the import {import_peak:.0} MB (before it {base_memory:.0} MB)",
        import_rate / raw_rate.max(1e-9)
    );
    println!(
        "targets: ≥ 100,000 rows/s {}; ≤ 200 MB {}",
        if import_rate >= 100_000.0 {
            "met"
        } else {
            "NOT met"
        },
        if import_peak <= 200.0 {
            "met"
        } else {
            "NOT met"
        }
    );
    Ok(())
}

/// `langso bench visits`: visits recorded through `POST /api/v1/households/{id}/visits`, each
/// answered 201 after its transaction committed, by 1, 8 and 32 keep-alive clients.
pub async fn visits(database_url: Option<&str>, seconds: u64, clients: &[usize]) -> Result<()> {
    let dir = tempfile::tempdir().context("temporary folder")?;
    let url = match database_url {
        Some(url) => url.to_owned(),
        None => dir.path().join("bench.db").to_string_lossy().into_owned(),
    };
    let db = Db::open(&url).await.context("cannot open the database")?;
    if !demo::is_built(&db).await? {
        println!("Đang tạo dữ liệu demo / building the demo…");
        demo::build(&db, &Bar::new()).await.map_err(crate::report)?;
    }
    let (commune, _) = villages(&db).await?;
    let households: Vec<Uuid> =
        langso_store::households::list_households(&db, commune, today(), None, 5000, 0)
            .await?
            .into_iter()
            .filter(|h| !h.erased)
            .map(|h| h.id)
            .collect();
    if households.is_empty() {
        bail!("no household to visit");
    }
    let (_, secret) = auth::create_token(
        &db,
        &crate::operator(),
        &NewToken {
            name: "bench visits".to_owned(),
            kind: "api".to_owned(),
            role: Role::Officer,
            unit_id: commune,
            subject: None,
            expires_at: None,
        },
    )
    .await
    .map_err(crate::report)?;
    let visits_before = count_visits(&db).await?;

    let state = AppState::new(db.clone(), Settings::default());
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
    println!(
        "{} ({}), {} households of {COMMUNE}, {seconds} s per run",
        db.dialect_name(),
        if database_url.is_some() {
            "given database"
        } else {
            "temporary SQLite demo"
        },
        households.len()
    );
    let households = Arc::new(households);
    let secret = Arc::new(secret);
    // Warm-up.
    let (mut total_ok, ..) =
        load(addr, &households, &secret, 4, Duration::from_millis(500)).await?;
    for &n in clients {
        let (ok, other, elapsed, mut latencies) = load(
            addr,
            &households,
            &secret,
            n.max(1),
            Duration::from_secs(seconds.max(1)),
        )
        .await?;
        total_ok += ok;
        latencies.sort_unstable();
        let p = |q: f64| {
            latencies
                .get(((latencies.len().saturating_sub(1)) as f64 * q).round() as usize)
                .map_or(0.0, |d| d.as_secs_f64() * 1e3)
        };
        println!(
            "{n:>3} clients: {:>7.0} visits/s   p50 {:>6.2} ms   p99 {:>6.2} ms   ({ok} recorded, {other} other)   peak memory {:.0} MB",
            ok as f64 / elapsed.as_secs_f64().max(1e-9),
            p(0.5),
            p(0.99),
            peak_mb()
        );
    }
    let _ = stop.send(());
    server.await.context("server task")??;
    state.shutdown().await;
    let written = count_visits(&db).await? - visits_before;
    println!(
        "every acknowledged visit is in the ledger: {} ({written} written, {} acknowledged incl. warm-up)",
        if written == total_ok { "yes" } else { "NO" },
        total_ok
    );
    db.close().await;
    Ok(())
}

async fn count_visits(db: &Db) -> Result<u64> {
    Ok(langso_store::households::count_visits(db).await? as u64)
}

/// Runs `clients` keep-alive clients for `duration`: (acknowledged, other, elapsed, latencies).
async fn load(
    addr: SocketAddr,
    households: &Arc<Vec<Uuid>>,
    secret: &Arc<String>,
    clients: usize,
    duration: Duration,
) -> Result<(u64, u64, Duration, Vec<Duration>)> {
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::new();
    for c in 0..clients {
        let households = Arc::clone(households);
        let secret = Arc::clone(secret);
        tasks.push(tokio::spawn(async move {
            client(addr, households, secret, c, clients, deadline).await
        }));
    }
    let (mut ok, mut other, mut latencies) = (0, 0, Vec::new());
    for task in tasks {
        let (o, x, mut l) = task.await.context("client task")??;
        ok += o;
        other += x;
        latencies.append(&mut l);
    }
    Ok((ok, other, started.elapsed(), latencies))
}

/// One phone: visits households `offset`, `offset + stride`, … in turn.
async fn client(
    addr: SocketAddr,
    households: Arc<Vec<Uuid>>,
    secret: Arc<String>,
    offset: usize,
    stride: usize,
    deadline: Instant,
) -> Result<(u64, u64, Vec<Duration>)> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut buffer = Vec::with_capacity(8192);
    let (mut ok, mut other, mut latencies) = (0, 0, Vec::new());
    let mut i = offset;
    while Instant::now() < deadline {
        let household = households[i % households.len()];
        let body = format!(
            "{{\"values\":{{\"smartphones\":{},\"in_village_group\":1}},\"help\":[\"added_to_group\"]}}",
            i % 4 + 1
        );
        i += stride;
        let request = format!(
            "POST /api/v1/households/{household}/visits HTTP/1.1\r\nHost: bench\r\n\
             Authorization: Bearer {secret}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let sent = Instant::now();
        stream.write_all(request.as_bytes()).await?;
        let status = read_response(&mut stream, &mut buffer).await?;
        latencies.push(sent.elapsed());
        if status == 201 {
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
