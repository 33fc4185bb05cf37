//! Issue 16, item 1: no report without an owner. Every combination of what a report may carry
//! (an asset, a position, a picked place, the QR poster it came from, the site's default unit)
//! lands on the unit of the first of them, in that order, or on the top of the tree; and
//! each report is in the work list of someone who holds that unit.
//! SQLite, and PostgreSQL with LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use langso_app::auth::Grant;
use langso_app::faults::{self, NewReport, Routing};
use langso_app::progress::NoProgress;
use langso_app::{Actor, Db, demo, today};
use langso_domain::assets::distance_m;
use langso_domain::auth::Role;
use langso_domain::units::Level;
use langso_store::testing::TestDb;
use uuid::Uuid;

fn keeper(role: Role, unit: Uuid) -> Actor {
    Actor::new(
        None,
        format!("{}:{unit}", role.as_str()),
        vec![Grant {
            role,
            unit_id: unit,
            unit_name: String::new(),
        }],
        false,
    )
}

/// A point with no asset within 40 m, near `(lat, lon)`.
async fn free_spot(db: &Db, lat: f64, lon: f64) -> (f64, f64) {
    for step in 1..400 {
        let (lat, lon) = (
            lat + 0.0004 * f64::from(step % 9),
            lon - 0.0004 * f64::from(step / 9),
        );
        let near = langso_store::faults::assets_near(
            db,
            None,
            (lat - 0.0004, lat + 0.0004),
            (lon - 0.0005, lon + 0.0005),
        )
        .await
        .unwrap();
        if near.is_empty() {
            return (lat, lon);
        }
    }
    panic!("no free spot");
}

#[tokio::test]
async fn every_combination_of_clues_lands_on_a_unit_and_in_a_work_list() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let root = langso_app::units::by_code(db, "01", today()).await.unwrap();
    let villages: Vec<_> = langso_store::units::subtree(db, root.id, today(), 6)
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.unit.kind.level() == Level::Village)
        .map(|n| n.unit)
        .collect();
    // The asset's village.
    let asset = langso_store::assets::assets_under(
        db,
        root.id,
        today(),
        &langso_store::assets::AssetFilter::default(),
        1,
    )
    .await
    .unwrap()
    .remove(0);
    // The position's village: the nearest to a free spot, computed here independently.
    let start = villages
        .iter()
        .find(|v| v.id != asset.unit_id && v.latitude.is_some())
        .unwrap();
    let (lat, lon) = free_spot(db, start.latitude.unwrap(), start.longitude.unwrap()).await;
    let by_position = villages
        .iter()
        .filter_map(|v| Some((distance_m((lat, lon), (v.latitude?, v.longitude?)), v.id)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap()
        .1;
    let mut others = villages
        .iter()
        .filter(|v| v.id != asset.unit_id && v.id != by_position);
    let picked = others.next().unwrap().clone();
    let posted = others.next().unwrap().clone();
    let default = others.next().unwrap().clone();
    let guide = langso_app::procedures::guides(db).await.unwrap().remove(0);
    let placement = langso_app::procedures::create_placement(
        db,
        &Actor::system("test"),
        langso_app::procedures::NewPlacement {
            unit_id: posted.id,
            kind: "cultural_house".into(),
            label: "Nhà văn hóa".into(),
            latitude: None,
            longitude: None,
            procedures: vec![guide.code.to_string()],
        },
    )
    .await
    .unwrap();

    for mask in 0u8..32 {
        let has = |bit: u8| mask & (1 << bit) != 0;
        let report = NewReport {
            service_code: "other".into(),
            asset_code: has(0).then(|| asset.code.clone()),
            latitude: has(1).then_some(lat),
            longitude: has(1).then_some(lon),
            address: "Ngõ 1".into(),
            description: format!("Sự cố {mask}"),
            unit_code: has(2).then(|| picked.code.clone()),
            ..Default::default()
        };
        let routing = Routing {
            placement: has(3).then(|| placement.token.clone()),
            default_unit: has(4).then(|| default.code.clone()),
        };
        let expected = [
            (has(0), asset.unit_id),
            (has(1), by_position),
            (has(2), picked.id),
            (has(3), posted.id),
            (has(4), default.id),
        ]
        .into_iter()
        .find(|(given, _)| *given)
        .map_or(root.id, |(_, unit)| unit);
        let order = faults::submit_report_routed(db, &report, &routing)
            .await
            .unwrap_or_else(|e| panic!("mask {mask}: {e:?}"));
        assert_eq!(order.unit_id, Some(expected), "mask {mask:05b}");
        let role = if expected == root.id {
            Role::Admin
        } else {
            Role::Officer
        };
        let list = faults::orders_under(db, &keeper(role, expected), expected, None)
            .await
            .unwrap();
        assert!(
            list.iter().any(|o| o.id == order.id),
            "mask {mask:05b}: in the work list"
        );
    }

    // A poster token or default code that names nothing: the top of the tree still holds it.
    let stray = faults::submit_report_routed(
        db,
        &NewReport {
            service_code: "other".into(),
            address: "Chợ".into(),
            description: "Loa rè".into(),
            ..Default::default()
        },
        &Routing {
            placement: Some("zzzzzzzz".into()),
            default_unit: Some("KHONG-CO".into()),
        },
    )
    .await
    .unwrap();
    assert_eq!(stray.unit_id, Some(root.id));
    let admin = keeper(Role::Admin, root.id);
    assert!(
        faults::orders_under(db, &admin, root.id, None)
            .await
            .unwrap()
            .iter()
            .any(|o| o.id == stray.id)
    );
}
