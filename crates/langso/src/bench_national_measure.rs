//! The figures of `langso bench national`: the database's size per household (whole and per
//! table), then dashboard p95 for communes, provinces and the nation through the app's own
//! dashboard functions, each sample a different unit, first alone and then while a second
//! node (its own pool and its own visit writer, as `langso serve` runs it) records visits.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use langso_app::households::{VisitInput, VisitWriter};
use langso_app::{Db, dashboard, today};
use uuid::Uuid;

use crate::bench_national::{NationalArgs, Shape, province_code};

/// Dashboard targets of DESIGN.md, in ms: commune, province, nation.
const TARGETS: [f64; 3] = [20.0, 50.0, 100.0];

fn p(latencies: &mut [Duration], q: f64) -> f64 {
    if latencies.is_empty() {
        return 0.0;
    }
    latencies.sort();
    let i = ((latencies.len() as f64 - 1.0) * q).round() as usize;
    latencies[i.min(latencies.len() - 1)].as_secs_f64() * 1e3
}

/// Sizes, then the dashboards without and with the write load.
pub async fn run(
    db: &Db,
    url: &str,
    shape: &Shape,
    communes: &[Uuid],
    args: &NationalArgs,
) -> Result<()> {
    langso_store::sizes::analyze(db).await?;
    sizes(db, shape.households).await?;
    let mut provinces = Vec::new();
    for p in 0..shape.provinces {
        provinces.push(
            langso_app::units::by_code(db, &province_code(p), today())
                .await?
                .id,
        );
    }
    let samples = args.samples.max(1);
    // Warm-up: the roll-ups are rebuilt here if the tree changed, caches fill.
    dashboard::dashboard(db, &crate::operator(), communes[0], today()).await?;
    dashboard::dashboard(db, &crate::operator(), provinces[0], today()).await?;
    println!("dashboards, {samples} samples per level, each a different unit in turn");
    measure(db, communes, &provinces, samples, "alone").await?;

    // A second node: its own pool and visit writer, visiting households of many communes.
    let node = Db::open(url).await?;
    let writer = VisitWriter::start(node.clone());
    let mut households = Vec::new();
    for &c in communes.iter().step_by((communes.len() / 50).max(1)) {
        for h in langso_store::households::list_households(&node, c, today(), None, 200, 0).await? {
            households.push(h.id);
        }
    }
    let households = Arc::new(households);
    let stop = Arc::new(AtomicBool::new(false));
    let (written, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let started = Instant::now();
    let mut clients = Vec::new();
    for w in 0..args.writers.max(1) {
        let (writer, households, stop) = (writer.clone(), households.clone(), stop.clone());
        let (written, failed) = (written.clone(), failed.clone());
        let stride = args.writers.max(1);
        clients.push(tokio::spawn(async move {
            let actor = crate::operator();
            let mut i = w;
            while !stop.load(Ordering::Relaxed) && !households.is_empty() {
                let household = households[i % households.len()];
                let input: VisitInput = serde_json::from_value(serde_json::json!({
                    "values": {"smartphones": i % 4 + 1, "in_village_group": 1},
                    "help": ["added_to_group"],
                }))?;
                i += stride;
                match writer.record(&actor, household, &input).await {
                    Ok(_) => written.fetch_add(1, Ordering::Relaxed),
                    Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                };
            }
            anyhow::Ok(())
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = written.load(Ordering::Relaxed);
    let load_started = Instant::now();
    measure(
        db,
        communes,
        &provinces,
        samples,
        "while a node writes visits",
    )
    .await?;
    let during = written.load(Ordering::Relaxed) - before;
    let seconds = load_started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await??;
    }
    writer.shutdown().await;
    let (recorded, commits) = writer.counters();
    println!(
        "write load: {} visit clients on a second pool, {:.0} visits/s while measuring ({recorded} visits in {commits} commits over {:.1} s, {} refused)",
        args.writers.max(1),
        during as f64 / seconds.max(1e-9),
        started.elapsed().as_secs_f64(),
        failed.load(Ordering::Relaxed)
    );
    node.close().await;
    // What a visit costs on disk, for sizing the ledger's growth.
    let visits = langso_store::households::count_visits(db).await?.max(1) as f64;
    let (_, tables) = langso_store::sizes::database_size(db).await?;
    if let Some(t) = tables.iter().find(|t| t.table == "visits") {
        println!(
            "visits ledger: {visits:.0} visits, {:.0} + {:.0} bytes per visit (table + indexes)",
            t.table_bytes as f64 / visits,
            t.index_bytes as f64 / visits
        );
    }
    Ok(())
}

/// Prints the database's size, per household and per table (largest ten).
async fn sizes(db: &Db, households: usize) -> Result<()> {
    let (total, tables) = langso_store::sizes::database_size(db).await?;
    let n = households.max(1) as f64;
    println!(
        "database: {:.1} MB, {:.0} bytes per household",
        total as f64 / 1e6,
        total as f64 / n
    );
    for t in tables.iter().take(10) {
        println!(
            "  {:<28} table {:>9.1} MB   indexes {:>9.1} MB   ({:.0} + {:.0} bytes per household)",
            t.table,
            t.table_bytes as f64 / 1e6,
            t.index_bytes as f64 / 1e6,
            t.table_bytes as f64 / n,
            t.index_bytes as f64 / n
        );
    }
    Ok(())
}

/// What the dashboard page (`pages/dashboard`) asks the app for a unit: the dashboard, the
/// unit's level, and the work orders' service block.
async fn page(db: &Db, actor: &langso_app::Actor, unit: Uuid) -> Result<()> {
    use langso_app::faults::levels;
    dashboard::dashboard(db, actor, unit, today()).await?;
    langso_app::units::get(db, unit).await?;
    levels::overdue_count(db, actor, unit).await?;
    levels::on_time_by_commune(db, actor, unit, today()).await?;
    Ok(())
}

/// Times `samples` dashboards per level, cycling through the units of each level.
async fn measure(
    db: &Db,
    communes: &[Uuid],
    provinces: &[Uuid],
    samples: usize,
    phase: &str,
) -> Result<()> {
    let actor = crate::operator();
    let step = (communes.len() / samples).max(1);
    let mut commune = Vec::with_capacity(samples);
    for k in 0..samples {
        let unit = communes[(k * step + k / communes.len()) % communes.len()];
        let start = Instant::now();
        page(db, &actor, unit).await?;
        commune.push(start.elapsed());
    }
    let mut province = Vec::with_capacity(samples);
    for k in 0..samples {
        let start = Instant::now();
        page(db, &actor, provinces[k % provinces.len()]).await?;
        province.push(start.elapsed());
    }
    let mut nation = Vec::with_capacity(samples);
    for _ in 0..samples {
        let start = Instant::now();
        dashboard::national(db, &actor, today()).await?;
        nation.push(start.elapsed());
    }
    println!("{phase}:");
    for ((name, latencies), target) in [
        ("commune", &mut commune),
        ("province", &mut province),
        ("nation", &mut nation),
    ]
    .into_iter()
    .zip(TARGETS)
    {
        let (p50, p95) = (p(latencies, 0.50), p(latencies, 0.95));
        println!(
            "  dashboard, {name:<9} p50 {p50:>8.2} ms   p95 {p95:>8.2} ms   max {:>8.2} ms   target ≤ {target} ms: {}",
            p(latencies, 1.0),
            if p95 <= target { "met" } else { "NOT met" }
        );
    }
    Ok(())
}
