//! Consent per person of a household and who saw what (issue 21, h21a): a withdrawal by the
//! representative stops the household's messages at once even when another person still
//! consents; a withdrawn survey refuses indicator values on a visit; paper scans are checked
//! by their first bytes; the printable form is Vietnamese; every unmasked view, list and
//! export names the households it showed, readable by the commune and not by another.
//! SQLite, and PostgreSQL with LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;

use langso_app::auth::Grant;
use langso_app::households::{
    self as hh, ConsentInput, ExportFormat, VisitInput, may_contact, record_consent,
    withdraw_consent,
};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, Db, demo, today};
use langso_domain::auth::Role;
use langso_store::comms::{self as store, MessageRow};
use langso_store::households::HouseholdRow;
use langso_store::testing::TestDb;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

async fn demo_db() -> TestDb {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    test
}

async fn actor(db: &Db, role: Role, code: &str, pii: bool) -> Actor {
    let unit = langso_app::units::by_code(db, code, today()).await.unwrap();
    Actor::new(
        None,
        format!("{role:?} {code}"),
        vec![Grant {
            role,
            unit_id: unit.id,
            unit_name: unit.name,
        }],
        pii,
    )
}

async fn a_household(db: &Db, village: &str) -> HouseholdRow {
    let village = langso_app::units::by_code(db, village, today())
        .await
        .unwrap();
    langso_store::households::list_households(db, village.id, today(), None, 1, 0)
        .await
        .unwrap()
        .remove(0)
}

async fn queue_message(db: &Db, household: &HouseholdRow) {
    let now = OffsetDateTime::now_utc();
    let queued = MessageRow {
        id: Uuid::now_v7(),
        unit_id: household.unit_id,
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
}

fn keys(error: AppError) -> Vec<String> {
    match error {
        AppError::Invalid(cells) => cells
            .into_iter()
            .map(|c| c.key.map(|k| k.key.to_owned()).unwrap_or(c.message))
            .collect(),
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test]
async fn the_representatives_withdrawal_stops_messages_and_a_members_withdrawn_survey_stops_indicators()
 {
    let test = demo_db().await;
    let db = &test.db;
    let officer = actor(db, Role::Officer, "09805-T01", true).await;
    let household = a_household(db, "09805-T01").await;
    // The representative (the default person) and the spouse consent to messages.
    let rep = ConsentInput {
        purposes: vec!["announcements".into(), "survey".into()],
        method: "paper".into(),
        ..Default::default()
    };
    let given = record_consent(db, &officer, household.id, &rep)
        .await
        .unwrap();
    assert_eq!(
        (given.person_name.as_str(), given.relation.as_str()),
        (household.representative_name.as_str(), "representative")
    );
    let spouse = ConsentInput {
        purposes: vec!["announcements".into()],
        method: "phone".into(),
        person_name: "Trần Thị Bình".into(),
        relation: "spouse".into(),
        confirmed_by: "Lê Văn Tổ".into(),
        ..Default::default()
    };
    let by_phone = record_consent(db, &officer, household.id, &spouse)
        .await
        .unwrap();
    assert_eq!(by_phone.confirmed_by, "Lê Văn Tổ");
    assert!(
        may_contact(db, household.id, "announcements")
            .await
            .unwrap()
    );
    queue_message(db, &household).await;

    // The representative withdraws messages: the queued one is withheld in that transaction,
    // and no new one may go, though the spouse's consent stands.
    let withdraw = ConsentInput {
        purposes: vec!["announcements".into()],
        method: "in_person".into(),
        ..Default::default()
    };
    withdraw_consent(db, &officer, household.id, &withdraw)
        .await
        .unwrap();
    let after = store::messages_to_household(db, household.id)
        .await
        .unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].status, store::WITHHELD);
    assert!(
        !may_contact(db, household.id, "announcements")
            .await
            .unwrap()
    );
    let state = hh::consent_state(db, household.id).await.unwrap().unwrap();
    assert!(
        state
            .people
            .iter()
            .any(|p| p.name == "Trần Thị Bình" && p.given.contains_key("announcements"))
    );
    // The survey still stands: a visit records values.
    let visit = VisitInput {
        values: [("vneid_1".to_owned(), 1)].into_iter().collect(),
        ..Default::default()
    };
    hh::record_visit(db, &officer, household.id, &visit)
        .await
        .unwrap();

    // The spouse withdraws from the survey: values refused, help and notes still recorded.
    let out = ConsentInput {
        purposes: vec!["survey".into()],
        method: "phone".into(),
        person_name: "tran thi binh".into(),
        relation: "spouse".into(),
        ..Default::default()
    };
    let withdrawn = withdraw_consent(db, &officer, household.id, &out)
        .await
        .unwrap();
    assert_eq!(
        withdrawn.confirmed_by, officer.label,
        "the recorder heard it by default"
    );
    let refused = hh::record_visit(db, &officer, household.id, &visit)
        .await
        .unwrap_err();
    assert_eq!(keys(refused), ["households-visit-survey-withdrawn"]);
    let help_only = VisitInput {
        help: vec!["vneid_level2".into()],
        notes: "Hướng dẫn cài VNeID".into(),
        ..Default::default()
    };
    hh::record_visit(db, &officer, household.id, &help_only)
        .await
        .unwrap();

    // Refused input changes nothing; outside the unit: not found.
    let bad = ConsentInput {
        relation: "cousin".into(),
        ..rep.clone()
    };
    assert_eq!(
        keys(
            record_consent(db, &officer, household.id, &bad)
                .await
                .unwrap_err()
        ),
        ["households-consent-relation"]
    );
    let stranger = actor(db, Role::Officer, "09817-T01", true).await;
    assert!(matches!(
        record_consent(db, &stranger, household.id, &rep).await,
        Err(AppError::NotFound)
    ));
}

