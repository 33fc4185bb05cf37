//! Household import and export: the files offices keep (XLSX, CSV), every bad cell named,
//! all-or-nothing, idempotent re-import, scope, masked and audited export.
//! Runs on SQLite, and on PostgreSQL when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use langso_app::audit::{self, AuditQuery};
use langso_app::auth::Grant;
use langso_app::households::{self as hh, ExportFormat, ImportReport, sheet};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, AppResult, CellError, Db, demo, today};
use langso_domain::auth::Role;
use langso_store::testing::TestDb;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use time::macros::{date, datetime};

const COMMUNE: &str = "09817";
const VILLAGE: &str = "09805-T01";

fn op() -> Actor {
    Actor::system("test")
}

async fn person(db: &Db, role: Role, code: &str, pii: bool) -> Actor {
    let unit = langso_app::units::by_code(db, code, today()).await.unwrap();
    Actor::new(
        None,
        format!("{code}:{}", role.as_str()),
        vec![Grant {
            role,
            unit_id: unit.id,
            unit_name: unit.name,
        }],
        pii,
    )
}

/// The village as offices write it after the merger, when names repeat: "name (code)".
async fn village_with_code(db: &Db) -> String {
    format!("{} ({VILLAGE})", village_name(db, VILLAGE).await)
}

async fn village_name(db: &Db, code: &str) -> String {
    langso_app::units::by_code(db, code, today())
        .await
        .unwrap()
        .name
}

