//! Units: import, the 2025 reorganisation and the reorganisations that must be refused.
//! Runs on SQLite, and on PostgreSQL when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use langso_app::progress::NoProgress;
use langso_app::units::{self, PlanLine, ReorganisationPlan};
use langso_app::{Actor, AppError, Db, demo};
use langso_domain::units::{Share, UnitKind};
use langso_store::testing::TestDb;
use time::Date;
use time::macros::date;

/// The operator at the command line.
fn op() -> Actor {
    Actor::system("test")
}

async fn fresh() -> TestDb {
    match TestDb::new().await {
        Ok(db) => db,
        Err(error) => unreachable!("test database: {error}"),
    }
}

async fn demo_db() -> TestDb {
    let test = fresh().await;
    let built = demo::build_small(&test.db, &NoProgress).await;
    assert!(built.is_ok(), "demo: {built:?}");
    test
}

fn invalid(result: Result<impl std::fmt::Debug, AppError>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(errors)) => errors.iter().map(ToString::to_string).collect(),
        other => unreachable!("expected a refusal, got {other:?}"),
    }
}

async fn unit(db: &Db, code: &str, on: Date) -> langso_domain::units::Unit {
    match units::by_code(db, code, on).await {
        Ok(unit) => unit,
        Err(error) => unreachable!("{code} on {on}: {error}"),
    }
}

async fn villages_under(db: &Db, code: &str, on: Date) -> i64 {
    let parent = unit(db, code, on).await;
    let details = units::details(db, parent.id, Some(on)).await;
    let Ok(details) = details else {
        unreachable!("details")
    };
    details
        .descendant_counts
        .iter()
        .filter(|(kind, _)| {
            UnitKind::parse(kind).is_ok_and(|k| k.level() == langso_domain::units::Level::Village)
        })
        .map(|(_, count)| count)
        .sum()
}

#[tokio::test]
async fn the_demo_applies_the_2025_reorganisation_and_keeps_history() {
    let test = demo_db().await;
    let db = &test.db;
    let before = date!(2025 - 06 - 01);
    let after = date!(2025 - 07 - 01);

    let district = unit(db, "273", before).await;
    let communes = units::children(db, district.id, before)
        .await
        .unwrap_or_default();
    assert_eq!(communes.len(), 16);
    assert_eq!(villages_under(db, "273", before).await, 129);

    let hanoi = unit(db, "01", after).await;
    let mut names: Vec<String> = units::children(db, hanoi.id, after)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| u.name)
        .collect();
    names.sort();
    assert_eq!(names, ["Xã Liên Minh", "Xã Ô Diên", "Xã Đan Phượng"]);
    assert_eq!(villages_under(db, "01", after).await, 129);
    assert!(
        units::by_code(db, "273", after).await.is_err(),
        "district closed"
    );

    // One code, two territories.
    assert_eq!(unit(db, "09784", before).await.name, "Thị trấn Phùng");
    assert_eq!(unit(db, "09784", after).await.name, "Xã Đan Phượng");

    // A village keeps its id and its history under the old commune.
    let pilot = units::search(db, "Tháp Thượng", None, 5)
        .await
        .unwrap_or_default();
    let village = &pilot[0].unit;
    let details = units::details(db, village.id, Some(before)).await;
    let Ok(details) = details else { unreachable!() };
    assert_eq!(
        details.ancestors.last().map(|u| u.code.as_str()),
        Some("09829")
    );
    assert_eq!(details.parents.len(), 2);
    let today = units::details(db, village.id, Some(after)).await;
    let Ok(today) = today else { unreachable!() };
    assert_eq!(
        today.ancestors.last().map(|u| u.name.as_str()),
        Some("Xã Đan Phượng")
    );

    // Lineage both ways, with Thượng Mỗ's unverified line.
    let new_dan_phuong = unit(db, "09784", after).await;
    let lineage = units::lineage(db, new_dan_phuong.id)
        .await
        .unwrap_or_default();
    let from: Vec<&str> = lineage.iter().map(|l| l.old.code.as_str()).collect();
    assert_eq!(from.len(), 5, "{from:?}");
    let thuong_mo = lineage.iter().find(|l| l.old.code == "09814");
    assert!(thuong_mo.is_some_and(|l| !l.verified && l.basis == "unverified (demo)"));
    let song_phuong = unit(db, "09829", before).await;
    let went = units::lineage(db, song_phuong.id).await.unwrap_or_default();
    assert_eq!(went.len(), 1);
    assert_eq!(went[0].new.name, "Xã Đan Phượng");
    assert_eq!(went[0].share, Share::Whole);
}

