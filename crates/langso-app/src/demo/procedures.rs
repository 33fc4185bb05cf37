//! Demo procedures: the five reference procedures, a QR poster at every village's cultural
//! house and at each commune's one-stop office, single-procedure posters at some alley
//! entrances, and a synthetic 60-day scan history (some alley posters silent for the last 45
//! days, so the "no scan in 30 days" list is not empty).

use langso_domain::procedures::PlaceKind;
use langso_domain::units::{Level, UnitKind};
use langso_store::procedures as store;
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};

use super::{DemoSeed, SeedFuture};
use crate::auth::Actor;
use crate::procedures::{NewPlacement, create_placement, seed_catalogue};
use crate::progress::Progress;
use crate::{AppError, AppResult, Db, today};

/// The procedures seed.
pub const SEED: DemoSeed = DemoSeed {
    domain: "procedures",
    run: run_boxed,
};

/// Days of synthetic scan history.
pub const HISTORY_DAYS: i64 = 60;

/// The five codes in poster order (birth, death, marriage, certified copy, marital status).
const CODES: [&str; 5] = ["1.001193", "1.000656", "1.000894", "2.000815", "1.004873"];

fn run_boxed<'a>(db: &'a Db, progress: &'a dyn Progress) -> SeedFuture<'a> {
    Box::pin(run(db, progress))
}

/// A small deterministic generator (SplitMix64), so every demo has the same history.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

async fn run(db: &Db, progress: &dyn Progress) -> AppResult<()> {
    let effective = Date::from_calendar_date(2025, time::Month::July, 1)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let actor = Actor::system("demo");
    seed_catalogue(db, &actor, effective).await?;
    let hanoi = langso_store::units::by_code(db, "01", today())
        .await?
        .ok_or(AppError::NotFound)?;
    let tree = langso_store::units::subtree(db, hanoi.id, today(), 10).await?;
    let all: Vec<String> = CODES.iter().map(|c| (*c).to_owned()).collect();
    let mut plan: Vec<(PlaceKind, NewPlacement)> = Vec::new();
    let mut village_index = 0;
    for node in &tree {
        let unit = &node.unit;
        let place =
            |kind: PlaceKind, label: String, procedures: Vec<String>, shift: f64| NewPlacement {
                unit_id: unit.id,
                kind: kind.as_str().to_owned(),
                label,
                latitude: unit.latitude.map(|v| v + shift),
                longitude: unit.longitude.map(|v| v + shift),
                procedures,
            };
        if unit.kind.level() == Level::Commune {
            let label = format!("Bộ phận một cửa UBND {}", unit.name);
            plan.push((
                PlaceKind::OneStopOffice,
                place(PlaceKind::OneStopOffice, label, all.clone(), 0.0),
            ));
        }
        if matches!(unit.kind, UnitKind::Village | UnitKind::StreetGroup) {
            let short = lower_first(&unit.name);
            let label = format!("Nhà văn hóa {short}");
            plan.push((
                PlaceKind::CulturalHouse,
                place(PlaceKind::CulturalHouse, label, all.clone(), 0.0004),
            ));
            if village_index % 3 == 0 {
                let code = CODES[(village_index / 3) % CODES.len()].to_owned();
                let label = format!("Đầu ngõ {} ({short})", 1 + village_index % 7);
                plan.push((
                    PlaceKind::AlleyEntrance,
                    place(PlaceKind::AlleyEntrance, label, vec![code], -0.0007),
                ));
            }
            village_index += 1;
        }
    }
    progress.start("điểm đặt mã QR / QR placements", plan.len() as u64);
    let mut placements = Vec::with_capacity(plan.len());
    for (kind, input) in plan {
        placements.push((kind, create_placement(db, &actor, input).await?));
        progress.advance(1);
    }
    scan_history(db, &placements).await
}

/// "Thôn Tháp Thượng" → "thôn Tháp Thượng", to follow "Nhà văn hóa".
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Synthetic scans over the last [`HISTORY_DAYS`] days, in Vietnamese daytime hours.
async fn scan_history(
    db: &Db,
    placements: &[(PlaceKind, langso_domain::procedures::Placement)],
) -> AppResult<()> {
    let vietnam = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    let today = today();
    let mut rng = Rng(0x1A46_5030);
    let mut scans = Vec::new();
    let mut alley = 0;
    for (kind, placement) in placements {
        let (rate, silent_days) = match kind {
            PlaceKind::OneStopOffice => (6, 0),
            PlaceKind::CulturalHouse => (3, 0),
            _ => {
                alley += 1;
                (2, if alley % 4 == 0 { 45 } else { 0 })
            }
        };
        for back in silent_days..HISTORY_DAYS {
            let day = today - Duration::days(back);
            for _ in 0..rng.below(rate) {
                let time = Time::from_hms(
                    7 + rng.below(13) as u8,
                    rng.below(60) as u8,
                    rng.below(60) as u8,
                )
                .unwrap_or(Time::MIDNIGHT);
                let at = day
                    .with_time(time)
                    .assume_offset(vietnam)
                    .to_offset(UtcOffset::UTC);
                if at <= OffsetDateTime::now_utc() {
                    scans.push((placement.id, at));
                }
            }
        }
    }
    let mut tx = db.begin().await?;
    store::insert_scans(&mut tx, &scans).await?;
    tx.commit().await?;
    Ok(())
}
