//! Every officer page of [`walk`] goes out compressed under 20 KB (DESIGN.md: a cheap phone on
//! 3G), for the commune officer of Xã Ô Diên: long lists are paged, maps are their own files.
//! A size, not a time: the same for the same data on every machine.

use crate::support::TestApp;
use crate::walk;

/// The most an officer page may weigh on the wire.
const BUDGET: usize = 20 * 1024;

/// The first link in `html` to a page of `route` (`/teams/{id}`).
fn first_link(html: &str, route: &str) -> Option<String> {
    let (prefix, rest) = route.split_once('{')?;
    let suffix = rest.split_once('}').map_or("", |(_, suffix)| suffix);
    html.split(&format!("href=\"{prefix}"))
        .skip(1)
        .filter_map(|tail| tail.split('"').next())
        .map(|tail| format!("{prefix}{tail}"))
        .find(|href| {
            href.strip_prefix(prefix)
                .and_then(|middle| middle.strip_suffix(suffix))
                .is_some_and(|middle| {
                    !middle.is_empty()
                        && middle
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                })
        })
}

#[tokio::test]
async fn every_officer_page_is_under_20_kb_compressed() {
    let app = TestApp::with_demo().await;
    let session = app.login("canbo.odien", "langso-demo").await;
    let fetch = |path: String, encoding: &'static str| {
        let request = app
            .client
            .get(format!("{}{path}", app.base))
            .header("cookie", session.header())
            .header("accept-encoding", encoding);
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.bytes().await.unwrap())
        }
    };
    let mut pages: Vec<String> = walk::PAGES.iter().map(|p| (*p).to_owned()).collect();
    for (list, route) in walk::DETAILS {
        let (_, html) = fetch((*list).to_owned(), "identity").await;
        if let Some(href) = first_link(&String::from_utf8_lossy(&html), route) {
            pages.push(href);
        }
    }
    let mut heavy = Vec::new();
    for page in &pages {
        let (status, body) = fetch(page.clone(), "br, gzip").await;
        assert!(status < 500, "{page}: {status}");
        if body.len() > BUDGET {
            heavy.push(format!("{page}: {} bytes", body.len()));
        }
    }
    assert!(pages.len() > 30, "only {} pages", pages.len());
    assert!(
        heavy.is_empty(),
        "over 20 KB on the wire:\n{}",
        heavy.join("\n")
    );
}

#[test]
fn a_detail_link_is_found_by_its_route() {
    let html = r#"<a href="/teams/new">x</a><a href="/teams/01a2-b3">y</a>"#;
    assert_eq!(
        first_link(html, "/teams/{id}").as_deref(),
        Some("/teams/new")
    );
    let html = r#"<a href="/procedures/1.0012/history">h</a>"#;
    assert_eq!(
        first_link(html, "/procedures/{code}/history").as_deref(),
        Some("/procedures/1.0012/history")
    );
}