/// A cell of the test workbook.
enum V {
    S(&'static str),
    Str(String),
    N(f64),
    D(u16, u8, u8),
}

/// An XLSX as an office would send it: a title row, headers with stray spaces and odd case
/// in an unusual order, phones as numbers, an Excel date.
fn workbook(headers: &[&str], rows: &[Vec<V>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    sheet
        .write_string(0, 0, "DANH SÁCH HỘ GIA ĐÌNH THÔN 1")
        .unwrap();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 3;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                V::S(s) => {
                    sheet.write_string(r, c, *s).unwrap();
                }
                V::Str(s) => {
                    sheet.write_string(r, c, s).unwrap();
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

const HEADERS: [&str; 9] = [
    "  SỐ ĐIỆN THOẠI ",
    "Mã hộ",
    "họ và tên chủ hộ",
    " Thôn",
    "Số thành viên",
    "Số người lớn",
    "Ngày đồng ý",
    "Ngõ",
    "Số nhà",
];

/// Three households; `bad` puts a wrong phone on the second and an unknown village on the third.
fn survey_file(village: &str, bad: bool) -> Vec<u8> {
    let rows = vec![
        vec![
            V::N(912_345_678.0),
            V::S("IMP-001"),
            V::S("  Nguyễn Văn  An "),
            V::Str(format!(" {village} ")),
            V::N(4.0),
            V::N(2.0),
            V::D(2025, 3, 5),
            V::S("Ngõ 3"),
            V::S("12"),
        ],
        vec![
            if bad {
                V::S("12345")
            } else {
                V::S("0987 654 321")
            },
            V::S("IMP-002"),
            V::S("Trần Thị Bình"),
            V::Str(village.to_uppercase()),
            V::S("3"),
            V::N(2.0),
            V::S("06/03/2025"),
            V::S("Ngõ 3"),
            V::S("14"),
        ],
        vec![
            V::N(353_111_222.0),
            V::S("IMP-003"),
            V::S("Lê Văn Cường"),
            if bad {
                V::S("Thôn Không Có")
            } else {
                V::Str(village.to_owned())
            },
            V::N(5.0),
            V::N(3.0),
            V::N(45_723.0),
            V::S("Ngõ 5"),
            V::S("2"),
        ],
    ];
    workbook(&HEADERS, &rows)
}

async fn import(
    db: &Db,
    actor: &Actor,
    unit: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    let rows = sheet::open(Cursor::new(bytes))?;
    hh::import_households(db, actor, unit, rows, "test.xlsx", dry_run, &NoProgress).await
}

fn cells(result: AppResult<ImportReport>) -> Vec<CellError> {
    match result {
        Err(AppError::Invalid(errors)) => errors,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn counters(db: &Db) -> Vec<(String, i64)> {
    let commune = langso_app::units::by_code(db, COMMUNE, today())
        .await
        .unwrap();
    langso_store::households::counters_under(db, commune.id, today())
        .await
        .unwrap()
}

async fn audit_count(db: &Db, action: &str) -> usize {
    audit::list(
        db,
        &op(),
        &AuditQuery {
            action: Some(action.to_owned()),
            limit: Some(1000),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .len()
}

async fn household(db: &Db, code: &str) -> Option<hh::HouseholdRow> {
    let commune = langso_app::units::by_code(db, COMMUNE, today())
        .await
        .unwrap();
    langso_store::households::household_by_code(db, commune.id, code)
        .await
        .unwrap()
}

async fn demo_db() -> TestDb {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    test
}

#[tokio::test]
async fn a_bad_file_is_refused_whole_the_fixed_one_imports_once_and_exports_intact() {
    let test = demo_db().await;
    let db = &test.db;
    let village = village_with_code(db).await;
    let officer = person(db, Role::Officer, COMMUNE, false).await;
    let before = counters(db).await;
    let audits = audit_count(db, "household.import").await;

    // One bad phone number and one unknown village: both cells named, nothing written.
    let errors = cells(import(db, &officer, COMMUNE, survey_file(&village, true), false).await);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(
        (errors[0].row, errors[0].column.as_str()),
        (5, "SỐ ĐIỆN THOẠI"),
        "the header as written, trimmed"
    );
    assert_eq!(
        errors[0].key.as_ref().map(|m| m.key),
        Some("households-phone-invalid"),
        "{errors:?}"
    );
    assert_eq!((errors[1].row, errors[1].column.as_str()), (6, "Thôn"));
    assert!(errors[1].message.contains("Thôn Không Có"), "{errors:?}");
    assert!(household(db, "IMP-001").await.is_none(), "all or nothing");
    assert_eq!(counters(db).await, before);

    // The dry run of the fixed file counts, writes nothing.
    let dry = import(db, &officer, COMMUNE, survey_file(&village, false), true)
        .await
        .unwrap();
    assert_eq!((dry.rows, dry.created, dry.dry_run), (3, 3, true));
    assert!(household(db, "IMP-001").await.is_none());

    // The fixed file imports.
    let done = import(db, &officer, COMMUNE, survey_file(&village, false), false)
        .await
        .unwrap();
    assert_eq!((done.created, done.updated, done.unchanged), (3, 0, 0));
    let first = household(db, "IMP-001").await.unwrap();
    assert_eq!(
        first.representative_phone.as_deref(),
        Some("0912345678"),
        "leading 0 restored"
    );
    assert_eq!(first.head_name, "Nguyễn Văn  An".trim());
    assert_eq!(first.consent_on, Some(date!(2025 - 03 - 05)), "Excel date");
    assert_eq!(first.alley, "Ngõ 3");
    let second = household(db, "IMP-002").await.unwrap();
    assert_eq!(second.representative_phone.as_deref(), Some("0987654321"));
    assert_eq!(second.consent_on, Some(date!(2025 - 03 - 06)), "typed date");
    let third = household(db, "IMP-003").await.unwrap();
    assert_eq!(third.representative_phone.as_deref(), Some("0353111222"));
    assert_eq!(
        third.consent_on,
        Some(date!(2025 - 03 - 07)),
        "serial as a number"
    );
    let after = counters(db).await;
    let get =
        |c: &[(String, i64)], k: &str| c.iter().find(|(key, _)| key == k).map_or(0, |(_, v)| *v);
    assert_eq!(get(&after, "households"), get(&before, "households") + 3);
    assert_eq!(get(&after, "members"), get(&before, "members") + 12);
    assert_eq!(audit_count(db, "household.import").await, audits + 1);

    // Importing it again changes nothing: no counter drift, no audit entry.
    let again = import(db, &officer, COMMUNE, survey_file(&village, false), false)
        .await
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));
    assert_eq!(counters(db).await, after);
    assert_eq!(audit_count(db, "household.import").await, audits + 1);
    assert_eq!(
        household(db, "IMP-001").await.unwrap().updated_at,
        first.updated_at
    );

    // The export opens with Vietnamese intact; phones masked without the PII right.
    let export = hh::export_households(db, &officer, COMMUNE, ExportFormat::Xlsx)
        .await
        .unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(export.bytes)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(rows[0][0], Data::String("Mã hộ".into()));
    assert_eq!(rows[0][6], Data::String("Họ và tên chủ hộ".into()));
    let an = rows
        .iter()
        .find(|r| r[0] == Data::String("IMP-001".into()))
        .expect("exported");
    assert_eq!(an[2], Data::String(VILLAGE.into()));
    assert_eq!(an[6], Data::String("Nguyễn Văn  An".into()));
    // Ô Diên holds four "Thôn Hòa Bình": this one carries its former commune.
    assert_eq!(
        an[1],
        Data::String(format!("{} (Hạ Mỗ cũ)", village_name(db, VILLAGE).await))
    );
    assert_eq!(an[8], Data::String("091*****78".into()), "masked");
    assert_eq!(audit_count(db, "household.export").await, 1);

    // With the PII right the export imports back unchanged.
    let system = hh::export_households(db, &op(), COMMUNE, ExportFormat::Xlsx)
        .await
        .unwrap();
    let back = import(db, &op(), COMMUNE, system.bytes, false)
        .await
        .unwrap();
    assert_eq!((back.created, back.updated), (0, 0), "{back:?}");
    assert_eq!(counters(db).await, after);

    // A file naming the village as the export's village column does, without its code.
    let labelled = format!("{} (Hạ Mỗ cũ)", village_name(db, VILLAGE).await);
    let same = import(db, &officer, COMMUNE, survey_file(&labelled, false), false)
        .await
        .unwrap();
    assert_eq!((same.created, same.updated, same.unchanged), (0, 0, 3));

    // CSV: a BOM so Excel reads UTF-8, Vietnamese intact.
    let csv = hh::export_households(db, &officer, COMMUNE, ExportFormat::Csv)
        .await
        .unwrap();
    assert!(
        csv.bytes
            .starts_with("\u{feff}Mã hộ,Thôn,Mã thôn,".as_bytes())
    );
    assert!(
        String::from_utf8(csv.bytes)
            .unwrap()
            .contains("Trần Thị Bình")
    );
}

#[tokio::test]
async fn csv_with_semicolons_updates_by_code_and_keeps_the_counters_true() {
    let test = demo_db().await;
    let db = &test.db;
    let officer = person(db, Role::Officer, COMMUNE, true).await;
    let village = village_name(db, VILLAGE).await;
    let file = |members: u8| {
        format!(
            "\u{feff}STT; Số nhân khẩu ;MÃ HỘ;Họ tên chủ hộ;Thôn;Mã thôn;Hộ kinh doanh;Ghi chú\n\
             1;{members};CSV-1;Phạm Văn Dũng;{village};{VILLAGE};x;\n\
             2;2;CSV-2;Đỗ Thị Em; {village} ; {VILLAGE} ;;cạnh chợ\n"
        )
        .into_bytes()
    };
    let before = counters(db).await;
    let get =
        |c: &[(String, i64)], k: &str| c.iter().find(|(key, _)| key == k).map_or(0, |(_, v)| *v);
    let done = import(db, &officer, COMMUNE, file(3), false).await.unwrap();
    assert_eq!(done.created, 2);
    let dung = household(db, "CSV-1").await.unwrap();
    assert!(dung.business);
    assert_eq!(dung.adults, 3, "no adults column: members count");
    assert_eq!(household(db, "CSV-2").await.unwrap().notes, "cạnh chợ");
    let after = counters(db).await;
    assert_eq!(get(&after, "business"), get(&before, "business") + 1);

    // The same code with another count updates the household, and the counters move by
    // the difference only.
    let again = import(db, &officer, COMMUNE, file(5), false).await.unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 1, 1));
    assert_eq!(household(db, "CSV-1").await.unwrap().members, 5);
    assert_eq!(household(db, "CSV-1").await.unwrap().id, dung.id);
    let last = counters(db).await;
    assert_eq!(get(&last, "households"), get(&after, "households"));
    assert_eq!(get(&last, "members"), get(&after, "members") + 2);

    // A duplicate code, a missing number and a word where a number goes: every cell named.
    let bad =
        "Mã hộ,Họ và tên chủ hộ,Mã thôn,Số thành viên\nD-1,A,{v},2\nD-1,B,{v},ba\nD-2,,{v},2\n"
            .replace("{v}", VILLAGE);
    let errors = cells(import(db, &officer, COMMUNE, bad.into_bytes(), false).await);
    let named: Vec<(usize, String)> = errors.iter().map(|e| (e.row, e.column.clone())).collect();
    assert!(
        named.contains(&(3, "Số thành viên".to_owned())),
        "{named:?}"
    );
    assert!(named.contains(&(3, "Mã hộ".to_owned())), "{named:?}");
    assert!(
        named.contains(&(4, "Họ và tên chủ hộ".to_owned())),
        "{named:?}"
    );
    assert!(household(db, "D-1").await.is_none());

    // A missing required column is named on the header row.
    let errors = cells(import(db, &officer, COMMUNE, b"Ma ho,Thon\nX,Y\n".to_vec(), true).await);
    assert!(
        errors
            .iter()
            .any(|e| e.row == 1 && e.column == "Họ và tên chủ hộ")
    );
}

#[tokio::test]
async fn imports_stay_in_the_actors_scope() {
    let test = demo_db().await;
    let db = &test.db;
    let member = person(db, Role::TeamMember, VILLAGE, false).await;
    let viewer = person(db, Role::Viewer, COMMUNE, false).await;
    let own = village_name(db, VILLAGE).await;
    let file = |village: &str| {
        format!("Mã hộ,Họ và tên chủ hộ,Thôn,Số thành viên\nS-1,Vũ Văn Giang,{village},2\n")
            .into_bytes()
    };
    // The commune is above the member's village: outside scope, not found.
    assert!(matches!(
        import(db, &member, COMMUNE, file(&own), true).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        import(db, &viewer, COMMUNE, file(&own), true).await,
        Err(AppError::Forbidden)
    ));
    // Into the member's own village: a row naming another village is a cell error.
    let other = village_name(db, "09805-T02").await;
    let errors = cells(import(db, &member, VILLAGE, file(&other), false).await);
    assert_eq!((errors[0].row, errors[0].column.as_str()), (2, "Thôn"));
    let done = import(db, &member, VILLAGE, file(&own), false)
        .await
        .unwrap();
    assert_eq!(done.created, 1);
    // Export needs the export right.
    assert!(matches!(
        hh::export_households(db, &member, VILLAGE, ExportFormat::Csv).await,
        Err(AppError::Forbidden)
    ));
}

/// Rows written in bulk read back exactly as written, on either database. On SQLite their
/// texts, dates and times are bound as shared strings (`bulk.rs`, `SharedTexts`), which must
/// be what sqlx itself writes for them; the search key is written too.
#[tokio::test]
async fn bulk_written_households_read_back_as_written() {
    let test = demo_db().await;
    let db = &test.db;
    let commune = langso_app::units::by_code(db, COMMUNE, today())
        .await
        .unwrap();
    let village = langso_app::units::by_code(db, VILLAGE, today())
        .await
        .unwrap();
    let at = datetime!(2025-03-05 08:30:15.123456 UTC);
    let row = |code: &str, filled: bool| {
        let text = |s: &str| if filled { s.to_owned() } else { String::new() };
        langso_store::households::HouseholdRow {
            id: uuid::Uuid::now_v7(),
            unit_id: village.id,
            commune_id: commune.id,
            code: code.to_owned(),
            hamlet: text("Xóm Chùa"),
            alley: text("Ngõ 3"),
            house_number: text("12A"),
            head_name: "Nguyễn Thị Hạnh".to_owned(),
            representative_name: text("Trần Văn Đức"),
            representative_phone: filled.then(|| "0912345678".to_owned()),
            citizen_id: filled.then(|| "001190012345".to_owned()),
            members: 4,
            adults: 3,
            business: filled,
            consent_on: filled.then_some(date!(2025 - 03 - 05)),
            consent_purpose: text("khảo sát chuyển đổi số"),
            notes: text("cạnh đình"),
            assigned_to: None,
            follow_up_on: filled.then_some(date!(2025 - 04 - 01)),
            last_visit_on: filled.then_some(date!(2025 - 03 - 20)),
            erased: false,
            created_at: at,
            updated_at: at + time::Duration::seconds(1),
        }
    };
    let rows = vec![
        row("BULK-1", true),
        row("BULK-2", false),
        row("BULK-3", true),
    ];
    let mut tx = db.begin_bulk_load(8).await.unwrap();
    let prepared = langso_store::households::prepare_households(db, rows.clone());
    langso_store::households::insert_prepared(&mut tx, prepared)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for written in &rows {
        let read = household(db, &written.code).await.unwrap();
        assert_eq!(format!("{read:?}"), format!("{written:?}"));
    }
    let found =
        langso_store::households::list_households(db, commune.id, today(), Some("xom chua"), 10, 0)
            .await
            .unwrap();
    let codes: Vec<&str> = found.iter().map(|h| h.code.as_str()).collect();
    assert_eq!(codes, ["BULK-1", "BULK-3"]);
}
