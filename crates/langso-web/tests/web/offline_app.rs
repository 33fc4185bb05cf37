//! The installable round over plain HTTP (issue 18): the manifest in the reader's language,
//! the worker at the root, the round page linking them, the logout form marked for the
//! script, and our scripts' weight on the wire.

use langso_app::demo::DEMO_PASSWORD;

use crate::support::TestApp;

#[tokio::test]
async fn the_round_is_installable_and_its_scripts_are_small_on_the_wire() {
    let app = TestApp::with_demo().await;
    let manifest = app.json("/manifest.webmanifest").await;
    assert_eq!(manifest["start_url"], "/round");
    assert_eq!(manifest["scope"], "/");
    assert_eq!(manifest["lang"], "vi");
    assert_eq!(manifest["name"], "Langso — Vòng thăm hộ");
    assert_eq!(manifest["icons"][0]["src"], "/static/icon.svg");
    assert_eq!(app.get("/static/icon.svg").await.status(), 200);

    // The worker's version follows its sources, and it carries the shared core.
    let (status, worker) = app.text("/sw.js").await;
    assert_eq!(status, 200);
    assert!(
        worker.starts_with("var LANGSO_BUILD = '"),
        "{}",
        &worker[..60]
    );
    assert!(worker.contains("var LO = ") && worker.contains("addEventListener('sync'"));

    // Issue 18: our scripts and worker, as a phone downloads them, under 20 KB together.
    let mut total = 0;
    for path in ["/static/offline-round.js", "/sw.js"] {
        let response = app
            .client
            .get(format!("{}{path}", app.base))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-encoding"], "gzip", "{path}");
        total += response.bytes().await.unwrap().len();
    }
    eprintln!("offline scripts and worker on the wire (gzip): {total} bytes");
    assert!(total < 20 * 1024, "{total} bytes");

    // The round page links the manifest and the script, and gives the script the CSRF token;
    // every signed-in page marks its logout form; the page still works without the script.
    let session = app.login("tothanhvien", DEMO_PASSWORD).await;
    let round = app
        .client
        .get(format!("{}/round", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(round.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#));
    assert!(round.contains(r#"<script src="/static/offline-round.js" defer></script>"#));
    assert!(round.contains(r#"<meta name="csrf-token" content=""#));
    assert!(round.contains("data-offline-logout"));
    assert!(
        round.contains(r#"<section id="offline-round" class="offline" aria-live="polite" hidden>"#)
    );
    assert!(
        round.contains("ul class=\"round\""),
        "the plain round is there"
    );

    // Signed out, no token is put in the page.
    let (_, login) = app.text("/login").await;
    assert!(!login.contains("csrf-token") && !login.contains("offline-round.js"));
}
