//! The demo: a synthetic Đan Phượng programme built from the real reference data.
//!
//! Each domain exposes one [`DemoSeed`] (decidim's habit): adding a capability adds its seed to
//! [`SEEDS`], so `langso demo` always shows everything built. Only the administrative units
//! and codes are real; villages and everything below them are generated, and the UI says so.

mod assets;
mod auth;
// --- comms ---
mod comms;
mod households;
// --- dashboard: plans and targets ---
mod plans;
mod procedures;
mod units;
// --- teams, criteria ---
mod teams;

use std::future::Future;
use std::pin::Pin;

use crate::progress::Progress;
use crate::{AppResult, Db};

/// The future a seed returns.
pub type SeedFuture<'a> = Pin<Box<dyn Future<Output = AppResult<()>> + Send + 'a>>;

/// A domain's contribution to the demo database.
pub struct DemoSeed {
    /// The domain's name, as in every crate.
    pub domain: &'static str,
    /// Adds the domain's demo data. Seeds run in [`SEEDS`] order, so later ones can read what
    /// earlier ones made.
    pub run: for<'a> fn(&'a Db, &'a dyn Progress) -> SeedFuture<'a>,
}

/// Every domain's seed, in dependency order.
pub const SEEDS: &[DemoSeed] = &[
    units::SEED,
    auth::SEED,
    households::SEED,
    procedures::SEED,
    // --- teams, criteria ---
    teams::SEED,
    // --- comms ---
    comms::SEED,
    // --- assets ---
    assets::SEED,
    // --- dashboard: plans and targets ---
    plans::SEED,
];

/// How many households the demo generates per village: the real demo has about 42,000 in all;
/// tests use a handful per village so that each starts in a moment. Process-wide, because
/// seeds keep one signature.
static SMALL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether the demo is being built small (tests).
pub fn is_small() -> bool {
    SMALL.load(std::sync::atomic::Ordering::Relaxed)
}

/// The whole demo, with a few households per village instead of ~325: for tests.
pub async fn build_small(db: &Db, progress: &dyn Progress) -> AppResult<()> {
    SMALL.store(true, std::sync::atomic::Ordering::Relaxed);
    build(db, progress).await
}

/// Fills an empty database with the whole demo.
pub async fn build(db: &Db, progress: &dyn Progress) -> AppResult<()> {
    for seed in SEEDS {
        tracing::info!(domain = seed.domain, "seeding demo data");
        (seed.run)(db, progress).await?;
    }
    Ok(())
}

pub use procedures::HISTORY_DAYS;
pub use teams::{DEMO_AS_OF, DEMO_CRITERIA_JSON};
// --- comms ---
pub use comms::DEMO_GROUPS;

/// The demo's asset figures.
pub use assets::{CAMERAS_PER_VILLAGE, SOLAR_PER_VILLAGE, WIFI_POINTS};

/// The demo's figures and stages, for other seeds and for tests.
pub use auth::{DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount};
pub use units::{
    DEMO_CLUSTERS, DEMO_VILLAGES, LINEAGE_CSV, UNITS_CSV, plan_2025, seed_before_2025,
};

/// Whether the demo has already been built in this database.
pub async fn is_built(db: &Db) -> AppResult<bool> {
    let hanoi = langso_store::units::holders_of_code(db, "01").await?;
    Ok(!hanoi.is_empty())
}

/// Empties a PostgreSQL demo database (`langso demo --reset`): drops and recreates the public
/// schema. SQLite demo files are simply deleted by the binary.
pub async fn wipe_postgres(db: &Db) -> AppResult<()> {
    langso_store::wipe_postgres(db).await?;
    Ok(())
}
