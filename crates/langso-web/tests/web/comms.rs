//! Communications over HTTP: a commune team member's announcement waits for the officer,
//! then reaches every village feed; the Atom feed parses as XML with the elements RFC 4287
//! requires; the short link counts opens; the how-to library carries a QR and a share link.

use std::collections::BTreeSet;

use langso_app::Actor;
use langso_app::auth::{self, NewAccount};
use langso_domain::auth::Role;
use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::support::{Session, TestApp};

const PASSWORD: &str = "mật khẩu thử nghiệm";

/// One element of an Atom document: its path, attributes and text.
#[derive(Debug, Default, Clone)]
pub(crate) struct Element {
    pub(crate) path: String,
    pub(crate) attributes: Vec<(String, String)>,
    pub(crate) text: String,
}

/// Parses the whole document (quick-xml checks that every end tag matches its start) into
/// elements with their text, entities resolved.
pub(crate) fn parse_xml(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut done = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                let parent = stack.last().map(|p| p.path.clone()).unwrap_or_default();
                stack.push(Element {
                    path: format!("{parent}/{name}"),
                    attributes: e
                        .attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            (a.key.as_ref().to_string(), a.value.to_string())
                        })
                        .collect(),
                    text: String::new(),
                });
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                let parent = stack.last().map(|p| p.path.clone()).unwrap_or_default();
                done.push(Element {
                    path: format!("{parent}/{name}"),
                    attributes: e
                        .attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            (a.key.as_ref().to_string(), a.value.to_string())
                        })
                        .collect(),
                    text: String::new(),
                });
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(t.as_ref());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.as_ref() {
                    "amp" => "&".to_owned(),
                    "lt" => "<".to_owned(),
                    "gt" => ">".to_owned(),
                    "quot" => "\"".to_owned(),
                    "apos" => "'".to_owned(),
                    _ => r.resolve_char_ref().unwrap().unwrap().to_string(),
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&resolved);
                }
            }
            Event::End(_) => {
                let element = stack.pop().expect("balanced");
                done.push(element);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed elements");
    done
}

async fn person(app: &TestApp, login: &str, role: Role, unit: &str) -> Session {
    let unit = langso_app::units::by_code(app.db(), unit, langso_app::today())
        .await
        .unwrap();
    auth::create_user(
        app.db(),
        &Actor::system("test"),
        &NewAccount {
            login: login.to_owned(),
            display_name: "Thử nghiệm".to_owned(),
            password: PASSWORD.to_owned(),
            role,
            unit_id: unit.id,
            pii: false,
        },
    )
    .await
    .unwrap();
    app.login(login, PASSWORD).await
}

