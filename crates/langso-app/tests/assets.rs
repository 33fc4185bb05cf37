//! Assets: the register with its counters, all-or-nothing import, telemetry through the group
//! commit writer, fault and offline alarms. SQLite, and PostgreSQL with LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use langso_app::assets::{
    self as assets, AssetFilter, AssetInput, Devices, Ingest, IngestConfig, IngestError,
    NewReplacement, TelemetryError,
};
use langso_app::auth::{Grant, NewToken, create_token};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, Db, demo, today};
use langso_domain::assets::Reading;
use langso_domain::auth::Role;
use langso_store::testing::TestDb;
use time::{Duration, OffsetDateTime};

fn op() -> Actor {
    Actor::system("test")
}

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

async fn demo_db() -> TestDb {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    test
}

async fn counter(db: &Db, unit_code: &str, key: &str) -> i64 {
    let unit = langso_app::units::by_code(db, unit_code, today())
        .await
        .unwrap();
    langso_store::households::counters_under(db, unit.id, today())
        .await
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == key)
        .map_or(0, |(_, v)| v)
}

fn camera(unit: uuid::Uuid, code: &str) -> AssetInput {
    AssetInput {
        code: code.to_owned(),
        unit_id: Some(unit),
        kind: "camera".into(),
        name: "Camera cổng làng".into(),
        place_type: "intersection".into(),
        latitude: Some(21.09),
        longitude: Some(105.67),
        funding: "community".into(),
        contributors: vec![("Hộ ông Nguyễn Văn A".into(), 2_000_000)],
        keeper: "Trưởng thôn".into(),
        ..Default::default()
    }
}

fn reading(asset: &str, fault: Option<&str>) -> Reading {
    Reading {
        asset: asset.into(),
        at: None,
        online: true,
        battery: Some(90),
        lamp_on: None,
        fault: fault.map(str::to_owned),
        clients: None,
    }
}

