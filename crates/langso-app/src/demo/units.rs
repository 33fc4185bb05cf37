//! Demo units: Hà Nội, the former Đan Phượng district and its 16 communes (real GSO codes from
//! `data/admin-units-hanoi-danphuong.csv`), 129 synthetic village-level units under them, then
//! the real 2025 reorganisation from `data/admin-lineage-2025.csv`.
//!
//! Thượng Mỗ's successor is not in the reference data; the demo records its move into Xã Đan
//! Phượng with the basis "unverified (demo)", and pages show that line as unverified.

use std::fmt::Write as _;

use super::{DemoSeed, SeedFuture};
use crate::progress::Progress;
use crate::units::{
    PlanLine, ReorganisationPlan, import_units_csv, plan_from_lineage_csv, reorganise,
};
use crate::{AppError, AppResult, Db};
use langso_domain::units::Share;

/// The reference units (real codes and dates).
pub const UNITS_CSV: &str = include_str!("../../data/admin-units-hanoi-danphuong.csv");
/// The reference lineage of the 2025 reorganisation.
pub const LINEAGE_CSV: &str = include_str!("../../data/admin-lineage-2025.csv");

/// Thôn and tổ dân phố in the demo (101, all recognised as smart villages in the source).
pub const DEMO_VILLAGES: usize = 101;
/// Cụm dân cư in the demo (28, each with its own digital team: 129 team units in all).
pub const DEMO_CLUSTERS: usize = 28;

/// The units seed.
pub const SEED: DemoSeed = DemoSeed {
    domain: "units",
    run: run_boxed,
};

fn run_boxed<'a>(db: &'a Db, progress: &'a dyn Progress) -> SeedFuture<'a> {
    Box::pin(run(db, progress))
}

/// Old commune codes with (village names, whether it is the town with tổ dân phố).
const COMMUNES: [(&str, &str); 16] = [
    ("09784", "Thị trấn Phùng"),
    ("09787", "Xã Trung Châu"),
    ("09790", "Xã Thọ An"),
    ("09793", "Xã Thọ Xuân"),
    ("09796", "Xã Hồng Hà"),
    ("09799", "Xã Liên Hồng"),
    ("09802", "Xã Liên Hà"),
    ("09805", "Xã Hạ Mỗ"),
    ("09808", "Xã Liên Trung"),
    ("09811", "Xã Phương Đình"),
    ("09814", "Xã Thượng Mỗ"),
    ("09817", "Xã Tân Hội"),
    ("09820", "Xã Tân Lập"),
    ("09823", "Xã Đan Phượng"),
    ("09826", "Xã Đồng Tháp"),
    ("09829", "Xã Song Phượng"),
];

/// Synthetic village names; Song Phượng's first is Tháp Thượng, the programme's pilot village.
const VILLAGE_NAMES: [&str; 12] = [
    "Thượng",
    "Hạ",
    "Trung",
    "Đông",
    "Đoài",
    "Nam",
    "Bắc",
    "Hòa Bình",
    "Phú Mỹ",
    "An Thịnh",
    "Đại Phùng",
    "Bãi",
];

async fn run(db: &Db, progress: &dyn Progress) -> AppResult<()> {
    seed_before_2025(db, progress).await?;
    let report = reorganise(db, &demo_actor(), &plan_2025()?, false).await?;
    if report.created.is_empty() && report.closed.is_empty() {
        return Err(AppError::Internal(
            "the demo reorganisation changed nothing".to_owned(),
        ));
    }
    Ok(())
}

/// The reference units and the synthetic villages, before the 2025 reorganisation is applied.
pub async fn seed_before_2025(db: &Db, progress: &dyn Progress) -> AppResult<()> {
    let actor = demo_actor();
    import_units_csv(db, &actor, UNITS_CSV.as_bytes(), false, progress).await?;
    import_units_csv(db, &actor, villages_csv().as_bytes(), false, progress).await?;
    Ok(())
}

