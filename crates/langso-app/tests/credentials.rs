//! Credentials die with the access they came from, and accounts resist misuse (issue 13):
//! tokens of a disabled creator or of a revoked grant stop at once, also when a device token
//! is cached on several nodes; the login throttle never locks an officer out from elsewhere;
//! four eyes compare user ids; a visit id reused for another household is a conflict; a list
//! shown unmasked is audited. SQLite, and PostgreSQL with LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use langso_app::assets::{
    self as assets, AssetInput, Devices, Ingest, IngestConfig, IngestError, TelemetryError,
};
use langso_app::auth::{self, LoginFailure, NewAccount, NewToken};
use langso_app::households::{self, VisitInput, VisitWriter};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, Db, demo, today};
use langso_domain::assets::Reading;
use langso_domain::auth::Role;
use langso_store::testing::TestDb;
use uuid::Uuid;

const PASSWORD: &str = "mật khẩu đủ dài";

fn op() -> Actor {
    Actor::system("test")
}

async fn demo_db() -> TestDb {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    test
}

async fn unit(db: &Db, code: &str) -> Uuid {
    langso_app::units::by_code(db, code, today())
        .await
        .unwrap()
        .id
}

/// A real account with these roles, and its actor as a session sees it.
async fn person(db: &Db, login: &str, roles: &[(Role, &str)], pii: bool) -> (Uuid, Actor) {
    let (first, rest) = roles.split_first().unwrap();
    let view = auth::create_user(
        db,
        &op(),
        &NewAccount {
            login: login.to_owned(),
            display_name: format!("Người thử {login}"),
            password: PASSWORD.to_owned(),
            role: first.0,
            unit_id: unit(db, first.1).await,
            pii,
        },
    )
    .await
    .unwrap();
    for (role, code) in rest {
        auth::grant_role(db, &op(), view.user.id, *role, unit(db, code).await)
            .await
            .unwrap();
    }
    let outcome = auth::login(db, login, PASSWORD, "192.0.2.1").await.unwrap();
    let actor = auth::actor_for_session(db, &outcome.session_token)
        .await
        .unwrap()
        .unwrap();
    (view.user.id, actor)
}

fn token(kind: &str, role: Role, unit_id: Uuid, subject: Option<&str>) -> NewToken {
    NewToken {
        name: format!("{kind} token"),
        kind: kind.to_owned(),
        role,
        unit_id,
        subject: subject.map(str::to_owned),
        expires_at: None,
    }
}

fn reading(asset: &str) -> Reading {
    Reading {
        asset: asset.to_owned(),
        at: None,
        online: true,
        battery: None,
        lamp_on: None,
        fault: None,
        clients: None,
    }
}

/// Two nodes over one database: each its own device-token cache and writer.
fn node(db: &Db) -> Devices {
    Devices::new(
        db.clone(),
        Ingest::start(db.clone(), IngestConfig::default()),
    )
}

async fn camera(db: &Db, village: &str, code: &str) {
    let input = AssetInput {
        code: code.to_owned(),
        unit_id: Some(unit(db, village).await),
        kind: "camera".into(),
        name: "Camera thử".into(),
        place_type: "intersection".into(),
        funding: "state_budget".into(),
        ..Default::default()
    };
    assets::create_asset(db, &op(), &input).await.unwrap();
}

