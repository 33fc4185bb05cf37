//! Procedures: the versioned catalogue, placements, the scan recorder and the analytics.
//! Runs on SQLite, and on PostgreSQL when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use langso_app::auth::Grant;
use langso_app::procedures::{
    self as procedures, NewPlacement, NewVersion, RecorderConfig, ScanRecorder,
};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, Db, demo, today};
use langso_domain::auth::Role;
use langso_store::testing::TestDb;
use time::Duration;
use time::macros::date;

fn op() -> Actor {
    Actor::system("test")
}

/// A person holding `role` on the unit with `code`.
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

async fn fresh() -> TestDb {
    TestDb::new().await.unwrap()
}

fn invalid_fields<T: std::fmt::Debug>(result: Result<T, AppError>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| e.column).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A database with the reference units (after 2025) and the catalogue, but no placements.
async fn units_and_catalogue() -> TestDb {
    let test = fresh().await;
    demo::seed_before_2025(&test.db, &NoProgress).await.unwrap();
    langso_app::units::reorganise(&test.db, &op(), &demo::plan_2025().unwrap(), false)
        .await
        .unwrap();
    assert_eq!(
        procedures::seed_catalogue(&test.db, &op(), date!(2025 - 07 - 01))
            .await
            .unwrap(),
        5
    );
    assert_eq!(
        procedures::seed_catalogue(&test.db, &op(), date!(2025 - 07 - 01))
            .await
            .unwrap(),
        0,
        "idempotent"
    );
    test
}

