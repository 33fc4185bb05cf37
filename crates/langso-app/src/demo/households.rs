//! Demo households: about 42,000 synthetic households in the 129 demo villages, with
//! Vietnamese names, hamlets and alleys, adoption levels that differ between villages, and
//! door-to-door visits from 2022 to 2025 so that progress over time shows. Every household was
//! visited at least once by the end of 2024, as the source reports 100% coverage.
//!
//! Loaded in bulk (multi-row INSERTs, counters summed in memory), not visit by visit.

use std::collections::BTreeMap;

use langso_domain::households::{INDICATOR_SEEDS, IndicatorKind};
use langso_domain::units::Level;
use langso_store::households::{self as store, HouseholdRow, VisitRow};
use langso_store::units as unit_store;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::{DemoSeed, SeedFuture};
use crate::households::ensure_catalogue;
use crate::progress::Progress;
use crate::{AppResult, Db, today};

/// The households seed.
pub const SEED: DemoSeed = DemoSeed {
    domain: "households",
    run: run_boxed,
};

fn run_boxed<'a>(db: &'a Db, progress: &'a dyn Progress) -> SeedFuture<'a> {
    Box::pin(run(db, progress))
}

const SURNAMES: [&str; 14] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý",
];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Đức", "Minh", "Quang", "Hữu", "Ngọc", "Thanh"];
const GIVEN: [&str; 28] = [
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Lan", "Linh",
    "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang",
    "Tuấn", "Vân", "Yến", "Khoa",
];
const HAMLETS: [&str; 4] = ["Xóm Đông", "Xóm Đoài", "Xóm Giữa", "Xóm Trại"];

/// A small deterministic generator (the demo is the same at every build).
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 10_000) as f64 / 10_000.0 < p
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

fn day(year: i32, ordinal: u16) -> Date {
    Date::from_ordinal_date(year, ordinal.clamp(1, 365)).unwrap_or(Date::MIN)
}

/// Households per village: 328 in Tháp Thượng (the pilot village of the source), between 250
/// and 400 elsewhere; about 42,000 in all.
fn household_count(code: &str, index: usize) -> usize {
    if super::is_small() {
        return 6;
    }
    if code == "09829-T01" {
        328
    } else {
        250 + (index * 37 % 151)
    }
}

async fn run(db: &Db, progress: &dyn Progress) -> AppResult<()> {
    ensure_catalogue(db).await?;
    let today = today();
    let member = super::auth::demo_user(db, "tothanhvien").await?;
    let mut villages = Vec::new();
    for unit in unit_store::subtree(
        db,
        unit_store::by_code(db, "01", today)
            .await?
            .map(|u| u.id)
            .unwrap_or_default(),
        today,
        4,
    )
    .await?
    {
        if unit.unit.kind.level() == Level::Village {
            villages.push(unit.unit);
        }
    }
    progress.start("hộ gia đình demo / demo households", villages.len() as u64);
    let mut dice = Dice(0x5eed_1a2b_3c4d_5e6f);
    for (index, village) in villages.iter().enumerate() {
        let commune = unit_store::ancestors(db, village.id, today)
            .await?
            .into_iter()
            .rev()
            .find(|u| u.kind.level() == Level::Commune)
            .map(|u| u.id)
            .unwrap_or_default();
        // Adoption differs between villages: the pilot village and some others lead.
        let level = if village.code == "09829-T01" {
            0.95
        } else {
            0.55 + (index * 53 % 40) as f64 / 100.0
        };
        let assignee = (village.code == "09805-T01").then_some(member).flatten();
        let batch = village_households(
            &mut dice,
            village.id,
            commune,
            &village.code,
            household_count(&village.code, index),
            level,
            assignee,
        );
        let mut tx = db.begin().await?;
        store::insert_households(&mut tx, &batch.households).await?;
        store::upsert_values(&mut tx, &batch.values).await?;
        store::insert_visits(&mut tx, &batch.visits).await?;
        store::add_counters(&mut tx, &batch.counters).await?;
        store::add_counters_by_month(&mut tx, &batch.monthly).await?;
        tx.commit().await?;
        progress.advance(1);
    }
    Ok(())
}

struct Batch {
    households: Vec<HouseholdRow>,
    values: Vec<(Uuid, String, i64)>,
    visits: Vec<VisitRow>,
    /// Counters without a monthly history (visits, members, …).
    counters: BTreeMap<(Uuid, String), i64>,
    /// Counters with one (`store::tracked_monthly`), by (village, key, month) of the visit
    /// that recorded them, so the dashboard's trends show 2022 to 2025.
    monthly: BTreeMap<(Uuid, String, String), i64>,
}

