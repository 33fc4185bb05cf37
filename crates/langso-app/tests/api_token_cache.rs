//! API tokens kept in memory (`auth::ApiTokens`) never outlive the access they came from: a
//! token taken from memory for the visit writer writes nothing once it ended, even when the
//! writer groups its visit with others; one whose generation merely moved still writes; a
//! request checked now sees the end at once. SQLite, and PostgreSQL with
//! LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use langso_app::auth::{self, ApiTokens, Check, NewToken};
use langso_app::households::{self, VisitInput, VisitWriter};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, demo, today};
use langso_domain::auth::Role;
use langso_store::testing::TestDb;
use uuid::Uuid;

fn op() -> Actor {
    Actor::system("test")
}

fn officer_token(unit_id: Uuid) -> NewToken {
    NewToken {
        name: "máy đo tải".to_owned(),
        kind: "api".to_owned(),
        role: Role::Officer,
        unit_id,
        subject: None,
        expires_at: None,
    }
}

/// The small demo, and the unit of `code` in it.
async fn demo_with(code: &str) -> (TestDb, Uuid) {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    let unit = langso_app::units::by_code(&test.db, code, today())
        .await
        .unwrap()
        .id;
    (test, unit)
}

fn visit() -> VisitInput {
    VisitInput {
        id: Some(Uuid::now_v7()),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_cached_api_token_writes_nothing_once_it_ended() {
    let (test, village) = demo_with("09805-T01").await;
    let db = &test.db;
    let list = households::list_households(db, &op(), Some(village), "", 4, 0)
        .await
        .unwrap();
    let writer = VisitWriter::start(db.clone());
    let tokens = ApiTokens::new(
        db.clone(),
        Duration::from_secs(60),
        writer.generation_seen(),
    );
    let (row, secret) = auth::create_token(db, &op(), &officer_token(village))
        .await
        .unwrap();
    let cached = tokens
        .actor(&secret, Check::AtWrite)
        .await
        .unwrap()
        .unwrap();
    assert!(cached.checked_at.is_some(), "taken for the writer");
    writer.record(&cached, list[0].id, &visit()).await.unwrap();

    // Another token ends: the generation moves, this token still works and still writes.
    let (other, _) = auth::create_token(db, &op(), &officer_token(village))
        .await
        .unwrap();
    auth::revoke_token(db, &op(), other.id).await.unwrap();
    let moved = visit();
    writer.record(&cached, list[1].id, &moved).await.unwrap();
    assert!(tokens.still_holds(&cached).await.unwrap());

    // This token ends: the actor still held from memory writes nothing, alone or grouped
    // with a visit of a live actor (which is written).
    auth::revoke_token(db, &op(), row.id).await.unwrap();
    let dead = visit();
    let refused = writer.record(&cached, list[2].id, &dead).await;
    assert!(
        matches!(refused, Err(AppError::Unauthenticated)),
        "{refused:?}"
    );
    let (system, alive, grouped) = (op(), visit(), visit());
    let (live, refused) = tokio::join!(
        writer.record(&system, list[3].id, &alive),
        writer.record(&cached, list[3].id, &grouped)
    );
    live.unwrap();
    assert!(
        matches!(refused, Err(AppError::Unauthenticated)),
        "{refused:?}"
    );
    writer.shutdown().await;
    let ids = |h| async move {
        households::visits_of(db, &op(), h)
            .await
            .unwrap()
            .into_iter()
            .map(|v| v.id)
            .collect::<Vec<_>>()
    };
    assert!(ids(list[1].id).await.contains(&moved.id.unwrap()));
    assert!(!ids(list[2].id).await.contains(&dead.id.unwrap()));
    assert!(!ids(list[3].id).await.contains(&grouped.id.unwrap()));
    assert!(ids(list[3].id).await.contains(&alive.id.unwrap()));

    // Checked now, or taken afresh for the writer, the token is gone at once.
    assert!(!tokens.still_holds(&cached).await.unwrap());
    assert!(tokens.actor(&secret, Check::Now).await.unwrap().is_none());
    assert!(
        tokens
            .actor(&secret, Check::AtWrite)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_token_checked_now_is_not_taken_from_memory_after_its_creator_is_disabled() {
    let (test, commune) = demo_with("09817").await;
    let db = &test.db;
    let admin = auth::create_user(
        db,
        &op(),
        &auth::NewAccount {
            login: "quantri.thu".to_owned(),
            display_name: "Quản trị thử".to_owned(),
            password: "mật khẩu đủ dài".to_owned(),
            role: Role::Admin,
            unit_id: commune,
            pii: false,
        },
    )
    .await
    .unwrap();
    let session = auth::login(db, "quantri.thu", "mật khẩu đủ dài", "192.0.2.1")
        .await
        .unwrap()
        .session_token;
    let as_admin = auth::actor_for_session(db, &session)
        .await
        .unwrap()
        .unwrap();
    let (_, secret) = auth::create_token(db, &as_admin, &officer_token(commune))
        .await
        .unwrap();
    let tokens = ApiTokens::new(db.clone(), Duration::from_secs(60), Default::default());
    let actor = tokens.actor(&secret, Check::Now).await.unwrap().unwrap();
    assert_eq!(
        actor.checked_at, None,
        "checked now, nothing left to the writer"
    );
    assert!(tokens.actor(&secret, Check::Now).await.unwrap().is_some());
    auth::disable_user(db, &op(), admin.user.id).await.unwrap();
    assert!(tokens.actor(&secret, Check::Now).await.unwrap().is_none());
}
