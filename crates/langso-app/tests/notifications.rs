//! Notifications (issue 17, h17c): a new fault report e-mails the commune officer; quiet
//! hours defer; the digest gathers; the morning job runs once with two runners; a raised
//! alarm notifies once; a withdrawn consent withholds queued messages and stops new ones.
//! SQLite, and PostgreSQL with LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use langso_app::assets::{self as assets, AssetInput, Devices, Ingest, IngestConfig};
use langso_app::auth::{Grant, NewAccount, NewToken, create_token, create_user};
use langso_app::comms::morning::run_morning;
use langso_app::comms::notify::{Notice, Notifier};
use langso_app::comms::preferences::{
    ContactsInput, PreferencesInput, save_contacts, save_preferences,
};
use langso_app::faults::{self, NewReport};
use langso_app::households::{ConsentInput, may_contact, record_consent, withdraw_consent};
use langso_app::progress::NoProgress;
use langso_app::{Actor, Db, demo, today};
use langso_domain::assets::Reading;
use langso_domain::auth::Role;
use langso_store::comms::{self as store, MessageRow};
use langso_store::testing::TestDb;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// The code of the commune a village is in today (the demo's communes were merged in 2025).
async fn commune_of(db: &Db, village: &str) -> String {
    let village = langso_app::units::by_code(db, village, today())
        .await
        .unwrap();
    let (_, commune) = langso_app::households::village_and_commune(db, village.id)
        .await
        .unwrap();
    langso_store::units::get(db, commune)
        .await
        .unwrap()
        .unwrap()
        .code
}

async fn demo_db() -> TestDb {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    test
}

/// A new account with `role` on the unit `code`, reached at `email`, with these modes and
/// quiet hours (`None`: no quiet hours, so that tests do not depend on the clock).
async fn person(
    db: &Db,
    login: &str,
    role: Role,
    code: &str,
    email: &str,
    modes: (&str, &str, &str),
    quiet: Option<(&str, &str)>,
) -> Actor {
    let unit = langso_app::units::by_code(db, code, today()).await.unwrap();
    let view = create_user(
        db,
        &Actor::system("test"),
        &NewAccount {
            login: login.into(),
            display_name: format!("Cán bộ {login}"),
            password: "mật-khẩu-đủ-dài-2026".into(),
            role,
            unit_id: unit.id,
            pii: false,
        },
    )
    .await
    .unwrap();
    let actor = Actor::new(
        Some(view.user.id),
        login.into(),
        vec![Grant {
            role,
            unit_id: unit.id,
            unit_name: unit.name,
        }],
        false,
    );
    save_contacts(
        db,
        &actor,
        view.user.id,
        &ContactsInput {
            email: email.into(),
            phone: "0912 345 678".into(),
        },
    )
    .await
    .unwrap();
    let (start, end) = quiet.unwrap_or(("00:00", "00:00"));
    save_preferences(
        db,
        &actor,
        &PreferencesInput {
            channels: vec!["email".into()],
            quiet_start: start.into(),
            quiet_end: end.into(),
            fault: modes.0.into(),
            alarm: modes.1.into(),
            follow_up: modes.2.into(),
        },
    )
    .await
    .unwrap();
    actor
}

async fn inbox(db: &Db, actor: &Actor) -> Vec<MessageRow> {
    store::messages_to_user(db, actor.user_id.unwrap(), 100)
        .await
        .unwrap()
}

fn report(description: &str) -> NewReport {
    NewReport {
        service_code: "grid_light".into(),
        address: "Ngõ 3, thôn 1".into(),
        description: description.into(),
        unit_code: Some("09805-T01".into()),
        ..Default::default()
    }
}

const IMMEDIATE: (&str, &str, &str) = ("immediate", "immediate", "immediate");

