//! Public outreach events in village feeds (issue 8, item 6): an event marked public, held by
//! the village, its commune or its district, appears in the village's feed dated by its day;
//! a non-public event and an event of another commune do not. SQLite by default, PostgreSQL
//! when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use langso_app::comms::{self, NewAnnouncement};
use langso_app::progress::NoProgress;
use langso_app::teams::{self, OutreachInput};
use langso_app::{Actor, Db, demo, today};
use langso_domain::units::Level;
use langso_store::testing::TestDb;
use time::{Duration, UtcOffset};
use uuid::Uuid;

async fn event(db: &Db, unit: Uuid, topic: &str, public: bool, days_ago: i64) -> Uuid {
    teams::record_outreach(
        db,
        &Actor::system("test"),
        &OutreachInput {
            unit_id: unit,
            kind: "conference".into(),
            held_on: today() - Duration::days(days_ago),
            topic: topic.into(),
            attendance: 42,
            public,
        },
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn public_events_of_the_village_and_the_units_above_it_reach_its_feed() {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    let db = &test.db;
    let village = langso_app::units::by_code(db, "09805-T01", today())
        .await
        .unwrap();
    let above = langso_store::units::ancestors(db, village.id, today())
        .await
        .unwrap();
    let commune = above
        .iter()
        .find(|u| u.kind.level() == Level::Commune)
        .unwrap();
    // Since the 2025 reorganisation a commune sits directly under its province; the unit above
    // the commune is a district in older trees and the province today.
    let district = above
        .iter()
        .rfind(|u| matches!(u.kind.level(), Level::District | Level::Province))
        .unwrap();
    let elsewhere = langso_app::units::by_code(db, "09787-T01", today())
        .await
        .unwrap();
    let elsewhere_commune = langso_store::units::parent_at(db, elsewhere.id, today())
        .await
        .unwrap()
        .unwrap();
    assert_ne!(
        elsewhere_commune.id, commune.id,
        "the other village is in another commune"
    );

    let in_village = event(
        db,
        village.id,
        "Tập huấn VNeID tại nhà văn hóa thôn",
        true,
        0,
    )
    .await;
    let in_commune = event(db, commune.id, "Hội nghị chuyển đổi số toàn xã", true, 1).await;
    let in_district = event(db, district.id, "Ngày hội chuyển đổi số của tỉnh", true, 2).await;
    let private = event(db, village.id, "Họp tổ CNSCĐ (nội bộ)", false, 0).await;
    let other_commune = event(db, elsewhere_commune.id, "Hội nghị xã bên cạnh", true, 0).await;
    let other_village = event(db, elsewhere.id, "Tập huấn thôn bên cạnh", true, 0).await;

    let feed = comms::village_feed(db, &village.code).await.unwrap();
    let ids: Vec<Uuid> = feed.items.iter().map(|i| i.id).collect();
    for (id, what) in [
        (in_village, "the village's"),
        (in_commune, "the commune's"),
        (in_district, "the province's (or district's)"),
    ] {
        assert!(ids.contains(&id), "{what} public event is in the feed");
    }
    for (id, what) in [
        (private, "a non-public event"),
        (other_commune, "another commune's event"),
        (other_village, "another commune's village event"),
    ] {
        assert!(!ids.contains(&id), "{what} is not in the feed");
    }
    let item = feed.items.iter().find(|i| i.id == in_commune).unwrap();
    assert_eq!(item.category, "event");
    assert_eq!(item.title, "Hội nghị chuyển đổi số toàn xã");
    assert!(item.short_code.is_none() && item.link.is_none());
    assert!(item.body_html.contains("Hội nghị"), "{}", item.body_html);
    assert!(item.body_html.contains(&commune.name), "{}", item.body_html);
    assert!(item.body_html.contains("42"), "{}", item.body_html);
    let day = (today() - Duration::days(1))
        .midnight()
        .assume_offset(UtcOffset::from_hms(7, 0, 0).unwrap());
    assert_eq!(item.published_at, day, "dated by the day it was held");
    // Newest first, events and announcements together.
    assert!(
        feed.items
            .windows(2)
            .all(|w| w[0].published_at >= w[1].published_at)
    );
    let pos = |id: Uuid| ids.iter().position(|i| *i == id).unwrap();
    assert!(pos(in_village) < pos(in_commune) && pos(in_commune) < pos(in_district));

    // An announcement published now sorts before today's event.
    let officer = Actor::system("officer");
    let published = comms::create_announcement(
        db,
        &officer,
        &NewAnnouncement {
            unit_id: Some(village.id),
            title: "Thông báo mới".into(),
            body: "Nội dung".into(),
            category: "guidance".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let feed = comms::village_feed(db, &village.code).await.unwrap();
    let ids: Vec<Uuid> = feed.items.iter().map(|i| i.id).collect();
    let pos = |id: Uuid| ids.iter().position(|i| *i == id);
    assert_eq!(
        published.status, "published",
        "one village needs no approval"
    );
    assert!(pos(published.id).unwrap() < pos(in_village).unwrap());
    // The other village sees its own commune's event and not ours.
    let other = comms::village_feed(db, &elsewhere.code).await.unwrap();
    let other: Vec<Uuid> = other.items.iter().map(|i| i.id).collect();
    assert!(other.contains(&other_commune) && other.contains(&other_village));
    assert!(!other.contains(&in_village) && !other.contains(&in_commune));
}
