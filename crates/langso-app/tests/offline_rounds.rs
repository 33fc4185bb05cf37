//! Offline rounds in the app layer: the sync body's limits (a property test: any bytes are
//! read or refused, never a panic; the item bound holds exactly), and a visit that arrives
//! late with an earlier date: it goes into the ledger, the household's current values follow
//! the latest visit date, and the counters stay the sum of the households' values. SQLite,
//! and PostgreSQL when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use langso_app::households::offline::{MAX_BODY, MAX_ITEMS, SyncItem, parse_sync};
use langso_app::households::{self, HouseholdInput, VisitInput};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, demo, today};
use langso_store::testing::TestDb;
use proptest::prelude::*;
use serde_json::json;
use uuid::Uuid;

fn item(n: usize) -> serde_json::Value {
    json!({"id": Uuid::now_v7(), "household_id": Uuid::now_v7(), "household_version": n,
        "catalogue_version": "2020-01-01", "member_id": Uuid::now_v7(),
        "visited_on": "2026-01-02", "values": {"smartphones": 1}})
}

fn refusal_key(error: &AppError) -> &'static str {
    match error {
        AppError::Invalid(problems) => problems[0].key.as_ref().unwrap().key,
        other => panic!("not a refusal: {other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_sync(&bytes);
    }

    #[test]
    fn the_item_bound_holds_exactly(visits in 0usize..=110, proposals in 0usize..=10) {
        let body = json!({
            "visits": (0..visits).map(item).collect::<Vec<_>>(),
            "proposals": (0..proposals).map(|_| json!({"id": "x"})).collect::<Vec<_>>(),
        });
        let parsed = parse_sync(&serde_json::to_vec(&body).unwrap());
        if visits + proposals > MAX_ITEMS {
            prop_assert_eq!(refusal_key(&parsed.unwrap_err()), "rounds-sync-too-many");
        } else {
            let batch = parsed.unwrap();
            prop_assert_eq!(batch.items.len(), visits + proposals);
            let read = batch.items.iter().filter(|i| matches!(i, SyncItem::Visit(_))).count();
            prop_assert_eq!(read, visits);
        }
    }

    #[test]
    fn long_fields_refuse_the_item_not_the_batch(extra in 1usize..500) {
        let mut long = item(1);
        long["notes"] = json!("ồ".repeat(1000 + extra));
        let batch = parse_sync(&serde_json::to_vec(&json!({"visits": [long, item(2)]})).unwrap())
            .unwrap();
        let refused = matches!(batch.items[0], SyncItem::Unreadable { key: "rounds-sync-item-too-large", .. });
        prop_assert!(refused);
        prop_assert!(matches!(batch.items[1], SyncItem::Visit(_)));
    }
}

#[test]
fn a_body_past_the_size_limit_is_refused_before_it_is_read() {
    let bytes = vec![b' '; MAX_BODY + 1];
    assert_eq!(
        refusal_key(&parse_sync(&bytes).unwrap_err()),
        "rounds-sync-too-large"
    );
    assert_eq!(
        refusal_key(&parse_sync(b"[1, 2]").unwrap_err()),
        "rounds-sync-unreadable"
    );
}

#[tokio::test]
async fn a_late_visit_with_an_earlier_date_goes_to_the_ledger_only() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let village = langso_app::units::by_code(db, "09817-T01", today())
        .await
        .unwrap()
        .id;
    let system = Actor::system("test");
    let input = HouseholdInput {
        unit_id: Some(village),
        code: "LATE-1".to_owned(),
        head_name: "Chủ hộ muộn".to_owned(),
        members: 3,
        adults: 2,
        ..Default::default()
    };
    let household = households::create_household(db, &system, &input)
        .await
        .unwrap()
        .row
        .id;
    let counter = async || {
        langso_store::households::counters_under(db, village, today())
            .await
            .unwrap()
            .into_iter()
            .find(|(k, _)| k == "ind:smartphones")
            .map_or(0, |(_, v)| v)
    };
    let before = counter().await;
    let today = today();
    let follow = today + time::Duration::days(7);
    let newer = VisitInput {
        visited_on: Some(today),
        values: [("smartphones".to_owned(), 3)].into(),
        follow_up_on: Some(follow),
        ..Default::default()
    };
    households::record_visit(db, &system, household, &newer)
        .await
        .unwrap();
    let older = VisitInput {
        visited_on: Some(today - time::Duration::days(3)),
        values: [("smartphones".to_owned(), 1)].into(),
        ..Default::default()
    };
    households::record_visit(db, &system, household, &older)
        .await
        .unwrap();

    assert_eq!(
        households::visits_of(db, &system, household)
            .await
            .unwrap()
            .len(),
        2
    );
    let values = langso_store::households::household_values(db, household)
        .await
        .unwrap();
    assert_eq!(
        values,
        [("smartphones".to_owned(), 3)],
        "the latest date wins"
    );
    assert_eq!(
        counter().await,
        before + 3,
        "the counter is the sum of the values"
    );
    let row = langso_store::households::get_household(db, household)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.last_visit_on, row.follow_up_on),
        (Some(today), Some(follow))
    );
    let version = langso_store::households::household_versions(db, &[household])
        .await
        .unwrap();
    assert_eq!(
        version,
        [(household, 2)],
        "each visit raises the version by one"
    );
}
