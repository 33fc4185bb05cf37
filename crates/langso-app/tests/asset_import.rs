//! The asset register from real XLSX files as offices write them: a title row, Vietnamese
//! headers with stray spaces in any order, Excel dates and numbers, list values written in
//! words; all or nothing, every bad cell named by row and column. SQLite, and PostgreSQL with
//! LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use langso_app::assets;
use langso_app::auth::Grant;
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, Db, demo, today};
use langso_domain::auth::Role;
use langso_store::testing::TestDb;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

enum V {
    S(&'static str),
    N(f64),
    D(u16, u8, u8),
}

fn workbook(headers: &[&str], rows: &[Vec<V>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    sheet
        .write_string(0, 0, "DANH SÁCH THIẾT BỊ THÔN 1")
        .unwrap();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 2;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                V::S(s) => {
                    sheet.write_string(r, c, *s).unwrap();
                }
                V::N(n) => {
                    sheet.write_number(r, c, *n).unwrap();
                }
                V::D(y, m, d) => {
                    let date = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    sheet.write_datetime_with_format(r, c, &date, &day).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

const HEADERS: [&str; 11] = [
    "STT",
    "  Tên thiết bị ",
    "LOẠI THIẾT BỊ",
    "Mã thôn",
    "Mã thiết bị",
    "Vị trí",
    "Vĩ độ",
    "Kinh độ",
    "Ngày lắp đặt",
    "Nguồn kinh phí",
    "Người đóng góp",
];

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

async fn counter(db: &Db, unit_code: &str, key: &str) -> i64 {
    let unit = langso_app::units::by_code(db, unit_code, today())
        .await
        .unwrap();
    langso_store::households::counters_under(db, unit.id, today())
        .await
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == key)
        .map_or(0, |(_, v)| v)
}

async fn exists(db: &Db, code: &str) -> bool {
    langso_store::assets::asset_by_code(db, code)
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn an_office_workbook_imports_all_or_nothing() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let officer = person(db, Role::Officer, "09817").await;
    let good = workbook(
        &HEADERS,
        &[
            vec![
                V::N(1.0),
                V::S("Camera cổng làng"),
                V::S("Camera an ninh"),
                V::S(" 09805-T01 "),
                V::S("XLSX-CAM-1"),
                V::S("Ngã tư"),
                V::N(21.0891),
                V::N(105.6688),
                V::D(2024, 5, 1),
                V::S("Xã hội hóa"),
                V::S("Hộ ông A: 2.000.000; Công ty B: 5000000"),
            ],
            vec![
                V::N(2.0),
                V::S("Đèn ngõ 3"),
                V::S("Đèn năng lượng mặt trời"),
                V::S("09805-T01"),
                V::S(""),
                V::S("Ngõ"),
                V::S("21,0893"),
                V::S("105,6690"),
                V::S("15/03/2023"),
                V::S("Ngân sách nhà nước"),
                V::S(""),
            ],
        ],
    );
    let cameras = counter(db, "09805-T01", "asset:camera").await;
    let lights = counter(db, "09805-T01", "asset:solar_light").await;

    // A dry run checks everything and writes nothing.
    let dry = assets::import_assets_file(db, &officer, good.clone(), true)
        .await
        .unwrap();
    assert_eq!((dry.rows, dry.created), (2, 0));
    assert!(!exists(db, "XLSX-CAM-1").await);
    assert_eq!(counter(db, "09805-T01", "asset:camera").await, cameras);

    let done = assets::import_assets_file(db, &officer, good, false)
        .await
        .unwrap();
    assert_eq!((done.rows, done.created), (2, 2));
    assert_eq!(counter(db, "09805-T01", "asset:camera").await, cameras + 1);
    assert_eq!(
        counter(db, "09805-T01", "asset:solar_light").await,
        lights + 1
    );
    let cam = langso_store::assets::asset_by_code(db, "XLSX-CAM-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cam.kind, "camera");
    assert_eq!(cam.place_type, "intersection");
    assert_eq!(cam.funding, "community");
    assert_eq!(cam.installed_on, Some(time::macros::date!(2024 - 05 - 01)));
    let view = assets::asset(db, &officer, cam.id).await.unwrap();
    assert_eq!(
        view.contributors,
        vec![
            ("Hộ ông A".to_owned(), 2_000_000),
            ("Công ty B".to_owned(), 5_000_000)
        ]
    );
    let light = assets::assets_under(
        db,
        &officer,
        cam.unit_id,
        &assets::AssetFilter {
            kind: Some("solar_light".into()),
            ..Default::default()
        },
        10_000,
    )
    .await
    .unwrap()
    .into_iter()
    .find(|a| a.name == "Đèn ngõ 3")
    .unwrap();
    assert_eq!(light.latitude, Some(21.0893));
    assert_eq!(
        light.installed_on,
        Some(time::macros::date!(2023 - 03 - 15))
    );
    assert_eq!(light.lamp_type.as_deref(), Some("solar"));
}

#[tokio::test]
async fn a_bad_workbook_is_refused_with_every_cell_and_writes_nothing() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let officer = person(db, Role::Officer, "09817").await;
    let bad = workbook(
        &HEADERS,
        &[
            // A good row: refused with the rest.
            vec![
                V::N(1.0),
                V::S("Camera tốt"),
                V::S("camera"),
                V::S("09805-T01"),
                V::S("XLSX-OK-1"),
                V::S("Ngõ"),
                V::N(21.09),
                V::N(105.67),
                V::D(2024, 1, 2),
                V::S("Ngân sách"),
                V::S(""),
            ],
            vec![
                V::N(2.0),
                V::S("Máy bay"),
                V::S("máy bay không người lái"),
                V::S("KHONG-CO"),
                V::S("XLSX-BAD-1"),
                V::S("Trên trời"),
                V::S("hai mốt"),
                V::N(105.67),
                V::S("31/02/2024"),
                V::S("Ngân sách"),
                V::S(""),
            ],
        ],
    );
    let cameras = counter(db, "09805-T01", "asset:camera").await;
    for dry_run in [true, false] {
        match assets::import_assets_file(db, &officer, bad.clone(), dry_run).await {
            Err(AppError::Invalid(problems)) => {
                let has = |row: usize, column: &str| {
                    problems.iter().any(|p| p.row == row && p.column == column)
                };
                // The file's header row is row 2 (a title above it); data start at row 3.
                assert!(has(4, "Vĩ độ"), "{problems:?}");
                assert!(has(4, "Ngày lắp đặt"), "{problems:?}");
                assert!(!has(3, "Vĩ độ"), "{problems:?}");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    // Parse errors first; once the cells parse, the register's checks name the rest.
    let values_bad = workbook(
        &HEADERS,
        &[vec![
            V::N(1.0),
            V::S("Máy bay"),
            V::S("máy bay không người lái"),
            V::S("KHONG-CO"),
            V::S("XLSX-BAD-2"),
            V::S("Trên trời"),
            V::N(21.09),
            V::N(105.67),
            V::D(2024, 1, 2),
            V::S("Ngân sách"),
            V::S(""),
        ]],
    );
    match assets::import_assets_file(db, &officer, values_bad, false).await {
        Err(AppError::Invalid(problems)) => {
            for column in ["LOẠI THIẾT BỊ", "Vị trí", "Mã thôn"] {
                assert!(
                    problems.iter().any(|p| p.row == 3 && p.column == column),
                    "{column}: {problems:?}"
                );
            }
            assert!(problems.iter().all(|p| !p.message.is_empty()));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // A missing required column is named.
    match assets::import_assets_file(
        db,
        &officer,
        workbook(
            &["Tên", "Loại thiết bị"],
            &[vec![V::S("X"), V::S("camera")]],
        ),
        false,
    )
    .await
    {
        Err(AppError::Invalid(problems)) => {
            assert!(problems.iter().any(|p| p.column == "Mã thôn"));
            assert!(problems.iter().any(|p| p.column == "Nguồn kinh phí"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(!exists(db, "XLSX-OK-1").await);
    assert!(!exists(db, "XLSX-BAD-1").await);
    assert_eq!(counter(db, "09805-T01", "asset:camera").await, cameras);

    // Rows outside the officer's commune: not found, and nothing written.
    let elsewhere = person(db, Role::Officer, "09793").await;
    let good = workbook(
        &HEADERS,
        &[vec![
            V::N(1.0),
            V::S("Camera"),
            V::S("camera"),
            V::S("09805-T01"),
            V::S("XLSX-FAR-1"),
            V::S("Ngõ"),
            V::N(21.09),
            V::N(105.67),
            V::D(2024, 1, 2),
            V::S("Ngân sách"),
            V::S(""),
        ]],
    );
    match assets::import_assets_file(db, &elsewhere, good, false).await {
        Err(AppError::NotFound) => {}
        other => panic!("expected not found, got {other:?}"),
    }
    assert!(!exists(db, "XLSX-FAR-1").await);
}

#[tokio::test]
async fn a_web_upload_is_kept_until_confirmed_by_its_uploader() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let officer = person(db, Role::Officer, "09817").await;
    let file = workbook(
        &HEADERS,
        &[vec![
            V::N(1.0),
            V::S("Wifi nhà văn hóa"),
            V::S("Điểm wifi"),
            V::S("09805-T01"),
            V::S("XLSX-WIFI-1"),
            V::S("Nhà văn hóa"),
            V::N(21.09),
            V::N(105.67),
            V::D(2024, 1, 2),
            V::S("Doanh nghiệp"),
            V::S(""),
        ]],
    );
    let preview = assets::preview_asset_upload(db, &officer, "thiet-bi.xlsx", file)
        .await
        .unwrap();
    assert_eq!(preview.outcome.as_ref().unwrap().rows, 1);
    let id = preview.upload_id.unwrap();
    assert!(!exists(db, "XLSX-WIFI-1").await);
    let done = assets::confirm_asset_upload(db, &officer, id)
        .await
        .unwrap();
    assert_eq!(done.created, 1);
    assert!(exists(db, "XLSX-WIFI-1").await);
    // Kept files are forgotten once imported.
    assert!(matches!(
        assets::confirm_asset_upload(db, &officer, id).await,
        Err(AppError::NotFound)
    ));
}
