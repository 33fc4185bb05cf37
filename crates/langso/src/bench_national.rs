//! `langso bench national`: the nation's tree as of 2025-07-01 (34 provinces, 3,321 communes,
//! about 63,600 villages; synthetic names, the counts as given) and N households spread over
//! it, imported through the household import path (`import_households`, the function behind
//! the web upload and `langso import households`) one commune's file at a time, as each
//! commune office would; then the figures of `bench_national_measure`. PostgreSQL only.
//!
//! Deterministic: the same arguments give the same tree and the same households. A run over a
//! database that already holds them skips what is there: a province whose code exists is not
//! imported again, nor a commune already holding its households (each commune's import is
//! all or nothing), so a stopped run resumes where it stopped.

use std::fmt::Write as _;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use langso_app::progress::{NoProgress, Progress};
use langso_app::{Db, today};
use uuid::Uuid;

use crate::progress::Bar;

/// Provinces and centrally governed cities after the 2025 reorganisation.
pub const PROVINCES: usize = 34;
/// Communes, wards and special zones after it.
pub const COMMUNES: usize = 3_321;
/// Thôn and tổ dân phố (about; the benchmark uses this count).
pub const VILLAGES: usize = 63_600;

/// `langso bench national` options.
#[derive(Args, Clone, Debug)]
pub struct NationalArgs {
    /// Households to generate and import, spread evenly over the communes.
    #[arg(long, default_value_t = 5_000_000)]
    pub households: usize,
    /// Provinces to build (1–34); communes and villages shrink in proportion (a small run).
    #[arg(long, default_value_t = PROVINCES)]
    pub provinces: usize,
    /// Communes imported at once (each its own import, on its own connection).
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Dashboards timed per level (commune, province, nation) and phase.
    #[arg(long, default_value_t = 200)]
    pub samples: usize,
    /// Concurrent visit clients of the second node during the write-load phase.
    #[arg(long, default_value_t = 8)]
    pub writers: usize,
    /// Measure the database as it is (an import stopped part way): no building, no import.
    #[arg(long)]
    pub measure_only: bool,
}

/// The tree's shape: how many of each, and which commune holds what. Communes are dealt out
/// to the provinces in turn (commune `c` is in province `c % provinces`).
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub provinces: usize,
    pub communes: usize,
    pub villages: usize,
    pub households: usize,
}

impl Shape {
    /// The nation, or `provinces` of its 34 with communes and villages in proportion.
    pub fn new(provinces: usize, households: usize) -> Shape {
        let p = provinces.clamp(1, PROVINCES);
        let share = |n: usize| ((n * p + PROVINCES / 2) / PROVINCES).max(p);
        Shape {
            provinces: p,
            communes: share(COMMUNES),
            villages: share(VILLAGES).max(share(COMMUNES)),
            households,
        }
    }

    /// Villages of commune `c` (19 or 20 for the nation).
    pub fn villages_of(&self, c: usize) -> usize {
        self.villages / self.communes + usize::from(c < self.villages % self.communes)
    }

    /// (first household index, households) of commune `c`.
    pub fn households_of(&self, c: usize) -> (usize, usize) {
        let (base, extra) = (
            self.households / self.communes,
            self.households % self.communes,
        );
        (c * base + c.min(extra), base + usize::from(c < extra))
    }
}

pub fn province_code(p: usize) -> String {
    format!("{:02}", p + 1)
}

pub fn commune_code(c: usize) -> String {
    format!("{:05}", c + 1)
}

pub fn village_code(commune: &str, v: usize) -> String {
    format!("{commune}-T{:02}", v + 1)
}

/// Builds what is missing, imports the households, then measures.
pub async fn run(database_url: Option<&str>, args: NationalArgs) -> Result<()> {
    let Some(url) = database_url.filter(|u| u.starts_with("postgres")) else {
        bail!(
            "bench national needs PostgreSQL: --database-url postgres://… (or LANGSO_DATABASE_URL)"
        );
    };
    let db = Db::open(url)
        .await
        .context("cannot open the benchmark database")?;
    let shape = Shape::new(args.provinces, args.households);
    println!(
        "{}: {} provinces, {} communes, {} villages, {} households",
        db.dialect_name(),
        shape.provinces,
        shape.communes,
        shape.villages,
        shape.households
    );
    let mut shape = shape;
    let communes = if args.measure_only {
        let communes = commune_ids(&db, &shape).await?;
        shape.households = households_held(&db, &shape).await?;
        println!("measuring as it is: {} households", shape.households);
        communes
    } else {
        let started = Instant::now();
        build_tree(&db, &shape).await?;
        println!("tree ready in {:.1} s", started.elapsed().as_secs_f64());
        let communes = commune_ids(&db, &shape).await?;
        let jobs = args.jobs.max(1);
        let (imported, seconds) =
            crate::bench_national_import::import_all(&db, &shape, &communes, jobs).await?;
        if imported > 0 {
            println!(
                "import: {imported} households in {seconds:.1} s: {:.0} rows/s ({jobs} at once, through import_households)",
                imported as f64 / seconds.max(1e-9),
            );
        } else {
            println!("import: every commune already holds its households");
        }
        communes
    };
    crate::bench_national_measure::run(&db, url, &shape, &communes, &args).await?;
    db.close().await;
    Ok(())
}

