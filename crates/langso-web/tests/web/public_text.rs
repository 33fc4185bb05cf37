//! What the public reads is safe to publish: Open311 and the reporter's status page mask phone
//! numbers, e-mail addresses and ID numbers and keep officers' notes and the assignee internal
//! unless a note is marked public; Open311 XML and Atom stay well-formed whatever was written.

use langso_app::Actor;
use langso_app::comms::{self, NewAnnouncement};
use langso_domain::public_text::xml_allowed;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Value, json};

use crate::support::TestApp;

/// Parses `xml` to its end with quick-xml (matching end tags, one root) and checks that no
/// character XML 1.0 forbids is in it, raw or as a character reference.
pub(crate) fn assert_well_formed(xml: &str) {
    let bad: Vec<char> = xml.chars().filter(|c| !xml_allowed(*c)).collect();
    assert!(bad.is_empty(), "forbidden characters {bad:?} in {xml:?}");
    let mut reader = Reader::from_str(xml);
    let (mut depth, mut roots) = (0usize, 0usize);
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
            }
            Ok(Event::Empty(_)) if depth == 0 => roots += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::GeneralRef(r)) => {
                if let Some(c) = r.resolve_char_ref().expect("character reference") {
                    assert!(xml_allowed(c), "&#{};", c as u32);
                }
            }
            Ok(Event::Text(t)) if depth == 0 => {
                let text: &str = t.as_ref();
                assert!(text.trim().is_empty(), "text outside the root");
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed at {}: {e}\n{xml}",
                reader.buffer_position()
            ),
        }
    }
    assert_eq!((depth, roots), (0, 1), "one root, closed");
}

