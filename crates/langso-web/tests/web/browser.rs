//! The pages that matter, in a real headless Chromium (Debian `chromium` + `chromium-driver`):
//! a team member on a 360-px-wide phone logs in, opens the round and records a visit.
//! Skipped, saying so, only where chromedriver is not installed; CI installs it.

use std::process::Stdio;
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};
use langso_app::demo::DEMO_PASSWORD;
use serde_json::json;

use crate::support::TestApp;

/// A chromedriver child process on a free port, killed on drop.
pub(crate) struct Driver {
    child: std::process::Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start_driver() -> Option<Driver> {
    let path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = std::process::Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    Some(Driver { child, port })
}

#[tokio::test]
async fn a_team_member_records_a_visit_on_a_360px_phone() {
    let Some(driver) = start_driver() else {
        eprintln!(
            "SKIPPED: chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let app = TestApp::with_demo().await;
    let client = phone(&driver).await;
    log_in(&client, &app.base, "tothanhvien", "/round").await;
    client
        .wait()
        .for_element(Locator::Css("ul.round a"))
        .await
        .unwrap();
    if let Ok(png) = client.screenshot().await {
        let _ = std::fs::write(std::env::temp_dir().join("langso-round-360.png"), png);
    }
    let wide = client
        .execute("return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361).map(e => e.tagName + '.' + e.className).slice(0, 5).join(' ')", vec![])
        .await
        .unwrap();
    let width = client
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap();
    assert!(
        width.as_i64().unwrap() <= 360,
        "no sideways scrolling at 360 px: {width} ({wide})"
    );
    client
        .find(Locator::Css("ul.round a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("form.visit"))
        .await
        .unwrap();
    let width = client
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap();
    assert!(
        width.as_i64().unwrap() <= 360,
        "the visit form fits 360 px: {width}"
    );
    if let Ok(png) = client.screenshot().await {
        let _ = std::fs::write(std::env::temp_dir().join("langso-visit-360.png"), png);
    }
    // Choose the highest VNeID level 1 and level 2 counts offered (level 2 is never above
    // level 1), and a help given.
    let level1 = client
        .find_all(Locator::Css("input[name='ind.vneid_1']"))
        .await
        .unwrap();
    client
        .execute(
            "arguments[0].click()",
            vec![serde_json::to_value(level1.last().unwrap()).unwrap()],
        )
        .await
        .unwrap();
    let choices = client
        .find_all(Locator::Css("input[name='ind.vneid_2']"))
        .await
        .unwrap();
    let last = choices.last().unwrap();
    let chosen = last.attr("value").await.unwrap().unwrap();
    client
        .execute(
            "arguments[0].click()",
            vec![serde_json::to_value(last).unwrap()],
        )
        .await
        .unwrap();
    client
        .find(Locator::Css("button.big"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("ol.history li"))
        .await
        .unwrap();
    let history = client
        .find(Locator::Css("ol.history li"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The visit reads in words: the indicator's name and the value chosen, no code or JSON.
    assert!(
        history.contains(&format!("Người lớn có VNeID mức 2: {chosen}")),
        "{history}"
    );
    assert!(
        !history.contains("vneid_2") && !history.contains('{'),
        "{history}"
    );
    client.close().await.unwrap();
}

/// A headless Chromium emulating a 360-px-wide phone, through `driver`.
pub(crate) async fn phone(driver: &Driver) -> fantoccini::Client {
    let profile = tempfile_dir();
    let capabilities = json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "mobileEmulation": {"deviceMetrics": {"width": 360, "height": 780, "pixelRatio": 2.0}},
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--window-size=360,800", format!("--user-data-dir={profile}")]
        }
    });
    for _ in 0..50 {
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(capabilities.as_object().unwrap().clone());
        if let Ok(client) = builder
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            return client;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver does not answer");
}

/// Logs `login` in with the demo password through the login form, going on to `next`.
pub(crate) async fn log_in(client: &fantoccini::Client, base: &str, login: &str, next: &str) {
    client
        .goto(&format!("{base}/login?next={next}"))
        .await
        .unwrap();
    client
        .find(Locator::Id("login"))
        .await
        .unwrap()
        .send_keys(login)
        .await
        .unwrap();
    client
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(DEMO_PASSWORD)
        .await
        .unwrap();
    client
        .find(Locator::Css("form.narrow button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

fn tempfile_dir() -> String {
    let dir = std::env::temp_dir().join(format!("langso-chromium-{}", uuid::Uuid::now_v7()));
    let _ = std::fs::create_dir_all(&dir);
    dir.to_string_lossy().into_owned()
}
