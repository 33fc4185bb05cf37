//! Public outreach events in the village feed page and its Atom feed (issue 8, item 6).

use langso_app::teams::{self, OutreachInput};
use langso_app::{Actor, today};
use time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::comms::parse_xml;
use crate::support::TestApp;

async fn event(app: &TestApp, code: &str, topic: &str, public: bool) -> Uuid {
    let unit = langso_app::units::by_code(app.db(), code, today())
        .await
        .unwrap();
    teams::record_outreach(
        app.db(),
        &Actor::system("test"),
        &OutreachInput {
            unit_id: unit.id,
            kind: "training".into(),
            held_on: today() - Duration::days(1),
            topic: topic.into(),
            attendance: 35,
            public,
        },
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn public_events_show_in_the_feed_page_and_the_atom_feed() {
    let app = TestApp::with_demo().await;
    let village = "09805-T01";
    let commune = langso_store::units::parent_at(
        app.db(),
        langso_app::units::by_code(app.db(), village, today())
            .await
            .unwrap()
            .id,
        today(),
    )
    .await
    .unwrap()
    .unwrap();
    let other_commune = langso_store::units::parent_at(
        app.db(),
        langso_app::units::by_code(app.db(), "09787-T01", today())
            .await
            .unwrap()
            .id,
        today(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_ne!(commune.id, other_commune.id);
    let shown = event(
        &app,
        &commune.code,
        "Tập huấn ví điện tử cho cả xã <VNeID>",
        true,
    )
    .await;
    let hidden = event(&app, village, "Họp nội bộ tổ công nghệ số", false).await;
    let elsewhere = event(&app, &other_commune.code, "Tập huấn ở xã khác hẳn", true).await;

    let (status, page) = app.text(&format!("/v/{village}/feed")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Tập huấn ví điện tử cho cả xã &#60;VNeID&#62;"),
        "the commune's public event, escaped"
    );
    assert!(page.contains(&commune.name));
    assert!(!page.contains("Họp nội bộ tổ công nghệ số"), "not public");
    assert!(!page.contains("Tập huấn ở xã khác hẳn"), "another commune");

    let xml = app
        .get(&format!("/v/{village}/feed.atom"))
        .await
        .text()
        .await
        .unwrap();
    let elements = parse_xml(&xml);
    let ids: Vec<&str> = elements
        .iter()
        .filter(|e| e.path == "/feed/entry/id")
        .map(|e| e.text.as_str())
        .collect();
    assert!(ids.contains(&format!("urn:uuid:{shown}").as_str()));
    assert!(!ids.contains(&format!("urn:uuid:{hidden}").as_str()));
    assert!(!ids.contains(&format!("urn:uuid:{elsewhere}").as_str()));
    assert!(elements.iter().any(
        |e| e.path == "/feed/entry/title" && e.text == "Tập huấn ví điện tử cho cả xã <VNeID>"
    ));
    assert!(elements.iter().any(|e| e.path == "/feed/entry/category"
        && e.attributes.contains(&("term".into(), "event".into()))));
    // Dated by its day, in Vietnam.
    let dated = (today() - Duration::days(1))
        .midnight()
        .assume_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap());
    assert!(elements.iter().any(|e| e.path == "/feed/entry/published"
        && OffsetDateTime::parse(&e.text, &Rfc3339).unwrap() == dated));
    let links: Vec<&str> = elements
        .iter()
        .filter(|e| e.path == "/feed/entry/link")
        .flat_map(|e| e.attributes.iter())
        .filter(|(k, _)| k == "href")
        .map(|(_, v)| v.as_str())
        .collect();
    assert!(
        links
            .iter()
            .any(|l| l.ends_with(&format!("/v/{village}/feed#e-{shown}")))
    );
}
