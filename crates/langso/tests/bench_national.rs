//! `langso bench national` on a small nation (two provinces' share of the tree, 2,000
//! households), so the command cannot rot: it builds the tree, imports through the import
//! path, prints every figure, and a second run over the same database resumes (imports
//! nothing again). PostgreSQL only: skipped with a message without LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

use langso_store::testing::{TEST_DATABASE_URL, TestDb};

fn langso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_langso"))
        .args(args)
        .env("RUST_LOG", "error")
        .env("LANG", "en_GB.UTF-8")
        .env_remove("LANGSO_DATABASE_URL")
        .env_remove("LANGSO_CONFIG")
        .output()
        .expect("the langso binary")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_nation_is_built_imported_and_measured() {
    if std::env::var(TEST_DATABASE_URL).map_or(true, |u| u.is_empty()) {
        eprintln!("skipped: {TEST_DATABASE_URL} is not set (bench national needs PostgreSQL)");
        return;
    }
    let test = TestDb::new().await.unwrap();
    let args = [
        "bench",
        "national",
        "--households",
        "2000",
        "--provinces",
        "2",
        "--samples",
        "4",
        "--writers",
        "2",
        "--database-url",
        test.url(),
    ];
    let first = langso(&args);
    let out = text(&first);
    assert!(first.status.success(), "{out}");
    assert!(
        out.contains("2 provinces, 195 communes, 3741 villages, 2000 households"),
        "{out}"
    );
    assert!(out.contains("import: 2000 households in "), "{out}");
    assert!(out.contains("bytes per household"), "{out}");
    assert!(out.contains("  households "), "{out}");
    for level in ["commune", "province", "nation"] {
        assert_eq!(
            out.matches(&format!("dashboard, {level}")).count(),
            2,
            "alone and under load: {out}"
        );
    }
    assert!(out.contains("while a node writes visits"), "{out}");
    assert!(out.contains(", 0 refused)"), "{out}");
    let provinces = langso_store::units::roots(&test.db, langso_app::today())
        .await
        .unwrap();
    assert_eq!(provinces.len(), 2);
    let counted: i64 = {
        let mut n = 0;
        for p in &provinces {
            n += langso_store::households::counters_under(&test.db, p.id, langso_app::today())
                .await
                .unwrap()
                .into_iter()
                .find(|(k, _)| k == "households")
                .map_or(0, |(_, v)| v);
        }
        n
    };
    assert_eq!(counted, 2000);

    let again = langso(&args);
    let out = text(&again);
    assert!(again.status.success(), "{out}");
    assert!(
        out.contains("import: every commune already holds its households"),
        "{out}"
    );
}
