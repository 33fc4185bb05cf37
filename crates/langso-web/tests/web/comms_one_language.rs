//! Every communications page, officers' and residents', read in English is wholly in English
//! once the data shown as entered (marked `translate="no"`: titles, bodies, names) and the
//! language switch (marked with its own language) are set aside. The data here is Vietnamese, so
//! anything left unmarked would show.

use langso_app::Actor;
use langso_app::auth::{self, NewAccount};
use langso_app::comms::{self, NewAnnouncement, NewGroup, NewWebhook};
use langso_domain::auth::Role;

use crate::support::TestApp;

const PASSWORD: &str = "mật khẩu thử nghiệm";

/// Letters only Vietnamese writes (English pages never need them).
fn vietnamese(c: char) -> bool {
    "àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ"
        .contains(c.to_lowercase().next().unwrap_or(c))
}

/// The text of the page's body, every element marked `translate="no"` or with a language of
/// its own (`lang`, or `hreflang` on the language switch), and every tag taken out.
fn unmarked_text(page: &str) -> String {
    let mut html = page[page.find("<body").unwrap_or(0)..].to_owned();
    let marks = [" translate=\"no\"", " lang=\"", " hreflang=\""];
    while let Some(mark) = marks.iter().filter_map(|m| html.find(m)).min() {
        let start = html[..mark].rfind('<').unwrap();
        let name: String = html[start + 1..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let (open, close) = (format!("<{name}"), format!("</{name}>"));
        let mut depth = 0;
        let mut at = start;
        let end = loop {
            let next_open = html[at + 1..].find(&open).map(|i| i + at + 1);
            let next_close = html[at..].find(&close).map(|i| i + at).unwrap();
            match next_open {
                Some(o) if o < next_close => {
                    depth += 1;
                    at = o;
                }
                _ if depth > 0 => {
                    depth -= 1;
                    at = next_close + 1;
                }
                _ => break next_close + close.len(),
            }
        };
        html.replace_range(start..end, " ");
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn the_check_sets_aside_marked_data_only() {
    let page = "<html lang=\"en\"><head><title>Thôn</title></head><body><p>Groups <span translate=\"no\">Nhóm <b>Đông</b></span> <span>x</span></p><a lang=\"vi\">Tiếng Việt</a>";
    assert_eq!(
        unmarked_text(page).split_whitespace().collect::<Vec<_>>(),
        ["Groups", "x"]
    );
    assert!(unmarked_text("<p>Nhóm</p>").chars().any(vietnamese));
}

#[tokio::test]
async fn comms_pages_in_english_show_no_vietnamese_outside_the_data() {
    let app = TestApp::with_demo().await;
    let system = Actor::system("test");
    let today = langso_app::today();
    let commune = langso_app::units::by_code(app.db(), "09817", today)
        .await
        .unwrap();
    auth::create_user(
        app.db(),
        &system,
        &NewAccount {
            login: "admin.language".to_owned(),
            display_name: "Language check".to_owned(),
            password: PASSWORD.to_owned(),
            role: Role::Admin,
            unit_id: commune.id,
            pii: false,
        },
    )
    .await
    .unwrap();
    let admin = app.login("admin.language", PASSWORD).await;
    let group = comms::create_group(
        app.db(),
        &system,
        &NewGroup {
            unit_id: Some(commune.id),
            platform: "zalo".to_owned(),
            name: "Nhóm Zalo xã Ô Diên".to_owned(),
            link: "https://zalo.me/g/thu".to_owned(),
            admins: "Ông Bình".to_owned(),
        },
    )
    .await
    .unwrap();
    let hook = comms::create_webhook(
        app.db(),
        &system,
        &NewWebhook {
            unit_id: Some(commune.id),
            name: "Cổng SMS xã".to_owned(),
            url: "http://127.0.0.1:9/sms".to_owned(),
            secret: String::new(),
        },
    )
    .await
    .unwrap();
    let announcement = comms::create_announcement(
        app.db(),
        &system,
        &NewAnnouncement {
            unit_id: Some(commune.id),
            title: "Lịch tiêm chủng tháng này".to_owned(),
            body: "**Thứ Năm** tại trạm y tế.\n- Mang sổ tiêm".to_owned(),
            category: "event".to_owned(),
            link: "/huong-dan/vssid".to_owned(),
            indicator: None,
            publish_at: None,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let view = comms::announcement(app.db(), &system, announcement.id)
        .await
        .unwrap();
    let village = &view.villages[0].1;
    let household =
        langso_app::households::list_households(app.db(), &system, Some(commune.id), "", 1, 0)
            .await
            .unwrap()[0]
            .id;
    let unit = commune.id;
    let mut paths = vec![
        format!("/groups?unit={unit}"),
        format!("/groups/{}", group.id),
        format!("/households/{household}/groups"),
        format!("/coverage?unit={unit}"),
        format!("/coverage/uncovered?unit={unit}"),
        format!("/announcements?unit={unit}"),
        format!("/announcements/new?unit={unit}"),
        format!("/announcements/{}", announcement.id),
        format!("/webhooks?unit={unit}"),
        format!("/webhooks/{}", hook.id),
        format!("/v/{village}/feed"),
        format!("/a/{}", announcement.short_code),
        "/huong-dan".to_owned(),
        "/huong-dan/vssid".to_owned(),
        "/thu-tuc".to_owned(),
        "/bao-hong".to_owned(),
        "/wifi".to_owned(),
    ];
    if let Some(guide) = langso_app::procedures::guides(app.db())
        .await
        .unwrap()
        .first()
    {
        paths.push(format!("/thu-tuc/{}", guide.code));
    }
    for path in paths {
        let response = app
            .client
            .get(format!("{}{path}", app.base))
            .header("cookie", format!("{}; lang=en", admin.header()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let page = response.text().await.unwrap();
        assert!(page.contains("<html lang=\"en\">"), "{path}");
        let text = unmarked_text(&page);
        let stray: String = text
            .split_whitespace()
            .filter(|word| word.chars().any(vietnamese))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(stray.is_empty(), "{path}: {stray}");
    }
}