fn village_households(
    dice: &mut Dice,
    unit: Uuid,
    commune: Uuid,
    code: &str,
    count: usize,
    level: f64,
    assignee: Option<Uuid>,
) -> Batch {
    let mut batch = Batch {
        households: Vec::new(),
        values: Vec::new(),
        visits: Vec::new(),
        counters: BTreeMap::new(),
        monthly: BTreeMap::new(),
    };
    let count_month =
        |key: &str, on: Date, delta: i64, monthly: &mut BTreeMap<(Uuid, String, String), i64>| {
            *monthly
                .entry((unit, key.to_owned(), store::month_of(on)))
                .or_insert(0) += delta;
        };
    let count_key = |key: String, delta: i64, counters: &mut BTreeMap<(Uuid, String), i64>| {
        *counters.entry((unit, key)).or_insert(0) += delta;
    };
    let now = OffsetDateTime::now_utc();
    for n in 0..count {
        let members = 1 + dice.below(6) as i64;
        let adults = (1 + dice.below(members as u64)).max(1) as i64;
        let business = dice.chance(0.12);
        let head = format!(
            "{} {} {}",
            dice.pick(&SURNAMES),
            dice.pick(&MIDDLE),
            dice.pick(&GIVEN)
        );
        let prefix = ["09", "03", "08", "07"][dice.below(4) as usize];
        let phone = format!("{prefix}{:08}", dice.below(100_000_000));
        let citizen_id = dice
            .chance(0.5)
            .then(|| format!("001{:09}", dice.below(1_000_000_000)));
        let alley = 1 + dice.below(12);
        let id = Uuid::now_v7();
        let first = day(2022 + dice.below(3) as i32, 1 + dice.below(365) as u16);
        let second = dice
            .chance(0.45)
            .then(|| day(2025, 1 + dice.below(300) as u16));
        let follow_up = assignee.and_then(|_| {
            dice.chance(0.3)
                .then(|| today() - Duration::days(dice.below(20) as i64))
        });
        batch.households.push(HouseholdRow {
            id,
            unit_id: unit,
            commune_id: commune,
            code: format!("{code}-{:04}", n + 1),
            hamlet: dice.pick(&HAMLETS).to_owned(),
            alley: format!("Ngõ {alley}"),
            house_number: (1 + dice.below(60)).to_string(),
            representative_name: head.clone(),
            head_name: head,
            representative_phone: Some(phone),
            citizen_id,
            members,
            adults,
            business,
            consent_on: Some(first),
            consent_purpose: "khảo sát chuyển đổi số".to_owned(),
            notes: String::new(),
            assigned_to: assignee,
            follow_up_on: follow_up,
            last_visit_on: Some(second.unwrap_or(first)),
            erased: false,
            created_at: now,
            updated_at: now,
        });
        // Registered at the first visit.
        count_month("households", first, 1, &mut batch.monthly);
        count_key("members".into(), members, &mut batch.counters);
        count_month("adults", first, adults, &mut batch.monthly);
        count_month("business", first, i64::from(business), &mut batch.monthly);
        count_month("visited", first, 1, &mut batch.monthly);
        // Final values at the village's level; the first visit saw about 60% of them.
        let mut finals = BTreeMap::new();
        for seed in INDICATOR_SEEDS
            .iter()
            .filter(|s| !s.business_only || business)
        {
            let value = match seed.kind {
                IndicatorKind::AdultCount => {
                    (0..adults).filter(|_| dice.chance(level)).count() as i64
                }
                IndicatorKind::YesNo => i64::from(dice.chance(level)),
                IndicatorKind::Count => (adults + i64::from(dice.chance(0.5))).min(members + 1),
                IndicatorKind::Level => i64::from(dice.chance(level)) * 2,
            };
            finals.insert(seed.code.to_owned(), value);
        }
        // Level 2 is an upgrade of level 1: never more adults at level 2 than at level 1.
        let level1 = finals.get("vneid_1").copied().unwrap_or(0);
        if let Some(level2) = finals.get_mut("vneid_2") {
            *level2 = (*level2).min(level1);
        }
        let early: BTreeMap<String, i64> = finals
            .iter()
            .map(|(k, v)| (k.clone(), if second.is_some() { v * 6 / 10 } else { *v }))
            .collect();
        for (on, observed) in [(Some(first), &early), (second, &finals)] {
            let Some(on) = on else { continue };
            batch.visits.push(VisitRow {
                id: Uuid::now_v7(),
                household_id: id,
                unit_id: unit,
                visited_on: on,
                visitor_id: assignee,
                visitor_label: "Tổ CNSCĐ (demo)".to_owned(),
                observed: serde_json::to_string(observed).unwrap_or_default(),
                help_given: if dice.chance(0.4) {
                    "installed_vneid,vneid_level2".into()
                } else {
                    "added_to_group".into()
                },
                follow_up_on: None,
                notes: String::new(),
                created_at: now,
            });
            count_key("visits".into(), 1, &mut batch.counters);
            count_key(
                format!("month:{:04}-{:02}", on.year(), u8::from(on.month())),
                1,
                &mut batch.counters,
            );
            if let Some(user) = assignee {
                count_key(format!("visits:{user}"), 1, &mut batch.counters);
            }
        }
        for (code, value) in finals {
            let key = format!("ind:{code}");
            // What the first visit saw, then the rest at the second.
            let seen_first = early.get(&code).copied().unwrap_or(value);
            count_month(&key, first, seen_first, &mut batch.monthly);
            if let Some(on) = second {
                count_month(&key, on, value - seen_first, &mut batch.monthly);
            }
            batch.values.push((id, code, value));
        }
    }
    batch
}
