//! Pre-rolled-up counters stay exactly the sum of the village counters over today's tree: after
//! a rebuild, after a household and a visit (moved in the same transaction), after a village
//! moves to another commune (stale, rebuilt on the next dashboard), and they are not used for a
//! day whose tree differs (the 2024 districts, a move that takes effect next week). Runs on
//! SQLite, and on PostgreSQL when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use langso_app::households::{HouseholdInput, VisitInput};
use langso_app::progress::NoProgress;
use langso_app::{Actor, Db, dashboard, demo, today};
use langso_store::households::{
    counters_under, monthly_moves_under, rolled_monthly_moves, rolled_up, rolled_villages,
    rollups_ready_for,
};
use langso_store::units::villages_under;
use time::Duration;
use uuid::Uuid;

fn op() -> Actor {
    Actor::system("test")
}

fn nonzero(rows: Vec<(String, i64)>) -> BTreeMap<String, i64> {
    rows.into_iter().filter(|(_, v)| *v != 0).collect()
}

async fn id(db: &Db, code: &str) -> Uuid {
    langso_app::units::by_code(db, code, today())
        .await
        .unwrap()
        .id
}

/// Every unit from the province down to the villages of two communes: roll-ups = sums.
async fn assert_exact(db: &Db, units: &[Uuid]) {
    assert!(rollups_ready_for(db, today()).await.unwrap());
    for unit in units {
        let summed = nonzero(counters_under(db, *unit, today()).await.unwrap());
        let rolled = nonzero(rolled_up(db, *unit).await.unwrap());
        assert!(!summed.is_empty(), "{unit}: no counters at all");
        assert_eq!(rolled, summed, "{unit}");
        // The monthly moves and the villages counted, rolled up the same way.
        let moves = |rows: Vec<(String, String, i64)>| -> Vec<(String, String, i64)> {
            rows.into_iter().filter(|(_, _, v)| *v != 0).collect()
        };
        let summed = moves(
            monthly_moves_under(db, *unit, today(), "2000-01")
                .await
                .unwrap(),
        );
        let rolled = moves(rolled_monthly_moves(db, *unit, "2000-01").await.unwrap());
        assert_eq!(rolled, summed, "{unit}: monthly moves");
        assert_eq!(
            rolled_villages(db, *unit).await.unwrap(),
            villages_under(db, *unit, today()).await.unwrap(),
            "{unit}: villages"
        );
    }
}

