//! The visit writer (group commit): many phones at once, retries and refusals mixed in, and
//! the ledger, the households' values and the village counters agree exactly afterwards. Runs
//! on SQLite, and on PostgreSQL when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use langso_app::auth::Grant;
use langso_app::households::{self, HouseholdInput, VisitInput, VisitWriter};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, demo, today};
use langso_domain::auth::Role;
use langso_store::testing::TestDb;
use uuid::Uuid;

const HOUSEHOLDS: usize = 12;
const VISITS_EACH: usize = 5;

#[tokio::test]
async fn concurrent_visits_through_the_writer_count_exactly_once() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::seed_before_2025(db, &NoProgress).await.unwrap();
    langso_app::units::reorganise(
        db,
        &Actor::system("test"),
        &demo::plan_2025().unwrap(),
        false,
    )
    .await
    .unwrap();
    households::ensure_catalogue(db).await.unwrap();
    let commune = langso_app::units::by_code(db, "09817", today())
        .await
        .unwrap();
    let village = langso_app::units::by_code(db, "09817-T01", today())
        .await
        .unwrap()
        .id;
    let account = langso_app::auth::create_user(
        db,
        &Actor::system("test"),
        &langso_app::auth::NewAccount {
            login: "can.bo.xa".to_owned(),
            display_name: "Cán bộ xã".to_owned(),
            password: "mat-khau-rat-dai-2025".to_owned(),
            role: Role::Officer,
            unit_id: commune.id,
            pii: false,
        },
    )
    .await
    .unwrap();
    let officer = Actor::new(
        Some(account.user.id),
        "can.bo.xa".to_owned(),
        vec![Grant {
            role: Role::Officer,
            unit_id: commune.id,
            unit_name: commune.name,
        }],
        false,
    );
    let mut ids = Vec::new();
    for n in 0..HOUSEHOLDS {
        let view = households::create_household(
            db,
            &officer,
            &HouseholdInput {
                unit_id: Some(village),
                code: format!("GW-{n}"),
                head_name: format!("Nguyễn Văn {n}"),
                members: 4,
                adults: 3,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        ids.push(view.row.id);
    }

    let writer = VisitWriter::start(db.clone());
    let mut tasks = Vec::new();
    let mut retried = Vec::new();
    for round in 0..VISITS_EACH {
        for (n, &household) in ids.iter().enumerate() {
            // Each household ends at `n % 4` adults with VNeID level 2, whatever the order.
            let input = VisitInput {
                id: Some(Uuid::now_v7()),
                values: [
                    ("vneid_1".to_owned(), (n % 4) as i64),
                    ("vneid_2".to_owned(), (n % 4) as i64),
                ]
                .into(),
                help: vec!["added_to_group".to_owned()],
                ..Default::default()
            };
            if round == 0 {
                retried.push((household, input.clone()));
            }
            let (writer, officer) = (writer.clone(), officer.clone());
            tasks.push(tokio::spawn(async move {
                writer.record(&officer, household, &input).await
            }));
        }
    }
    // Retries of visits already sent, and a refused visit, in the same stream.
    for (household, input) in retried {
        let (writer, officer) = (writer.clone(), officer.clone());
        tasks.push(tokio::spawn(async move {
            writer.record(&officer, household, &input).await
        }));
    }
    let bad = VisitInput {
        values: [("vneid_2".to_owned(), 9)].into(),
        ..Default::default()
    };
    let refused = writer.record(&officer, ids[0], &bad).await;
    assert!(
        matches!(refused, Err(AppError::Invalid(ref cells)) if cells[0].column == "vneid_2"),
        "{refused:?}"
    );
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let (written, commits) = writer.counters();
    assert_eq!(written as usize, HOUSEHOLDS * (VISITS_EACH + 1));
    assert!(commits >= 1 && commits <= written);
    writer.shutdown().await;

    let counters: BTreeMap<String, i64> =
        langso_store::households::counters_under(db, village, today())
            .await
            .unwrap()
            .into_iter()
            .collect();
    let expected_vneid: i64 = (0..HOUSEHOLDS).map(|n| (n % 4) as i64).sum();
    assert_eq!(counters.get("visited"), Some(&(HOUSEHOLDS as i64)));
    assert_eq!(
        counters.get("visits"),
        Some(&((HOUSEHOLDS * VISITS_EACH) as i64))
    );
    assert_eq!(counters.get("ind:vneid_2"), Some(&expected_vneid));
    assert_eq!(
        counters.get(&format!("visits:{}", account.user.id)),
        Some(&((HOUSEHOLDS * VISITS_EACH) as i64))
    );
    let mut ledger = 0;
    for (n, &household) in ids.iter().enumerate() {
        let visits = households::visits_of(db, &officer, household)
            .await
            .unwrap();
        ledger += visits.len();
        let values: BTreeMap<String, i64> =
            langso_store::households::household_values(db, household)
                .await
                .unwrap()
                .into_iter()
                .collect();
        assert_eq!(values.get("vneid_2"), Some(&((n % 4) as i64)));
    }
    assert_eq!(ledger, HOUSEHOLDS * VISITS_EACH);
    // After shutdown the writer takes nothing more, and says so.
    assert!(
        writer
            .record(&officer, ids[0], &retry_free())
            .await
            .is_err()
    );
}

fn retry_free() -> VisitInput {
    VisitInput {
        values: [("vneid_1".to_owned(), 1), ("vneid_2".to_owned(), 1)].into(),
        ..Default::default()
    }
}
