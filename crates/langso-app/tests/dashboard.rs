//! The dashboard reproduces the source article on the demo, moves with the data, and the
//! monthly report opens with Vietnamese intact. Runs on SQLite, and on PostgreSQL when
//! LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;
use std::process::Command;

use calamine::{Data, Reader, Xlsx};
use langso_app::auth::Grant;
use langso_app::dashboard;
use langso_app::households::HouseholdInput;
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, Db, demo, today};
use langso_domain::auth::Role;
use langso_store::testing::TestDb;

fn op() -> Actor {
    Actor::system("test")
}

async fn person(db: &Db, role: Role, code: &str) -> Actor {
    let unit = langso_app::units::by_code(db, code, today()).await.unwrap();
    Actor::new(
        None,
        format!("{code}:{}", role.as_str()),
        vec![Grant {
            role,
            unit_id: unit.id,
            unit_name: unit.name,
        }],
        false,
    )
}

#[tokio::test]
async fn the_demo_dashboard_reproduces_the_article_and_reports_open() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let district = langso_app::units::by_code(db, "273", demo::DEMO_AS_OF)
        .await
        .unwrap();
    let d = dashboard::dashboard(db, &op(), district.id, demo::DEMO_AS_OF)
        .await
        .unwrap();
    let f = &d.figures;
    assert_eq!(d.name, "Huyện Đan Phượng");
    assert_eq!(d.path, ["Thành phố Hà Nội"]);
    assert_eq!(
        (f.commune_teams, f.village_teams, f.members),
        (16, 129, 1015)
    );
    assert_eq!(
        (f.recognised, f.villages, f.recognised_share),
        (101, 101, 1.0)
    );
    assert_eq!(f.coverage, 1.0, "door to door: every household visited");
    assert_eq!(f.procedures_with_qr, 5);
    // Song Phượng, the last commune by code, held 12; the others 1–3 each.
    assert_eq!(f.conferences, 12 + (0..15).map(|n| 1 + n % 3).sum::<i64>());
    // The article's 569 village groups (comms demo seed).
    assert_eq!(f.groups, 569);
    // The small assets demo: per village one wifi point, three cameras, two solar lights (the
    // full demo adds up to the article's 156, 2,700+ and 1,800+).
    assert_eq!((f.wifi_points, f.cameras, f.solar_lights), (101, 303, 202));
    assert_eq!(d.children.len(), 16);
    assert!(
        d.children
            .iter()
            .all(|c| c.villages > 0 && c.villages == c.recognised)
    );
    // Before the first decisions (2023-06-15) nothing was recognised.
    let early = time::macros::date!(2023 - 01 - 01);
    let before = dashboard::dashboard(db, &op(), district.id, early)
        .await
        .unwrap();
    assert_eq!(
        (before.figures.recognised, before.figures.villages),
        (0, 101)
    );
    // Today the district is gone; its villages sit under three new communes.
    let o_dien = langso_app::units::by_code(db, "09817", today())
        .await
        .unwrap();
    let now = dashboard::dashboard(db, &op(), o_dien.id, today())
        .await
        .unwrap();
    assert!(now.figures.villages > 0 && now.figures.village_teams > 0);
    // A new household moves the figures at once.
    let village = langso_app::units::by_code(db, "09817-T01", today())
        .await
        .unwrap();
    langso_app::households::create_household(
        db,
        &op(),
        &HouseholdInput {
            unit_id: Some(village.id),
            code: "MOI-1".into(),
            head_name: "Nguyễn Văn Mới".into(),
            members: 2,
            adults: 2,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let after = dashboard::dashboard(db, &op(), o_dien.id, today())
        .await
        .unwrap();
    assert_eq!(after.figures.households, now.figures.households + 1);
    assert!(after.figures.coverage < 1.0);
    // Scope: a village head of another commune cannot read it.
    let head = person(db, Role::VillageHead, "09829-T01").await;
    assert!(matches!(
        dashboard::dashboard(db, &head, o_dien.id, today()).await,
        Err(AppError::NotFound)
    ));
    // Charts and the map are SVG with one dot per village.
    let map = dashboard::map_svg(db, &op(), district.id, demo::DEMO_AS_OF)
        .await
        .unwrap();
    assert_eq!(map.matches("<circle").count(), 101 + 4);
    assert!(map.contains("Đã công nhận / recognised (101)"));
    assert!(dashboard::children_chart(&d).contains("Xã Song Phượng"));
    assert!(dashboard::months_chart(&d).contains("<polyline"));
    // Reports: XLSX reads back, PDF text extracts as Vietnamese; both exports audited.
    let viewer = person(db, Role::Viewer, "01").await;
    let xlsx = dashboard::monthly_report_xlsx(db, &viewer, district.id, demo::DEMO_AS_OF)
        .await
        .unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(xlsx)).unwrap();
    assert_eq!(book.sheet_names()[0], "Chỉ tiêu chính");
    let range = book.worksheet_range("Chỉ tiêu chính").unwrap();
    assert_eq!(range.get((0, 0)), Some(&Data::String("Chỉ tiêu".into())));
    assert_eq!(range.get((3, 1)), Some(&Data::Float(1015.0)));
    let pdf = dashboard::monthly_report_pdf(db, &viewer, district.id, demo::DEMO_AS_OF)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bao-cao.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if let Ok(out) = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
    {
        let text = String::from_utf8(out.stdout).unwrap();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Báo cáo tháng 12/2024 — Huyện Đan Phượng",
            "Thành viên tổ CNSCĐ",
            "1.015",
            "Thôn thông minh đã công nhận",
            "Xã Song Phượng",
        ] {
            assert!(flat.contains(expected), "missing {expected:?} in {flat}");
        }
    } else {
        eprintln!("pdftotext missing (poppler-utils): PDF text not checked");
    }
    let log = langso_app::audit::list(db, &op(), &Default::default())
        .await
        .unwrap();
    assert_eq!(
        log.iter().filter(|r| r.action == "report.export").count(),
        2
    );
}