#[tokio::test]
async fn a_commune_announcement_is_approved_then_in_every_feed_and_valid_atom() {
    let app = TestApp::with_demo().await;
    let member = person(&app, "cnscd.odien", Role::TeamMember, "09817").await;
    let officer = person(&app, "canbo.thu", Role::Officer, "09817").await;
    let commune = langso_app::units::by_code(app.db(), "09817", langso_app::today())
        .await
        .unwrap();
    let created = app
        .client
        .post(format!("{}/api/v1/announcements", app.base))
        .header("cookie", member.header())
        .header("x-csrf-token", &member.csrf)
        .json(&json!({
            "unit_id": commune.id,
            "title": "Cắt điện & sửa đường dây <thôn>",
            "body": "**Thứ Năm** từ 7h.\n- Chuẩn bị đèn\n<script>alert(1)</script>",
            "category": "emergency",
            "link": "/huong-dan/vssid"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["status"], "pending");
    let id = created["id"].as_str().unwrap().to_owned();
    let (_, feed) = app.text("/v/09805-T01/feed").await;
    assert!(!feed.contains("Cắt điện"), "not public before approval");

    // The officer sees the decision buttons and approves through the page.
    let page = app
        .client
        .get(format!("{}/announcements/{id}", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("/announcements/{id}/decision")));
    let decided = app
        .client
        .post(format!("{}/announcements/{id}/decision", app.base))
        .header("cookie", officer.header())
        .form(&[("csrf", officer.csrf.as_str()), ("approve", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status(), 303);

    // Every village of the commune shows it; the body's markup is escaped.
    let detail = app
        .client
        .get(format!("{}/api/v1/announcements/{id}", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(detail["announcement"]["status"], "published");
    let villages: Vec<String> = detail["villages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert!(villages.len() > 3 && villages.contains(&"09805-T01".to_owned()));
    for code in &villages {
        let (status, feed) = app.text(&format!("/v/{code}/feed")).await;
        assert_eq!(status, 200);
        assert!(
            feed.contains("Cắt điện &#38; sửa đường dây &#60;thôn&#62;"),
            "{code}"
        );
        assert!(feed.contains("<strong>Thứ Năm</strong>"));
        assert!(!feed.contains("<script>alert"));
        assert!(feed.len() < 50_000, "a public page stays small");
    }

    // The Atom feed: well-formed, with the elements RFC 4287 requires.
    let response = app.get("/v/09805-T01/feed.atom").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let xml = response.text().await.unwrap();
    let elements = parse_xml(&xml);
    let one = |path: &str| {
        let found: Vec<&Element> = elements.iter().filter(|e| e.path == path).collect();
        assert_eq!(found.len(), 1, "exactly one {path}");
        found[0].clone()
    };
    assert!(one("/feed/id").text.starts_with("urn:uuid:"));
    assert!(!one("/feed/title").text.is_empty());
    OffsetDateTime::parse(&one("/feed/updated").text, &Rfc3339).unwrap();
    assert!(!one("/feed/author/name").text.is_empty());
    assert!(
        elements.iter().any(
            |e| e.path == "/feed/link" && e.attributes.contains(&("rel".into(), "self".into()))
        )
    );
    let entries = elements.iter().filter(|e| e.path == "/feed/entry").count();
    assert!(entries >= 1);
    let mut ids = BTreeSet::new();
    for path in ["id", "title", "updated", "content"] {
        let found: Vec<&Element> = elements
            .iter()
            .filter(|e| e.path == format!("/feed/entry/{path}"))
            .collect();
        assert_eq!(found.len(), entries, "every entry has one {path}");
        for e in found {
            match path {
                "id" => assert!(ids.insert(e.text.clone()) && e.text.starts_with("urn:uuid:")),
                "updated" => {
                    OffsetDateTime::parse(&e.text, &Rfc3339).unwrap();
                }
                _ => {}
            }
        }
    }
    assert!(ids.contains(&format!("urn:uuid:{id}")));
    let ours = elements
        .iter()
        .find(|e| e.path == "/feed/entry/title" && e.text == "Cắt điện & sửa đường dây <thôn>");
    assert!(ours.is_some(), "titles are escaped and come back intact");
    assert!(elements.iter().any(|e| e.path == "/feed/entry/content"
        && e.text.contains("<strong>Thứ Năm</strong>")
        // Raw HTML in a Markdown body is dropped, never passed on.
        && !e.text.contains("<script")));

    // The short link: counted, never cached, nothing about the reader kept.
    let short = detail["announcement"]["short_path"].as_str().unwrap();
    let opened = app.get(short).await;
    assert_eq!(opened.status(), 200);
    assert_eq!(opened.headers()["cache-control"], "no-store");
    assert!(opened.headers().get("set-cookie").is_none());
    let detail = app
        .client
        .get(format!("{}/api/v1/announcements/{id}", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(detail["opens"], 1);
    assert_eq!(detail["channels"][0]["channel"], "feed");
    assert_eq!(detail["channels"][0]["status"], "delivered");
    assert!(detail["reach_groups"].as_i64().unwrap() > 0);

    // Feeds exist only for villages.
    assert_eq!(app.get("/v/09817/feed").await.status(), 404);
    assert_eq!(app.get("/v/KHONG-CO/feed.atom").await.status(), 404);
}

#[tokio::test]
async fn the_guide_library_has_a_qr_and_a_share_link_and_coverage_pages_answer() {
    let app = TestApp::with_demo().await;
    let (status, list) = app.text("/huong-dan").await;
    assert_eq!(status, 200);
    for g in langso_app::comms::GUIDES {
        assert!(list.contains(&format!("/huong-dan/{}", g.slug)));
        let (status, page) = app.text(&format!("/huong-dan/{}", g.slug)).await;
        assert_eq!(status, 200);
        assert!(page.contains("<svg"), "{}: QR", g.slug);
        assert!(page.contains("href=\"sms:?&amp;body="), "{}: share", g.slug);
        assert!(page.len() < 50_000);
    }
    assert_eq!(app.get("/huong-dan/khong-co").await.status(), 404);

    // The village head adds a household to a group from the household's page.
    let head = app
        .login("truongthon", langso_app::demo::DEMO_PASSWORD)
        .await;
    let village = langso_app::units::by_code(app.db(), "09805-T01", langso_app::today())
        .await
        .unwrap();
    let coverage: Value = app
        .client
        .get(format!("{}/api/v1/coverage?unit={}", app.base, village.id))
        .header("cookie", head.header())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let row = &coverage[0];
    let uncovered: Value = app
        .client
        .get(format!(
            "{}/api/v1/coverage/uncovered?unit={}",
            app.base, village.id
        ))
        .header("cookie", head.header())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let uncovered = uncovered.as_array().unwrap().clone();
    assert_eq!(
        row["covered"].as_i64().unwrap() + uncovered.len() as i64,
        row["households"].as_i64().unwrap()
    );
    let groups: Value = app
        .client
        .get(format!("{}/api/v1/groups?unit={}", app.base, village.id))
        .header("cookie", head.header())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let group = groups[0]["id"].as_str().unwrap();
    let household = langso_app::households::list_households(
        app.db(),
        &Actor::system("test"),
        Some(village.id),
        "",
        1,
        0,
    )
    .await
    .unwrap()[0]
        .id;
    let page = app
        .client
        .get(format!("{}/households/{household}", app.base))
        .header("cookie", head.header())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("/households/{household}/groups")));
    let added = app
        .client
        .post(format!("{}/groups/{group}/members", app.base))
        .header("cookie", head.header())
        .form(&[
            ("csrf", head.csrf.as_str()),
            ("household", &household.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 303);
    let roster: Value = app
        .client
        .get(format!("{}/api/v1/households/{household}/groups", app.base))
        .header("cookie", head.header())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(roster.as_array().unwrap().iter().any(|g| g["id"] == group));
    for path in [
        format!("/groups?unit={}", village.id),
        format!("/groups/{group}"),
        format!("/coverage?unit={}", village.id),
        format!("/coverage/uncovered?unit={}", village.id),
        format!("/announcements?unit={}", village.id),
        format!("/announcements/new?unit={}", village.id),
        format!("/households/{household}/groups"),
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.base))
            .header("cookie", head.header())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
}

/// The households in no group are listed a hundred at a time, with a link to the next page,
/// never cut off silently.
#[tokio::test]
async fn the_uncovered_list_is_paged() {
    let app = TestApp::with_demo().await;
    let admin = app.login("admin", "langso-demo").await;
    let root = langso_app::units::by_code(app.db(), "01", langso_app::today())
        .await
        .unwrap();
    let village = langso_store::units::subtree(app.db(), root.id, langso_app::today(), 4)
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.unit.kind.level() == langso_domain::units::Level::Village)
        .map(|n| n.unit.id)
        .unwrap();
    for n in 0..150 {
        let input = langso_app::households::HouseholdInput {
            unit_id: Some(village),
            code: format!("UNC-{n:03}"),
            head_name: "Nguyễn Văn Thử".to_owned(),
            members: 3,
            adults: 2,
            ..Default::default()
        };
        langso_app::households::create_household(app.db(), &Actor::system("test"), &input)
            .await
            .unwrap();
    }
    let all = langso_app::comms::uncovered(app.db(), &Actor::system("test"), root.id, 5000)
        .await
        .unwrap();
    assert!(
        all.len() > 100,
        "the demo has more than a page: {}",
        all.len()
    );
    let fetch = |page: usize| {
        let request = app
            .client
            .get(format!(
                "{}/coverage/uncovered?unit={}&page={page}",
                app.base, root.id
            ))
            .header("cookie", admin.header());
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let rows = |html: &str| html.matches("<a href=\"/households/").count();
    let first = fetch(1).await;
    assert_eq!(rows(&first), 100);
    assert!(first.contains("rel=\"next\""));
    let second = fetch(2).await;
    assert_eq!(rows(&second), (all.len() - 100).min(100));
    assert!(second.contains("rel=\"prev\""));
    assert!(second.contains(&format!("/households/{}/groups\"", all[100].household_id)));
    assert!(!first.contains(&format!("/households/{}/groups\"", all[100].household_id)));
}
