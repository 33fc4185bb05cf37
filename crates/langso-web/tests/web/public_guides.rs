//! The resident's side: scanning a QR code, reading a guide, in Vietnamese or English, fast
//! and small, and still answered while the database is busy.

use langso_app::Actor;
use langso_app::procedures::{self, PlaceKind, Placement};
use langso_app::today;

use crate::support::TestApp;

async fn demo_placements(app: &TestApp) -> Vec<Placement> {
    let hanoi = langso_app::units::by_code(app.db(), "01", today())
        .await
        .unwrap();
    procedures::placements_under(app.db(), &Actor::system("test"), hanoi.id)
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

async fn scans(app: &TestApp) -> i64 {
    app.state.scans.flush().await;
    langso_store::procedures::count_scans(app.db())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_scan_is_recorded_without_a_cookie_and_leads_to_the_guide_or_the_list() {
    let app = TestApp::with_demo().await;
    let placements = demo_placements(&app).await;
    let alley = placements
        .iter()
        .find(|p| p.kind == PlaceKind::AlleyEntrance && p.procedures.len() == 1)
        .unwrap();
    let house = placements
        .iter()
        .find(|p| p.kind == PlaceKind::CulturalHouse)
        .unwrap();
    let before = scans(&app).await;

    let response = app.get(&format!("/q/{}", alley.token)).await;
    assert_eq!(response.status(), 302);
    assert_eq!(
        location(&response),
        format!("/thu-tuc/{}", alley.procedures[0])
    );
    assert!(response.headers().get("set-cookie").is_none(), "no cookie");
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );

    let response = app.get(&format!("/q/{}", house.token)).await;
    assert_eq!(
        location(&response),
        format!("/thu-tuc?diem={}", house.token)
    );
    let (status, list) = app.text(&location(&response)).await;
    assert_eq!(status, 200);
    assert!(list.contains(&house.label), "the place is named");
    assert_eq!(list.matches("href=\"/thu-tuc/").count(), 5);
    assert_eq!(scans(&app).await, before + 2);

    // The scan shows in today's analytics of the placement.
    let analytics = procedures::scan_analytics(app.db(), &Actor::system("test"), alley.unit_id, 1)
        .await
        .unwrap();
    let row = analytics
        .placements
        .iter()
        .find(|s| s.placement.id == alley.id)
        .unwrap();
    assert!(row.total >= 1 && row.last_scan == Some(today()));

    assert_eq!(app.get("/q/ZZZZZZZZ").await.status(), 404);
    assert_eq!(app.get("/q/not-a-token").await.status(), 404);
    assert_eq!(
        scans(&app).await,
        before + 2,
        "nothing recorded for unknown tokens"
    );
}

#[tokio::test]
async fn a_guide_is_small_plain_and_bilingual() {
    let app = TestApp::with_demo().await;
    let (status, page) = app.text("/thu-tuc/1.001193").await;
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Đăng ký khai sinh</h1>"));
    assert!(page.contains("Miễn lệ phí khi đăng ký đúng hạn; miễn cho gia đình người có công, hộ nghèo, người khuyết tật; đăng ký quá hạn theo mức HĐND tỉnh quy định"), "the fee verbatim");
    assert!(page.contains(
        "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.001193"
    ));
    assert!(page.contains("VNeID") && page.contains("Liên thông đăng ký khai sinh"));
    assert!(!page.contains("<script"), "no script");
    let (_, css) = app.text("/static/langso.css").await;
    assert!(
        page.len() + css.len() < 50_000,
        "{} bytes",
        page.len() + css.len()
    );

    let (_, marriage) = app.text("/thu-tuc/1.000894").await;
    assert!(
        !marriage.contains("Liên thông"),
        "no linked service for marriage"
    );

    let english = app
        .client
        .get(format!("{}/thu-tuc/1.000656", app.base))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap();
    let english = english.text().await.unwrap();
    assert!(
        english.contains("<html lang=\"en\">") && english.contains("<h1>Death registration</h1>")
    );
    assert!(english.contains("A relative files within 15 days"));
    assert!(
        english.contains("Miễn lệ phí khi đăng ký đúng hạn"),
        "the fee stays verbatim"
    );

    assert_eq!(app.get("/thu-tuc/9.999999").await.status(), 404);
    assert_eq!(app.get("/thu-tuc/x").await.status(), 404);
    let (_, all) = app.text("/thu-tuc").await;
    assert_eq!(all.matches("href=\"/thu-tuc/").count(), 5);
}

#[tokio::test]
async fn guides_and_scans_keep_answering_while_the_database_is_busy() {
    let app = TestApp::with_demo().await;
    let placements = demo_placements(&app).await;
    let alley = placements
        .iter()
        .find(|p| p.kind == PlaceKind::AlleyEntrance && p.procedures.len() == 1)
        .unwrap();
    let before = scans(&app).await;
    // Warm the cache as the first readers would.
    assert_eq!(app.get("/thu-tuc/1.001193").await.status(), 200);
    assert_eq!(app.get(&format!("/q/{}", alley.token)).await.status(), 302);

    // Take every connection of the pool, as a long import would.
    let mut held_sqlite = Vec::new();
    let mut held_postgres = Vec::new();
    match app.db() {
        langso_app::Db::Sqlite(pool, _) => {
            for _ in 0..pool.options().get_max_connections() {
                held_sqlite.push(pool.acquire().await.unwrap());
            }
        }
        langso_app::Db::Postgres(pool) => {
            for _ in 0..pool.options().get_max_connections() {
                held_postgres.push(pool.acquire().await.unwrap());
            }
        }
    }
    let started = std::time::Instant::now();
    let (status, page) = app.text("/thu-tuc/1.001193").await;
    assert_eq!(status, 200);
    assert!(page.contains("Đăng ký khai sinh"));
    let response = app.get(&format!("/q/{}", alley.token)).await;
    assert_eq!(response.status(), 302);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    drop(held_sqlite);
    drop(held_postgres);
    assert_eq!(
        scans(&app).await,
        before + 2,
        "the scan made while busy is committed afterwards"
    );
}
