//! The whole loop an officer and a resident go through: print a demo poster, scan its QR code
//! off the printed page (zbarimg on the PDF rasterised by pdftoppm), follow it to the guide,
//! read the right fee, and see the scan in the analytics. Also the officer's pages.
//! Checks needing zbar-tools or poppler-utils are skipped with a message when those are absent.

use std::process::Command;

use langso_app::Actor;
use langso_app::demo::DEMO_PASSWORD;
use langso_app::procedures::{self, PlaceKind};
use langso_app::today;
use serde_json::Value;

use crate::support::{Session, TestApp};

fn tool(name: &str, package: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    if !found {
        eprintln!(
            "SKIPPED: `{name}` not found; install the Debian package {package} to run this check"
        );
    }
    found
}

async fn get(app: &TestApp, session: &Session, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_printed_poster_scans_to_the_guide_with_the_right_fee_and_counts_in_the_analytics() {
    let app = TestApp::with_demo().await;
    let admin = app.login("admin", DEMO_PASSWORD).await;
    let hanoi = langso_app::units::by_code(app.db(), "01", today())
        .await
        .unwrap();
    let placements = procedures::placements_under(app.db(), &Actor::system("t"), hanoi.id)
        .await
        .unwrap();
    let alley = placements
        .iter()
        .find(|p| p.kind == PlaceKind::AlleyEntrance && p.procedures[0].as_str() == "2.000815")
        .unwrap();

    let response = get(
        &app,
        &admin,
        &format!("/api/v1/placements/{}/poster.pdf", alley.id),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let pdf = response.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("poster.pdf");
    std::fs::write(&path, &pdf).unwrap();

    if tool("pdftotext", "poppler-utils") {
        let out = Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout)
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for expected in [
            "Chứng thực bản sao từ bản chính",
            "2.000 đồng/trang; từ trang thứ ba 1.000 đồng/trang; tối đa 200.000 đồng/bản",
            &alley.label,
            "Đường dây nóng / Hotline: 1022",
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} not in the poster text: {text}"
            );
        }
    }
    let mut scanned_url = format!("{}/q/{}", app.base, alley.token);
    if tool("pdftoppm", "poppler-utils") && tool("zbarimg", "zbar-tools") {
        let prefix = dir.path().join("page");
        assert!(
            Command::new("pdftoppm")
                .args(["-png", "-r", "100"])
                .arg(&path)
                .arg(&prefix)
                .status()
                .unwrap()
                .success()
        );
        let page = dir.path().join("page-1.png");
        let out = Command::new("zbarimg")
            .args(["--quiet", "--raw"])
            .arg(&page)
            .output()
            .unwrap();
        scanned_url = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        assert_eq!(
            scanned_url,
            format!("{}/q/{}", app.base, alley.token),
            "the printed QR reads back"
        );
    }

    let before = procedures::scan_analytics(app.db(), &Actor::system("t"), alley.unit_id, 1)
        .await
        .unwrap();
    let scanned = app.client.get(&scanned_url).send().await.unwrap();
    assert_eq!(scanned.status(), 302);
    let guide_path = scanned.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(guide_path, "/thu-tuc/2.000815");
    let (status, guide) = app.text(&guide_path).await;
    assert_eq!(status, 200);
    assert!(
        guide.contains(
            "2.000 đồng/trang; từ trang thứ ba 1.000 đồng/trang; tối đa 200.000 đồng/bản"
        )
    );

    app.state.scans.flush().await;
    let analytics: Value = get(
        &app,
        &admin,
        &format!("/api/v1/analytics/qr?unit={}&days=1", alley.unit_id),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        analytics["total"].as_i64().unwrap(),
        before.total + 1,
        "{analytics}"
    );
    let row = analytics["placements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["placement"]["id"] == alley.id.to_string())
        .unwrap();
    assert_eq!(row["last_scan"], today().to_string());
}

#[tokio::test]
async fn an_officer_adds_a_placement_prints_the_unit_and_reads_the_analytics() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let o_dien = langso_app::units::by_code(app.db(), "09817", today())
        .await
        .unwrap();

    let (status, page) = {
        let r = get(&app, &officer, "/qr").await;
        (r.status(), r.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(page.contains("Xã Ô Diên") && page.contains("Nhà văn hóa"));

    let form = [
        ("csrf", officer.csrf.as_str()),
        ("unit", &o_dien.id.to_string()),
        ("kind", "billboard"),
        ("label", ""),
        ("latitude", "abc"),
        ("proc.1.001193", "1"),
    ];
    let response = app
        .client
        .post(format!("{}/qr/new", app.base))
        .header("cookie", officer.header())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("error-summary") && page.contains("không phải số"));

    let id = o_dien.id.to_string();
    let form = [
        ("csrf", officer.csrf.as_str()),
        ("unit", &id),
        ("kind", "billboard"),
        ("label", "Pano ngã tư Ô Diên"),
        ("proc.1.001193", "1"),
        ("proc.1.000656", "1"),
    ];
    let response = app
        .client
        .post(format!("{}/qr/new", app.base))
        .header("cookie", officer.header())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let page = get(&app, &officer, &location).await.text().await.unwrap();
    assert!(
        page.contains("Pano ngã tư Ô Diên") && page.contains("<svg"),
        "the QR is shown inline"
    );

    let png = get(
        &app,
        &officer,
        &format!(
            "/api/v1/placements/{}/qr.png?size=256",
            &location["/qr/placements/".len()..]
        ),
    )
    .await;
    assert_eq!(png.headers()["content-type"], "image/png");
    let too_big = get(
        &app,
        &officer,
        &format!(
            "/api/v1/placements/{}/qr.png?size=99999",
            &location["/qr/placements/".len()..]
        ),
    )
    .await;
    assert_eq!(too_big.status(), 422);

    let pdf = get(&app, &officer, "/api/v1/placements/posters.pdf?unit=09817").await;
    assert_eq!(pdf.status(), 200);
    let bytes = pdf.bytes().await.unwrap();
    let placements = procedures::placements_under(app.db(), &Actor::system("t"), o_dien.id)
        .await
        .unwrap();
    if tool("pdfinfo", "poppler-utils") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unit.pdf");
        std::fs::write(&path, &bytes).unwrap();
        let info =
            String::from_utf8(Command::new("pdfinfo").arg(&path).output().unwrap().stdout).unwrap();
        let active = placements.iter().filter(|p| p.active).count();
        assert!(
            info.contains(&format!("Pages:           {active}")),
            "{active} active: {info}"
        );
        assert!(info.contains("A4"), "{info}");
    }

    let analytics = get(
        &app,
        &officer,
        &format!("/qr/analytics?unit={}&days=30", o_dien.id),
    )
    .await;
    assert_eq!(analytics.status(), 200);
    let page = analytics.text().await.unwrap();
    assert!(
        page.contains("<svg") && page.contains("polyline"),
        "charts drawn on the server"
    );
    assert!(page.contains("Không có lượt quét trong 30 ngày"));
    let history = get(&app, &officer, "/procedures/1.001193/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(history.contains("Phiên bản 1"));
}
