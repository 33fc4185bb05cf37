//! Redirect targets stay on the site: the language switch's `back` and the login's `next`
//! send anything but a plain local path home, and no target, however odd, gets a 500.

use langso_domain::public_text::same_site_path;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::support::{TestApp, hidden, set_cookie};

/// Hostile targets as they arrive in a query string (percent-encoded).
const HOSTILE: [&str; 12] = [
    "%2F%2Fevil.example",
    "%2F%5Cevil.example",
    "%5C%5Cevil.example",
    "https%3A%2F%2Fevil.example%2F",
    "javascript%3Aalert(1)",
    "%2F%09%2Fevil.example",
    "%2F%0A%2Fevil.example",
    "%2Fa%0D%0ASet-Cookie%3A%20x%3D1",
    "%2F%00",
    "%2F%7F",
    "%2F%C4%91",
    "evil.example",
];

async fn location(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, location)
}

#[tokio::test]
async fn the_language_switch_returns_only_to_local_paths() {
    let app = TestApp::with_demo().await;
    let (status, kept) = location(&app, "/lang/en?back=%2Fhouseholds%3Funit%3D1").await;
    assert_eq!((status, kept.as_str()), (303, "/households?unit=1"));
    for back in HOSTILE {
        let (status, target) = location(&app, &format!("/lang/en?back={back}")).await;
        assert_eq!((status, target.as_str()), (303, "/"), "back={back}");
    }
}

#[tokio::test]
async fn login_follows_only_local_paths() {
    let app = TestApp::with_demo().await;
    for next in HOSTILE {
        let (status, page) = app.text(&format!("/login?next={next}")).await;
        assert_eq!(status, 200, "next={next}");
        assert_eq!(hidden(&page, "next"), "/", "next={next}");
    }
    let decoded = [
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/a\r\nSet-Cookie: x=1",
    ];
    for next in decoded {
        let form = app.get("/login").await;
        let csrf_cookie = set_cookie(&form, "langso_csrf").unwrap_or_default();
        let csrf = hidden(&form.text().await.unwrap(), "csrf");
        let response = app
            .client
            .post(format!("{}/login", app.base))
            .header("cookie", format!("langso_csrf={csrf_cookie}"))
            .form(&[
                ("login", "truongthon"),
                ("password", langso_app::demo::DEMO_PASSWORD),
                ("csrf", &csrf),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "next={next:?}");
        assert_eq!(response.headers()["location"], "/", "next={next:?}");
    }
}

/// Any `back` at all: a redirect to where [`same_site_path`] says, never a server error.
#[test]
fn any_back_target_redirects_without_a_server_error() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = runtime.block_on(TestApp::with_demo());
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let target = prop_oneof![
        any::<String>(),
        "/[ -~\\t\\n\\r\\u{0}\\u{7f}\\u{85}đ]{0,20}",
        "[/\\\\]{1,3}[a-z.:]{0,12}",
    ];
    runner
        .run(&target, |back| {
            let query = percent_encode(&back);
            let (status, target) =
                runtime.block_on(location(&app, &format!("/lang/vi?back={query}")));
            prop_assert_eq!(status, 303, "back={:?}", back);
            prop_assert_eq!(target.as_str(), same_site_path(&back), "back={:?}", back);
            Ok(())
        })
        .unwrap();
}

/// Percent-encodes every byte but unreserved ASCII, so the server decodes exactly `text`.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