#[tokio::test]
async fn search_folds_accents_and_ranks_exact_diacritics_first() {
    let test = demo_db().await;
    let db = &test.db;
    let hits = units::search(db, "song phuong", None, 10)
        .await
        .unwrap_or_default();
    assert_eq!(hits[0].unit.code, "09829");
    let hits = units::search(db, "dan phuong", None, 10)
        .await
        .unwrap_or_default();
    let xa: Vec<&str> = hits
        .iter()
        .filter(|h| h.unit.name == "Xã Đan Phượng")
        .map(|h| h.unit.code.as_str())
        .collect();
    assert!(xa.contains(&"09784") && xa.contains(&"09823"), "{xa:?}");
    let hits = units::search(db, "DAN PHUONG", Some(date!(2025 - 08 - 01)), 10)
        .await
        .unwrap_or_default();
    assert!(
        hits.iter().all(|h| h.unit.code != "09823"),
        "closed units filtered by date"
    );
    let hits = units::search(db, "Hạ Mỗ", None, 10)
        .await
        .unwrap_or_default();
    assert_eq!(hits[0].unit.name, "Xã Hạ Mỗ");
    let hits = units::search(db, "09817", None, 10)
        .await
        .unwrap_or_default();
    assert!(hits.iter().any(|h| h.unit.name == "Xã Ô Diên"));
    assert!(hits.iter().any(|h| h.unit.name == "Xã Tân Hội"));
}

#[tokio::test]
async fn without_thuong_mo_the_reorganisation_is_refused_and_changes_nothing() {
    let test = fresh().await;
    let db = &test.db;
    assert!(demo::seed_before_2025(db, &NoProgress).await.is_ok());
    let plan = units::plan_from_lineage_csv(demo::LINEAGE_CSV.as_bytes());
    let Ok(plan) = plan else { unreachable!() };
    let errors = invalid(units::reorganise(db, &op(), &plan, false).await);
    // Thượng Mỗ closes with the district in the reference file; its villages would be orphans.
    let orphans = errors
        .iter()
        .filter(|e| e.contains("units-orphan") && e.contains("code: 09814-"));
    assert_eq!(orphans.count(), 8, "{errors:?}");
    // Nothing written: the villages still sit under Xã Tân Hội, and no lineage.
    assert_eq!(villages_under(db, "09817", date!(2025 - 07 - 01)).await, 0);
    let tan_hoi = unit(db, "09817", date!(2025 - 06 - 01)).await;
    assert!(
        units::lineage(db, tan_hoi.id)
            .await
            .unwrap_or_default()
            .is_empty()
    );
    // The same plan with Thượng Mỗ's line goes through.
    let report = units::reorganise(db, &op(), &demo::plan_2025().unwrap_or(plan), false).await;
    assert!(report.is_ok(), "{report:?}");
}

#[tokio::test]
async fn a_cycle_is_refused() {
    let test = demo_db().await;
    let db = &test.db;
    let today = date!(2026 - 01 - 01);
    let commune = unit(db, "09817", today).await;
    let village = units::children(db, commune.id, today)
        .await
        .unwrap_or_default();
    let errors =
        invalid(units::move_unit(db, &op(), commune.id, village[0].id, today, "test").await);
    assert!(
        errors.iter().any(|e| e.contains("units-move-cycle")),
        "{errors:?}"
    );
    let errors = invalid(units::move_unit(db, &op(), commune.id, commune.id, today, "test").await);
    assert!(
        errors.iter().any(|e| e.contains("units-move-cycle")),
        "{errors:?}"
    );
    // A legitimate move works and keeps history.
    let other = unit(db, "09793", today).await;
    let moved = units::move_unit(db, &op(), village[0].id, other.id, today, "test").await;
    assert!(moved.is_ok(), "{moved:?}");
    let before = units::details(db, village[0].id, Some(date!(2025 - 12 - 31))).await;
    assert!(before.is_ok_and(|d| d.ancestors.last().map(|u| u.id) == Some(commune.id)));
    let after = units::details(db, village[0].id, Some(today)).await;
    assert!(after.is_ok_and(|d| d.ancestors.last().map(|u| u.id) == Some(other.id)));
}

fn line(old_code: &str, old_name: &str, new_code: &str, new_name: &str) -> PlanLine {
    PlanLine {
        row: 2,
        old_code: old_code.to_owned(),
        old_name: old_name.to_owned(),
        new_code: new_code.to_owned(),
        new_name: new_name.to_owned(),
        share: Share::Whole,
        basis: "test".to_owned(),
        verified: true,
    }
}