#[tokio::test]
async fn the_register_keeps_counters_and_imports_all_or_nothing() {
    let test = demo_db().await;
    let db = &test.db;
    let village = langso_app::units::by_code(db, "09805-T01", today())
        .await
        .unwrap();
    let before = counter(db, "09805-T01", "asset:camera").await;
    assert!(before > 0, "the demo seeds cameras");
    let created = assets::create_asset(db, &op(), &camera(village.id, "t-cam-1"))
        .await
        .unwrap();
    assert_eq!(created.code, "T-CAM-1");
    assert_eq!(counter(db, "09805-T01", "asset:camera").await, before + 1);
    let view = assets::asset(db, &op(), created.id).await.unwrap();
    assert_eq!(view.contributors.len(), 1);

    // One bad row refuses the whole file, naming its row and column.
    let mut bad = camera(village.id, "T-CAM-2");
    bad.kind = "drone".into();
    let rows = vec![
        camera(village.id, "T-CAM-3"),
        bad,
        camera(village.id, "T-CAM-1"),
    ];
    match assets::import_assets(db, &op(), &rows, false).await {
        Err(AppError::Invalid(problems)) => {
            assert!(problems.iter().any(|p| p.row == 3 && p.column == "kind"));
            assert!(problems.iter().any(|p| p.row == 4 && p.column == "code"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(counter(db, "09805-T01", "asset:camera").await, before + 1);
    assert!(
        langso_store::assets::asset_by_code(db, "T-CAM-3")
            .await
            .unwrap()
            .is_none()
    );

    // Retiring stops counting it; moving it moves the count.
    let mut retire = camera(village.id, "");
    retire.status = "retired".into();
    assets::update_asset(db, &op(), created.id, &retire)
        .await
        .unwrap();
    assert_eq!(counter(db, "09805-T01", "asset:camera").await, before);

    // Outside the officer's commune: not found; a viewer may read but not write.
    let officer = person(db, Role::Officer, "09793").await;
    assert!(matches!(
        assets::create_asset(db, &officer, &camera(village.id, "T-CAM-9")).await,
        Err(AppError::NotFound)
    ));
    let viewer = person(db, Role::Viewer, "09805-T01").await;
    assert!(assets::asset(db, &viewer, created.id).await.is_ok());
    assert!(matches!(
        assets::create_asset(db, &viewer, &camera(village.id, "T-CAM-9")).await,
        Err(AppError::Forbidden)
    ));
}

#[tokio::test]
async fn lamp_replacements_and_the_plan() {
    let test = demo_db().await;
    let db = &test.db;
    let commune = langso_app::units::by_code(db, "09817", today())
        .await
        .unwrap();
    let plan = assets::replacement_plan(db, &op(), commune.id, 30)
        .await
        .unwrap();
    assert!(!plan.to_replace.is_empty(), "broken old bulbs in the demo");
    let light = plan.to_replace[0].clone();
    assets::record_replacement(
        db,
        &op(),
        light.id,
        &NewReplacement {
            replaced_on: today(),
            new_type: "solar".into(),
            note: "hộ tự thay".into(),
        },
    )
    .await
    .unwrap();
    let after = assets::replacement_plan(db, &op(), commune.id, 30)
        .await
        .unwrap();
    assert_eq!(after.to_replace.len(), plan.to_replace.len() - 1);
    assert_eq!(after.done.last().unwrap() - plan.done.last().unwrap(), 1);
    let view = assets::asset(db, &op(), light.id).await.unwrap();
    assert_eq!(view.asset.lamp_type.as_deref(), Some("solar"));
    assert_eq!(view.asset.status, "active");
    assert_eq!(
        view.replacements.last().unwrap().old_type.as_deref(),
        Some("old_bulb")
    );
}

#[tokio::test]
async fn telemetry_keeps_state_changes_and_alarms() {
    let test = demo_db().await;
    let db = &test.db;
    let village = langso_app::units::by_code(db, "09805-T01", today())
        .await
        .unwrap();
    let cam = assets::create_asset(db, &op(), &camera(village.id, "TEL-CAM-1"))
        .await
        .unwrap();
    let other = assets::create_asset(db, &op(), &camera(village.id, "TEL-CAM-2"))
        .await
        .unwrap();
    let (_, secret) = create_token(
        db,
        &op(),
        &NewToken {
            name: "camera TEL-CAM-1".into(),
            kind: "device".into(),
            role: Role::Viewer,
            unit_id: village.id,
            subject: Some("TEL-CAM-1".into()),
            expires_at: None,
        },
    )
    .await
    .unwrap();
    let devices = Devices::new(
        db.clone(),
        Ingest::start(db.clone(), IngestConfig::default()),
    );
    let credential = devices
        .authenticate(&secret)
        .await
        .unwrap()
        .expect("device token");
    assert!(devices.authenticate("lsd_nope").await.unwrap().is_none());

    let open_before = counter(db, "09805-T01", "alarm:open").await;
    let stored = devices
        .ingest_http(
            &credential,
            vec![reading("", None), reading("TEL-CAM-1", None)],
        )
        .await
        .unwrap();
    assert_eq!(stored, 2);
    // The token is bound to one device: another asset is refused, nothing stored.
    let refused = devices
        .ingest_http(
            &credential,
            vec![reading("TEL-CAM-1", None), reading("TEL-CAM-2", None)],
        )
        .await;
    assert!(matches!(
        refused,
        Err(TelemetryError::App(AppError::Invalid(_)))
    ));
    let view = assets::asset(db, &op(), cam.id).await.unwrap();
    assert_eq!(view.state.as_ref().unwrap().heartbeats, 2);
    assert_eq!(view.changes.len(), 1, "only the first status is a change");
    assert!(
        assets::asset(db, &op(), other.id)
            .await
            .unwrap()
            .state
            .is_none()
    );

    // A fault code raises one alarm; the same fault again raises nothing more.
    for _ in 0..2 {
        devices
            .ingest_http(&credential, vec![reading("TEL-CAM-1", Some("E12"))])
            .await
            .unwrap();
    }
    let view = assets::asset(db, &op(), cam.id).await.unwrap();
    let open: Vec<_> = view.alarms.iter().filter(|a| a.open).collect();
    assert_eq!(open.len(), 1);
    assert_eq!(
        (open[0].kind.as_str(), open[0].code.as_str()),
        ("fault", "E12")
    );
    assert_eq!(
        counter(db, "09805-T01", "alarm:open").await,
        open_before + 1
    );

    // Healthy again: the fault alarm is cleared.
    devices
        .ingest_http(&credential, vec![reading("TEL-CAM-1", None)])
        .await
        .unwrap();
    let view = assets::asset(db, &op(), cam.id).await.unwrap();
    assert!(
        view.alarms
            .iter()
            .all(|a| !a.open && a.cleared_at.is_some())
    );
    assert_eq!(counter(db, "09805-T01", "alarm:open").await, open_before);
    assert_eq!(view.changes.len(), 3, "ok → fault:E12 → ok");

    // Silent past twice its interval (60 s): exactly one offline alarm, however often the
    // detector runs; cleared when it reports again.
    let later = OffsetDateTime::now_utc() + Duration::seconds(121);
    // The demo's devices fall silent too; the camera is one of them.
    assert!(assets::detect_silent(db, later).await.unwrap() >= 1);
    assert_eq!(assets::detect_silent(db, later).await.unwrap(), 0);
    let view = assets::asset(db, &op(), cam.id).await.unwrap();
    let offline: Vec<_> = view.alarms.iter().filter(|a| a.kind == "offline").collect();
    assert_eq!(offline.len(), 1);
    assert!(offline[0].open);
    let with_offline = counter(db, "09805-T01", "alarm:open").await;
    assert!(with_offline > open_before);

    // People acknowledge; a team member may, a viewer may not.
    let viewer = person(db, Role::Viewer, "09805-T01").await;
    assert!(matches!(
        assets::acknowledge_alarm(db, &viewer, offline[0].id).await,
        Err(AppError::Forbidden)
    ));
    let member = person(db, Role::TeamMember, "09805-T01").await;
    let acked = assets::acknowledge_alarm(db, &member, offline[0].id)
        .await
        .unwrap();
    assert_eq!(
        acked.acknowledged_by.as_deref(),
        Some("09805-T01:team_member")
    );

    devices
        .ingest_http(&credential, vec![reading("TEL-CAM-1", None)])
        .await
        .unwrap();
    let view = assets::asset(db, &op(), cam.id).await.unwrap();
    assert!(view.alarms.iter().all(|a| !a.open));
    assert_eq!(
        counter(db, "09805-T01", "alarm:open").await,
        with_offline - 1
    );
    devices.ingest.shutdown().await;
    assert!(matches!(
        devices
            .ingest_http(&credential, vec![reading("", None)])
            .await,
        Err(TelemetryError::Ingest(IngestError::Stopped))
    ));
}

#[tokio::test]
async fn the_demo_has_alarms_and_people_resolve_them() {
    let test = demo_db().await;
    let db = &test.db;
    let hanoi = langso_app::units::by_code(db, "01", today()).await.unwrap();
    let (total, _) = assets::counts(db, &op(), hanoi.id).await.unwrap();
    let open = assets::alarms_under(db, &op(), hanoi.id, true, 1000)
        .await
        .unwrap();
    assert!(!open.is_empty());
    assert_eq!(total.open_alarms, open.len() as i64);
    assert!(
        total
            .assets
            .iter()
            .any(|(k, n)| k == "asset:wifi" && *n > 0)
    );
    let resolved = assets::resolve_alarm(db, &op(), open[0].id, "đã thay nguồn")
        .await
        .unwrap();
    assert!(!resolved.open && resolved.resolved_by.is_some());
    assert!(
        assets::resolve_alarm(db, &op(), open[0].id, "again")
            .await
            .is_err()
    );
    let (after, _) = assets::counts(db, &op(), hanoi.id).await.unwrap();
    assert_eq!(after.open_alarms, total.open_alarms - 1);
    let all = assets::assets_under(db, &op(), hanoi.id, &AssetFilter::default(), 10_000)
        .await
        .unwrap();
    assert!(all.iter().any(|a| a.kind == "wifi"));
}

#[tokio::test]
async fn a_full_queue_sheds_instead_of_waiting_and_accepted_readings_are_stored() {
    let test = demo_db().await;
    let db = &test.db;
    let village = langso_app::units::by_code(db, "09805-T01", today())
        .await
        .unwrap();
    let cam = assets::create_asset(db, &op(), &camera(village.id, "SHED-CAM-1"))
        .await
        .unwrap();
    let target = langso_store::assets::device_targets(db, &["SHED-CAM-1".to_owned()])
        .await
        .unwrap()
        .remove(0);
    // Hold the device's row (PostgreSQL) or the write lock (SQLite): the writer blocks on its
    // first batch, so the queue (one slot) fills.
    let mut hold = db.begin().await.unwrap();
    let row = langso_store::assets::StateRow {
        asset_id: cam.id,
        online: true,
        battery: None,
        lamp_on: None,
        fault: None,
        clients: None,
        last_seen_at: OffsetDateTime::now_utc() - Duration::hours(1),
        offline_after: None,
        heartbeats: 0,
        silent: false,
    };
    langso_store::assets::upsert_states(&mut hold, std::slice::from_ref(&row))
        .await
        .unwrap();
    hold.commit().await.unwrap();
    let mut hold = db.begin().await.unwrap();
    langso_store::assets::upsert_states(&mut hold, &[row])
        .await
        .unwrap();
    let ingest = Ingest::start(
        db.clone(),
        IngestConfig {
            capacity: 1,
            max_readings: 1,
        },
    );
    let one = || {
        vec![assets::Resolved {
            target: target.clone(),
            reading: reading("SHED-CAM-1", None),
            at: OffsetDateTime::now_utc(),
        }]
    };
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let ingest = ingest.clone();
            let batch = one();
            tokio::spawn(async move { ingest.submit(batch).await })
        })
        .collect();
    // Wait until at least one was refused (the writer holds at most one, the queue one more).
    let mut shed = 0;
    for _ in 0..200 {
        shed = ingest.counters().2;
        if shed >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(shed >= 2, "4 requests, room for 2: {shed} refused");
    drop(hold);
    let mut accepted = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(n) => accepted += n as i64,
            Err(IngestError::Overloaded) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(accepted, 4 - shed as i64);
    let stored = assets::asset(db, &op(), cam.id)
        .await
        .unwrap()
        .state
        .unwrap()
        .heartbeats;
    assert_eq!(stored, accepted, "every accepted reading is stored");
    ingest.shutdown().await;
}
