//! Demo plans and targets: the district's digital-transformation plan (Kế hoạch 55/KH-UBND,
//! 16-2-2022, named in the source) with targets for 2025 and 2026 for the district and its 16
//! communes, and the plan each commune formed in the 2025 merger issued for 2026. Numbers
//! other than 55/KH-UBND and every target are synthetic.

use langso_domain::units::Level;
use langso_store::units as unit_store;
use time::macros::date;

use super::teams::DEMO_AS_OF;
use super::{DemoSeed, SeedFuture};
use crate::auth::Actor;
use crate::dashboard::{PlanInput, TargetInput, create_plan, set_target};
use crate::progress::Progress;
use crate::{AppError, AppResult, Db, today};

/// The plans seed.
pub const SEED: DemoSeed = DemoSeed {
    domain: "dashboard",
    run: run_boxed,
};

fn run_boxed<'a>(db: &'a Db, progress: &'a dyn Progress) -> SeedFuture<'a> {
    Box::pin(run(db, progress))
}

/// Targets by indicator: (code, 2025, 2026); a percentage, or smartphones per household.
const TARGETS: [(&str, f64, f64); 11] = [
    ("smartphones", 2.5, 2.8),
    ("vneid_1", 90.0, 95.0),
    ("vneid_2", 80.0, 90.0),
    ("vssid", 70.0, 80.0),
    ("ehealth", 70.0, 80.0),
    ("dvc_account", 60.0, 75.0),
    ("epayment", 85.0, 90.0),
    ("in_village_group", 100.0, 100.0),
    ("digital_address", 90.0, 100.0),
    ("cashless", 80.0, 90.0),
    ("sells_online", 30.0, 40.0),
];

async fn targets(
    db: &Db,
    actor: &Actor,
    plan: uuid::Uuid,
    unit: uuid::Uuid,
    years: &[i64],
) -> AppResult<()> {
    for (code, y2025, y2026) in TARGETS {
        for year in years {
            let value = if *year <= 2025 { y2025 } else { y2026 };
            let input = TargetInput {
                unit_id: Some(unit),
                indicator: code.to_owned(),
                year: *year,
                value,
            };
            set_target(db, actor, plan, &input).await?;
        }
    }
    Ok(())
}

async fn run(db: &Db, progress: &dyn Progress) -> AppResult<()> {
    let actor = Actor::system("demo");
    let district = unit_store::by_code(db, "273", DEMO_AS_OF)
        .await?
        .ok_or(AppError::NotFound)?;
    let old_communes = unit_store::children(db, district.id, DEMO_AS_OF).await?;
    let hanoi = unit_store::by_code(db, "01", today())
        .await?
        .ok_or(AppError::NotFound)?;
    let new_communes: Vec<_> = unit_store::children(db, hanoi.id, today())
        .await?
        .into_iter()
        .filter(|u| u.kind.level() == Level::Commune)
        .collect();
    progress.start(
        "kế hoạch demo / demo plans",
        (1 + new_communes.len()) as u64,
    );
    let plan = create_plan(
        db,
        &actor,
        &PlanInput {
            unit_id: Some(district.id),
            number: "55/KH-UBND".to_owned(),
            issued_on: Some(date!(2022 - 02 - 16)),
            title: "Kế hoạch chuyển đổi số huyện Đan Phượng đến năm 2025, định hướng đến năm 2030 \
                    (chỉ tiêu mô phỏng)"
                .to_owned(),
        },
    )
    .await?;
    targets(db, &actor, plan.id, district.id, &[2025, 2026]).await?;
    for commune in &old_communes {
        targets(db, &actor, plan.id, commune.id, &[2025]).await?;
    }
    progress.advance(1);
    for (n, commune) in new_communes.iter().enumerate() {
        let plan = create_plan(
            db,
            &actor,
            &PlanInput {
                unit_id: Some(commune.id),
                number: format!("{}/KH-UBND", 12 + n),
                issued_on: Some(date!(2025 - 08 - 15)),
                title: format!(
                    "Kế hoạch chuyển đổi số {} năm 2026 (chỉ tiêu mô phỏng)",
                    commune.name
                ),
            },
        )
        .await?;
        targets(db, &actor, plan.id, commune.id, &[2026]).await?;
        progress.advance(1);
    }
    Ok(())
}