#[tokio::test]
async fn the_nation_sums_its_provinces_and_only_a_national_reader_sees_it() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    // A second province with one commune, two villages and one household.
    let csv = "code,name,kind,parent_code,valid_from,valid_to,note\n\
               02,Tỉnh Hai,province,,2000-01-01,,\n\
               00002,Xã Hai,commune,02,2000-01-01,,\n\
               00002-T01,Thôn Một,village,00002,2000-01-01,,\n\
               00002-T02,Thôn Hai,village,00002,2000-01-01,,\n";
    langso_app::units::import_units_csv(db, &op(), csv.as_bytes(), false, &NoProgress)
        .await
        .unwrap();
    let village = langso_app::units::by_code(db, "00002-T01", today())
        .await
        .unwrap();
    langso_app::households::create_household(
        db,
        &op(),
        &HouseholdInput {
            unit_id: Some(village.id),
            code: "H2-1".into(),
            head_name: "Trần Thị Hai".into(),
            members: 3,
            adults: 2,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let hanoi = langso_app::units::by_code(db, "01", today()).await.unwrap();
    let two = langso_app::units::by_code(db, "02", today()).await.unwrap();
    let a = dashboard::dashboard(db, &op(), hanoi.id, today())
        .await
        .unwrap();
    let b = dashboard::dashboard(db, &op(), two.id, today())
        .await
        .unwrap();
    let n = dashboard::national(db, &op(), today()).await.unwrap();
    let (fa, fb, f) = (&a.figures, &b.figures, &n.figures);
    assert_eq!(f.households, fa.households + fb.households);
    assert_eq!((fb.households, fb.villages), (1, 2));
    assert_eq!(f.villages, fa.villages + fb.villages);
    assert_eq!(f.recognised, fa.recognised + fb.recognised);
    assert_eq!(f.visited, fa.visited + fb.visited);
    assert_eq!(f.members, fa.members + fb.members);
    assert_eq!(f.procedures_with_qr, fa.procedures_with_qr);
    let names: Vec<&str> = n.provinces.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Thành phố Hà Nội", "Tỉnh Hai"]);
    assert_eq!(n.provinces[0].households, fa.households);
    assert_eq!(n.provinces[0].villages, fa.villages);
    for (share, (sa, sb)) in n
        .indicators
        .iter()
        .zip(a.indicators.iter().zip(&b.indicators))
    {
        assert_eq!(share.code, sa.code);
        assert_eq!(
            (share.part, share.whole),
            (sa.part + sb.part, sa.whole + sb.whole)
        );
        let last = |s: &dashboard::Share| s.trend.last().map(|m| m.part).unwrap_or(0);
        assert_eq!(last(share), last(sa) + last(sb));
    }
    assert_eq!(
        n.months.iter().map(|(_, v)| v).sum::<i64>(),
        a.visits_to_month + b.visits_to_month
    );
    // A province's officer reads the province, not the nation.
    let officer = person(db, Role::Viewer, "01").await;
    assert!(matches!(
        dashboard::national(db, &officer, today()).await,
        Err(AppError::Forbidden)
    ));
}
