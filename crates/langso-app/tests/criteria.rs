//! Criteria sets, live evaluation, evidence and recognition. Runs on SQLite, and on
//! PostgreSQL when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use langso_app::auth::Grant;
use langso_app::criteria::{self, RecognitionDecision};
use langso_app::households::{HouseholdInput, VisitInput};
use langso_app::progress::NoProgress;
use langso_app::teams::{self, MemberInput, TeamInput};
use langso_app::{Actor, AppError, Db, demo, today};
use langso_domain::auth::Role;
use langso_domain::criteria::{CriteriaFile, Verdict, VillageStatus};
use langso_store::testing::TestDb;
use time::Duration;
use time::macros::date;
use uuid::Uuid;

fn op() -> Actor {
    Actor::system("test")
}

async fn person(db: &Db, role: Role, code: &str, label: &str) -> Actor {
    let unit = langso_app::units::by_code(db, code, today()).await.unwrap();
    Actor::new(
        None,
        label.to_owned(),
        vec![Grant {
            role,
            unit_id: unit.id,
            unit_name: unit.name,
        }],
        false,
    )
}

async fn unit(db: &Db, code: &str) -> Uuid {
    langso_app::units::by_code(db, code, today())
        .await
        .unwrap()
        .id
}

fn invalid_fields<T: std::fmt::Debug>(result: Result<T, AppError>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| e.column).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn setup() -> TestDb {
    let test = TestDb::new().await.unwrap();
    demo::seed_before_2025(&test.db, &NoProgress).await.unwrap();
    langso_app::units::reorganise(&test.db, &op(), &demo::plan_2025().unwrap(), false)
        .await
        .unwrap();
    langso_app::households::ensure_catalogue(&test.db)
        .await
        .unwrap();
    test
}

const SMALL_SET: &str = r#"{
  "name": "Bộ thử", "province": "01", "valid_from": "2024-01-01",
  "criteria": [
    {"code": "A", "label_vi": "VNeID mức 2 ≥ 50%", "label_en": "VNeID 2", "kind": "indicator_share", "indicator": "vneid_2", "basis": "adults", "min_share": 0.5},
    {"code": "B", "label_vi": "Tổ CNSCĐ ≥ 1 người", "label_en": "Team", "kind": "team_members", "min": 1},
    {"code": "C", "label_vi": "Máy tính tại nhà văn hóa", "label_en": "Computer", "kind": "manual"}
  ]
}"#;

#[tokio::test]
async fn sets_import_export_and_are_versioned_per_province() {
    let test = setup().await;
    let db = &test.db;
    let file = criteria::import_json(demo::DEMO_CRITERIA_JSON.as_bytes()).unwrap();
    let province_officer = person(db, Role::Officer, "01", "so.vhtt").await;
    let v1 = criteria::import_set(db, &province_officer, &file)
        .await
        .unwrap();
    assert_eq!((v1.version, v1.criteria.len()), (1, 13));
    let v2 = criteria::import_set(db, &op(), &file).await.unwrap();
    assert_eq!(v2.version, 2);
    // Export gives back the file that was imported.
    let exported = criteria::export_set(db, v1.id).await.unwrap();
    assert_eq!(exported, file);
    let json = serde_json::to_vec(&exported).unwrap();
    assert_eq!(criteria::import_json(&json).unwrap(), file);
    // A commune officer may not import a province's set; every bad criterion is named.
    let commune_officer = person(db, Role::Officer, "09817", "xa").await;
    assert!(matches!(
        criteria::import_set(db, &commune_officer, &file).await,
        Err(AppError::NotFound | AppError::Forbidden)
    ));
    let mut bad: CriteriaFile = file.clone();
    bad.criteria[1].code = bad.criteria[0].code.clone();
    bad.criteria.push(
        serde_json::from_str(
            r#"{"code": "X", "label_vi": "x", "label_en": "x", "kind": "indicator_share", "indicator": "nope", "basis": "adults", "min_share": 2}"#,
        )
        .unwrap(),
    );
    match criteria::import_set(db, &op(), &bad).await {
        Err(AppError::Invalid(problems)) => {
            let text: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
            assert_eq!(problems.len(), 3, "{text:?}");
            assert!(text.iter().any(|t| t.contains("nope")));
        }
        other => panic!("{other:?}"),
    }
    assert!(criteria::import_json(b"{not json").is_err());
    assert_eq!(criteria::list_sets(db).await.unwrap().len(), 2);
}

