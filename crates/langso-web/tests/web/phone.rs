//! Every signed-in page on a 360-px phone, as every demo role: nothing scrolls sideways
//! (`scrollWidth ≤ 360`) and every control is at least 44 px tall, in headless Chromium: the pages of [`walk`]. Skipped, saying so, only
//! without chromedriver.

use fantoccini::Client;

use crate::browser::{log_in, phone, start_driver};
use crate::support::TestApp;
use crate::walk;

const ROLES: &[&str] = &["admin", "canbo.odien", "truongthon", "tothanhvien", "xem"];

/// The page's width and, when too wide, the first elements that stick out.
pub(crate) async fn width(client: &Client) -> (i64, String) {
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

/// Controls smaller than a finger (44 × 44 CSS px, WCAG 2.5.5): buttons, fields, menus. Links
/// inside running text are exempt, as the guideline allows; the menu's links are not.
pub(crate) async fn small_targets(client: &Client) -> String {
    let script = "return [...document.querySelectorAll('button:not(.link), select, textarea, summary, a.button, a.lang, nav a, input:not([type=hidden]):not([type=checkbox]):not([type=radio])')]
        .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.height < 43.5; })
        .map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().height) + 'px').slice(0, 5).join(' ')";
    let small = client.execute(script, vec![]).await.unwrap();
    small.as_str().unwrap_or_default().to_owned()
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
        for page in walk::pages(&client, &app.base).await {
            client.goto(&format!("{}{page}", app.base)).await.unwrap();
            seen += 1;
            let (width, wide) = width(&client).await;
            if width > 360 {
                too_wide.push(format!("{role} {page}: {width} px ({wide})"));
            }
            let small = small_targets(&client).await;
            if !small.is_empty() {
                too_wide.push(format!("{role} {page}: targets under 44 px: {small}"));
            }
        }
    }
    client.close().await.unwrap();
    assert!(seen > 150, "only {seen} pages were opened");
    assert!(
        too_wide.is_empty(),
        "wider than 360 px or too small to touch:\n{}",
        too_wide.join("\n")
    );
}