/// The 2025 reorganisation as the demo applies it: the reference lineage, plus Thượng Mỗ's
/// unverified move into Xã Đan Phượng.
pub fn plan_2025() -> AppResult<ReorganisationPlan> {
    let mut plan = plan_from_lineage_csv(LINEAGE_CSV.as_bytes())?;
    plan.lines.push(PlanLine {
        row: 0,
        old_code: "09814".to_owned(),
        old_name: "Xã Thượng Mỗ".to_owned(),
        new_code: "09784".to_owned(),
        new_name: "Xã Đan Phượng".to_owned(),
        share: Share::Whole,
        basis: "unverified (demo)".to_owned(),
        verified: false,
    });
    Ok(plan)
}

/// The actor the demo builder records in the audit log.
pub fn demo_actor() -> crate::Actor {
    crate::Actor::system("demo")
}

/// How many thôn/tổ dân phố and cụm dân cư each old commune gets: 101 and 28 in all.
fn counts(index: usize) -> (usize, usize) {
    let villages = 6 + usize::from(index < DEMO_VILLAGES - 6 * COMMUNES.len());
    let clusters = 1 + usize::from(index < DEMO_CLUSTERS - COMMUNES.len());
    (villages, clusters)
}

/// The synthetic villages as a units CSV, so they pass the same validation as any import.
/// Local codes carry the old commune's code, so they stay unique after the 2025 merger.
fn villages_csv() -> String {
    let mut csv =
        String::from("code,name,kind,parent_code,valid_from,valid_to,note,latitude,longitude\n");
    let note = "dữ liệu mô phỏng / synthetic demo data";
    for (index, (code, commune)) in COMMUNES.iter().enumerate() {
        let (villages, clusters) = counts(index);
        let is_town = commune.starts_with("Thị trấn");
        // Communes on a 4×4 grid around Đan Phượng (21.09 N, 105.67 E), villages around each.
        let (row, col) = ((index / 4) as f64, (index % 4) as f64);
        let (lat0, lon0) = (21.05 + row * 0.025, 105.62 + col * 0.03);
        for n in 0..villages {
            let (kind, prefix, local) = if is_town {
                (
                    "street_group",
                    "Tổ dân phố",
                    format!("{code}-TDP{:02}", n + 1),
                )
            } else {
                ("village", "Thôn", format!("{code}-T{:02}", n + 1))
            };
            let name = if is_town {
                format!("{prefix} {}", n + 1)
            } else if *code == "09829" && n == 0 {
                "Thôn Tháp Thượng".to_owned()
            } else {
                format!(
                    "{prefix} {}",
                    VILLAGE_NAMES[(index + n) % VILLAGE_NAMES.len()]
                )
            };
            let (lat, lon) = spot(lat0, lon0, n);
            let _ = writeln!(
                csv,
                "{local},{name},{kind},{code},2000-01-01,,{note},{lat:.5},{lon:.5}"
            );
        }
        for n in 0..clusters {
            let local = format!("{code}-C{:02}", n + 1);
            let (lat, lon) = spot(lat0, lon0, villages + n);
            let _ = writeln!(
                csv,
                "{local},Cụm dân cư số {},residential_cluster,{code},2000-01-01,,{note},{lat:.5},{lon:.5}",
                n + 1
            );
        }
    }
    csv
}

/// A point on a small circle around a commune centre, the n-th of its villages.
fn spot(lat0: f64, lon0: f64, n: usize) -> (f64, f64) {
    let angle = n as f64 * 0.9;
    let radius = 0.004 + 0.0012 * n as f64;
    (lat0 + radius * angle.sin(), lon0 + radius * angle.cos())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn village_counts_add_up() {
        let (villages, clusters): (usize, usize) = (0..COMMUNES.len())
            .map(counts)
            .fold((0, 0), |(v, c), (a, b)| (v + a, c + b));
        assert_eq!(villages, DEMO_VILLAGES);
        assert_eq!(clusters, DEMO_CLUSTERS);
        assert_eq!(
            villages_csv().lines().count(),
            1 + DEMO_VILLAGES + DEMO_CLUSTERS
        );
    }
}
