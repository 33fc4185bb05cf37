//! Communications: groups and coverage counters, announcements with approval, feeds, and
//! delivery to a real local HTTP receiver through the outbox. SQLite by default, PostgreSQL
//! when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use langso_app::auth::Grant;
use langso_app::comms::{
    self, DeliveryWorker, NewAnnouncement, NewGroup, NewWebhook, WorkerConfig,
};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, Db, demo, today};
use langso_domain::auth::Role;
use langso_store::testing::TestDb;
use uuid::Uuid;

fn op() -> Actor {
    Actor::system("test")
}

async fn unit_id(db: &Db, code: &str) -> Uuid {
    langso_app::units::by_code(db, code, today())
        .await
        .unwrap()
        .id
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

fn coverage_of(rows: &[comms::CoverageRow], village: Uuid) -> (i64, i64) {
    rows.iter()
        .find(|r| r.unit_id == village)
        .map(|r| (r.households, r.covered))
        .unwrap()
}

#[tokio::test]
async fn memberships_keep_coverage_counters_equal_to_the_roster() {
    let test = demo_db().await;
    let db = &test.db;
    let village = unit_id(db, "09805-T01").await;
    let head = person(db, Role::VillageHead, "09805-T01").await;
    let group = comms::create_group(
        db,
        &head,
        &NewGroup {
            unit_id: Some(village),
            platform: "zalo".into(),
            name: "Thôn 1 – nhóm mới".into(),
            link: "https://zalo.me/g/abc".into(),
            admins: "Trưởng thôn".into(),
        },
    )
    .await
    .unwrap();
    let households = langso_app::households::list_households(db, &op(), Some(village), "", 1000, 0)
        .await
        .unwrap();
    let ids: Vec<Uuid> = households.iter().map(|h| h.id).collect();
    let report = comms::add_members(db, &head, group.id, &ids).await.unwrap();
    assert_eq!(report.added, ids.len());
    // Adding again changes nothing.
    let again = comms::add_members(db, &head, group.id, &ids[..2])
        .await
        .unwrap();
    assert_eq!((again.added, again.already), (0, 2));
    let coverage = comms::coverage(db, &head, village).await.unwrap();
    assert_eq!(
        coverage_of(&coverage, village),
        (ids.len() as i64, ids.len() as i64)
    );
    assert!(
        comms::uncovered(db, &head, village, 100)
            .await
            .unwrap()
            .is_empty()
    );

    // Out of every group: that household is no longer covered, and listed for follow-up.
    for g in comms::groups_of_household(db, &head, ids[0]).await.unwrap() {
        comms::remove_member(db, &head, g.id, ids[0]).await.unwrap();
    }
    let coverage = comms::coverage(db, &head, village).await.unwrap();
    assert_eq!(coverage_of(&coverage, village).1, ids.len() as i64 - 1);
    let follow_up = comms::uncovered(db, &head, village, 100).await.unwrap();
    assert_eq!(
        follow_up.iter().map(|m| m.household_id).collect::<Vec<_>>(),
        vec![ids[0]]
    );

    // Everywhere under the commune the counters match the roster.
    let commune = unit_id(db, "09817").await;
    for row in comms::coverage(db, &op(), commune).await.unwrap() {
        let uncovered = comms::uncovered(db, &op(), row.unit_id, 5000)
            .await
            .unwrap();
        assert_eq!(
            row.covered + uncovered.len() as i64,
            row.households,
            "{}",
            row.code
        );
    }

    // Bulk by codes, from another village: refused as a whole, nothing changed.
    let other = langso_app::households::list_households(
        db,
        &op(),
        Some(unit_id(db, "09805-T02").await),
        "",
        1,
        0,
    )
    .await
    .unwrap();
    let refused = comms::add_members_by_codes(db, &head, group.id, &other[0].code).await;
    assert!(
        matches!(refused, Err(AppError::Invalid(_) | AppError::NotFound)),
        "{refused:?}"
    );
    let by_code = comms::add_members_by_codes(db, &head, group.id, &households[0].code)
        .await
        .unwrap();
    assert_eq!(by_code.added, 1);

    // An erased household cannot join; its roster entry shows no name.
    langso_app::households::erase_household(db, &op(), ids[1])
        .await
        .unwrap();
    let roster = comms::members(db, &head, group.id).await.unwrap();
    let erased = roster.iter().find(|m| m.household_id == ids[1]).unwrap();
    assert!(
        erased.erased
            && !erased
                .representative_name
                .contains(&households[1].head_name)
    );
    let fresh = comms::create_group(
        db,
        &head,
        &NewGroup {
            unit_id: Some(village),
            platform: "telegram".into(),
            name: "Khác".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        comms::add_members(db, &head, fresh.id, &[ids[1]]).await,
        Err(AppError::Invalid(_))
    ));
    // Another village's head sees nothing of this group.
    let stranger = person(db, Role::VillageHead, "09787-T01").await;
    assert!(matches!(
        comms::members(db, &stranger, group.id).await,
        Err(AppError::NotFound)
    ));
}

#[tokio::test]
async fn a_commune_announcement_waits_for_an_officer_then_reaches_every_village_feed() {
    let test = demo_db().await;
    let db = &test.db;
    let commune = unit_id(db, "09817").await;
    let member = person(db, Role::TeamMember, "09817").await;
    let officer = person(db, Role::Officer, "09817").await;
    let input = NewAnnouncement {
        unit_id: Some(commune),
        title: "Lịch làm VNeID mức 2 tại nhà văn hóa".into(),
        body: "**Chủ nhật** công an xã làm VNeID mức 2.\n- Mang CCCD gắn chip".into(),
        category: "procedure".into(),
        link: "/huong-dan/vneid-muc-2".into(),
        ..Default::default()
    };
    let draft = comms::create_announcement(db, &member, &input)
        .await
        .unwrap();
    assert_eq!(draft.status, "pending");
    assert!(matches!(
        comms::decide(db, &member, draft.id, true).await,
        Err(AppError::Forbidden)
    ));
    let village = langso_app::units::by_code(db, "09805-T01", today())
        .await
        .unwrap();
    assert!(
        comms::village_feed(db, "09805-T01")
            .await
            .unwrap()
            .items
            .iter()
            .all(|i| i.id != draft.id),
        "nothing is public before approval"
    );
    let published = comms::decide(db, &officer, draft.id, true).await.unwrap();
    assert_eq!(published.status, "published");
    // Every village under the commune has it in its feed.
    let villages: Vec<_> = langso_store::units::subtree(db, commune, today(), 8)
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.unit.kind.level() == langso_domain::units::Level::Village)
        .collect();
    assert!(villages.len() > 3);
    assert_eq!(published.villages, villages.len() as i64);
    for node in &villages {
        let feed = comms::village_feed(db, &node.unit.code).await.unwrap();
        assert!(
            feed.items.iter().any(|i| i.id == draft.id),
            "{}",
            node.unit.code
        );
    }
    assert!(
        comms::village_feed(db, "09787-T01")
            .await
            .unwrap()
            .items
            .iter()
            .all(|i| i.id != draft.id),
        "not in another commune"
    );
    let item = comms::village_feed(db, &village.code).await.unwrap().items;
    let item = item.iter().find(|i| i.id == draft.id).unwrap();
    assert!(item.body_html.contains("<strong>Chủ nhật</strong>"));
    // Deciding twice is refused.
    assert!(matches!(
        comms::decide(db, &officer, draft.id, false).await,
        Err(AppError::Invalid(_))
    ));
    // The short link counts opens and nothing else.
    let view = comms::announcement(db, &officer, draft.id).await.unwrap();
    assert_eq!(view.opens, 0);
    comms::open_short_link(db, &published.short_code)
        .await
        .unwrap();
    comms::open_short_link(db, &published.short_code)
        .await
        .unwrap();
    let view = comms::announcement(db, &officer, draft.id).await.unwrap();
    assert_eq!(view.opens, 2);
    let groups = comms::list_groups(db, &officer, commune).await.unwrap();
    assert_eq!(view.reach_groups, groups.len() as i64);
    assert_eq!(
        view.reach_members,
        groups.iter().map(|g| g.members).sum::<i64>()
    );
    assert_eq!(
        view.channels.len(),
        1,
        "the feed channel, delivered with publication"
    );
    assert_eq!(view.channels[0].status, "delivered");
    // An audit entry for each step.
    let log = langso_app::audit::list(db, &op(), &Default::default())
        .await
        .unwrap();
    for action in ["announcement.create", "announcement.approve"] {
        assert!(
            log.iter()
                .any(|e| e.action == action && e.target_id == draft.id.to_string())
        );
    }
}

