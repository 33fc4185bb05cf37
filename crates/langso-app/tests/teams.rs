//! Digital teams, members and outreach: validation, scope, masking, counters and audit in one
//! transaction. Runs on SQLite, and on PostgreSQL when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use langso_app::auth::Grant;
use langso_app::progress::NoProgress;
use langso_app::teams::{self, MemberInput, OutreachInput, TeamInput};
use langso_app::{Actor, AppError, Db, demo, today};
use langso_domain::auth::Role;
use langso_store::testing::TestDb;
use time::macros::date;

fn op() -> Actor {
    Actor::system("test")
}

async fn person(db: &Db, role: Role, code: &str, pii: bool) -> Actor {
    let unit = langso_app::units::by_code(db, code, today()).await.unwrap();
    Actor::new(
        None,
        format!("{code}:{}", role.as_str()),
        vec![Grant {
            role,
            unit_id: unit.id,
            unit_name: unit.name,
        }],
        pii,
    )
}

async fn unit(db: &Db, code: &str) -> uuid::Uuid {
    langso_app::units::by_code(db, code, today())
        .await
        .unwrap()
        .id
}

async fn counters(db: &Db, code: &str) -> BTreeMap<String, i64> {
    langso_store::households::counters_under(db, unit(db, code).await, today())
        .await
        .unwrap()
        .into_iter()
        .collect()
}

fn invalid_fields<T: std::fmt::Debug>(result: Result<T, AppError>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| e.column).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn teams_members_and_outreach_move_the_counters() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::seed_before_2025(db, &NoProgress).await.unwrap();
    langso_app::units::reorganise(db, &op(), &demo::plan_2025().unwrap(), false)
        .await
        .unwrap();
    let officer = person(db, Role::Officer, "09817", false).await;
    let village = unit(db, "09817-T01").await;
    let input = TeamInput {
        unit_id: village,
        name: String::new(),
        decision_number: "125/QĐ-UBND".into(),
        decision_date: date!(2022 - 03 - 15),
    };
    let team = teams::create_team(db, &officer, &input).await.unwrap();
    assert_eq!(team.level, "village");
    assert!(team.name.starts_with("Tổ công nghệ số cộng đồng"));
    // One team per unit.
    assert_eq!(
        invalid_fields(teams::create_team(db, &officer, &input).await),
        ["unit_id"]
    );
    // A province is no place for a team; bad fields are all named.
    let bad = TeamInput {
        unit_id: unit(db, "09817").await,
        name: String::new(),
        decision_number: " ".into(),
        decision_date: date!(2099 - 01 - 01),
    };
    assert_eq!(
        invalid_fields(teams::create_team(db, &officer, &bad).await),
        ["decision_number", "decision_date"]
    );
    // Outside the officer's commune: not found; a village head may not set up teams.
    let other = TeamInput {
        unit_id: unit(db, "09787-T01").await,
        ..input.clone()
    };
    assert!(matches!(
        teams::create_team(db, &officer, &other).await,
        Err(AppError::NotFound)
    ));
    let head = person(db, Role::VillageHead, "09817-T01", false).await;
    assert!(matches!(
        teams::create_team(db, &head, &other).await,
        Err(AppError::NotFound)
    ));
    let member = |name: &str, role: &str| MemberInput {
        full_name: name.into(),
        role: role.into(),
        affiliation: "youth_union".into(),
        phone: "0912 345 678".into(),
        joined_on: None,
    };
    let added = teams::add_member(
        db,
        &officer,
        team.id,
        &member("Nguyễn Văn Trưởng", "leader"),
    )
    .await
    .unwrap();
    assert_eq!(
        added.phone.as_deref(),
        Some("091*****78"),
        "masked without pii"
    );
    teams::add_member(db, &officer, team.id, &member("Lê Thị Phó", "deputy"))
        .await
        .unwrap();
    assert_eq!(
        invalid_fields(
            teams::add_member(
                db,
                &officer,
                team.id,
                &MemberInput {
                    affiliation: "army".into(),
                    phone: "12".into(),
                    ..member("X", "boss")
                }
            )
            .await
        ),
        ["role", "affiliation", "phone"]
    );
    let c = counters(db, "09817-T01").await;
    assert_eq!(
        (c["team:count"], c["team:village"], c["team:members"]),
        (1, 1, 2)
    );
    // A viewer sees the list with counts but not the members; pii shows phones.
    let viewer = person(db, Role::Viewer, "09817", false).await;
    let list = teams::list_teams(db, &viewer, unit(db, "09817").await)
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].members, 2);
    assert!(matches!(
        teams::team(db, &viewer, team.id).await,
        Err(AppError::Forbidden)
    ));
    let with_pii = person(db, Role::Officer, "09817", true).await;
    let view = teams::team(db, &with_pii, team.id).await.unwrap();
    assert_eq!(view.members[0].role, "leader");
    assert_eq!(view.members[0].phone.as_deref(), Some("0912345678"));
    // Outreach.
    let event = OutreachInput {
        unit_id: unit(db, "09817").await,
        kind: "conference".into(),
        held_on: date!(2024 - 05 - 02),
        topic: "Quán triệt Nghị quyết về chuyển đổi số".into(),
        attendance: 120,
        public: true,
    };
    teams::record_outreach(db, &officer, &event).await.unwrap();
    assert_eq!(
        invalid_fields(
            teams::record_outreach(
                db,
                &officer,
                &OutreachInput {
                    kind: "tv".into(),
                    attendance: -3,
                    ..event.clone()
                }
            )
            .await
        ),
        ["kind", "attendance"]
    );
    let c = counters(db, "09817").await;
    assert_eq!(
        (c["outreach:conference"], c["outreach:attendance"]),
        (1, 120)
    );
    let events = teams::list_outreach(
        db,
        &viewer,
        unit(db, "09817").await,
        date!(2024 - 01 - 01),
        date!(2024 - 12 - 31),
    )
    .await
    .unwrap();
    assert_eq!(events.len(), 1);
    // Every change is in the audit log, phones masked.
    let log = langso_app::audit::list(db, &op(), &Default::default())
        .await
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|r| r.action.as_str()).collect();
    // Two teams and a member written; viewing the team unmasked is recorded on its own.
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "team.create" || **a == "team.member_add")
            .count(),
        3
    );
    assert!(actions.contains(&"outreach.record"));
    assert!(log.iter().all(|r| !r.summary.contains("0912345678")));
}