#[tokio::test]
async fn evaluation_moves_with_visits_and_recognition_is_a_ledger() {
    let test = setup().await;
    let db = &test.db;
    let file = criteria::import_json(SMALL_SET.as_bytes()).unwrap();
    let set = criteria::import_set(db, &op(), &file).await.unwrap();
    let village = unit(db, "09817-T01").await;
    let officer = person(db, Role::Officer, "09817", "can.bo.xa").await;
    let deputy = person(db, Role::Officer, "09817", "pho.chu.tich").await;
    let province = person(db, Role::Officer, "01", "so.vhtt").await;
    let eval = || async {
        criteria::evaluate_village(db, &op(), village, today())
            .await
            .unwrap()
    };
    let e = eval().await;
    assert_eq!(e.status, VillageStatus::NotStarted);
    assert!(e.outcomes.iter().all(|o| o.verdict == Verdict::NoData));
    // A household and a visit: the indicator is measured at once; no team yet anywhere.
    let household = langso_app::households::create_household(
        db,
        &officer,
        &HouseholdInput {
            unit_id: Some(village),
            code: "H-1".into(),
            head_name: "Nguyễn Văn Thử".into(),
            members: 3,
            adults: 2,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let visit = |value: i64| VisitInput {
        values: [("vneid_1".to_owned(), value), ("vneid_2".to_owned(), value)].into(),
        ..Default::default()
    };
    langso_app::households::record_visit(db, &officer, household.row.id, &visit(1))
        .await
        .unwrap();
    let e = eval().await;
    assert_eq!(e.outcomes[0].measured, Some(0.5));
    assert_eq!(
        e.outcomes.iter().map(|o| o.verdict).collect::<Vec<_>>(),
        [Verdict::Pass, Verdict::NoData, Verdict::NoData]
    );
    assert_eq!(e.status, VillageStatus::InProgress);
    // Proposing a village that does not meet the criteria is refused, naming them.
    match criteria::propose(db, &officer, village, "").await {
        Err(AppError::Invalid(p)) => assert!(p[0].message.contains("B, C"), "{p:?}"),
        other => panic!("{other:?}"),
    }
    // A team with a member, and approved evidence for the manual criterion.
    let team = teams::create_team(
        db,
        &officer,
        &TeamInput {
            unit_id: village,
            name: String::new(),
            decision_number: "1/QĐ-UBND".into(),
            decision_date: date!(2024 - 02 - 01),
        },
    )
    .await
    .unwrap();
    teams::add_member(
        db,
        &officer,
        team.id,
        &MemberInput {
            full_name: "Trần Văn Tổ".into(),
            role: "leader".into(),
            affiliation: "other".into(),
            phone: String::new(),
            joined_on: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        invalid_fields(
            criteria::upload_evidence(
                db,
                &officer,
                village,
                set.id,
                "A",
                "a.jpg",
                "image/jpeg",
                b"x"
            )
            .await
        ),
        ["criterion"]
    );
    let evidence = criteria::upload_evidence(
        db,
        &officer,
        village,
        set.id,
        "C",
        "may-tinh.jpg",
        "image/jpeg",
        b"\xff\xd8 photo",
    )
    .await
    .unwrap();
    assert_eq!(eval().await.status, VillageStatus::InProgress);
    assert_eq!(
        invalid_fields(criteria::approve_evidence(db, &officer, evidence.id).await),
        ["approver"]
    );
    criteria::approve_evidence(db, &deputy, evidence.id)
        .await
        .unwrap();
    assert_eq!(eval().await.status, VillageStatus::MeetsCriteria);
    // Recognition: the commune proposes, only the province decides.
    criteria::propose(db, &officer, village, "đề nghị công nhận")
        .await
        .unwrap();
    let decision = RecognitionDecision {
        decision_number: "2150/QĐ-UBND".into(),
        decision_date: today() - Duration::days(0),
        note: String::new(),
    };
    assert!(matches!(
        criteria::approve(db, &officer, village, &decision).await,
        Err(AppError::Forbidden)
    ));
    let elsewhere = person(db, Role::Officer, "09793", "xa.khac").await;
    assert!(matches!(
        criteria::approve(db, &elsewhere, village, &decision).await,
        Err(AppError::NotFound)
    ));
    assert_eq!(
        invalid_fields(
            criteria::approve(
                db,
                &province,
                village,
                &RecognitionDecision {
                    decision_number: " ".into(),
                    decision_date: today() + Duration::days(3),
                    note: String::new()
                }
            )
            .await
        ),
        ["decision_number", "decision_date"]
    );
    criteria::approve(db, &province, village, &decision)
        .await
        .unwrap();
    assert_eq!(eval().await.status, VillageStatus::Recognised);
    let before = criteria::evaluate_village(db, &op(), village, today() - Duration::days(1))
        .await
        .unwrap();
    assert_eq!(
        (before.recognition, before.status),
        (None, VillageStatus::MeetsCriteria)
    );
    // Approving twice is refused; revocation needs a reason.
    assert_eq!(
        invalid_fields(criteria::approve(db, &province, village, &decision).await),
        ["status"]
    );
    assert_eq!(
        invalid_fields(criteria::revoke(db, &province, village, &decision).await),
        ["note"]
    );
    criteria::revoke(
        db,
        &province,
        village,
        &RecognitionDecision {
            note: "không duy trì tiêu chí / criteria not kept".into(),
            ..decision.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(eval().await.status, VillageStatus::MeetsCriteria);
    // A later visit lowers the share: the status moves at once.
    langso_app::households::record_visit(db, &officer, household.row.id, &visit(0))
        .await
        .unwrap();
    let e = eval().await;
    assert_eq!(
        (e.outcomes[0].measured, e.status),
        (Some(0.0), VillageStatus::InProgress)
    );
    let history = criteria::history(db, &officer, village).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|r| r.status.as_str())
            .collect::<Vec<_>>(),
        ["proposed", "recognised", "revoked"]
    );
    let log = langso_app::audit::list(db, &op(), &Default::default())
        .await
        .unwrap();
    for action in [
        "recognition.propose",
        "recognition.approve",
        "recognition.revoke",
        "criteria.evidence_approve",
    ] {
        assert!(log.iter().any(|r| r.action == action), "{action}");
    }
}
