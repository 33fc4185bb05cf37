//! Demo assets: per village, cameras, solar lights, old grid lights, wifi points, loudspeakers
//! and a billboard, adding up to 2,727 cameras, 1,818 solar lights and 156 wifi points over the
//! 101 villages (a handful per village when the demo is small); some lights' replacement
//! history (old bulb → solar); and one round of readings through the real ingest writer, with
//! a share of devices faulty and a share silent for an hour, so alarms are open.

use langso_domain::assets::{AssetKind, Reading};
use langso_domain::units::UnitKind;
use langso_store::assets::{self as store, AssetFilter, ReplacementRow};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{DemoSeed, SeedFuture, is_small};
use crate::assets::{AssetInput, Ingest, IngestConfig, Resolved, detect_silent, import_assets};
use crate::auth::Actor;
use crate::progress::Progress;
use crate::{AppError, AppResult, Db, today};

/// The assets seed.
pub const SEED: DemoSeed = DemoSeed {
    domain: "assets",
    run: run_boxed,
};

/// Cameras per village in the full demo (101 villages: 2,727).
pub const CAMERAS_PER_VILLAGE: usize = 27;
/// Solar lights per village in the full demo (1,818).
pub const SOLAR_PER_VILLAGE: usize = 18;
/// Wifi points in the full demo.
pub const WIFI_POINTS: usize = 156;

fn run_boxed<'a>(db: &'a Db, progress: &'a dyn Progress) -> SeedFuture<'a> {
    Box::pin(run(db, progress))
}

const PLACES: [&str; 5] = [
    "intersection",
    "main_road",
    "hamlet",
    "alley",
    "cultural_house",
];

async fn run(db: &Db, progress: &dyn Progress) -> AppResult<()> {
    let actor = Actor::system("demo");
    let hanoi = langso_store::units::by_code(db, "01", today())
        .await?
        .ok_or(AppError::NotFound)?;
    let villages: Vec<_> = langso_store::units::subtree(db, hanoi.id, today(), 10)
        .await?
        .into_iter()
        .map(|n| n.unit)
        .filter(|u| matches!(u.kind, UnitKind::Village | UnitKind::StreetGroup))
        .collect();
    let small = is_small();
    let (cameras, solar, grid) = if small {
        (3, 2, 2)
    } else {
        (CAMERAS_PER_VILLAGE, SOLAR_PER_VILLAGE, 6)
    };
    let extra_wifi = WIFI_POINTS.saturating_sub(villages.len());
    progress.start("thiết bị / assets", villages.len() as u64);
    for (v, village) in villages.iter().enumerate() {
        let mut inputs = Vec::new();
        let at = |i: usize| {
            let shift = 0.0008 * ((i % 9) as f64 - 4.0);
            let lift = 0.0006 * ((i / 9 % 7) as f64 - 3.0);
            (
                village.latitude.map(|l| l + lift),
                village.longitude.map(|l| l + shift),
            )
        };
        let mut add = |kind: AssetKind,
                       i: usize,
                       name: String,
                       funding: &str,
                       lamp: Option<&str>,
                       status: &str| {
            let (latitude, longitude) = at(inputs.len());
            let contributors = if funding == "community" {
                vec![
                    (
                        format!("Hộ gia đình xóm {}", 1 + i % 5),
                        1_500_000 + (i as i64 % 4) * 500_000,
                    ),
                    (format!("Chi hội phụ nữ {}", village.name), 2_000_000),
                ]
            } else {
                Vec::new()
            };
            inputs.push(AssetInput {
                unit_id: Some(village.id),
                kind: kind.as_str().to_owned(),
                name,
                place_type: PLACES[i % PLACES.len()].to_owned(),
                latitude,
                longitude,
                installed_on: Some(
                    today() - Duration::days(200 + ((v * 37 + i * 11) % 900) as i64),
                ),
                funding: funding.to_owned(),
                contributors,
                keeper: format!("Trưởng thôn {}", village.name),
                status: status.to_owned(),
                lamp_type: lamp.map(str::to_owned),
                ..Default::default()
            });
        };
        for i in 0..cameras {
            let funding = if i % 3 == 0 {
                "state_budget"
            } else {
                "community"
            };
            add(
                AssetKind::Camera,
                i,
                format!("Camera {} số {}", village.name, i + 1),
                funding,
                None,
                "active",
            );
        }
        for i in 0..solar {
            let funding = if i % 2 == 0 { "household" } else { "community" };
            add(
                AssetKind::SolarLight,
                i,
                format!("Đèn NLMT {} số {}", village.name, i + 1),
                funding,
                Some("solar"),
                "active",
            );
        }
        for i in 0..grid {
            let status = if i % 3 == 0 { "broken" } else { "active" };
            add(
                AssetKind::GridLight,
                i,
                format!("Đèn đường {} số {}", village.name, i + 1),
                "state_budget",
                Some("old_bulb"),
                status,
            );
        }
        let wifi = if small {
            1
        } else {
            1 + usize::from(v < extra_wifi)
        };
        for i in 0..wifi {
            add(
                AssetKind::Wifi,
                i,
                format!("Wifi miễn phí {} điểm {}", village.name, i + 1),
                "company",
                None,
                "active",
            );
        }
        if !small {
            for i in 0..2 {
                add(
                    AssetKind::Loudspeaker,
                    i,
                    format!("Loa truyền thanh {} số {}", village.name, i + 1),
                    "state_budget",
                    None,
                    "active",
                );
            }
            add(
                AssetKind::Billboard,
                0,
                format!("Pano tuyên truyền {}", village.name),
                "state_budget",
                None,
                "active",
            );
        }
        import_assets(db, &actor, &inputs, false).await?;
        progress.advance(1);
    }
    history(db, hanoi.id).await?;
    readings(db, hanoi.id).await
}