#[tokio::test]
async fn narrowing_by_an_indicator_targets_only_households_lacking_it() {
    let test = demo_db().await;
    let db = &test.db;
    let commune = unit_id(db, "09817").await;
    let all = comms::create_announcement(
        db,
        &op(),
        &NewAnnouncement {
            unit_id: Some(commune),
            title: "Mọi hộ".into(),
            body: "Nội dung".into(),
            category: "guidance".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let narrowed = comms::create_announcement(
        db,
        &op(),
        &NewAnnouncement {
            unit_id: Some(commune),
            title: "Người lớn chưa có VNeID mức 2".into(),
            body: "Nội dung".into(),
            category: "guidance".into(),
            indicator: Some("vneid_2".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // Count by hand: households whose adults do not all have level 2.
    let mut lacking = 0;
    for node in langso_store::units::subtree(db, commune, today(), 8)
        .await
        .unwrap()
    {
        for h in langso_app::households::list_households(db, &op(), Some(node.unit.id), "", 1000, 0)
            .await
            .unwrap()
            .into_iter()
            .filter(|h| h.unit_id == node.unit.id && !h.erased)
        {
            let view = langso_app::households::get_household(db, &op(), h.id)
                .await
                .unwrap();
            let value = view
                .values
                .iter()
                .find(|(c, _)| c == "vneid_2")
                .map_or(0, |(_, v)| *v);
            if value < h.adults {
                lacking += 1;
            }
        }
    }
    assert_eq!(narrowed.households, lacking);
    assert!(narrowed.households < all.households && narrowed.households > 0);
    assert!(
        comms::create_announcement(
            db,
            &op(),
            &NewAnnouncement {
                unit_id: Some(commune),
                title: "x".into(),
                body: "y".into(),
                category: "gossip".into(),
                indicator: Some("nope".into()),
                link: "/thu-tuc/9.999999".into(),
                ..Default::default()
            },
        )
        .await
        .is_err()
    );
}

/// A real webhook receiver on 127.0.0.1: answers 503 to the first `refuse` requests, then
/// 200; records every request's idempotency key and the answer it gave.
#[derive(Clone, Default)]
struct Receiver {
    log: Arc<Mutex<Vec<(String, u16, bool)>>>,
    refuse: usize,
    secret: String,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let timestamp: i64 = headers
        .get("x-langso-timestamp")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let signed = headers
        .get("x-langso-signature")
        .and_then(|v| v.to_str().ok())
        .map(|v| v == format!("sha256={}", comms::signature(&r.secret, timestamp, &body)))
        .unwrap_or(false);
    let mut log = r.log.lock().unwrap();
    let status = if log.len() < r.refuse { 503 } else { 200 };
    log.push((key, status, signed));
    StatusCode::from_u16(status).unwrap()
}

async fn start_receiver(refuse: usize, secret: &str) -> (String, Receiver) {
    let receiver = Receiver {
        refuse,
        secret: secret.to_owned(),
        ..Default::default()
    };
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(receiver.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, receiver)
}

fn fast(worker: &str) -> WorkerConfig {
    WorkerConfig {
        worker_id: worker.to_owned(),
        poll: Duration::from_millis(20),
        lease: Duration::from_secs(30),
        timeout: Duration::from_secs(5),
        batch: 4,
        backoff_unit: Duration::from_millis(5),
    }
}

/// Waits (bounded) until no webhook message is pending or sending.
async fn until_settled(db: &Db) -> BTreeMap<String, i64> {
    for _ in 0..1500 {
        let counts: BTreeMap<String, i64> = langso_store::comms::outbox_counts(db)
            .await
            .unwrap()
            .into_iter()
            .collect();
        if !counts.contains_key("pending") && !counts.contains_key("sending") {
            return counts;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the outbox did not settle");
}

async fn webhook(db: &Db, unit: Uuid, url: &str, secret: &str) -> Uuid {
    comms::create_webhook(
        db,
        &op(),
        &NewWebhook {
            unit_id: Some(unit),
            name: "Zalo OA".into(),
            url: url.to_owned(),
            secret: secret.to_owned(),
        },
    )
    .await
    .unwrap()
    .id
}

async fn announce(db: &Db, unit: Uuid, n: usize) -> Uuid {
    comms::create_announcement(
        db,
        &op(),
        &NewAnnouncement {
            unit_id: Some(unit),
            title: format!("Thông báo {n}"),
            body: "Nội dung".into(),
            category: "event".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn a_receiver_that_was_down_gets_every_message_exactly_once() {
    let test = demo_db().await;
    let db = &test.db;
    let secret = "bí mật của bộ chuyển Zalo OA";
    let (url, receiver) = start_receiver(5, secret).await;
    let commune = unit_id(db, "09817").await;
    webhook(db, commune, &url, secret).await;
    let mut ids = Vec::new();
    for n in 0..4 {
        ids.push(announce(db, commune, n).await);
    }
    // A village under the commune: the commune's webhook gets it too.
    ids.push(announce(db, unit_id(db, "09805-T02").await, 9).await);
    let worker = DeliveryWorker::start(db.clone(), fast("node-a"));
    let counts = until_settled(db).await;
    worker.shutdown().await;
    assert_eq!(counts.get("failed"), None);
    let log = receiver.log.lock().unwrap().clone();
    assert!(
        log.iter().filter(|(_, s, _)| *s == 503).count() == 5,
        "it was down first"
    );
    assert!(
        log.iter().all(|(_, _, signed)| *signed),
        "every request is signed"
    );
    let mut accepted: BTreeMap<String, usize> = BTreeMap::new();
    for (key, status, _) in &log {
        if *status == 200 {
            *accepted.entry(key.clone()).or_default() += 1;
        }
    }
    let expected: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
    assert_eq!(accepted.len(), ids.len(), "{accepted:?}");
    for (key, times) in &accepted {
        assert_eq!(*times, 1, "{key} accepted {times} times");
        assert!(expected.iter().any(|id| key.starts_with(id.as_str())));
    }
    // Every attempt is recorded, the refusals too, and shown per announcement.
    let mut recorded = 0;
    for id in &ids {
        let view = comms::announcement(db, &op(), *id).await.unwrap();
        recorded += view.attempts.len();
        let hook = view
            .channels
            .iter()
            .find(|c| c.channel == "webhook")
            .unwrap();
        assert_eq!(hook.status, "delivered");
        assert_eq!(hook.attempts as usize, view.attempts.len());
    }
    assert_eq!(recorded, log.len());
}

#[tokio::test]
async fn two_workers_send_each_message_once() {
    let test = demo_db().await;
    let db = &test.db;
    let secret = "khóa của cổng SMS thử nghiệm";
    let (url_a, receiver_a) = start_receiver(0, secret).await;
    let (url_b, receiver_b) = start_receiver(0, secret).await;
    let commune = unit_id(db, "09817").await;
    webhook(db, commune, &url_a, secret).await;
    webhook(db, commune, &url_b, secret).await;
    for n in 0..20 {
        announce(db, commune, n).await;
    }
    let first = DeliveryWorker::start(db.clone(), fast("node-a"));
    let second = DeliveryWorker::start(db.clone(), fast("node-b"));
    until_settled(db).await;
    first.shutdown().await;
    second.shutdown().await;
    for receiver in [receiver_a, receiver_b] {
        let log = receiver.log.lock().unwrap().clone();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (key, _, _) in &log {
            *seen.entry(key.clone()).or_default() += 1;
        }
        assert_eq!(seen.len(), 20);
        assert!(seen.values().all(|n| *n == 1), "{seen:?}");
    }
}

#[tokio::test]
async fn the_demo_has_569_groups_whose_counters_match_the_roster() {
    let test = demo_db().await;
    let db = &test.db;
    let hanoi = unit_id(db, "01").await;
    let groups = comms::list_groups(db, &op(), hanoi).await.unwrap();
    assert_eq!(groups.len(), demo::DEMO_GROUPS);
    let coverage = comms::coverage(db, &op(), hanoi).await.unwrap();
    assert_eq!(coverage.len(), 129);
    assert_eq!(coverage.iter().map(|r| r.groups).sum::<i64>(), 569);
    for row in coverage.iter().take(12) {
        let uncovered = comms::uncovered(db, &op(), row.unit_id, 5000)
            .await
            .unwrap();
        assert_eq!(
            row.covered + uncovered.len() as i64,
            row.households,
            "{}",
            row.code
        );
    }
    assert!(
        !comms::list_announcements(db, &op(), hanoi, 100)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_scheduled_announcement_is_published_once_when_its_time_comes() {
    let test = demo_db().await;
    let db = &test.db;
    let village = unit_id(db, "09805-T01").await;
    let head = person(db, Role::VillageHead, "09805-T01").await;
    let row = comms::create_announcement(
        db,
        &head,
        &NewAnnouncement {
            unit_id: Some(village),
            title: "Họp thôn tối thứ Sáu".into(),
            body: "Tại nhà văn hóa.".into(),
            category: "event".into(),
            publish_at: Some(time::OffsetDateTime::now_utc() + time::Duration::seconds(1)),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        row.status, "scheduled",
        "a village announcement needs no approval"
    );
    let in_feed = |feed: &comms::VillageFeed| feed.items.iter().any(|i| i.id == row.id);
    assert!(!in_feed(
        &comms::village_feed(db, "09805-T01").await.unwrap()
    ));
    let mut published = 0;
    for _ in 0..200 {
        published += comms::publish_due(db).await.unwrap();
        if published > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(published, 1);
    assert_eq!(comms::publish_due(db).await.unwrap(), 0, "only once");
    assert!(in_feed(
        &comms::village_feed(db, "09805-T01").await.unwrap()
    ));
    let view = comms::announcement(db, &head, row.id).await.unwrap();
    assert_eq!(
        (view.row.status.as_str(), view.row.villages),
        ("published", 1)
    );
}

#[tokio::test]
async fn a_household_moving_village_takes_its_coverage_mark_along() {
    let test = demo_db().await;
    let db = &test.db;
    let from = unit_id(db, "09805-T01").await;
    let to = unit_id(db, "09805-T02").await;
    let commune = unit_id(db, "09817").await;
    let covered = |rows: &[comms::CoverageRow], v| coverage_of(rows, v).1;
    let household = langso_app::households::list_households(db, &op(), Some(from), "", 1000, 0)
        .await
        .unwrap()
        .into_iter()
        .find(|h| !h.erased)
        .unwrap();
    let group = comms::list_groups(db, &op(), from).await.unwrap()[0].id;
    comms::add_members(db, &op(), group, &[household.id])
        .await
        .unwrap();
    let before = comms::coverage(db, &op(), commune).await.unwrap();
    let view = langso_app::households::get_household(db, &op(), household.id)
        .await
        .unwrap();
    let r = view.row;
    let input = langso_app::households::HouseholdInput {
        unit_id: Some(to),
        code: r.code,
        hamlet: r.hamlet,
        alley: r.alley,
        house_number: r.house_number,
        head_name: r.head_name,
        representative_name: r.representative_name,
        representative_phone: r.representative_phone.unwrap_or_default(),
        citizen_id: r.citizen_id.unwrap_or_default(),
        members: r.members,
        adults: r.adults,
        business: r.business,
        consent_on: r.consent_on,
        consent_purpose: r.consent_purpose,
        notes: r.notes,
    };
    langso_app::households::update_household(db, &op(), household.id, &input)
        .await
        .unwrap();
    let after = comms::coverage(db, &op(), commune).await.unwrap();
    assert_eq!(covered(&after, from), covered(&before, from) - 1);
    assert_eq!(covered(&after, to), covered(&before, to) + 1);
    for row in after
        .iter()
        .filter(|r| r.unit_id == from || r.unit_id == to)
    {
        let uncovered = comms::uncovered(db, &op(), row.unit_id, 5000)
            .await
            .unwrap();
        assert_eq!(
            row.covered + uncovered.len() as i64,
            row.households,
            "{}",
            row.code
        );
    }
}
