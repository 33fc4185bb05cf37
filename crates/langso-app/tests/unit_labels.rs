//! Names that tell places apart: after the 2025 merger Xã Ô Diên holds four "Thôn Hòa Bình"
//! and seven "Cụm dân cư số 1"; each carries its former commune, or its code when that is not
//! enough. Runs on SQLite, and on PostgreSQL when LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;

use langso_app::auth::Grant;
use langso_app::progress::NoProgress;
use langso_app::units::{self, PlanMove, ReorganisationPlan};
use langso_app::{Actor, Db, demo};
use langso_domain::auth::{Permission, Role};
use langso_store::testing::TestDb;
use time::Date;
use time::macros::date;

const AFTER: Date = date!(2025 - 07 - 01);

/// The demo's units, before and after the 2025 reorganisation (the other seeds are not needed).
async fn merged() -> TestDb {
    let test = TestDb::new().await.expect("test database");
    demo::seed_before_2025(&test.db, &NoProgress)
        .await
        .expect("units");
    let plan = demo::plan_2025().expect("plan");
    units::reorganise(&test.db, &Actor::system("test"), &plan, false)
        .await
        .expect("reorganisation");
    test
}

async fn id(db: &Db, code: &str, on: Date) -> uuid::Uuid {
    units::by_code(db, code, on).await.expect(code).id
}

#[tokio::test]
async fn units_of_o_dien_all_read_differently_and_hoa_binh_names_its_former_commune() {
    let test = merged().await;
    let db = &test.db;
    let o_dien = id(db, "09817", AFTER).await;
    let labels = units::labels_under(db, o_dien, AFTER, 1).await.unwrap();
    let children = units::children(db, o_dien, AFTER).await.unwrap();
    assert_eq!(labels.len(), children.len());
    let texts: HashSet<String> = labels.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), children.len(), "{texts:?}");

    let mut hoa_binh: Vec<String> = labels
        .iter()
        .filter(|l| l.name == "Thôn Hòa Bình")
        .map(|l| {
            assert!(l.code.is_none(), "{l:?}");
            l.former.clone().expect("former commune")
        })
        .collect();
    hoa_binh.sort();
    assert_eq!(hoa_binh, ["Hạ Mỗ", "Hồng Hà", "Liên Hà", "Liên Hồng"]);
    let hong_ha = labels
        .iter()
        .find(|l| l.former.as_deref() == Some("Hồng Hà") && l.name == "Thôn Hòa Bình")
        .unwrap();
    assert_eq!(hong_ha.to_string(), "Thôn Hòa Bình (Hồng Hà cũ)");

    // Seven "Cụm dân cư số 1", one from each former commune.
    let clusters: HashSet<String> = labels
        .iter()
        .filter(|l| l.name == "Cụm dân cư số 1")
        .map(|l| l.former.clone().expect("former commune"))
        .collect();
    assert_eq!(clusters.len(), 7);

    // Before the merger, the same villages sat in their own communes: nothing to add.
    let hong_ha_2024 = id(db, "09796", date!(2024 - 01 - 01)).await;
    let before = units::labels_under(db, hong_ha_2024, date!(2024 - 01 - 01), 1)
        .await
        .unwrap();
    assert!(
        before
            .iter()
            .all(|l| l.former.is_none() && l.code.is_none())
    );
}