#[tokio::test]
async fn a_new_fault_report_emails_the_commune_officer() {
    let test = demo_db().await;
    let db = &test.db;
    let commune = commune_of(db, "09805-T01").await;
    // The head of another village (of the same merged commune) is not told.
    let other = "09817-T01";
    let officer = person(
        db,
        "can-bo-xa",
        Role::Officer,
        &commune,
        " Lan@Xa.VN ",
        IMMEDIATE,
        None,
    )
    .await;
    let elsewhere = person(
        db,
        "truong-thon-khac",
        Role::VillageHead,
        other,
        "khac@xa.vn",
        IMMEDIATE,
        None,
    )
    .await;
    let order = faults::submit_report(db, &report("Đèn tắt cả tuần"))
        .await
        .unwrap();
    let mail = inbox(db, &officer).await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    let m = &mail[0];
    assert_eq!(
        (m.channel.as_str(), m.source.as_str()),
        ("email", "notification")
    );
    assert_eq!(m.address, "lan@xa.vn");
    assert_eq!(m.status, store::QUEUED);
    assert_eq!(m.source_id, Some(order.id));
    assert!(
        m.subject.contains("Phản ánh mới: đèn đường"),
        "{}",
        m.subject
    );
    assert!(m.body.contains("Đèn tắt cả tuần"), "{}", m.body);
    assert!(m.body.contains(&format!("/work-orders/{}", order.id)));
    assert!(m.html.as_deref().unwrap().contains("Đèn tắt cả tuần"));
    assert!(m.next_attempt_at <= store::millis(OffsetDateTime::now_utc()));
    assert!(
        inbox(db, &elsewhere).await.is_empty(),
        "another village is not told"
    );
}

#[tokio::test]
async fn quiet_hours_defer_to_their_end() {
    let test = demo_db().await;
    let db = &test.db;
    let officer = person(
        db,
        "can-bo-dem",
        Role::Officer,
        &commune_of(db, "09805-T01").await,
        "dem@xa.vn",
        IMMEDIATE,
        Some(("21:00", "06:00")),
    )
    .await;
    let unit = langso_app::units::by_code(db, "09805-T01", today())
        .await
        .unwrap();
    // 22:30 in Vietnam.
    let late = datetime!(2026-12-07 15:30 UTC);
    let notice = Notice {
        kind: "fault",
        unit_id: unit.id,
        source_id: Some(Uuid::now_v7()),
        subject: "Phản ánh mới".into(),
        body: "Đèn tắt".into(),
        link: "/work-orders/x".into(),
        emergency: false,
    };
    let mut tx = db.begin().await.unwrap();
    let mut notifier = Notifier::default();
    notifier.unit(&mut tx, &notice, late).await.unwrap();
    let urgent = Notice {
        emergency: true,
        source_id: Some(Uuid::now_v7()),
        ..notice.clone()
    };
    notifier.unit(&mut tx, &urgent, late).await.unwrap();
    tx.commit().await.unwrap();
    let mail = inbox(db, &officer).await;
    let at = |id| {
        mail.iter()
            .find(|m| m.source_id == Some(id))
            .map(|m| store::from_millis(m.next_attempt_at))
            .unwrap()
    };
    assert_eq!(
        at(notice.source_id.unwrap()),
        datetime!(2026-12-07 23:00 UTC)
    );
    assert_eq!(
        at(urgent.source_id.unwrap()),
        late,
        "an emergency never waits"
    );
}

