//! Every signed-in page on a 360-px phone, as every demo role: nothing scrolls sideways
//! (`scrollWidth ≤ 360`), in headless Chromium. Pages with an id are reached through the first
//! link of their list, as a person would. Skipped, saying so, only without chromedriver.

use fantoccini::Client;
use serde_json::Value;

use crate::browser::{log_in, phone, start_driver};
use crate::support::TestApp;

/// The pages a signed-in person can open from the menu and the lists (forbidden ones answer an
/// error page, which must fit too).
const PAGES: &[&str] = &[
    "/",
    "/units",
    "/account",
    "/dashboard",
    "/dashboard?unit=09817",
    "/progress",
    "/round",
    "/households",
    "/households/import",
    "/teams",
    "/outreach",
    "/criteria",
    "/groups",
    "/announcements",
    "/announcements/new",
    "/coverage",
    "/coverage/uncovered",
    "/assets",
    "/assets/import",
    "/alarms",
    "/work-orders",
    "/qr",
    "/qr/new",
    "/qr/analytics",
    "/admin/users",
    "/webhooks",
    "/audit",
];

/// (list page, the prefix of the links to follow from it).
const DETAILS: &[(&str, &str)] = &[
    ("/units", "/units/"),
    ("/households", "/households/"),
    ("/teams", "/teams/"),
    ("/dashboard?unit=09817", "/villages/"),
    ("/criteria", "/criteria/"),
    ("/groups", "/groups/"),
    ("/announcements", "/announcements/"),
    ("/assets", "/assets/"),
    ("/work-orders", "/work-orders/"),
    ("/qr", "/qr/placements/"),
    ("/admin/users", "/admin/users/"),
];

const ROLES: &[&str] = &["admin", "canbo.odien", "truongthon", "tothanhvien", "xem"];

/// The page's width and, when too wide, the first elements that stick out.
async fn width(client: &Client) -> (i64, String) {
    let width = client
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap_or(i64::MAX);
    let wide = client
        .execute(
            "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 5).join(' ')",
            vec![],
        )
        .await
        .unwrap();
    (width, wide.as_str().unwrap_or_default().to_owned())
}

/// The first link on the current page to a detail page under `prefix` (an id follows it).
async fn first_link(client: &Client, prefix: &str) -> Option<String> {
    let script = format!(
        "return [...document.querySelectorAll('a[href^=\"{prefix}\"]')].map(a => a.getAttribute('href')).find(h => /^{}[0-9a-f-]{{36}}$/.test(h)) || null",
        prefix.replace('/', "\\/")
    );
    match client.execute(&script, vec![]).await.unwrap() {
        Value::String(href) => Some(href),
        _ => None,
    }
}

#[tokio::test]
async fn no_page_scrolls_sideways_on_a_360px_phone_for_any_role() {
    let Some(driver) = start_driver() else {
        eprintln!(
            "SKIPPED: chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let app = TestApp::with_demo().await;
    let client = phone(&driver).await;
    let mut too_wide = Vec::new();
    let mut seen = 0;
    for role in ROLES {
        client.delete_all_cookies().await.unwrap();
        log_in(&client, &app.base, role, "/").await;
        let mut pages: Vec<String> = PAGES.iter().map(|p| (*p).to_owned()).collect();
        for (list, prefix) in DETAILS {
            client.goto(&format!("{}{list}", app.base)).await.unwrap();
            if let Some(href) = first_link(&client, prefix).await {
                if *prefix == "/households/" {
                    pages.push(format!("{href}/visit"));
                    pages.push(format!("{href}/groups"));
                }
                pages.push(href);
            }
        }
        for page in pages {
            client.goto(&format!("{}{page}", app.base)).await.unwrap();
            seen += 1;
            let (width, wide) = width(&client).await;
            if width > 360 {
                too_wide.push(format!("{role} {page}: {width} px ({wide})"));
            }
        }
    }
    client.close().await.unwrap();
    assert!(seen > 150, "only {seen} pages were opened");
    assert!(
        too_wide.is_empty(),
        "wider than 360 px:\n{}",
        too_wide.join("\n")
    );
}