#[tokio::test]
async fn units_with_the_same_name_and_former_commune_fall_back_to_their_codes() {
    let test = merged().await;
    let db = &test.db;
    let actor = Actor::system("test");
    // Later, every unit of Xã Liên Minh moves under Xã Ô Diên on 2026-01-01. Its four
    // "Cụm dân cư số 1" (from Phương Đình, Thọ Xuân, Thọ An, Trung Châu in 2025) now all came
    // from Liên Minh: that tells them from Ô Diên's seven, not from each other.
    let lien_minh = id(db, "09793", AFTER).await;
    let o_dien = id(db, "09817", AFTER).await;
    let moves = units::children(db, lien_minh, AFTER)
        .await
        .unwrap()
        .into_iter()
        .map(|unit| PlanMove {
            unit: unit.id,
            new_parent: o_dien,
        })
        .collect();
    let plan = ReorganisationPlan {
        effective: date!(2026 - 01 - 01),
        basis: "test".to_owned(),
        lines: Vec::new(),
        moves,
        abolish_districts: false,
    };
    units::reorganise(db, &actor, &plan, false)
        .await
        .expect("the move");
    let day = date!(2026 - 01 - 02);
    let labels = units::labels_under(db, o_dien, day, 1).await.unwrap();
    let texts: HashSet<String> = labels.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), labels.len(), "{texts:?}");
    let clusters: Vec<_> = labels
        .iter()
        .filter(|l| l.name == "Cụm dân cư số 1")
        .collect();
    assert_eq!(clusters.len(), 11, "{clusters:?}");
    let by_code: Vec<_> = clusters.iter().filter(|l| l.code.is_some()).collect();
    assert_eq!(by_code.len(), 4, "{clusters:?}");
    for label in by_code {
        assert!(label.former.is_none());
        let code = label.code.as_deref().unwrap();
        assert_eq!(label.to_string(), format!("Cụm dân cư số 1 ({code})"));
    }
    assert_eq!(
        clusters
            .iter()
            .filter(|l| l.former.as_deref() == Some("Hồng Hà"))
            .count(),
        1
    );

    // A set mixing units of several communes is told apart within the set.
    let ids: Vec<_> = labels.iter().map(|l| l.id).collect();
    let set = units::labels_of(db, &ids, day).await.unwrap();
    let set_texts: HashSet<String> = set.iter().map(ToString::to_string).collect();
    assert_eq!(set_texts.len(), ids.len());
}

#[tokio::test]
async fn units_in_a_commune_officers_picker_read_differently_and_are_picked_by_label() {
    let test = merged().await;
    let db = &test.db;
    let o_dien = units::by_code(db, "09817", AFTER).await.unwrap();
    let officer = Actor::new(
        None,
        "o-dien:officer".to_owned(),
        vec![Grant {
            role: Role::Officer,
            unit_id: o_dien.id,
            unit_name: o_dien.name.clone(),
        }],
        false,
    );
    let options = units::picker_options(db, &officer, Permission::ReadDashboard, AFTER)
        .await
        .unwrap();
    // The commune first, then everything under it, each once.
    assert_eq!(options[0].label.id, o_dien.id);
    let children = units::children(db, o_dien.id, AFTER).await.unwrap();
    assert_eq!(options.len(), 1 + children.len());
    let texts: HashSet<String> = options.iter().map(|o| o.label.to_string()).collect();
    assert_eq!(texts.len(), options.len());
    assert!(
        options[1..]
            .iter()
            .all(|o| o.within.as_deref() == Some("Xã Ô Diên"))
    );

    let hong_ha = options
        .iter()
        .find(|o| o.label.to_string() == "Thôn Hòa Bình (Hồng Hà cũ)")
        .expect("told apart");
    let english = |l: &units::UnitLabel| match &l.former {
        Some(former) => format!("{} (formerly {former})", l.name),
        None => l.name.clone(),
    };
    assert_eq!(
        units::pick(&options, "thon hoa binh (hong ha cu)", english),
        Some(hong_ha.label.id)
    );
    assert_eq!(
        units::pick(&options, "Thôn Hòa Bình (formerly Hồng Hà)", english),
        Some(hong_ha.label.id)
    );
    assert_eq!(
        units::pick(&options, &hong_ha.label.id.to_string(), english),
        Some(hong_ha.label.id)
    );
    // The bare shared name picks nothing; a unit outside the scope neither.
    assert_eq!(units::pick(&options, "Thôn Hòa Bình", english), None);
    let elsewhere = id(db, "09793", AFTER).await;
    assert_eq!(units::pick(&options, &elsewhere.to_string(), english), None);
}

#[tokio::test]
async fn units_under_o_dien_read_differently_on_its_dashboard_and_monthly_report() {
    let test = merged().await;
    let db = &test.db;
    let day = langso_app::today();
    let o_dien = id(db, "09817", day).await;
    let actor = Actor::system("test");
    let board = langso_app::dashboard::dashboard(db, &actor, o_dien, day)
        .await
        .unwrap();
    let names: HashSet<&str> = board.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), board.children.len(), "{names:?}");
    assert!(names.contains("Thôn Hòa Bình (Hồng Hà cũ)"));
    let report = langso_app::dashboard::report_model(&board);
    let by_unit = report
        .sections
        .iter()
        .find(|s| s.title == "Theo đơn vị")
        .unwrap();
    assert!(by_unit.rows.iter().any(|row| matches!(
        row.first(),
        Some(langso_render::report::Cell::Text(t)) if t == "Thôn Hòa Bình (Liên Hà cũ)"
    )));
}