async fn post(app: &TestApp, fmt: &str, form: &[(&str, &str)], from: &str) -> (u16, String) {
    let response = app
        .client
        .post(format!("{}/open311/v2/requests.{fmt}", app.base))
        .header("x-forwarded-for", from)
        .form(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn trusting() -> langso_web::Settings {
    langso_web::Settings {
        trust_forwarded: true,
        ..langso_web::Settings::default()
    }
}

#[tokio::test]
async fn public_text_is_masked_and_officers_notes_stay_internal() {
    let app = TestApp::with_settings(trusting()).await;
    let (status, body) = post(
        &app,
        "json",
        &[
            ("service_code", "solar_light"),
            ("lat", "21.2"),
            ("long", "105.7"),
            (
                "description",
                "Đèn cột số 12 tắt từ 01/12/2026. Gọi 0912 345 678 hoặc lan.nguyen@gmail.com, CCCD 001099012345",
            ),
            ("address_string", "Số 5 ngõ 34, SĐT 0243.856.1234"),
            ("first_name", "Lan"),
            ("phone", "0987654321"),
            ("attribute[unit]", "09805-T01"),
        ],
        "10.1.0.1",
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    let id = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = created[0]["token"].as_str().unwrap().to_owned();

    let session = app
        .login("truongthon", langso_app::demo::DEMO_PASSWORD)
        .await;
    for (to, note, public) in [
        ("assigned", "Gọi anh Hùng 0977 111 222 trước khi đến", false),
        (
            "in_progress",
            "Đã thay bóng; hỏi thêm: hotro@langso.vn",
            true,
        ),
    ] {
        let response = app
            .client
            .post(format!("{}/api/v1/work-orders/{id}/transition", app.base))
            .header("cookie", session.header())
            .header("x-csrf-token", &session.csrf)
            .json(&json!({"status": to, "assignee": "Anh Hùng điện", "note": note, "public_note": public}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "→ {to}");
    }

    let request: Value = app.json(&format!("/open311/v2/requests/{id}.json")).await;
    let description = request[0]["description"].as_str().unwrap();
    let address = request[0]["address"].as_str().unwrap();
    assert!(
        description.starts_with("Đèn cột số 12 tắt từ 01/12/2026."),
        "{description}"
    );
    assert_eq!(address, "Số 5 ngõ 34, SĐT ****.***.****");
    assert!(request[0]["agency_responsible"].is_null());
    let (_, xml) = app.text("/open311/v2/requests.xml").await;
    assert_well_formed(&xml);
    let (status, page) = app.text(&format!("/bao-hong/{token}")).await;
    assert_eq!(status, 200);
    for published in [description, &xml, &page] {
        for secret in [
            "345 678",
            "lan.nguyen",
            "001099012345",
            "856.1234",
            "0987654321",
            "0977 111",
            "Anh Hùng",
            "hotro@",
        ] {
            assert!(!published.contains(secret), "{secret} in {published}");
        }
    }
    assert!(page.contains("Đã thay bóng; hỏi thêm: ***@***"), "{page}");
    assert!(
        !page.contains("trước khi đến"),
        "an internal note is not public"
    );

    // The officer still reads everything.
    let response = app
        .client
        .get(format!("{}/work-orders/{id}", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let officer_page = response.text().await.unwrap();
    assert!(officer_page.contains("0912 345 678") && officer_page.contains("trước khi đến"));
    assert!(officer_page.contains("Anh Hùng điện"));
}

#[tokio::test]
async fn a_vertical_tab_breaks_neither_open311_nor_a_village_feed() {
    let app = TestApp::with_settings(trusting()).await;
    let (status, xml) = post(
        &app,
        "xml",
        &[
            ("service_code", "other"),
            ("address_string", "Ngõ 3\u{b}thôn Đông"),
            ("description", "Cột\u{b}đổ \u{0}\u{FFFE} &#x0; <b>"),
        ],
        "10.2.0.1",
    )
    .await;
    assert_eq!(status, 201, "{xml}");
    assert_well_formed(&xml);
    let (status, list) = app.text("/open311/v2/requests.xml").await;
    assert_eq!(status, 200);
    assert_well_formed(&list);
    assert!(list.contains("Cột đổ") && list.contains("&amp;#x0; &lt;b&gt;"));

    let village = langso_app::units::by_code(app.db(), "09805-T01", langso_app::today())
        .await
        .unwrap();
    comms::create_announcement(
        app.db(),
        &Actor::system("test"),
        &NewAnnouncement {
            unit_id: Some(village.id),
            title: "Lịch\u{b}cắt điện".into(),
            body: "Thứ Năm\u{c} 8 giờ\u{FFFF}".into(),
            category: "guidance".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (status, atom) = app.text("/v/09805-T01/feed.atom").await;
    assert_eq!(status, 200);
    assert_well_formed(&atom);
    assert!(atom.contains("Lịch cắt điện"), "{atom}");
}

/// Text of every kind a hostile client might send: any Unicode, C0 controls, the
/// non-characters, and escapes that look like lone surrogates or forbidden references.
fn hostile_text() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        any::<String>(),
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('?').to_string()),
        prop::sample::select(vec![
            "\u{FFFE}",
            "\u{FFFF}",
            "\u{FFFD}",
            "\\ud800",
            "\\uDFFF",
            "&#xD800;",
            "&#0;",
            "&#x1F;",
            "%ED%A0%80",
            "]]>",
            "<![CDATA[",
            "</request>",
            "&amp;",
            "\u{85}",
            "\u{2028}",
            "0912 345 678",
            "a@b.vn",
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec(fragment, 1..8).prop_map(|parts| parts.concat())
}

/// Whatever is submitted, every public XML document still parses: the Open311 reply to the
/// post, the request, the list, and the village's Atom feed.
#[test]
fn public_xml_stays_well_formed_whatever_was_submitted() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = runtime.block_on(TestApp::with_settings(trusting()));
    let village = runtime
        .block_on(langso_app::units::by_code(
            app.db(),
            "09805-T01",
            langso_app::today(),
        ))
        .unwrap();
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let case = std::sync::atomic::AtomicU32::new(0);
    runner
        .run(
            &(hostile_text(), hostile_text(), hostile_text()),
            |(description, address, name)| {
                let case = case.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                let from = format!(
                    "10.{}.{}.{}",
                    3 + case / 65536,
                    (case / 256) % 256,
                    case % 256
                );
                runtime.block_on(async {
                    let form = [
                        ("service_code", "other"),
                        ("lat", "21.2"),
                        ("long", "105.7"),
                        ("description", description.as_str()),
                        ("address_string", address.as_str()),
                        ("first_name", name.as_str()),
                    ];
                    let (status, reply) = post(&app, "xml", &form, &from).await;
                    assert!(status == 201 || status == 400, "{status}: {reply}");
                    assert_well_formed(&reply);
                    if status == 201 {
                        let id = reply
                            .split("<service_request_id>")
                            .nth(1)
                            .and_then(|r| r.split('<').next())
                            .unwrap_or_default();
                        let (status, one) =
                            app.text(&format!("/open311/v2/requests/{id}.xml")).await;
                        assert_eq!(status, 200);
                        assert_well_formed(&one);
                    }
                    let (_, list) = app.text("/open311/v2/requests.xml").await;
                    assert_well_formed(&list);
                    let posted = comms::create_announcement(
                        app.db(),
                        &Actor::system("test"),
                        &NewAnnouncement {
                            unit_id: Some(village.id),
                            title: name.chars().take(200).collect(),
                            body: description.chars().take(5000).collect(),
                            category: "guidance".into(),
                            ..Default::default()
                        },
                    )
                    .await;
                    assert!(
                        !matches!(
                            posted,
                            Err(langso_app::AppError::Internal(_) | langso_app::AppError::Store(_))
                        ),
                        "{posted:?}"
                    );
                    let (status, atom) = app.text("/v/09805-T01/feed.atom").await;
                    assert_eq!(status, 200);
                    assert_well_formed(&atom);
                });
                Ok(())
            },
        )
        .unwrap();
}