#[tokio::test]
async fn paper_scans_are_checked_and_the_form_prints_in_vietnamese() {
    let test = demo_db().await;
    let db = &test.db;
    let officer = actor(db, Role::Officer, "09805-T01", true).await;
    let household = a_household(db, "09805-T01").await;
    let paper = ConsentInput {
        purposes: vec!["programme".into()],
        method: "paper".into(),
        ..Default::default()
    };
    let event = record_consent(db, &officer, household.id, &paper)
        .await
        .unwrap();
    let phone = ConsentInput {
        method: "phone".into(),
        ..paper.clone()
    };
    let by_phone = record_consent(db, &officer, household.id, &phone)
        .await
        .unwrap();
    let png = [
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..],
        b"scan",
    ]
    .concat();
    let attach = |id: Uuid, bytes: Vec<u8>| {
        let officer = officer.clone();
        async move { hh::attach_scan(db, &officer, household.id, id, &bytes).await }
    };
    assert_eq!(
        keys(attach(by_phone.id, png.clone()).await.unwrap_err()),
        ["households-consent-scan-not-paper"]
    );
    assert_eq!(
        keys(
            attach(event.id, b"<html>not a scan".to_vec())
                .await
                .unwrap_err()
        ),
        ["households-consent-scan-type"]
    );
    assert_eq!(
        keys(
            attach(event.id, vec![0xFF; hh::MAX_SCAN + 1])
                .await
                .unwrap_err()
        ),
        ["households-consent-scan-size"]
    );
    attach(event.id, png.clone()).await.unwrap();
    assert_eq!(
        keys(attach(event.id, png.clone()).await.unwrap_err()),
        ["households-consent-scan-exists"]
    );
    let scan = hh::consent_scan(db, &officer, household.id, event.id)
        .await
        .unwrap();
    assert_eq!(
        (scan.content_type.as_str(), scan.content),
        ("image/png", png)
    );
    let masked = actor(db, Role::Officer, "09805-T01", false).await;
    assert!(matches!(
        hh::consent_scan(db, &masked, household.id, event.id).await,
        Err(AppError::Forbidden)
    ));

    let pdf = hh::consent_form_pdf(db, &officer, household.id)
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = std::env::temp_dir().join(format!("consent-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("form.pdf");
    std::fs::File::create(&file)
        .unwrap()
        .write_all(&pdf)
        .unwrap();
    if let Ok(out) = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
    {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("PHIẾU ĐỒNG Ý XỬ LÝ DỮ LIỆU CÁ NHÂN"),
            "{text}"
        );
        assert!(
            text.contains("Khảo sát") || text.contains("khảo sát"),
            "{text}"
        );
        assert!(text.contains(&household.head_name), "{text}");
        assert!(text.contains("Ký, ghi rõ họ tên"), "{text}");
    }
    std::fs::remove_dir_all(&dir).ok();
    let stranger = actor(db, Role::Officer, "09817-T01", true).await;
    assert!(matches!(
        hh::consent_form_pdf(db, &stranger, household.id).await,
        Err(AppError::NotFound)
    ));
}

#[tokio::test]
async fn every_unmasked_view_list_and_export_names_the_households_it_showed() {
    let test = demo_db().await;
    let db = &test.db;
    let officer = actor(db, Role::Officer, "09805-T01", true).await;
    let household = a_household(db, "09805-T01").await;
    let village = langso_app::units::by_code(db, "09805-T01", today())
        .await
        .unwrap();
    hh::get_household(db, &officer, household.id).await.unwrap();
    let listed = hh::list_households(db, &officer, Some(village.id), "", 20, 0)
        .await
        .unwrap();
    assert!(listed.iter().any(|r| r.id == household.id));
    hh::export_households(db, &officer, "09805-T01", ExportFormat::Csv)
        .await
        .unwrap();
    hh::subject_export(db, &officer, household.id)
        .await
        .unwrap();
    // A masked officer's view is not an unmasked one.
    let masked = actor(db, Role::Officer, "09805-T01", false).await;
    hh::get_household(db, &masked, household.id).await.unwrap();

    let log = hh::seen_log(db, &officer, household.id, 0).await.unwrap();
    let actions: Vec<&str> = log.rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "household.subject_export",
            "household.export",
            "household.list_unmasked",
            "household.view_unmasked"
        ],
        "newest first"
    );
    assert_eq!(log.total, 4);
    assert!(log.rows.iter().all(|r| r.actor_label == officer.label));
    // Another household of the list was seen by the list and the export, not by the view.
    let other = listed.iter().find(|r| r.id != household.id).unwrap();
    let theirs = hh::seen_log(db, &officer, other.id, 0).await.unwrap();
    let actions: Vec<&str> = theirs.rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["household.export", "household.list_unmasked"]);
    // Paged: page 2 is empty.
    assert!(
        hh::seen_log(db, &officer, household.id, 1)
            .await
            .unwrap()
            .rows
            .is_empty()
    );

    // Another commune's officer: not found; a team member (no audit right): forbidden.
    let stranger = actor(db, Role::Officer, "09817-T01", true).await;
    assert!(matches!(
        hh::seen_log(db, &stranger, household.id, 0).await,
        Err(AppError::NotFound)
    ));
    let member = actor(db, Role::TeamMember, "09805-T01", true).await;
    assert!(matches!(
        hh::seen_log(db, &member, household.id, 0).await,
        Err(AppError::Forbidden)
    ));
}