#[tokio::test]
async fn the_digest_gathers_and_the_morning_job_runs_once() {
    let test = demo_db().await;
    let db = &test.db;
    let digest = ("digest", "digest", "digest");
    let officer = person(
        db,
        "can-bo-tom-tat",
        Role::Officer,
        &commune_of(db, "09805-T01").await,
        "tt@xa.vn",
        digest,
        None,
    )
    .await;
    let member = person(
        db,
        "to-vien",
        Role::TeamMember,
        "09805-T01",
        "tv@xa.vn",
        IMMEDIATE,
        None,
    )
    .await;
    faults::submit_report(db, &report("Đèn số một"))
        .await
        .unwrap();
    faults::submit_report(db, &report("Đèn số hai"))
        .await
        .unwrap();
    assert!(
        inbox(db, &officer).await.is_empty(),
        "digest items, not messages"
    );
    // Two households of the village are due for a follow-up by the team member.
    let village = langso_app::units::by_code(db, "09805-T01", today())
        .await
        .unwrap();
    let rows = langso_store::households::list_households(db, village.id, today(), None, 2, 0)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    let day = time::macros::date!(2030 - 01 - 02);
    let mut tx = db.begin().await.unwrap();
    for mut row in rows.clone() {
        row.assigned_to = member.user_id;
        row.follow_up_on = Some(day - Duration::days(1));
        langso_store::households::update_household(&mut tx, &row)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    // Before 07:00 nothing runs; at 07:05 two runners race and one does the work.
    let early = datetime!(2030-01-01 23:00 UTC);
    assert_eq!(run_morning(db, "a", early).await.unwrap(), None);
    let at = datetime!(2030-01-02 00:05 UTC);
    let (a, b) = tokio::join!(run_morning(db, "a", at), run_morning(db, "b", at));
    let runs: Vec<_> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(runs.len(), 1, "exactly one runner did the work");
    assert_eq!(
        run_morning(db, "c", at + Duration::hours(1)).await.unwrap(),
        None
    );

    let mail = inbox(db, &officer).await;
    assert_eq!(mail.len(), 1, "one digest: {mail:?}");
    assert_eq!(mail[0].source, "digest");
    assert!(
        mail[0].subject.contains("02/01/2030"),
        "{}",
        mail[0].subject
    );
    assert!(mail[0].body.contains("Đèn số một") && mail[0].body.contains("Đèn số hai"));
    assert!(store::pending_digest_items(db).await.unwrap().is_empty());

    let mail = inbox(db, &member).await;
    let follow: Vec<_> = mail
        .iter()
        .filter(|m| m.subject.contains("thăm lại"))
        .collect();
    assert_eq!(follow.len(), 1, "{mail:?}");
    for row in &rows {
        assert!(follow[0].body.contains(&row.code), "{}", follow[0].body);
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
async fn a_raised_alarm_notifies_once_not_on_every_heartbeat() {
    let test = demo_db().await;
    let db = &test.db;
    let officer = person(
        db,
        "can-bo-canh-bao",
        Role::Officer,
        &commune_of(db, "09805-T01").await,
        "cb@xa.vn",
        IMMEDIATE,
        None,
    )
    .await;
    let village = langso_app::units::by_code(db, "09805-T01", today())
        .await
        .unwrap();
    let op = Actor::system("test");
    let cam = assets::create_asset(
        db,
        &op,
        &AssetInput {
            code: "NTF-CAM-1".into(),
            unit_id: Some(village.id),
            kind: "camera".into(),
            name: "Camera cổng làng".into(),
            place_type: "intersection".into(),
            funding: "community".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (_, secret) = create_token(
        db,
        &op,
        &NewToken {
            name: "camera NTF-CAM-1".into(),
            kind: "device".into(),
            role: Role::Viewer,
            unit_id: village.id,
            subject: Some("NTF-CAM-1".into()),
            expires_at: None,
        },
    )
    .await
    .unwrap();
    let devices = Devices::new(
        db.clone(),
        Ingest::start(db.clone(), IngestConfig::default()),
    );
    let credential = devices.authenticate(&secret).await.unwrap().unwrap();
    for fault in [None, Some("E12"), Some("E12"), Some("E12"), None] {
        devices
            .ingest_http(&credential, vec![reading("NTF-CAM-1", fault)])
            .await
            .unwrap();
    }
    let mail: Vec<_> = inbox(db, &officer)
        .await
        .into_iter()
        .filter(|m| m.subject.contains("NTF-CAM-1"))
        .collect();
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert!(
        mail[0].subject.contains("báo lỗi E12"),
        "{}",
        mail[0].subject
    );
    assert!(mail[0].body.contains(&format!("/assets/{}", cam.id)));
}

#[tokio::test]
async fn a_withdrawn_consent_withholds_queued_messages_and_stops_new_ones() {
    let test = demo_db().await;
    let db = &test.db;
    let village = langso_app::units::by_code(db, "09805-T01", today())
        .await
        .unwrap();
    let household = langso_store::households::list_households(db, village.id, today(), None, 1, 0)
        .await
        .unwrap()
        .remove(0);
    let officer = Actor::new(
        None,
        "can-bo".into(),
        vec![Grant {
            role: Role::Officer,
            unit_id: village.id,
            unit_name: village.name.clone(),
        }],
        false,
    );
    let given = ConsentInput {
        on: today().to_string(),
        purposes: vec!["announcements".into()],
        purpose: "Nhận thông báo của thôn qua Zalo".into(),
        method: "paper".into(),
        ..Default::default()
    };
    record_consent(db, &officer, household.id, &given)
        .await
        .unwrap();
    assert!(
        may_contact(db, household.id, "announcements")
            .await
            .unwrap()
    );
    assert!(!may_contact(db, household.id, "programme").await.unwrap());
    // A message waits for the household.
    let now = OffsetDateTime::now_utc();
    let queued = MessageRow {
        id: Uuid::now_v7(),
        unit_id: village.id,
        source: "announcement".into(),
        source_id: Some(Uuid::now_v7()),
        channel: "sms".into(),
        recipient_kind: "household".into(),
        recipient_id: Some(household.id),
        recipient_label: "Hộ".into(),
        address: "84912345678".into(),
        subject: "Thông báo".into(),
        body: "Họp thôn".into(),
        html: None,
        template_id: None,
        template_data: None,
        idempotency_key: Uuid::now_v7().to_string(),
        status: store::QUEUED.into(),
        provider_ref: None,
        reason: None,
        attempts: 0,
        next_attempt_at: store::millis(now + Duration::hours(1)),
        claimed_by: None,
        claimed_until: None,
        sent_at: None,
        delivered_at: None,
        created_at: now,
    };
    let mut tx = db.begin().await.unwrap();
    store::insert_message(&mut tx, &queued).await.unwrap();
    tx.commit().await.unwrap();

    // Refused input changes nothing.
    let bad = ConsentInput {
        method: "by pigeon".into(),
        ..given.clone()
    };
    assert!(
        withdraw_consent(db, &officer, household.id, &bad)
            .await
            .is_err()
    );
    assert!(
        may_contact(db, household.id, "announcements")
            .await
            .unwrap()
    );

    let withdrawn = ConsentInput {
        purposes: Vec::new(),
        purpose: "Gọi điện báo không muốn nhận".into(),
        method: "phone".into(),
        ..given.clone()
    };
    withdraw_consent(db, &officer, household.id, &withdrawn)
        .await
        .unwrap();
    let after = store::messages_to_household(db, household.id)
        .await
        .unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].status, store::WITHHELD);
    assert_eq!(after[0].reason.as_deref(), Some("consent-withdrawn"));
    assert!(
        !may_contact(db, household.id, "announcements")
            .await
            .unwrap()
    );
    let row = langso_store::households::get_household(db, household.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.consent_on, row.consent_purpose.as_str()), (None, ""));
    let history = langso_app::households::consent_history(db, &officer, household.id)
        .await
        .unwrap();
    assert_eq!(history[0].event, "withdrawn");
    assert_eq!(history[1].event, "given");
    assert_eq!(history[1].method, "paper");

    // Outside the officer's scope: not found.
    let other = langso_app::units::by_code(db, "09817-T01", today())
        .await
        .unwrap();
    let stranger = Actor::new(
        None,
        "khac".into(),
        vec![Grant {
            role: Role::Officer,
            unit_id: other.id,
            unit_name: other.name,
        }],
        false,
    );
    assert!(
        record_consent(db, &stranger, household.id, &given)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn fault_updates_to_reporters_become_messages_once() {
    let test = demo_db().await;
    let db = &test.db;
    let order = faults::submit_report(
        db,
        &NewReport {
            reporter: "Lan 0912 345 678".into(),
            ..report("Đèn hỏng")
        },
    )
    .await
    .unwrap();
    faults::transition(
        db,
        &Actor::system("test"),
        order.id,
        "assigned",
        Some("Tổ kỹ thuật"),
        "Đã giao tổ kỹ thuật",
        true,
    )
    .await
    .unwrap();
    let notes = faults::updates::notifications(db, order.id).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].status, "queued");
    let sms = store::messages_of(db, "notification", notes[0].id)
        .await
        .unwrap();
    assert_eq!(sms.len(), 1);
    assert_eq!(
        (sms[0].channel.as_str(), sms[0].address.as_str()),
        ("sms", "84912345678")
    );
    assert!(
        sms[0].body.contains("đã giao người xử lý"),
        "{}",
        sms[0].body
    );
    assert_eq!(
        sms[0].idempotency_key,
        format!("fault-update:{}", notes[0].id)
    );
}
