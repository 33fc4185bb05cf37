//! Announcements aimed (issue 17, items 3 and 5): two villages picked from the composer's list
//! get one ZNS and one SMS message per consenting household, once, however often publication
//! is attempted; a group target reaches its members only; the deliveries show per channel and
//! per recipient, masked for a viewer without the PII right; a Zalo post mark leaves the
//! group's members as they were; the radio schedule lists a broadcast, emergency first.
//! SQLite by default, PostgreSQL when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use langso_app::auth::Grant;
use langso_app::comms::{self, NewAnnouncement, NewGroup};
use langso_app::progress::NoProgress;
use langso_app::{Actor, Db, demo, today};
use langso_domain::auth::Role;
use langso_store::testing::TestDb;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

async fn unit_id(db: &Db, code: &str) -> Uuid {
    langso_app::units::by_code(db, code, today())
        .await
        .unwrap()
        .id
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

async fn demo_db() -> TestDb {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    test
}

/// Households of a village that may be messaged: a phone and consent on record.
async fn contactable(db: &Db, village: Uuid) -> usize {
    langso_app::households::list_households(db, &Actor::system("t"), Some(village), "", 5000, 0)
        .await
        .unwrap()
        .iter()
        .filter(|h| h.representative_phone.is_some() && h.consent_on.is_some())
        .count()
}

#[tokio::test]
async fn two_villages_picked_get_one_message_per_household_per_channel_once() {
    let test = demo_db().await;
    let db = &test.db;
    let commune = unit_id(db, "09817").await;
    let member = person(db, Role::TeamMember, "09817", false).await;
    let officer = person(db, Role::Officer, "09817", true).await;
    let (choices, _) = comms::target_choices(db, &member, commune, "", &[], 100)
        .await
        .unwrap();
    let villages: Vec<_> = choices
        .iter()
        .filter(|c| c.kind == "village")
        .take(2)
        .collect();
    assert_eq!(villages.len(), 2);
    // The search narrows the list by the folded name.
    let (found, _) = comms::target_choices(db, &member, commune, &villages[0].label, &[], 100)
        .await
        .unwrap();
    assert!(found.iter().any(|c| c.value == villages[0].value));
    let ids: Vec<Uuid> = villages
        .iter()
        .map(|c| Uuid::parse_str(c.value.trim_start_matches("unit:")).unwrap())
        .collect();
    let expected = contactable(db, ids[0]).await + contactable(db, ids[1]).await;
    assert!(expected > 0);

    let draft = comms::create_announcement(
        db,
        &member,
        &NewAnnouncement {
            unit_id: Some(commune),
            title: "Họp thôn về chuyển đổi số".into(),
            body: "**Tối thứ Bảy** tại nhà văn hóa.\n\nXem [hướng dẫn](/huong-dan/vneid-muc-2) <script>x</script>".into(),
            category: "event".into(),
            targets: villages.iter().map(|c| c.value.clone()).collect(),
            channels: vec!["feed".into(), "zns".into(), "sms".into(), "email".into()],
            public_url: "https://langso.example".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(draft.status, "pending");
    assert_eq!(
        comms::deliveries(db, &officer, draft.id, 1)
            .await
            .unwrap()
            .total,
        0
    );
    let published = comms::decide(db, &officer, draft.id, true).await.unwrap();
    assert_eq!(published.status, "published");
    assert_eq!(published.villages, 2, "only the two villages picked");
    // Publishing again is refused or finds nothing to do; nothing doubles.
    assert!(comms::decide(db, &officer, draft.id, true).await.is_err());
    assert_eq!(comms::publish_due(db).await.unwrap(), 0);

    let rows = langso_store::comms::messages_of(db, "announcement", draft.id)
        .await
        .unwrap();
    let zns: Vec<_> = rows.iter().filter(|m| m.channel == "zns").collect();
    let sms: Vec<_> = rows.iter().filter(|m| m.channel == "sms").collect();
    assert_eq!(zns.len(), expected);
    assert_eq!(sms.len(), expected);
    // Users carry no e-mail address on this branch: no e-mail message yet.
    assert!(rows.iter().all(|m| m.channel != "email"));
    for m in &rows {
        assert_eq!(
            m.idempotency_key,
            format!(
                "announcement:{}:{}:{}",
                draft.id,
                m.channel,
                m.recipient_id.unwrap()
            )
        );
        assert_eq!(m.subject, "Họp thôn về chuyển đổi số");
        assert!(m.status == "queued" || m.status == "withheld");
        if m.status == "queued" {
            assert!(m.address.starts_with("84"), "{}", m.address);
        }
    }
    let sms_body = &sms[0].body;
    assert!(sms_body.starts_with("Họp thôn về chuyển đổi số\nTối thứ Bảy tại nhà văn hóa."));
    assert!(sms_body.contains("https://langso.example/huong-dan/vneid-muc-2"));
    assert!(sms_body.ends_with(&format!("https://langso.example/a/{}", draft.short_code)));
    assert!(!sms_body.contains("script"));
    let data: serde_json::Value =
        serde_json::from_str(zns[0].template_data.as_deref().unwrap()).unwrap();
    assert_eq!(data["title"], "Họp thôn về chuyển đổi số");
    assert!(zns[0].template_id.is_none());

    // The same key again is not written twice.
    let mut again = sms[0].clone();
    again.id = Uuid::now_v7();
    let mut tx = db.begin().await.unwrap();
    assert!(
        !langso_store::comms::insert_message_once(&mut tx, &again)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    assert_eq!(
        langso_store::comms::messages_of(db, "announcement", draft.id)
            .await
            .unwrap()
            .len(),
        rows.len()
    );

    // Per channel and per recipient; the viewer without PII sees numbers masked.
    let seen = comms::deliveries(db, &member, draft.id, 1).await.unwrap();
    assert_eq!(seen.total, rows.len() as i64);
    let channels: Vec<&str> = seen.per_channel.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(channels, ["zns", "sms"]);
    assert!(seen.rows.len() <= 50);
    assert!(seen.rows.iter().all(|m| m.address.contains('*')));
    let full = comms::deliveries(db, &officer, draft.id, 1).await.unwrap();
    assert!(full.rows.iter().any(|m| !m.address.contains('*')));
    assert_eq!(full.targets.len(), 2);
}

#[tokio::test]
async fn a_group_target_reaches_its_members_and_a_post_mark_keeps_its_count() {
    let test = demo_db().await;
    let db = &test.db;
    let village = unit_id(db, "09805-T01").await;
    let head = person(db, Role::VillageHead, "09805-T01", true).await;
    let group = comms::create_group(
        db,
        &head,
        &NewGroup {
            unit_id: Some(village),
            platform: "zalo".into(),
            name: "Nhóm Zalo thôn 1".into(),
            link: "https://zalo.me/g/abc".into(),
            admins: "Trưởng thôn".into(),
        },
    )
    .await
    .unwrap();
    let households = langso_app::households::list_households(db, &head, Some(village), "", 3, 0)
        .await
        .unwrap();
    let ids: Vec<Uuid> = households.iter().map(|h| h.id).collect();
    comms::add_members(db, &head, group.id, &ids).await.unwrap();
    let row = comms::create_announcement(
        db,
        &head,
        &NewAnnouncement {
            unit_id: Some(village),
            title: "Thông báo nhóm".into(),
            body: "Nội dung".into(),
            category: "guidance".into(),
            targets: vec![format!("group:{}", group.id)],
            channels: vec!["sms".into(), "zalo".into()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(row.status, "published");
    let rows = langso_store::comms::messages_of(db, "announcement", row.id)
        .await
        .unwrap();
    assert!(rows.len() <= 3 && !rows.is_empty());
    assert!(rows.iter().all(|m| ids.contains(&m.recipient_id.unwrap())));
    // The village of the group is the one reached.
    assert_eq!(
        comms::announcement(db, &head, row.id)
            .await
            .unwrap()
            .row
            .villages,
        1
    );
    let groups = comms::zalo_groups(db, &head, row.id).await.unwrap();
    assert_eq!(groups.len(), 1);
    assert!(groups[0].posted.is_none());
    comms::mark_posted(db, &head, row.id, group.id)
        .await
        .unwrap();
    comms::mark_posted(db, &head, row.id, group.id)
        .await
        .unwrap();
    let groups = comms::zalo_groups(db, &head, row.id).await.unwrap();
    assert!(groups[0].posted.is_some());
    assert_eq!(groups[0].group.members, 3, "posting changes no membership");
    // A target outside the author's unit (a sibling village) is not found.
    let commune = langso_store::units::parent_at(db, village, today())
        .await
        .unwrap()
        .unwrap();
    let (choices, _) = comms::target_choices(db, &Actor::system("t"), commune.id, "", &[], 100)
        .await
        .unwrap();
    let other = choices
        .iter()
        .filter(|c| c.kind == "village")
        .map(|c| Uuid::parse_str(c.value.trim_start_matches("unit:")).unwrap())
        .find(|id| *id != village)
        .unwrap();
    let refused = comms::create_announcement(
        db,
        &head,
        &NewAnnouncement {
            unit_id: Some(village),
            title: "x".into(),
            body: "y".into(),
            category: "event".into(),
            targets: vec![format!("unit:{other}")],
            ..Default::default()
        },
    )
    .await;
    assert!(matches!(refused, Err(langso_app::AppError::NotFound)));
}

#[tokio::test]
async fn the_radio_schedule_lists_a_broadcast_emergency_first() {
    let test = demo_db().await;
    let db = &test.db;
    let commune = unit_id(db, "09817").await;
    let officer = person(db, Role::Officer, "09817", false).await;
    let weekday = (OffsetDateTime::now_utc().to_offset(langso_domain::locale::VIETNAM)
        + Duration::days(1))
    .weekday()
    .number_from_monday();
    comms::add_slot(db, &officer, commune, &weekday.to_string(), "06:30")
        .await
        .unwrap();
    assert!(
        comms::add_slot(db, &officer, commune, "9", "06:30")
            .await
            .is_err()
    );
    let radio = comms::radio(db, &officer, commune).await.unwrap().unwrap();
    assert_eq!(radio.slots.len(), 1);
    let at = radio.upcoming[0];
    let ms = at.unix_timestamp() * 1000;
    let mut ids = Vec::new();
    for (title, priority) in [("Lịch tiêm chủng", "normal"), ("Bão số 3", "emergency")] {
        let row = comms::create_announcement(
            db,
            &officer,
            &NewAnnouncement {
                unit_id: Some(commune),
                title: title.into(),
                body: "Bà con chú ý.".into(),
                category: "event".into(),
                channels: vec!["feed".into(), "radio".into()],
                radio_priority: Some(priority.into()),
                radio_at: vec![ms],
                ..Default::default()
            },
        )
        .await
        .unwrap();
        ids.push(row.id);
    }
    let code = langso_app::units::get(db, commune).await.unwrap().code;
    let (_, schedule) = comms::public_schedule(db, &code).await.unwrap();
    let titles: Vec<&str> = schedule.iter().map(|b| b.title.as_str()).collect();
    assert_eq!(titles, ["Bão số 3", "Lịch tiêm chủng"]);
    assert_eq!(comms::reading_time(&schedule[0]), at);
    assert_eq!(
        comms::readings(db, &officer, ids[0]).await.unwrap().len(),
        1
    );
    // A time in the past is refused; so is a radio reading without a time (unless emergency).
    let refused = comms::create_announcement(
        db,
        &officer,
        &NewAnnouncement {
            unit_id: Some(commune),
            title: "x".into(),
            body: "y".into(),
            category: "event".into(),
            channels: vec!["radio".into()],
            ..Default::default()
        },
    )
    .await;
    assert!(refused.is_err());
}