#[tokio::test]
async fn rollups_equal_the_sums_over_todays_tree_through_writes_and_moves() {
    let test = langso_store::testing::TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let province = id(db, "01").await;
    let (o_dien, lien_minh) = (id(db, "09817").await, id(db, "09793").await);
    let village = id(db, "09817-T01").await;
    let mut units = vec![province, o_dien, lien_minh, village];
    for commune in langso_app::units::children(db, province, today())
        .await
        .unwrap()
    {
        units.push(commune.id);
    }
    // The demo wrote its counters while the tree was being built: stale until a dashboard.
    let before = dashboard::dashboard(db, &op(), province, today())
        .await
        .unwrap();
    assert_exact(db, &units).await;

    // A household and a visit move the village, its commune and the province at once.
    let household = langso_app::households::create_household(
        db,
        &op(),
        &HouseholdInput {
            unit_id: Some(village),
            code: "RU-1".into(),
            head_name: "Nguyễn Văn Cuộn".into(),
            members: 4,
            adults: 2,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    langso_app::households::record_visit(
        db,
        &op(),
        household.row.id,
        &VisitInput {
            values: [("vneid_1".to_owned(), 1), ("vneid_2".to_owned(), 1)].into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_exact(db, &units).await;
    let after = dashboard::dashboard(db, &op(), province, today())
        .await
        .unwrap();
    assert_eq!(after.figures.households, before.figures.households + 1);
    assert_eq!(after.figures.visited, before.figures.visited + 1);
    let by_child = |d: &dashboard::Dashboard, unit: Uuid| {
        d.children
            .iter()
            .find(|c| c.unit_id == unit)
            .map(|c| c.households)
            .unwrap_or(0)
    };

    // The village moves to another commune today: the tree changed, the roll-ups are stale,
    // and the next dashboard rebuilds them over the new tree.
    let moved_households = nonzero(counters_under(db, village, today()).await.unwrap())
        .get("households")
        .copied()
        .unwrap();
    langso_app::units::move_unit(db, &op(), village, lien_minh, today(), "thử / test")
        .await
        .unwrap();
    assert!(!rollups_ready_for(db, today()).await.unwrap());
    let moved = dashboard::dashboard(db, &op(), province, today())
        .await
        .unwrap();
    assert_exact(db, &units).await;
    assert_eq!(moved.figures.households, after.figures.households);
    assert_eq!(
        by_child(&moved, o_dien),
        by_child(&after, o_dien) - moved_households
    );
    assert_eq!(
        by_child(&moved, lien_minh),
        by_child(&after, lien_minh) + moved_households
    );

    // A move that takes effect next week: today's roll-ups hold until the day before.
    let next_week = today() + Duration::days(7);
    let other = id(db, "09817-T02").await;
    langso_app::units::move_unit(db, &op(), other, lien_minh, next_week, "thử / test")
        .await
        .unwrap();
    dashboard::dashboard(db, &op(), province, today())
        .await
        .unwrap();
    assert_exact(db, &units).await;
    assert!(
        rollups_ready_for(db, next_week - Duration::days(1))
            .await
            .unwrap()
    );
    assert!(!rollups_ready_for(db, next_week).await.unwrap());
    // The 2024 tree (districts) is another tree: summed over it, the article's figures.
    assert!(!rollups_ready_for(db, demo::DEMO_AS_OF).await.unwrap());
    let district = langso_app::units::by_code(db, "273", demo::DEMO_AS_OF)
        .await
        .unwrap();
    let old = dashboard::dashboard(db, &op(), district.id, demo::DEMO_AS_OF)
        .await
        .unwrap();
    assert_eq!(
        (
            old.figures.commune_teams,
            old.figures.village_teams,
            old.figures.members
        ),
        (16, 129, 1015)
    );
}

#[tokio::test]
async fn as_of_a_day_visits_stop_at_its_month_and_other_counters_are_current() {
    let test = langso_store::testing::TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let district = langso_app::units::by_code(db, "273", demo::DEMO_AS_OF)
        .await
        .unwrap()
        .id;
    let then = || async {
        dashboard::dashboard(db, &op(), district, demo::DEMO_AS_OF)
            .await
            .unwrap()
    };
    let before = then().await;
    assert!(!before.counters_as_of);
    assert!(before.months.iter().all(|(m, _)| m.as_str() <= "2024-12"));
    assert_eq!(
        before.visits_to_month,
        before.months.iter().map(|(_, v)| v).sum::<i64>()
    );
    let province = id(db, "01").await;
    let now = dashboard::dashboard(db, &op(), province, today())
        .await
        .unwrap();
    assert!(now.counters_as_of);
    // A visit today moves today's visits and the current households visited of 2024's
    // district, but not its visits to the end of December 2024.
    let village = id(db, "09817-T01").await;
    let household = langso_app::households::create_household(
        db,
        &op(),
        &HouseholdInput {
            unit_id: Some(village),
            code: "AS-OF-1".into(),
            head_name: "Trần Thị Ngày".into(),
            members: 2,
            adults: 2,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    langso_app::households::record_visit(db, &op(), household.row.id, &VisitInput::default())
        .await
        .unwrap();
    let after_now = dashboard::dashboard(db, &op(), province, today())
        .await
        .unwrap();
    assert_eq!(after_now.visits_to_month, now.visits_to_month + 1);
    let after = then().await;
    assert_eq!(after.visits_to_month, before.visits_to_month);
    assert_eq!(after.figures.visited, before.figures.visited + 1);
}
