//! A fault report that names no asset and has none within 30 m still lands in a unit, so the
//! commune's officers see it: the unit the reporter names, else the nearest village.
//! SQLite, and PostgreSQL with LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use langso_app::auth::Grant;
use langso_app::faults::{self, NewReport};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, Db, demo, today};
use langso_domain::assets::distance_m;
use langso_domain::auth::Role;
use langso_domain::units::Level;
use langso_store::testing::TestDb;

async fn person(db: &Db, role: Role, code: &str) -> Actor {
    let unit = langso_app::units::by_code(db, code, today()).await.unwrap();
    Actor::new(
        None,
        format!("{code}:{}", role.as_str()),
        vec![Grant {
            role,
            unit_id: unit.id,
            unit_name: unit.name,
        }],
        false,
    )
}

#[tokio::test]
async fn a_report_far_from_any_asset_goes_to_the_nearest_village_or_the_named_one() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let village = langso_app::units::by_code(db, "09805-T01", today())
        .await
        .unwrap();
    let (vlat, vlon) = (village.latitude.unwrap(), village.longitude.unwrap());
    // A point near the village with no asset of any kind within 30 m (checked, not assumed).
    let mut point = None;
    for step in 1..200 {
        let (lat, lon) = (
            vlat + 0.0004 * f64::from(step % 7),
            vlon - 0.0004 * f64::from(step / 7),
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
            point = Some((lat, lon));
            break;
        }
    }
    let (lat, lon) = point.expect("a free spot near the village");
    // The nearest village, computed here independently.
    let root = langso_app::units::by_code(db, "01", today()).await.unwrap();
    let expected = langso_store::units::subtree(db, root.id, today(), 6)
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.unit.kind.level() == Level::Village)
        .filter_map(|n| {
            Some((
                distance_m((lat, lon), (n.unit.latitude?, n.unit.longitude?)),
                n.unit.id,
            ))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap()
        .1;

    let order = faults::submit_report(
        db,
        &NewReport {
            service_code: "solar_light".into(),
            latitude: Some(lat),
            longitude: Some(lon),
            description: "Đèn đầu ngõ tắt".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(order.asset_id, None);
    assert_eq!(order.unit_id, Some(expected));

    // Those who keep that village see it; another commune's officer does not.
    let keeper = Actor::new(
        None,
        "head".into(),
        vec![Grant {
            role: Role::VillageHead,
            unit_id: expected,
            unit_name: String::new(),
        }],
        false,
    );
    let list = faults::orders_under(db, &keeper, expected, None)
        .await
        .unwrap();
    assert!(list.iter().any(|o| o.id == order.id));
    assert!(faults::order(db, &keeper, order.id).await.is_ok());
    let other = person(db, Role::Officer, "09793").await;
    assert!(matches!(
        faults::order(db, &other, order.id).await,
        Err(AppError::NotFound)
    ));
    let officer = person(db, Role::Officer, "09817").await;
    let commune = langso_app::units::by_code(db, "09817", today())
        .await
        .unwrap();

    // A named unit wins when there is no asset.
    let named = faults::submit_report(
        db,
        &NewReport {
            service_code: "other".into(),
            address: "Cổng chợ".into(),
            description: "Loa rè".into(),
            unit_code: Some("09805-T01".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(named.unit_id, Some(village.id));
    let list = faults::orders_under(db, &officer, commune.id, None)
        .await
        .unwrap();
    assert!(
        list.iter().any(|o| o.id == named.id),
        "the commune officer sees it"
    );
    assert!(faults::order(db, &other, named.id).await.is_err());

    // An unknown unit is refused, and nothing is written.
    let before = faults::public_requests(db, None, None, None, None)
        .await
        .unwrap()
        .len();
    match faults::submit_report(
        db,
        &NewReport {
            service_code: "other".into(),
            address: "Cổng chợ".into(),
            description: "Loa rè".into(),
            unit_code: Some("KHONG-CO".into()),
            ..Default::default()
        },
    )
    .await
    {
        Err(AppError::Invalid(problems)) => assert_eq!(problems[0].column, "unit"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        faults::public_requests(db, None, None, None, None)
            .await
            .unwrap()
            .len(),
        before
    );
}
