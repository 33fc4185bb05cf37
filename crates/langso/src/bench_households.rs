//! `langso bench import`: the household import printed beside the database's own insert rate
//! for the same rows, measured in the same run (visits are in `bench_visits`).

use std::io::{BufWriter, Write};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use langso_app::households::{self as actions, HouseholdRow, sheet};
use langso_app::progress::NoProgress;
use langso_app::{Db, demo, today};
use langso_domain::units::Level;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::progress::Bar;

/// The commune the benchmarks work in (Ô Diên, Đan Phượng, after the 2025 merger).
pub(crate) const COMMUNE: &str = "09817";

/// Peak resident memory of this process (VmHWM), in MB.
pub(crate) fn peak_mb() -> f64 {
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
