//! The import phase of `langso bench national`: each commune's register written as the CSV
//! file its office would upload, and imported through `import_households` (the function
//! behind the web upload and `langso import households`), several communes at once.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use langso_app::households::{import_households, sheet};
use langso_app::progress::{NoProgress, Progress};
use langso_app::{Db, today};
use uuid::Uuid;

use crate::bench_households::generated;
use crate::bench_national::{Shape, commune_code, village_code};
use crate::progress::Bar;

/// One commune's register as the office's CSV file.
fn commune_file(shape: &Shape, c: usize) -> Vec<u8> {
    let commune = commune_code(c);
    let villages = shape.villages_of(c);
    let (first, count) = shape.households_of(c);
    let mut out = String::with_capacity(count * 80 + 200);
    out.push_str("Mã hộ,Mã thôn,Họ và tên chủ hộ,Số điện thoại,Số thành viên,Số người lớn,Ngõ,Số nhà,Ngày đồng ý\n");
    for i in first..first + count {
        let (code, _, head, phone, members, adults, alley, house) = generated(i, villages);
        let village = village_code(&commune, i % villages);
        let _ = writeln!(
            out,
            "{code},{village},{head},{phone},{members},{adults},{alley},{house},05/03/2025"
        );
    }
    out.into_bytes()
}

/// Imports every commune still without its households, `jobs` at a time, printing progress
/// (a line every 5 % for logs, a bar on a terminal): (households imported, seconds).
pub async fn import_all(
    db: &Db,
    shape: &Shape,
    communes: &[Uuid],
    jobs: usize,
) -> Result<(u64, f64)> {
    let mut todo = Vec::new();
    for (c, id) in communes.iter().enumerate() {
        let (_, expected) = shape.households_of(c);
        let have = langso_store::households::counters_under(db, *id, today())
            .await?
            .into_iter()
            .find(|(k, _)| k == "households")
            .map_or(0, |(_, v)| v);
        if expected > 0 && have == 0 {
            todo.push(c);
        } else if have as usize != expected {
            bail!(
                "commune {} holds {have} households, not {expected}: another run's database",
                commune_code(c)
            );
        }
    }
    let total: u64 = todo.iter().map(|c| shape.households_of(*c).1 as u64).sum();
    if total == 0 {
        return Ok((0, 0.0));
    }
    println!("importing {total} households into {} communes…", todo.len());
    let bar = Arc::new(Bar::new());
    bar.start("nhập hộ / households", total);
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let todo = Arc::new(todo);
    let mut tasks = Vec::new();
    for job in 0..jobs {
        let (db, bar, done, todo, shape) =
            (db.clone(), bar.clone(), done.clone(), todo.clone(), *shape);
        tasks.push(tokio::spawn(async move {
            let actor = crate::operator();
            for &c in todo.iter().skip(job).step_by(jobs) {
                let rows = sheet::open(std::io::Cursor::new(commune_file(&shape, c)))
                    .map_err(crate::report)?;
                let file = format!("bench-{}.csv", commune_code(c));
                let report = import_households(
                    &db,
                    &actor,
                    &commune_code(c),
                    rows,
                    &file,
                    false,
                    &NoProgress,
                )
                .await
                .map_err(crate::report)?;
                bar.advance(report.created as u64);
                let before = done.fetch_add(report.created as u64, Ordering::Relaxed);
                let after = before + report.created as u64;
                if after * 20 / total != before * 20 / total {
                    println!(
                        "  {after} of {total} households ({:.0} rows/s)",
                        after as f64 / started.elapsed().as_secs_f64().max(1e-9)
                    );
                }
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await.context("import task")??;
    }
    Ok((
        done.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64(),
    ))
}