#[tokio::test]
async fn the_catalogue_keeps_every_version_and_shows_the_one_in_force() {
    let test = units_and_catalogue().await;
    let db = &test.db;
    let birth = procedures::guide(db, "1.001193").await.unwrap();
    assert_eq!(birth.version, 1);
    assert_eq!(birth.content.name_vi, "Đăng ký khai sinh");
    assert!(
        birth
            .content
            .fee_vi
            .starts_with("Miễn lệ phí khi đăng ký đúng hạn; miễn cho gia đình người có công")
    );
    assert!(birth.content.vneid_service_vi.is_some());
    assert_eq!(birth.content.documents_vi.len(), 2);
    assert_eq!(procedures::guides(db).await.unwrap().len(), 5);

    let mut content = birth.content.clone();
    content.fee_vi = "Miễn lệ phí".to_owned();
    let tomorrow = today() + Duration::days(1);
    let v2 = procedures::publish_version(
        db,
        &op(),
        NewVersion {
            code: "1.001193".to_owned(),
            effective_from: tomorrow,
            content: content.clone(),
            note: Some("Phí mới".to_owned()),
        },
    )
    .await
    .unwrap();
    assert_eq!(v2.version, 2);
    assert_eq!(
        procedures::guide(db, "1.001193").await.unwrap().version,
        1,
        "not in force before its day"
    );
    let history = procedures::history(db, &op(), "1.001193").await.unwrap();
    assert_eq!(
        history.iter().map(|v| v.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(history[0].note.as_deref(), Some("Phí mới"));

    let v3 = procedures::publish_version(
        db,
        &op(),
        NewVersion {
            code: "1.001193".to_owned(),
            effective_from: today(),
            content: content.clone(),
            note: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        procedures::guide(db, "1.001193").await.unwrap().id,
        v3.id,
        "today's version is in force"
    );

    let past = NewVersion {
        code: "1.001193".to_owned(),
        effective_from: date!(2020 - 01 - 01),
        content: content.clone(),
        note: None,
    };
    assert_eq!(
        invalid_fields(procedures::publish_version(db, &op(), past).await),
        vec!["effective_from"]
    );
    let mut empty = content.clone();
    empty.name_vi.clear();
    empty.steps_vi.clear();
    let bad = NewVersion {
        code: "1.001193".to_owned(),
        effective_from: today(),
        content: empty,
        note: None,
    };
    assert_eq!(
        invalid_fields(procedures::publish_version(db, &op(), bad).await),
        vec!["name_vi", "steps_vi", "steps_en"]
    );
    assert!(matches!(
        procedures::guide(db, "9.999999").await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        procedures::guide(db, "nonsense").await,
        Err(AppError::NotFound)
    ));
}

#[tokio::test]
async fn placements_are_validated_and_counted_under_their_unit() {
    let test = units_and_catalogue().await;
    let db = &test.db;
    let commune = langso_app::units::by_code(db, "09784", today())
        .await
        .unwrap();
    let village = langso_app::units::children(db, commune.id, today())
        .await
        .unwrap()
        .remove(0);
    let input = NewPlacement {
        unit_id: village.id,
        kind: "alley_entrance".to_owned(),
        label: "Đầu ngõ 3".to_owned(),
        latitude: Some(21.1),
        longitude: Some(105.66),
        procedures: vec!["1.001193".to_owned(), "1.000656".to_owned()],
    };
    let placement = procedures::create_placement(db, &op(), input.clone())
        .await
        .unwrap();
    assert_eq!(placement.token.len(), 8);
    let target = procedures::scan_target(db, &placement.token).await.unwrap();
    assert_eq!(target.placement_id, placement.id);
    assert_eq!(target.procedures.len(), 2);
    assert!(matches!(
        procedures::scan_target(db, "ZZZZZZZZ").await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        procedures::scan_target(db, "../etc").await,
        Err(AppError::NotFound)
    ));

    assert_eq!(
        procedures::procedures_with_qr(db, &op(), commune.id)
            .await
            .unwrap(),
        2
    );
    let hanoi = langso_app::units::by_code(db, "01", today()).await.unwrap();
    assert_eq!(
        procedures::procedures_with_qr(db, &op(), hanoi.id)
            .await
            .unwrap(),
        2
    );
    let other = langso_app::units::by_code(db, "09817", today())
        .await
        .unwrap();
    assert_eq!(
        procedures::procedures_with_qr(db, &op(), other.id)
            .await
            .unwrap(),
        0
    );
    procedures::set_active(db, &op(), placement.id, false)
        .await
        .unwrap();
    assert_eq!(
        procedures::procedures_with_qr(db, &op(), commune.id)
            .await
            .unwrap(),
        0,
        "a poster taken down no longer counts"
    );

    let bad = NewPlacement {
        kind: "tree".to_owned(),
        label: " ".to_owned(),
        latitude: Some(48.8),
        procedures: vec!["1.001193".to_owned(), "9.999999".to_owned()],
        ..input
    };
    assert_eq!(
        invalid_fields(procedures::create_placement(db, &op(), bad).await),
        vec!["kind", "label", "latitude", "procedures"]
    );
}

#[tokio::test]
async fn every_accepted_scan_is_committed_even_at_shutdown() {
    let test = units_and_catalogue().await;
    let db = &test.db;
    let commune = langso_app::units::by_code(db, "09784", today())
        .await
        .unwrap();
    let placement = procedures::create_placement(
        db,
        &op(),
        NewPlacement {
            unit_id: commune.id,
            kind: "one_stop_office".to_owned(),
            label: "Một cửa".to_owned(),
            latitude: None,
            longitude: None,
            procedures: vec!["2.000815".to_owned()],
        },
    )
    .await
    .unwrap();
    let config = RecorderConfig {
        capacity: 64,
        max_batch: 50,
        ..RecorderConfig::default()
    };
    let recorder = ScanRecorder::start(db.clone(), config);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let recorder = recorder.clone();
        let id = placement.id;
        tasks.push(tokio::spawn(async move {
            let mut ok = 0;
            for _ in 0..100 {
                ok += u64::from(recorder.record(id).await);
            }
            ok
        }));
    }
    let mut accepted = 0;
    for task in tasks {
        accepted += task.await.unwrap();
    }
    recorder.flush().await;
    assert_eq!(accepted, 800);
    assert_eq!(
        langso_store::procedures::count_scans(db).await.unwrap(),
        800
    );
    let (recorded, lost, commits) = recorder.counters();
    assert_eq!((recorded, lost), (800, 0));
    assert!(commits < 800, "scans were grouped: {commits} commits");

    for _ in 0..300 {
        assert!(recorder.record(placement.id).await);
    }
    recorder.shutdown().await;
    assert_eq!(
        langso_store::procedures::count_scans(db).await.unwrap(),
        1100,
        "shutdown drained the queue"
    );
    assert!(
        !recorder.record(placement.id).await,
        "no scan is accepted after shutdown"
    );

    let analytics = procedures::scan_analytics(db, &op(), commune.id, 7)
        .await
        .unwrap();
    assert_eq!(analytics.total, 1100);
    assert_eq!(analytics.days.len(), 7);
    assert_eq!(*analytics.placements[0].daily.last().unwrap(), 1100);
    assert!(analytics.silent.is_empty());
}

#[tokio::test]
async fn the_demo_has_posters_everywhere_and_a_scan_history() {
    let test = fresh().await;
    let db = &test.db;
    demo::build(db, &NoProgress).await.unwrap();
    let hanoi = langso_app::units::by_code(db, "01", today()).await.unwrap();
    let placements = procedures::placements_under(db, &op(), hanoi.id)
        .await
        .unwrap();
    let cultural = placements
        .iter()
        .filter(|p| p.kind == procedures::PlaceKind::CulturalHouse)
        .count();
    assert_eq!(cultural, demo::DEMO_VILLAGES);
    assert!(
        placements
            .iter()
            .any(|p| p.kind == procedures::PlaceKind::AlleyEntrance && p.procedures.len() == 1)
    );
    assert_eq!(
        procedures::procedures_with_qr(db, &op(), hanoi.id)
            .await
            .unwrap(),
        5
    );

    let analytics = procedures::scan_analytics(db, &op(), hanoi.id, 30)
        .await
        .unwrap();
    assert!(analytics.total > 1000, "{}", analytics.total);
    assert!(
        !analytics.silent.is_empty(),
        "some alley posters are silent"
    );
    assert!(
        analytics
            .silent
            .iter()
            .all(|s| s.placement.kind == procedures::PlaceKind::AlleyEntrance)
    );
    assert_eq!(analytics.procedures.len(), 5);
    assert!(
        analytics.placements[0].total >= analytics.placements[1].total,
        "most scanned first"
    );
    let sum: i64 = analytics.units.iter().map(|u| u.total).sum();
    assert_eq!(sum, analytics.total);
}

#[tokio::test]
async fn officers_manage_placements_in_their_unit_only_and_only_province_admins_publish() {
    let test = units_and_catalogue().await;
    let db = &test.db;
    let dan_phuong = langso_app::units::by_code(db, "09784", today())
        .await
        .unwrap();
    let o_dien = langso_app::units::by_code(db, "09817", today())
        .await
        .unwrap();
    let officer = person(db, Role::Officer, "09817").await;
    let viewer = person(db, Role::Viewer, "09817").await;
    let input = |unit_id| NewPlacement {
        unit_id,
        kind: "billboard".to_owned(),
        label: "Pano ngã ba".to_owned(),
        latitude: None,
        longitude: None,
        procedures: vec!["1.000894".to_owned()],
    };
    let own = procedures::create_placement(db, &officer, input(o_dien.id))
        .await
        .unwrap();
    assert!(
        matches!(
            procedures::create_placement(db, &officer, input(dan_phuong.id)).await,
            Err(AppError::NotFound)
        ),
        "another commune is invisible"
    );
    assert!(matches!(
        procedures::create_placement(db, &viewer, input(o_dien.id)).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        procedures::set_active(db, &viewer, own.id, false).await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(
        procedures::placement(db, &viewer, own.id).await.unwrap().id,
        own.id,
        "viewers see figures"
    );
    assert!(
        procedures::scan_analytics(db, &viewer, o_dien.id, 30)
            .await
            .is_ok()
    );
    assert!(matches!(
        procedures::scan_analytics(db, &viewer, dan_phuong.id, 30).await,
        Err(AppError::NotFound)
    ));
    assert_eq!(
        procedures::procedures_with_qr(db, &viewer, o_dien.id)
            .await
            .unwrap(),
        1
    );

    let guide = procedures::guide(db, "1.000894").await.unwrap();
    let version = || NewVersion {
        code: "1.000894".to_owned(),
        effective_from: today(),
        content: guide.content.clone(),
        note: None,
    };
    assert!(matches!(
        procedures::publish_version(db, &officer, version()).await,
        Err(AppError::Forbidden)
    ));
    let commune_admin = person(db, Role::Admin, "09817").await;
    assert!(
        matches!(
            procedures::publish_version(db, &commune_admin, version()).await,
            Err(AppError::Forbidden)
        ),
        "the catalogue is province-wide"
    );
    let province_admin = person(db, Role::Admin, "01").await;
    assert_eq!(
        procedures::publish_version(db, &province_admin, version())
            .await
            .unwrap()
            .version,
        2
    );
    assert_eq!(
        procedures::history(db, &viewer, "1.000894")
            .await
            .unwrap()
            .len(),
        2
    );
}