#[tokio::test]
async fn a_code_still_held_or_closed_is_not_reused() {
    let test = demo_db().await;
    let db = &test.db;
    let effective = date!(2026 - 01 - 01);
    let plan = |lines| ReorganisationPlan {
        effective,
        basis: "test".to_owned(),
        lines,
        moves: Vec::new(),
        abolish_districts: false,
    };
    // 09793 (Xã Liên Minh) is still in force: Ô Diên cannot take its code.
    let errors = invalid(
        units::reorganise(
            db,
            &op(),
            &plan(vec![line("09817", "Xã Ô Diên", "09793", "Xã Ô Diên Mới")]),
            false,
        )
        .await,
    );
    assert!(
        errors.iter().any(|e| e.contains("units-code-in-use")),
        "{errors:?}"
    );
    // 09805 (Hạ Mỗ) closed in 2025 and went to Ô Diên: Liên Minh is not its successor.
    let errors = invalid(
        units::reorganise(
            db,
            &op(),
            &plan(vec![line("09793", "Xã Liên Minh", "09805", "Xã Hạ Mỗ Mới")]),
            false,
        )
        .await,
    );
    assert!(
        errors.iter().any(|e| e.contains("units-code-closed")),
        "{errors:?}"
    );
    // A name that does not match the code is refused too.
    let errors = invalid(
        units::reorganise(
            db,
            &op(),
            &plan(vec![line("09793", "Xã Sai Tên", "09794", "Xã Mới")]),
            false,
        )
        .await,
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("units-old-name-differs") && e.contains("given: Xã Sai Tên")),
        "{errors:?}"
    );
    // Nothing changed.
    assert_eq!(unit(db, "09793", effective).await.name, "Xã Liên Minh");
    assert_eq!(unit(db, "09817", effective).await.name, "Xã Ô Diên");
}

#[tokio::test]
async fn a_dry_run_reports_but_writes_nothing() {
    let test = fresh().await;
    let db = &test.db;
    assert!(demo::seed_before_2025(db, &NoProgress).await.is_ok());
    let plan = demo::plan_2025();
    let Ok(plan) = plan else { unreachable!() };
    let report = units::reorganise(db, &op(), &plan, true).await;
    let Ok(report) = report else {
        unreachable!("{report:?}")
    };
    // The reference file already opens the three new communes on 2025-07-01: they are reused.
    assert!(report.created.is_empty(), "{report:?}");
    assert_eq!(
        report.closed.len(),
        17,
        "the district and its 16 communes: {report:?}"
    );
    assert_eq!(report.moved, 129);
    assert_eq!(report.lineage, 16);
    assert!(report.id.is_none());
    assert_eq!(
        villages_under(db, "09817", date!(2025 - 07 - 01)).await,
        0,
        "nothing moved"
    );
    assert_eq!(villages_under(db, "273", date!(2025 - 06 - 01)).await, 129);
}

#[tokio::test]
async fn an_import_names_every_bad_cell_and_writes_nothing() {
    let test = demo_db().await;
    let db = &test.db;
    let csv = "code,name,kind,parent_code,valid_from,valid_to,note\n\
               09817-T90,Thôn Mới,village,09817,2026-01-01,,\n\
               123,Xã Sai Mã,commune,01,2026-01-01,,\n\
               09817-T91,Thôn Lạ,county,09817,2026-01-01,,\n\
               09817-T92,Thôn Xa,village,09999,2026-01-01,,\n\
               09817-T93,Thôn Sớm,village,09817,2026-13-01,,\n\
               09817-T94,,village,09817,2026-01-01,2025-01-01,\n";
    let errors =
        invalid(units::import_units_csv(db, &op(), csv.as_bytes(), false, &NoProgress).await);
    let has = |row: &str, column: &str| {
        errors
            .iter()
            .any(|e| e.contains(&format!("row {row},")) && e.contains(&format!("\"{column}\"")))
    };
    assert!(has("3", "code"), "{errors:?}");
    assert!(has("4", "kind"), "{errors:?}");
    assert!(has("5", "parent_code"), "{errors:?}");
    assert!(has("6", "valid_from"), "{errors:?}");
    assert!(has("7", "name"), "{errors:?}");
    // The good first row was not written either.
    let found = units::search(db, "Thôn Mới", None, 5)
        .await
        .unwrap_or_default();
    assert!(found.is_empty());

    let good = "code,name,kind,parent_code,valid_from,valid_to,note\n\
                09817-T90,Thôn Mới,village,09817,2026-01-01,,\n";
    let dry = units::import_units_csv(db, &op(), good.as_bytes(), true, &NoProgress).await;
    assert!(dry.is_ok_and(|r| r.created == 1 && r.dry_run));
    assert!(
        units::search(db, "Thôn Mới", None, 5)
            .await
            .unwrap_or_default()
            .is_empty()
    );
    let done = units::import_units_csv(db, &op(), good.as_bytes(), false, &NoProgress).await;
    assert!(done.is_ok_and(|r| r.created == 1));
    let again = units::import_units_csv(db, &op(), good.as_bytes(), false, &NoProgress).await;
    assert!(again.is_ok_and(|r| r.created == 0 && r.unchanged == 1));
    // The same local code again under the same commune is refused.
    let clash = "code,name,kind,parent_code,valid_from,valid_to,note\n\
                 09817-T90,Thôn Khác,village,09817,2026-02-01,,\n";
    let errors =
        invalid(units::import_units_csv(db, &op(), clash.as_bytes(), false, &NoProgress).await);
    assert!(
        errors.iter().any(|e| e.contains("units-code-in-use")),
        "{errors:?}"
    );
    // A missing column is reported on the header row.
    let errors = invalid(
        units::import_units_csv(db, &op(), "code,name\n".as_bytes(), false, &NoProgress).await,
    );
    assert!(errors.iter().any(|e| e.contains("\"kind\"")), "{errors:?}");
}
