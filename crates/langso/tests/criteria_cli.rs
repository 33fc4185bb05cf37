//! `langso criteria export` and `langso criteria import` against the built binary and a real
//! database (SQLite, or PostgreSQL with LANGSO_TEST_DATABASE_URL): a set exported by province
//! and by id, checked with --dry-run (nothing written), imported as a new version, and a
//! broken file refused with its problems named.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

use langso_app::progress::NoProgress;
use langso_app::{Actor, criteria, demo};
use langso_store::testing::TestDb;

fn langso(url: &str, args: &[&str]) -> Output {
    langso_in("vi_VN.UTF-8", url, args)
}

/// The binary run with `LANG` set: refusals are worded in Vietnamese, or English for "en…".
fn langso_in(lang: &str, url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_langso"))
        .args(args)
        .args(["--database-url", url])
        .env("RUST_LOG", "error")
        .env("LANG", lang)
        .output()
        .expect("the langso binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_set_goes_out_to_a_file_and_back_as_a_new_version() {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let by_province = dir.path().join("ha-noi.json");
    let out = langso(
        test.url(),
        &[
            "criteria",
            "export",
            "--province",
            "01",
            "--out",
            by_province.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&by_province).unwrap()).unwrap();
    assert_eq!(file["province"], "01");
    assert_eq!(file["criteria"].as_array().unwrap().len(), 13);
    // By id: the same file.
    let sets = criteria::list_sets(&test.db).await.unwrap();
    assert_eq!(sets.len(), 1);
    let by_id = dir.path().join("by-id.json");
    let id = sets[0].id.to_string();
    let out = langso(
        test.url(),
        &[
            "criteria",
            "export",
            "--set",
            &id,
            "--out",
            by_id.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read(&by_id).unwrap(),
        std::fs::read(&by_province).unwrap()
    );
    // A province without a set in force is named.
    let out = langso(
        test.url(),
        &[
            "criteria",
            "export",
            "--province",
            "79",
            "--out",
            by_id.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("không có bộ tiêu chí"),
        "{}",
        text(&out.stderr)
    );

    // A dry run checks and writes nothing; the import writes version 2, audited.
    let path = by_province.to_str().unwrap();
    let out = langso(test.url(), &["criteria", "import", path, "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("chạy thử"));
    assert_eq!(criteria::list_sets(&test.db).await.unwrap().len(), 1);
    let out = langso(test.url(), &["criteria", "import", path]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(" v2:"), "{}", text(&out.stdout));
    let sets = criteria::list_sets(&test.db).await.unwrap();
    assert_eq!(sets.len(), 2);
    assert!(
        sets.iter()
            .any(|s| s.version == 2 && s.criteria.len() == 13)
    );
    let log = langso_app::audit::list(
        &test.db,
        &Actor::system("test"),
        &langso_app::audit::AuditQuery {
            action: Some("criteria.import".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(log.iter().any(|r| r.actor_label.starts_with("cli:")));

    // A set for an unknown province, and a file that does not parse: refused, nothing written.
    let mut bad = file.clone();
    bad["province"] = "98".into();
    let bad_path = dir.path().join("bad.json");
    std::fs::write(&bad_path, serde_json::to_vec(&bad).unwrap()).unwrap();
    let out = langso(
        test.url(),
        &[
            "criteria",
            "import",
            bad_path.to_str().unwrap(),
            "--dry-run",
        ],
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("không có tỉnh mã \"98\""), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!stderr.contains("criteria-"), "no bare key: {stderr}");
    // In English when the operator's LANG says so.
    let args = [
        "criteria",
        "import",
        bad_path.to_str().unwrap(),
        "--dry-run",
    ];
    let stderr = text(&langso_in("en_GB.UTF-8", test.url(), &args).stderr);
    assert!(stderr.contains("no province with this code"), "{stderr}");
    assert!(!stderr.contains("không có tỉnh"), "{stderr}");
    std::fs::write(&bad_path, b"{ not json").unwrap();
    let out = langso(
        test.url(),
        &["criteria", "import", bad_path.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("không đọc được"));
    assert_eq!(criteria::list_sets(&test.db).await.unwrap().len(), 2);
}
