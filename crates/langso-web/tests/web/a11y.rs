//! An axe-core WCAG 2.1 AA audit of every page a browser test walks ([`walk`]), as the
//! administrator (who sees every screen), and of the residents' pages, in headless Chromium.
//!
//! axe-core is not committed (no third-party code in the tree): `.ci/run` installs it from
//! the npm registry and names it in `LANGSO_AXE`. Without it the test says so and passes
//! outside CI; in CI (`CI` set) a missing axe-core fails.

use fantoccini::Client;
use serde_json::Value;

use crate::browser::{log_in, phone, start_driver};
use crate::support::TestApp;
use crate::walk;

/// Pages residents open without login.
const PUBLIC: &[&str] = &["/login", "/thu-tuc", "/huong-dan", "/bao-hong", "/wifi"];

fn axe_source() -> Option<String> {
    let path = std::env::var("LANGSO_AXE").ok()?;
    std::fs::read_to_string(path).ok()
}

/// The WCAG 2.1 A and AA violations on the current page, one line each with the first nodes.
async fn violations(client: &Client, axe: &str) -> Vec<String> {
    client.execute(axe, vec![]).await.unwrap();
    let script = "const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
          .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
          .catch(e => done(['axe did not run: ' + e]));";
    match client.execute_async(script, vec![]).await.unwrap() {
        Value::Array(found) => found
            .into_iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect(),
        other => vec![format!("unexpected answer {other}")],
    }
}

#[tokio::test]
async fn every_page_passes_an_axe_wcag_21_aa_audit() {
    let Some(axe) = axe_source() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "LANGSO_AXE must name axe.min.js in CI (.ci/run installs it)"
        );
        eprintln!("SKIPPED: set LANGSO_AXE to axe-core's axe.min.js (npm install axe-core)");
        return;
    };
    let Some(driver) = start_driver() else {
        eprintln!("SKIPPED: chromedriver is not installed");
        return;
    };
    let app = TestApp::with_demo().await;
    let client = phone(&driver).await;
    let mut found = Vec::new();
    let mut audited = 0;
    for page in PUBLIC {
        client.goto(&format!("{}{page}", app.base)).await.unwrap();
        audited += 1;
        for violation in violations(&client, &axe).await {
            found.push(format!("{page}: {violation}"));
        }
    }
    log_in(&client, &app.base, "admin", "/").await;
    for page in walk::pages(&client, &app.base).await {
        client.goto(&format!("{}{page}", app.base)).await.unwrap();
        audited += 1;
        for violation in violations(&client, &axe).await {
            found.push(format!("{page}: {violation}"));
        }
    }
    client.close().await.unwrap();
    assert!(audited > 35, "only {audited} pages were audited");
    assert!(found.is_empty(), "axe found:\n{}", found.join("\n"));
}