/// Some solar lights replaced an old bulb over the last year.
async fn history(db: &Db, root: Uuid) -> AppResult<()> {
    let filter = AssetFilter {
        kind: Some("solar_light".to_owned()),
        ..Default::default()
    };
    let lights = store::assets_under(db, root, today(), &filter, 100_000).await?;
    let mut tx = db.begin().await?;
    for (i, light) in lights.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        let replacement = ReplacementRow {
            id: Uuid::now_v7(),
            asset_id: light.id,
            replaced_on: today() - Duration::days((i * 7 % 360) as i64),
            old_type: Some("old_bulb".to_owned()),
            new_type: "solar".to_owned(),
            note: "Hộ gia đình tự thay bóng cũ bằng đèn năng lượng mặt trời".to_owned(),
            created_at: OffsetDateTime::now_utc(),
        };
        store::insert_replacement(&mut tx, &replacement).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One round of readings through the ingest writer: most devices fine, every 17th with a
/// fault, every 23rd last heard an hour ago (so the detector raises its offline alarm).
async fn readings(db: &Db, root: Uuid) -> AppResult<()> {
    let devices: Vec<_> = store::assets_under(db, root, today(), &AssetFilter::default(), 100_000)
        .await?
        .into_iter()
        .filter(|a| a.heartbeat_seconds > 0)
        .collect();
    let codes: Vec<String> = devices.iter().map(|a| a.code.clone()).collect();
    let targets = store::device_targets(db, &codes).await?;
    let now = OffsetDateTime::now_utc();
    let ingest = Ingest::start(db.clone(), IngestConfig::default());
    for (chunk_index, chunk) in targets.chunks(500).enumerate() {
        let batch = chunk
            .iter()
            .enumerate()
            .map(|(j, target)| {
                let i = chunk_index * 500 + j;
                let silent = i % 23 == 0;
                let kind = AssetKind::parse(
                    devices
                        .iter()
                        .find(|a| a.id == target.id)
                        .map_or("camera", |a| a.kind.as_str()),
                )
                .unwrap_or(AssetKind::Camera);
                Resolved {
                    target: target.clone(),
                    reading: Reading {
                        asset: target.code.clone(),
                        at: None,
                        online: true,
                        battery: kind.is_light().then_some(40 + (i % 60) as i64),
                        lamp_on: kind.is_light().then_some(false),
                        fault: (i % 17 == 0).then(|| "E12".to_owned()),
                        clients: (kind == AssetKind::Wifi).then_some((i % 25) as i64),
                    },
                    at: if silent {
                        now - Duration::hours(1)
                    } else {
                        now
                    },
                }
            })
            .collect();
        ingest
            .submit(batch)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    ingest.shutdown().await;
    detect_silent(db, OffsetDateTime::now_utc()).await?;
    Ok(())
}
