//! Announcements aimed, over HTTP and without JavaScript (issue 17, items 2, 3 and 5): the
//! composer's GET search narrows the target list, the preview renders per channel (HTML with
//! raw HTML dropped, the SMS with its segments, the Zalo copy), two villages picked get one ZNS
//! and one SMS message per consenting household once, the page shows per-recipient status in
//! words with numbers masked; the radio schedule is valid iCalendar and Atom and lists the
//! broadcast; the pages fit a 360-px phone.

use langso_app::demo::DEMO_PASSWORD;
use uuid::Uuid;

use crate::comms::parse_xml;
use crate::support::{Session, TestApp};

async fn get(app: &TestApp, who: &Session, path: &str) -> (u16, String) {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .header("cookie", who.header())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn post(
    app: &TestApp,
    who: &Session,
    path: &str,
    form: &[(&str, String)],
) -> reqwest::Response {
    let mut pairs: Vec<(&str, String)> = vec![("csrf", who.csrf.clone())];
    pairs.extend(form.iter().cloned());
    app.client
        .post(format!("{}{path}", app.base))
        .header("cookie", who.header())
        .form(&pairs)
        .send()
        .await
        .unwrap()
}

/// The `value` of every checkbox named `target` on the composer.
fn target_values(page: &str) -> Vec<String> {
    page.split("name=\"target\" id=\"t-")
        .skip(1)
        .filter_map(|part| {
            part.split("value=\"")
                .nth(1)?
                .split('"')
                .next()
                .map(str::to_owned)
        })
        .collect()
}

#[tokio::test]
async fn two_villages_picked_without_script_are_messaged_once_and_followed_per_recipient() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let commune = langso_app::units::by_code(app.db(), "09817", langso_app::today())
        .await
        .unwrap();
    let (status, page) = get(
        &app,
        &officer,
        &format!("/announcements/new?unit={}", commune.id),
    )
    .await;
    assert_eq!(status, 200);
    let all = target_values(&page);
    assert!(all.len() > 3, "{page}");
    // A search narrows the list; picked ones stay (as a GET, no script).
    let (_, narrowed) = get(
        &app,
        &officer,
        &format!(
            "/announcements/new?unit={}&q=zzzz-none&target={}",
            commune.id, all[1]
        ),
    )
    .await;
    let shown = target_values(&narrowed);
    assert_eq!(shown, vec![all[1].clone()], "only the chosen one is left");
    assert!(narrowed.contains(&format!(
        "<input type=\"hidden\" name=\"target\" value=\"{}\">",
        all[1]
    )));
    let villages: Vec<String> = all
        .iter()
        .filter(|v| v.starts_with("unit:") && **v != format!("unit:{}", commune.id))
        .take(2)
        .cloned()
        .collect();
    let mut form = vec![
        ("unit", commune.id.to_string()),
        ("title", "Họp dân chuyển đổi số".to_owned()),
        (
            "body",
            "**Tối thứ Bảy** tại nhà văn hóa.\n\n<script>alert(1)</script>[x](javascript:alert(1))"
                .to_owned(),
        ),
        ("category", "event".to_owned()),
        ("channel", "feed".to_owned()),
        ("channel", "zns".to_owned()),
        ("channel", "sms".to_owned()),
        ("channel", "email".to_owned()),
    ];
    for v in &villages {
        form.push(("target", v.clone()));
    }
    // The preview: the page's HTML safe, the SMS with its segments, the Zalo copy.
    let mut preview = form.clone();
    preview.push(("action", "preview".to_owned()));
    let response = post(&app, &officer, "/announcements/new", &preview).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains("<strong>Tối thứ Bảy</strong>"));
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("href=\"javascript"));
    assert!(page.contains("📢 HỌP DÂN CHUYỂN ĐỔI SỐ"));
    assert!(page.contains("tin · có dấu tiếng Việt"), "segments shown");
    // Sent: published at once (the officer approves).
    form.push(("action", "send".to_owned()));
    let response = post(&app, &officer, "/announcements/new", &form).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let id = Uuid::parse_str(location.trim_start_matches("/announcements/")).unwrap();
    let rows = langso_store::comms::messages_of(app.db(), "announcement", id)
        .await
        .unwrap();
    let zns = rows.iter().filter(|m| m.channel == "zns").count();
    let sms = rows.iter().filter(|m| m.channel == "sms").count();
    assert!(zns > 0);
    assert_eq!(zns, sms);
    // Deciding again changes nothing.
    let again = post(
        &app,
        &officer,
        &format!("/announcements/{id}/decision"),
        &[("approve", "1".into())],
    )
    .await;
    assert_ne!(again.status(), 303);
    assert_eq!(
        langso_store::comms::messages_of(app.db(), "announcement", id)
            .await
            .unwrap()
            .len(),
        rows.len()
    );
    // The page tells each recipient's status in words, numbers masked for a viewer without PII.
    let member = app.login("xem", DEMO_PASSWORD).await;
    let (status, page) = get(&app, &member, &location).await;
    assert_eq!(status, 200);
    assert!(page.contains("Theo người nhận"), "{page}");
    assert!(page.contains("đang chờ gửi"));
    assert!(!page.contains("số lần gửi 0"));
    assert!(page.contains("đã đăng lên bảng tin thôn"));
    assert!(page.contains("*****"), "phones masked");
    assert!(page.contains("id=\"zalo-text\""));
    let (status, _) = get(&app, &officer, &format!("{location}?page=2")).await;
    assert_eq!(status, 200);
    let card = app
        .client
        .get(format!("{}{location}/zalo-card.png", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap();
    assert_eq!(card.headers()["content-type"], "image/png");
    assert!(card.bytes().await.unwrap().starts_with(b"\x89PNG"));
}

/// Checks an iCalendar text as RFC 5545 writes it: CRLF lines of at most 75 octets, folded
/// lines starting with a space, BEGIN/END balanced, each event with its required properties.
fn check_ics(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"));
    let mut unfolded: Vec<String> = Vec::new();
    for line in ics.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(line.len() <= 75, "{line}");
        assert!(!line.contains('\n') && !line.contains('\r'));
        if let Some(rest) = line.strip_prefix(' ') {
            unfolded.last_mut().unwrap().push_str(rest);
        } else {
            unfolded.push(line.to_owned());
        }
    }
    let mut stack = Vec::new();
    for line in &unfolded {
        if let Some(name) = line.strip_prefix("BEGIN:") {
            stack.push(name.to_owned());
        } else if let Some(name) = line.strip_prefix("END:") {
            assert_eq!(stack.pop().as_deref(), Some(name));
        } else {
            assert!(line.contains(':'), "{line}");
        }
    }
    assert!(stack.is_empty());
    assert_eq!(unfolded[0], "BEGIN:VCALENDAR");
    assert!(unfolded.contains(&"VERSION:2.0".to_owned()));
    unfolded
}

