//! Data-subject requests and retention (issue 21, h21b): a request received on a Friday gets
//! its deadline in working days past a weekend and holidays; an erasure request, executed,
//! erases the household with audit entries naming the request; an overdue request is told to
//! the commune's officer once; the retention dry run and real run agree and keep counts; the
//! audit log is never deleted. SQLite, and PostgreSQL with LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use langso_app::auth::{Grant, NewAccount, create_user};
use langso_app::comms::preferences::{ContactsInput, save_contacts};
use langso_app::privacy::requests::{self, Answer, Executed, NewRequest};
use langso_app::privacy::{calendar, retention};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, Db, demo, today};
use langso_domain::auth::Role;
use langso_store::audit::{self as audit_store, AuditFilter};
use langso_store::testing::TestDb;
use time::macros::date;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

async fn demo_db() -> TestDb {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    test
}

/// The commune officer of the village `village`, reached by e-mail.
async fn officer(db: &Db, village: &str) -> Actor {
    let village = langso_app::units::by_code(db, village, today())
        .await
        .unwrap();
    let (_, commune) = langso_app::households::village_and_commune(db, village.id)
        .await
        .unwrap();
    let unit = langso_store::units::get(db, commune)
        .await
        .unwrap()
        .unwrap();
    let view = create_user(
        db,
        &Actor::system("test"),
        &NewAccount {
            login: "can-bo-xa".into(),
            display_name: "Cán bộ xã".into(),
            password: "mật-khẩu-đủ-dài-2026".into(),
            role: Role::Officer,
            unit_id: unit.id,
            pii: true,
        },
    )
    .await
    .unwrap();
    let actor = Actor::new(
        Some(view.user.id),
        "can-bo-xa".into(),
        vec![Grant {
            role: Role::Officer,
            unit_id: unit.id,
            unit_name: unit.name,
        }],
        true,
    );
    save_contacts(
        db,
        &actor,
        view.user.id,
        &ContactsInput {
            email: "canbo@xa.example".into(),
            phone: String::new(),
        },
    )
    .await
    .unwrap();
    actor
}