/// Each missing province as one units CSV (the same validation as any units import), with
/// the demo's criteria set in force for it.
async fn build_tree(db: &Db, shape: &Shape) -> Result<()> {
    let actor = crate::operator();
    langso_app::households::ensure_catalogue(db).await?;
    let bar = Bar::new();
    bar.start("tỉnh / provinces", shape.provinces as u64);
    for p in 0..shape.provinces {
        let code = province_code(p);
        if langso_app::units::by_code(db, &code, today()).await.is_ok() {
            bar.advance(1);
            continue;
        }
        let mut csv = String::from(
            "code,name,kind,parent_code,valid_from,valid_to,note,latitude,longitude\n",
        );
        // From 2000, so the demo criteria set (in force from 2022) finds its province.
        let _ = writeln!(
            csv,
            "{code},Tỉnh Thử {},province,,2000-01-01,,bench,,",
            p + 1
        );
        for c in (p..shape.communes).step_by(shape.provinces) {
            let commune = commune_code(c);
            let _ = writeln!(
                csv,
                "{commune},Xã Thử {},commune,{code},2000-01-01,,bench,,",
                c + 1
            );
            for v in 0..shape.villages_of(c) {
                let (lat, lon) = (
                    8.5 + (c % 150) as f64 * 0.1,
                    102.2 + (c / 150) as f64 * 0.05 + v as f64 * 0.002,
                );
                let _ = writeln!(
                    csv,
                    "{},Thôn {},village,{commune},2000-01-01,,bench,{lat:.4},{lon:.4}",
                    village_code(&commune, v),
                    v + 1
                );
            }
        }
        langso_app::units::import_units_csv(db, &actor, csv.as_bytes(), false, &NoProgress)
            .await
            .map_err(crate::report)?;
        let file = langso_app::criteria::import_json(
            langso_app::demo::DEMO_CRITERIA_JSON
                .replace("\"province\": \"01\"", &format!("\"province\": \"{code}\""))
                .as_bytes(),
        )?;
        langso_app::criteria::import_set(db, &actor, &file)
            .await
            .map_err(crate::report)?;
        bar.advance(1);
    }
    Ok(())
}

/// Households registered under the provinces built.
async fn households_held(db: &Db, shape: &Shape) -> Result<usize> {
    let mut total = 0;
    for p in 0..shape.provinces {
        let province = langso_app::units::by_code(db, &province_code(p), today()).await?;
        total += langso_store::households::counters_under(db, province.id, today())
            .await?
            .into_iter()
            .find(|(k, _)| k == "households")
            .map_or(0, |(_, v)| v);
    }
    Ok(usize::try_from(total).unwrap_or(0))
}

/// The id of every commune, by index.
async fn commune_ids(db: &Db, shape: &Shape) -> Result<Vec<Uuid>> {
    let mut ids = vec![Uuid::nil(); shape.communes];
    for p in 0..shape.provinces {
        let province = langso_app::units::by_code(db, &province_code(p), today()).await?;
        for unit in langso_app::units::children(db, province.id, today()).await? {
            if let Some(c) = unit
                .code
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                && c < shape.communes
            {
                ids[c] = unit.id;
            }
        }
    }
    if let Some(c) = ids.iter().position(Uuid::is_nil) {
        bail!(
            "commune {} is missing: the database holds another tree",
            commune_code(c)
        );
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nation_has_the_counts_given() {
        let s = Shape::new(34, 5_000_000);
        assert_eq!((s.provinces, s.communes, s.villages), (34, 3_321, 63_600));
        let villages: usize = (0..s.communes).map(|c| s.villages_of(c)).sum();
        let households: usize = (0..s.communes).map(|c| s.households_of(c).1).sum();
        assert_eq!((villages, households), (63_600, 5_000_000));
        let last = s.households_of(s.communes - 1);
        assert_eq!(last.0 + last.1, 5_000_000);
        let small = Shape::new(2, 2_000);
        assert_eq!((small.communes, small.villages), (195, 3_741));
    }
}