#[tokio::test]
async fn the_radio_schedule_is_valid_ics_and_atom_and_lists_the_broadcast() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let commune = langso_app::units::by_code(app.db(), "09817", langso_app::today())
        .await
        .unwrap();
    let tomorrow = (time::OffsetDateTime::now_utc().to_offset(langso_domain::locale::VIETNAM)
        + time::Duration::days(1))
    .weekday()
    .number_from_monday();
    let added = post(
        &app,
        &officer,
        "/radio/slots",
        &[
            ("unit", commune.id.to_string()),
            ("weekday", tomorrow.to_string()),
            ("time", "06:30".into()),
        ],
    )
    .await;
    assert_eq!(added.status(), 303);
    let (status, page) = get(
        &app,
        &officer,
        &format!("/announcements/new?unit={}", commune.id),
    )
    .await;
    assert_eq!(status, 200);
    let at: String = page
        .split("name=\"radio_at\" id=\"ra-")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let response = post(
        &app,
        &officer,
        "/announcements/new",
        &[
            ("unit", commune.id.to_string()),
            ("title", "Bão số 3, sơ tán; khẩn".into()),
            (
                "body",
                format!(
                    "Bà con {} chú ý sơ tán.\n\nXem [hướng dẫn](/huong-dan/vneid)",
                    "ở vùng trũng ".repeat(12)
                ),
            ),
            ("category", "emergency".into()),
            ("channel", "feed".into()),
            ("channel", "radio".into()),
            ("radio_priority", "emergency".into()),
            ("radio_at", at.clone()),
            ("action", "send".into()),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (_, script) = get(&app, &officer, &format!("{location}/radio-script")).await;
    assert!(script.contains("khẩn cấp") && script.contains("sơ tán"));
    assert!(
        !script.contains("/huong-dan/vneid"),
        "links read by their words"
    );

    let ics = app
        .client
        .get(format!("{}/dai-truyen-thanh/09817/lich.ics", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ics.status(), 200);
    assert!(
        ics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let lines = check_ics(&ics.text().await.unwrap());
    assert!(
        lines.contains(&"SUMMARY:Bão số 3\\, sơ tán\\; khẩn".to_owned()),
        "{lines:?}"
    );
    assert!(lines.contains(&"PRIORITY:1".to_owned()));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("DTSTART:") && l.ends_with('Z'))
    );

    let atom = app
        .client
        .get(format!("{}/dai-truyen-thanh/09817/lich.atom", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(atom.status(), 200);
    let elements = parse_xml(&atom.text().await.unwrap());
    let titles: Vec<&str> = elements
        .iter()
        .filter(|e| e.path == "/feed/entry/title")
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(titles.len(), 1);
    assert!(titles[0].contains("Bão số 3"));
    for required in [
        "/feed/id",
        "/feed/title",
        "/feed/updated",
        "/feed/entry/id",
        "/feed/entry/updated",
    ] {
        assert!(elements.iter().any(|e| e.path == required), "{required}");
    }
    // The officer's radio page lists it; an unknown commune has no schedule.
    let (_, page) = get(&app, &officer, &format!("/radio?unit={}", commune.id)).await;
    assert!(page.contains("Bão số 3"));
    let missing = app
        .client
        .get(format!("{}/dai-truyen-thanh/99999/lich.ics", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_composer_and_an_announcement_fit_a_360px_phone() {
    let Some(driver) = crate::browser::start_driver() else {
        eprintln!(
            "SKIPPED: chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let app = TestApp::with_demo().await;
    let commune = langso_app::units::by_code(app.db(), "09817", langso_app::today())
        .await
        .unwrap();
    let (id, _) = {
        let row = langso_app::comms::create_announcement(
            app.db(),
            &langso_app::Actor::system("t"),
            &langso_app::comms::NewAnnouncement {
                unit_id: Some(commune.id),
                title: "Thông báo dài để thử màn hình điện thoại 360 điểm ảnh".into(),
                body: "Nội dung https://dichvucong.gov.vn/p/home/dvc-trang-chu.html rất dài".into(),
                category: "event".into(),
                channels: vec!["feed".into(), "sms".into(), "zalo".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
        (row.id, ())
    };
    let client = crate::browser::phone(&driver).await;
    let composer = format!("/announcements/new?unit={}", commune.id);
    crate::browser::log_in(&client, &app.base, "canbo.odien", &composer).await;
    for next in [composer.clone(), format!("/announcements/{id}")] {
        client.goto(&format!("{}{next}", app.base)).await.unwrap();
        client
            .wait()
            .for_element(fantoccini::Locator::Css("main h1"))
            .await
            .unwrap();
        let width = client
            .execute("return document.documentElement.scrollWidth", vec![])
            .await
            .unwrap();
        assert!(
            width.as_i64().unwrap() <= 360,
            "{next} fits 360 px: {width}"
        );
    }
    client.close().await.unwrap();
}