async fn households(db: &Db, actor: &Actor, village: &str) -> Vec<Uuid> {
    let unit = langso_app::units::by_code(db, village, today())
        .await
        .unwrap();
    langso_app::households::list_households(db, actor, Some(unit.id), "", 10, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect()
}

fn erasure(household: Uuid, kind: &str) -> NewRequest {
    NewRequest {
        household_id: household,
        person: "Nguyễn Văn An".into(),
        kind: kind.into(),
        // A Friday.
        received_on: Some(date!(2026 - 04 - 24)),
        channel: "paper".into(),
        details: "Xin xóa thông tin của gia đình".into(),
    }
}

#[tokio::test]
async fn a_friday_erasure_request_gets_its_deadline_and_erases_with_audit_entries() {
    let test = demo_db().await;
    let db = &test.db;
    let officer = officer(db, "09805-T01").await;
    let admin = Actor::system("admin");
    // The Hùng Kings' day of 2026 (10/3 lunar, a Sunday) is taken on Monday 27/4.
    calendar::enter_holiday(
        db,
        &admin,
        date!(2026 - 04 - 27),
        "Giỗ Tổ Hùng Vương (nghỉ bù)",
    )
    .await
    .unwrap();
    let ids = households(db, &officer, "09805-T01").await;
    let request = requests::record_request(db, &officer, &erasure(ids[0], "erasure"))
        .await
        .unwrap();
    // 10 working days from Friday 24/4: 28, 29/4 (30/4 and 1/5 are holidays), 4–8/5, 11–13/5.
    assert_eq!(request.due_on, date!(2026 - 05 - 13));
    assert_eq!(request.status, "received");
    let withdrawal = requests::record_request(db, &officer, &erasure(ids[1], "withdrawal"))
        .await
        .unwrap();
    assert_eq!(withdrawal.due_on, date!(2026 - 04 - 29));

    // Executed: the household is anonymised, the audit entries name the request.
    let done = requests::execute(db, &officer, request.id).await.unwrap();
    assert!(matches!(done, Executed::Erased));
    let row = langso_store::households::get_household(db, ids[0])
        .await
        .unwrap()
        .unwrap();
    assert!(row.erased && row.citizen_id.is_none() && row.representative_phone.is_none());
    let filter = AuditFilter {
        limit: 1000,
        ..Default::default()
    };
    let log = audit_store::list(db, &filter, today()).await.unwrap();
    let named = |action: &str| {
        log.iter()
            .any(|e| e.action == action && e.summary.contains(&request.id.to_string()))
    };
    assert!(named("household.erase"), "the erasure names the request");
    assert!(named("privacy.request.execute"));
    let ledger = langso_store::privacy::requests::erased_ids(db)
        .await
        .unwrap();
    assert_eq!(ledger, vec![ids[0]]);
    let again = requests::execute(db, &officer, request.id).await;
    assert!(matches!(again, Err(AppError::Invalid(_))), "{again:?}");

    // An access request gives the household's export, and is audited.
    let access = requests::record_request(db, &officer, &erasure(ids[2], "access"))
        .await
        .unwrap();
    let Executed::Export(json) = requests::execute(db, &officer, access.id).await.unwrap() else {
        panic!("an export");
    };
    assert_eq!(json["household"]["id"], serde_json::json!(ids[2]));

    // Answered: closed, no longer overdue.
    let answered = requests::answer(
        db,
        &officer,
        request.id,
        &Answer {
            status: "answered".into(),
            answer: "Đã xóa.".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(answered.answered_on, Some(today()));
    let refused = requests::answer(
        db,
        &officer,
        access.id,
        &Answer {
            status: "refused".into(),
            ..Default::default()
        },
    )
    .await;
    assert!(refused.is_err(), "a refusal needs its reason");

    // Overdue (the withdrawal and the access request, due in April and May 2026): the commune
    // officer is told once, even with two runners.
    let open = requests::list(db, &officer, true, today()).await.unwrap();
    assert_eq!(open.iter().filter(|(_, late)| *late).count(), 2);
    let now = OffsetDateTime::now_utc();
    let (a, b) = tokio::join!(
        requests::flag_overdue(db, today(), now),
        requests::flag_overdue(db, today(), now)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 2);
    assert_eq!(requests::flag_overdue(db, today(), now).await.unwrap(), 0);
    let inbox = langso_store::comms::messages_to_user(db, officer.user_id.unwrap(), 100)
        .await
        .unwrap();
    let told: Vec<_> = inbox
        .iter()
        .filter(|m| m.source_id == Some(withdrawal.id))
        .collect();
    assert_eq!(told.len(), 1, "{inbox:?}");
    assert!(told[0].body.contains("24/04/2026"));
}

#[tokio::test]
async fn the_retention_dry_run_and_real_run_agree_and_keep_counts() {
    let test = demo_db().await;
    let db = &test.db;
    let admin = Actor::system("admin");
    // The audit log may only be anonymised; a period must be sensible.
    assert!(
        retention::set_rule(db, &admin, "audit_names", 365, "delete")
            .await
            .is_err()
    );
    assert!(
        retention::set_rule(db, &admin, "qr_scans", 0, "delete")
            .await
            .is_err()
    );
    retention::set_rule(db, &admin, "visit_notes", 30, "anonymise")
        .await
        .unwrap();
    let audit_rows = |db: &Db| {
        let db = db.clone();
        async move {
            let filter = AuditFilter {
                limit: 100_000,
                ..Default::default()
            };
            audit_store::list(&db, &filter, today())
                .await
                .unwrap()
                .len()
        }
    };
    let before = audit_rows(db).await;
    // Forty years on, everything the demo holds is past its period.
    let later = OffsetDateTime::now_utc() + Duration::days(365 * 40);
    let (dry, would) = retention::dry_run(db, &admin, later).await.unwrap();
    assert!(dry.dry && dry.items > 0, "{would:?}");
    assert!(
        would
            .iter()
            .all(|o| o.sample.len() as i64 == o.items.min(retention::SAMPLE))
    );
    let (real, went) = retention::run(db, "node-a", "test", false, later)
        .await
        .unwrap();
    assert!(!real.dry);
    assert_eq!(real.items, dry.items);
    for (w, g) in would.iter().zip(&went) {
        assert_eq!((&w.rule.kind, w.items), (&g.rule.kind, g.items));
    }
    // Nothing is left to go, the runs and their counts are kept, the audit log is whole.
    let (after, _) = retention::dry_run(db, &admin, later).await.unwrap();
    assert_eq!(after.items, 0);
    let history = retention::history(db, &admin, 10).await.unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[1].0.id, real.id);
    assert_eq!(
        history[1].1.iter().map(|c| c.items).sum::<i64>(),
        real.items
    );
    assert_eq!(audit_rows(db).await, before, "no audit entry is deleted");
    let names = audit_store::list(
        db,
        &AuditFilter {
            limit: 100_000,
            ..Default::default()
        },
        today(),
    )
    .await
    .unwrap();
    assert!(
        names
            .iter()
            .filter(|e| e.actor_label == "(ẩn danh)")
            .count()
            >= before
    );

    // The daily job runs once across two nodes.
    let now = OffsetDateTime::now_utc();
    let (a, b) = tokio::join!(
        retention::run_daily(db, "node-a", now),
        retention::run_daily(db, "node-b", now)
    );
    assert_eq!(
        usize::from(a.unwrap().is_some()) + usize::from(b.unwrap().is_some()),
        1
    );
}
