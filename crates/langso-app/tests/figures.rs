//! Figures people can trust, and progress over time against the plans' targets: on the demo,
//! no share is above 100 %, counts read as averages, recognised villages that fail their
//! criteria are flagged in the dashboard and the report, every indicator has a monthly trend
//! and a target with its gap; values that cannot be true are refused at entry and listed for
//! data entered before. Runs on SQLite, and on PostgreSQL when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use langso_app::auth::Grant;
use langso_app::dashboard::{self, PlanInput, TargetInput};
use langso_app::households::{HouseholdInput, VisitInput};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, Db, demo, today};
use langso_domain::auth::Role;
use langso_render::report::Cell;
use langso_store::testing::TestDb;
use time::macros::date;

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

fn refused_key(result: Result<impl std::fmt::Debug, AppError>) -> String {
    match result {
        Err(AppError::Invalid(cells)) => cells
            .iter()
            .filter_map(|c| c.key.as_ref().map(|k| k.key.to_owned()))
            .collect::<Vec<_>>()
            .join(","),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn the_demo_flags_failing_villages_and_shows_trends_and_targets() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    // An old commune in mid-2025: the district plan's 2025 targets and a trend that moves.
    let mid_2025 = date!(2025 - 06 - 30);
    let commune = langso_app::units::by_code(db, "09805", mid_2025)
        .await
        .unwrap();
    let d = dashboard::dashboard(db, &op(), commune.id, mid_2025)
        .await
        .unwrap();
    assert_eq!(d.indicators.len(), 11);
    for s in &d.indicators {
        assert_eq!(s.trend.len(), dashboard::TREND_MONTHS, "{}", s.code);
        assert_eq!(s.trend.first().unwrap().month, "2024-07");
        assert_eq!(s.trend.last().unwrap().month, "2025-06");
        let target = s.target.as_ref().expect("every indicator has a target");
        assert_eq!((target.year, target.plan.as_str()), (2025, "55/KH-UBND"));
        if s.average {
            assert_eq!(s.code, "smartphones");
        } else {
            assert!(s.share <= 1.0 && s.part <= s.whole, "{}", s.code);
            let expected = dashboard::needed(target.value, s.part, s.whole);
            assert_eq!(target.needed, expected, "{}", s.code);
        }
    }
    let smartphones = d
        .indicators
        .iter()
        .find(|s| s.code == "smartphones")
        .unwrap();
    assert!(
        smartphones.average && smartphones.share > 1.0,
        "an average, not a share"
    );
    let households = d
        .indicators
        .iter()
        .find(|s| s.code == "digital_address")
        .unwrap();
    assert_eq!(households.basis, dashboard::Basis::Households);
    let adults = d.indicators.iter().find(|s| s.code == "vneid_1").unwrap();
    assert_eq!(adults.basis, dashboard::Basis::Adults);
    // The demo's second visits run through 2025: some indicator grew over the year.
    assert!(
        d.indicators
            .iter()
            .any(|s| s.trend.first().unwrap().part < s.trend.last().unwrap().part),
        "the trend moves"
    );
    // The last month of the trend is the current figure.
    assert!(d.indicators.iter().all(|s| {
        let last = s.trend.last().unwrap();
        (last.part, last.whole) == (s.part, s.whole)
    }));
    // Today, a commune formed in the merger: its own 2026 plan.
    let new_commune = langso_app::units::by_code(db, "09784", today())
        .await
        .unwrap();
    let now = dashboard::dashboard(db, &op(), new_commune.id, today())
        .await
        .unwrap();
    assert!(now.indicators.iter().all(|s| {
        s.target
            .as_ref()
            .is_some_and(|t| t.year >= 2026 && t.unit_id == new_commune.id)
    }));
    // Recognised villages that fail a criterion are flagged, on the dashboard and the report.
    assert!(
        !now.flagged.is_empty(),
        "the demo has recognised villages that fail"
    );
    assert!(
        now.flagged
            .iter()
            .all(|f| !f.failing.is_empty() && f.met < f.judged)
    );
    assert!(
        now.children
            .iter()
            .any(|c| c.criteria_met != now.children[0].criteria_met),
        "criteria met differ between villages"
    );
    let report = dashboard::report_model(&now);
    let section = report
        .sections
        .iter()
        .find(|s| s.title.contains("không còn đạt"))
        .unwrap();
    assert_eq!(section.rows.len(), now.flagged.len());
    for row in report.sections.iter().flat_map(|s| s.rows.iter()) {
        for cell in row {
            if let Cell::Share(s) = cell {
                assert!((0.0..=1.0).contains(s), "a share above 100 %: {s}");
            }
        }
    }
    let targets = report
        .sections
        .iter()
        .find(|s| s.title == "Diễn biến và chỉ tiêu")
        .unwrap();
    assert_eq!(targets.rows.len(), 11);
}

#[tokio::test]
async fn impossible_values_are_refused_at_entry_and_listed() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let village = langso_app::units::by_code(db, "09817-T01", today())
        .await
        .unwrap();
    let household = langso_app::households::create_household(
        db,
        &op(),
        &HouseholdInput {
            unit_id: Some(village.id),
            code: "KHONG-THE-1".into(),
            head_name: "Nguyễn Văn Thử".into(),
            members: 3,
            adults: 2,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .row;
    let visit = |values: &[(&str, i64)]| VisitInput {
        values: values
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect::<BTreeMap<_, _>>(),
        ..Default::default()
    };
    // Level 2 above level 1 in one visit, or above the level 1 recorded before.
    let both = langso_app::households::record_visit(
        db,
        &op(),
        household.id,
        &visit(&[("vneid_1", 1), ("vneid_2", 2)]),
    )
    .await;
    assert_eq!(refused_key(both), "households-vneid2-above-vneid1");
    langso_app::households::record_visit(db, &op(), household.id, &visit(&[("vneid_1", 1)]))
        .await
        .unwrap();
    let alone =
        langso_app::households::record_visit(db, &op(), household.id, &visit(&[("vneid_2", 2)]))
            .await;
    assert_eq!(refused_key(alone), "households-vneid2-above-vneid1");
    // Above the household's adults.
    let above =
        langso_app::households::record_visit(db, &op(), household.id, &visit(&[("vssid", 3)]))
            .await;
    assert_eq!(refused_key(above), "households-value-out-of-range");
    let history = langso_app::households::visits_of(db, &op(), household.id)
        .await
        .unwrap();
    assert_eq!(history.len(), 1, "nothing written by a refused visit");
    // Fewer adults than a value counts.
    langso_app::households::record_visit(db, &op(), household.id, &visit(&[("epayment", 2)]))
        .await
        .unwrap();
    let fewer = langso_app::households::update_household(
        db,
        &op(),
        household.id,
        &HouseholdInput {
            unit_id: Some(village.id),
            code: "KHONG-THE-1".into(),
            head_name: "Nguyễn Văn Thử".into(),
            members: 3,
            adults: 1,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(refused_key(fewer), "households-adults-below-values");
    // The same through an import: the row is refused, nothing written.
    let file =
        "Mã hộ,Họ và tên chủ hộ,Số thành viên,Số người lớn\nKHONG-THE-1,Nguyễn Văn Thử,3,1\n";
    let rows = langso_app::households::sheet::open(std::io::Cursor::new(file.as_bytes().to_vec()))
        .unwrap();
    let imported = langso_app::households::import_households(
        db,
        &op(),
        "09817-T01",
        rows,
        "ho.csv",
        false,
        &NoProgress,
    )
    .await;
    assert_eq!(refused_key(imported), "households-adults-below-values");
    let kept = langso_app::households::get_household(db, &op(), household.id)
        .await
        .unwrap();
    assert_eq!(kept.row.adults, 2);
    // Data entered before the rule: listed, in scope only.
    let commune = langso_app::units::by_code(db, "09784", today())
        .await
        .unwrap();
    let listed = dashboard::impossible_values(db, &op(), commune.id)
        .await
        .unwrap();
    assert!(
        listed.is_empty(),
        "the demo holds no impossible values: {listed:?}"
    );
    let mut tx = db.begin().await.unwrap();
    langso_store::households::upsert_values(&mut tx, &[(household.id, "vneid_2".to_owned(), 2)])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let listed = dashboard::impossible_values(db, &op(), village.id)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (
            listed[0].code.as_str(),
            listed[0].indicator.as_str(),
            listed[0].value
        ),
        ("KHONG-THE-1", "vneid_2", 2)
    );
    let elsewhere = person(db, Role::VillageHead, "09829-T01").await;
    assert!(
        dashboard::impossible_values(db, &elsewhere, village.id)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_visit_moves_this_months_counter_and_plans_are_checked() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let village = langso_app::units::by_code(db, "09817-T01", today())
        .await
        .unwrap();
    let household = langso_app::households::create_household(
        db,
        &op(),
        &HouseholdInput {
            unit_id: Some(village.id),
            code: "THANG-1".into(),
            head_name: "Trần Thị Tháng".into(),
            members: 2,
            adults: 2,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .row;
    let input = VisitInput {
        values: [("vneid_1".to_owned(), 2)].into_iter().collect(),
        ..Default::default()
    };
    langso_app::households::record_visit(db, &op(), household.id, &input)
        .await
        .unwrap();
    let d = dashboard::dashboard(db, &op(), village.id, today())
        .await
        .unwrap();
    let vneid = d.indicators.iter().find(|s| s.code == "vneid_1").unwrap();
    let (before, now) = (
        &vneid.trend[vneid.trend.len() - 2],
        vneid.trend.last().unwrap(),
    );
    assert_eq!((now.part - before.part, now.whole - before.whole), (2, 2));
    // Plans: the number and date are checked, a number is not used twice by one unit.
    let commune = langso_app::units::by_code(db, "09784", today())
        .await
        .unwrap();
    let bad = dashboard::create_plan(
        db,
        &op(),
        &PlanInput {
            unit_id: Some(commune.id),
            number: " ".into(),
            issued_on: None,
            title: "Kế hoạch".into(),
        },
    )
    .await;
    assert_eq!(
        refused_key(bad),
        "plans-number-invalid,plans-issued-on-invalid"
    );
    let plan = dashboard::create_plan(
        db,
        &op(),
        &PlanInput {
            unit_id: Some(commune.id),
            number: "99/KH-UBND".into(),
            issued_on: Some(date!(2026 - 01 - 05)),
            title: "Kế hoạch thử".into(),
        },
    )
    .await
    .unwrap();
    let again = dashboard::create_plan(
        db,
        &op(),
        &PlanInput {
            unit_id: Some(commune.id),
            number: "99/KH-UBND".into(),
            issued_on: Some(date!(2026 - 01 - 05)),
            title: "Kế hoạch thử".into(),
        },
    )
    .await;
    assert_eq!(refused_key(again), "plans-number-taken");
    let over = dashboard::set_target(
        db,
        &op(),
        plan.id,
        &TargetInput {
            unit_id: None,
            indicator: "vneid_1".into(),
            year: 2027,
            value: 120.0,
        },
    )
    .await;
    assert_eq!(refused_key(over), "plans-target-percent-invalid");
    // Ô Diên's village is not under Xã Đan Phượng.
    let outside = dashboard::set_target(
        db,
        &op(),
        plan.id,
        &TargetInput {
            unit_id: Some(village.id),
            indicator: "vneid_1".into(),
            year: 2027,
            value: 90.0,
        },
    )
    .await;
    assert_eq!(refused_key(outside), "plans-target-unit-outside");
    dashboard::set_target(
        db,
        &op(),
        plan.id,
        &TargetInput {
            unit_id: None,
            indicator: "smartphones".into(),
            year: 2027,
            value: 2.5,
        },
    )
    .await
    .unwrap();
    let member = person(db, Role::TeamMember, "09817-T01").await;
    assert!(
        dashboard::create_plan(
            db,
            &member,
            &PlanInput {
                unit_id: Some(village.id),
                number: "1/KH".into(),
                issued_on: Some(date!(2026 - 01 - 05)),
                title: "Không được".into(),
            }
        )
        .await
        .is_err()
    );
    let plans = dashboard::plans_for(db, &op(), commune.id).await.unwrap();
    assert!(plans.iter().any(|p| p.number == "99/KH-UBND"));
    let view = dashboard::plan(db, &op(), plan.id).await.unwrap();
    assert_eq!(view.targets.len(), 1);
    assert_eq!(view.targets[0].target, 2.5);
}