fn revoked<T: std::fmt::Debug>(result: Result<T, TelemetryError>) {
    assert!(
        matches!(result, Err(TelemetryError::Ingest(IngestError::Revoked))),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_disabled_creators_tokens_stop_at_once_on_every_node() {
    let test = demo_db().await;
    let db = &test.db;
    camera(db, "09805-T01", "CRED-CAM-1").await;
    let (officer_id, officer) = person(db, "canbo.thu", &[(Role::Officer, "09817")], false).await;
    let village = unit(db, "09805-T01").await;
    let (_, api) = auth::create_token(db, &officer, &token("api", Role::Viewer, village, None))
        .await
        .unwrap();
    let (_, device) = auth::create_token(
        db,
        &officer,
        &token("device", Role::Viewer, village, Some("CRED-CAM-1")),
    )
    .await
    .unwrap();
    assert!(auth::actor_for_token(db, &api).await.unwrap().is_some());
    // A device token is no API credential.
    assert!(auth::actor_for_token(db, &device).await.unwrap().is_none());
    // Both nodes cache the device token and store a heartbeat with it.
    let (a, b) = (node(db), node(db));
    let on_a = a.authenticate(&device).await.unwrap().unwrap();
    let on_b = b.authenticate(&device).await.unwrap().unwrap();
    assert_eq!(a.ingest_http(&on_a, vec![reading("")]).await.unwrap(), 1);
    assert_eq!(b.ingest_http(&on_b, vec![reading("")]).await.unwrap(), 1);

    auth::disable_user(db, &op(), officer_id).await.unwrap();
    assert!(auth::actor_for_token(db, &api).await.unwrap().is_none());
    // The credentials both nodes hold from their caches are refused at the next heartbeat,
    // and nothing is stored.
    revoked(a.ingest_http(&on_a, vec![reading("")]).await);
    revoked(b.ingest_http(&on_b, vec![reading("")]).await);
    assert!(a.authenticate(&device).await.unwrap().is_none());
    assert!(b.authenticate(&device).await.unwrap().is_none());
    assert!(node(db).authenticate(&device).await.unwrap().is_none());
    a.ingest.shutdown().await;
    b.ingest.shutdown().await;
}

#[tokio::test]
async fn tokens_die_with_the_grant_they_were_minted_under_and_when_revoked() {
    let test = demo_db().await;
    let db = &test.db;
    camera(db, "09805-T01", "CRED-CAM-2").await;
    let (officer_id, officer) = person(
        db,
        "canbo.hai",
        &[(Role::Officer, "09817"), (Role::Viewer, "09793")],
        false,
    )
    .await;
    let village = unit(db, "09805-T01").await;
    let (_, api) = auth::create_token(
        db,
        &officer,
        &token("api", Role::VillageHead, village, None),
    )
    .await
    .unwrap();
    let (device_row, device) = auth::create_token(
        db,
        &officer,
        &token("device", Role::Viewer, village, Some("CRED-CAM-2")),
    )
    .await
    .unwrap();
    let (_, other_device) = auth::create_token(
        db,
        &op(),
        &token("device", Role::Viewer, village, Some("CRED-CAM-2")),
    )
    .await
    .unwrap();
    let devices = node(db);
    let cached = devices.authenticate(&device).await.unwrap().unwrap();
    let other = devices.authenticate(&other_device).await.unwrap().unwrap();
    assert_eq!(
        devices
            .ingest_http(&cached, vec![reading("")])
            .await
            .unwrap(),
        1
    );

    // Revoking the officer role (the viewer role elsewhere stays) kills both tokens.
    auth::revoke_role(
        db,
        &op(),
        officer_id,
        Role::Officer,
        unit(db, "09817").await,
    )
    .await
    .unwrap();
    assert!(auth::actor_for_token(db, &api).await.unwrap().is_none());
    revoked(devices.ingest_http(&cached, vec![reading("")]).await);
    // A token of the command line is untouched.
    assert_eq!(
        devices
            .ingest_http(&other, vec![reading("")])
            .await
            .unwrap(),
        1
    );
    // Revoking a token stops its cached credential at once.
    let (revoked_row, revocable) = auth::create_token(
        db,
        &op(),
        &token("device", Role::Viewer, village, Some("CRED-CAM-2")),
    )
    .await
    .unwrap();
    let cached = devices.authenticate(&revocable).await.unwrap().unwrap();
    auth::revoke_token(db, &op(), revoked_row.id).await.unwrap();
    revoked(devices.ingest_http(&cached, vec![reading("")]).await);
    assert!(devices.authenticate(&revocable).await.unwrap().is_none());
    assert!(auth::device_token_alive(db, other.token_id).await.unwrap());
    assert!(!auth::device_token_alive(db, device_row.id).await.unwrap());
    devices.ingest.shutdown().await;
}

#[tokio::test]
async fn nobody_hands_out_more_than_they_hold_on_that_unit() {
    let test = demo_db().await;
    let db = &test.db;
    // Officer of one commune, administrator of a village in another.
    let (_, actor) = person(
        db,
        "hai.vai",
        &[(Role::Officer, "09817"), (Role::Admin, "09787-T01")],
        false,
    )
    .await;
    let commune = unit(db, "09817").await;
    let far_village = unit(db, "09787-T01").await;
    let refused = auth::create_token(db, &actor, &token("api", Role::Admin, commune, None)).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    for (role, on) in [(Role::Officer, commune), (Role::Admin, far_village)] {
        auth::create_token(db, &actor, &token("api", role, on, None))
            .await
            .unwrap();
    }
    let account = |login: &str, role, unit_id| NewAccount {
        login: login.to_owned(),
        display_name: "Người mới".to_owned(),
        password: PASSWORD.to_owned(),
        role,
        unit_id,
        pii: false,
    };
    let refused = auth::create_user(db, &actor, &account("qt.moi", Role::Admin, commune)).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    let new = auth::create_user(db, &actor, &account("cb.moi", Role::Officer, commune))
        .await
        .unwrap();
    let refused = auth::grant_role(db, &actor, new.user.id, Role::Admin, commune).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    auth::grant_role(db, &actor, new.user.id, Role::Viewer, commune)
        .await
        .unwrap();
    auth::create_user(db, &actor, &account("qt.thon", Role::Admin, far_village))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_login_throttle_never_locks_an_officer_out_from_elsewhere() {
    let test = demo_db().await;
    let db = &test.db;
    let (user_id, _) = person(db, "canbo.ba", &[(Role::Officer, "09817")], false).await;
    let attacker = "198.51.100.7";
    for _ in 0..5 {
        let failed = auth::login(db, "canbo.ba", "đoán mò mật khẩu", attacker).await;
        assert!(matches!(failed, Err(LoginFailure::Rejected)), "{failed:?}");
    }
    // From there, even the right password now waits.
    let waiting = auth::login(db, "canbo.ba", PASSWORD, attacker).await;
    assert!(
        matches!(waiting, Err(LoginFailure::Throttled(s)) if s > 0),
        "{waiting:?}"
    );
    // The officer, from the office, is not locked out; the attacker still waits.
    auth::login(db, "canbo.ba", PASSWORD, "203.0.113.9")
        .await
        .unwrap();
    let waiting = auth::login(db, "canbo.ba", PASSWORD, attacker).await;
    assert!(matches!(waiting, Err(LoginFailure::Throttled(_))));
    // An unknown login and a disabled account answer like a wrong password.
    let unknown = auth::login(db, "khong.co.ai", PASSWORD, "203.0.113.9").await;
    assert!(matches!(unknown, Err(LoginFailure::Rejected)));
    auth::disable_user(db, &op(), user_id).await.unwrap();
    let disabled = auth::login(db, "canbo.ba", PASSWORD, "203.0.113.9").await;
    assert!(matches!(disabled, Err(LoginFailure::Rejected)));
}

#[tokio::test]
async fn a_visit_id_reused_for_another_household_is_a_conflict() {
    let test = demo_db().await;
    let db = &test.db;
    let village = unit(db, "09805-T01").await;
    let list = households::list_households(db, &op(), Some(village), "", 2, 0)
        .await
        .unwrap();
    let (first, second) = (list[0].id, list[1].id);
    let id = Uuid::now_v7();
    let input = VisitInput {
        id: Some(id),
        ..Default::default()
    };
    households::record_visit(db, &op(), first, &input)
        .await
        .unwrap();
    // The same visit again is a replay: acknowledged, written once.
    households::record_visit(db, &op(), first, &input)
        .await
        .unwrap();
    let conflict = households::record_visit(db, &op(), second, &input).await;
    assert!(
        matches!(conflict, Err(AppError::Conflict(_))),
        "{conflict:?}"
    );
    // Through the group-commit writer too, and also with both in one batch.
    let writer = VisitWriter::start(db.clone());
    writer.record(&op(), first, &input).await.unwrap();
    let conflict = writer.record(&op(), second, &input).await;
    assert!(
        matches!(conflict, Err(AppError::Conflict(_))),
        "{conflict:?}"
    );
    let fresh = VisitInput {
        id: Some(Uuid::now_v7()),
        ..Default::default()
    };
    let system = op();
    let (x, y) = tokio::join!(
        writer.record(&system, first, &fresh),
        writer.record(&system, second, &fresh)
    );
    assert!(
        x.is_ok() != y.is_ok(),
        "exactly one is written: {x:?} {y:?}"
    );
    assert!(matches!(x.err().or(y.err()), Some(AppError::Conflict(_))));
    writer.shutdown().await;
    let visits = |h| households::visits_of(db, &system, h);
    assert_eq!(
        visits(first)
            .await
            .unwrap()
            .iter()
            .filter(|v| v.id == id)
            .count(),
        1
    );
    assert!(visits(second).await.unwrap().iter().all(|v| v.id != id));
}

#[tokio::test]
async fn a_list_shown_unmasked_is_audited_like_a_single_view() {
    let test = demo_db().await;
    let db = &test.db;
    let (_, plain) = person(db, "xem.che", &[(Role::Officer, "09817")], false).await;
    let (_, pii) = person(db, "xem.ro", &[(Role::Officer, "09817")], true).await;
    let village = unit(db, "09805-T01").await;
    let unmasked_entries = || async {
        langso_app::audit::list(
            db,
            &op(),
            &langso_app::audit::AuditQuery {
                action: Some("household.list_unmasked".to_owned()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
    };
    let rows = households::list_households(db, &plain, Some(village), "", 50, 0)
        .await
        .unwrap();
    assert!(rows.iter().any(|r| r.representative_phone.is_some()));
    assert!(
        unmasked_entries().await.is_empty(),
        "masked: nothing to record"
    );
    let rows = households::list_households(db, &pii, Some(village), "", 50, 0)
        .await
        .unwrap();
    let entries = unmasked_entries().await;
    assert_eq!(entries.len(), 1);
    assert!(entries[0].actor_label.starts_with("xem.ro"));
    let shown = rows
        .iter()
        .filter(|r| r.representative_phone.is_some() || r.citizen_id.is_some());
    for row in shown {
        assert!(entries[0].summary.contains(&row.code), "{}", row.code);
    }
    // A team's member list likewise: masked, nothing recorded; unmasked, one entry naming them.
    let team_entries = || async {
        langso_app::audit::list(
            db,
            &op(),
            &langso_app::audit::AuditQuery {
                action: Some("team.members_unmasked".to_owned()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
    };
    let teams = langso_app::teams::list_teams(db, &pii, village)
        .await
        .unwrap();
    let team = teams.first().expect("the demo village has a team").team.id;
    let view = langso_app::teams::team(db, &plain, team).await.unwrap();
    assert!(view.members.iter().any(|m| m.phone.is_some()));
    assert!(team_entries().await.is_empty());
    let view = langso_app::teams::team(db, &pii, team).await.unwrap();
    let entries = team_entries().await;
    assert_eq!(entries.len(), 1);
    for member in view.members.iter().filter(|m| m.phone.is_some()) {
        assert!(entries[0].summary.contains(&member.full_name));
    }
}

const MANUAL_SET: &str = r#"{
  "name": "Bộ thử bốn mắt", "province": "01", "valid_from": "2024-01-01",
  "criteria": [
    {"code": "C", "label_vi": "Máy tính tại nhà văn hóa", "label_en": "Computer", "kind": "manual"}
  ]
}"#;

#[tokio::test]
async fn four_eyes_compare_user_ids_whatever_the_route() {
    let test = demo_db().await;
    let db = &test.db;
    let set = langso_app::criteria::import_set(
        db,
        &op(),
        &langso_app::criteria::import_json(MANUAL_SET.as_bytes()).unwrap(),
    )
    .await
    .unwrap();
    let village = unit(db, "09805-T01").await;
    let (_, uploader) = person(db, "canbo.tai", &[(Role::Officer, "09817")], false).await;
    let (_, other) = person(db, "canbo.duyet", &[(Role::Officer, "09817")], false).await;
    let evidence = langso_app::criteria::upload_evidence(
        db,
        &uploader,
        village,
        set.id,
        "C",
        "may-tinh.jpg",
        "image/jpeg",
        b"\xff\xd8 photo",
    )
    .await
    .unwrap();
    // The uploader's own API token has another label, but is the same person.
    let (_, secret) = auth::create_token(
        db,
        &uploader,
        &token("api", Role::Officer, unit(db, "09817").await, None),
    )
    .await
    .unwrap();
    let through_token = auth::actor_for_token(db, &secret).await.unwrap().unwrap();
    assert_ne!(through_token.label, uploader.label);
    for same in [&uploader, &through_token] {
        match langso_app::criteria::approve_evidence(db, same, evidence.id).await {
            Err(AppError::Invalid(problems)) => assert_eq!(problems[0].column, "approver"),
            other => panic!("the uploader approved: {other:?}"),
        }
    }
    let approved = langso_app::criteria::approve_evidence(db, &other, evidence.id)
        .await
        .unwrap();
    assert!(approved.approved_by.is_some());
}
