//! A backup that fails (into a path that cannot be written: under a regular file, which even
//! root cannot make a folder of) opens the backup alert; the next good backup resolves it and
//! becomes the last success every node reads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use langso_store::ops::{last_backup, recent_alerts};
use langso_store::testing::TestDb;
use time::OffsetDateTime;

fn backup(test: &TestDb, out: &std::path::Path) -> bool {
    Command::new(env!("CARGO_BIN_EXE_langso"))
        .arg("--database-url")
        .arg(test.url())
        .arg("backup")
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
        .status
        .success()
}

#[tokio::test]
async fn a_failed_backup_opens_an_alert_and_a_good_one_resolves_it() {
    let test = TestDb::new().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, b"not a folder").unwrap();
    let unwritable = blocker.join("langso.db");
    assert!(!backup(&test, &unwritable), "a backup under a file fails");
    assert!(!backup(&test, &unwritable), "and again");
    let alerts = recent_alerts(&test.db, OffsetDateTime::UNIX_EPOCH, 100)
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1, "one alert for two failures: {alerts:?}");
    assert_eq!(alerts[0].condition, "backup");
    assert_eq!(alerts[0].subject, blocker.display().to_string());
    assert!(alerts[0].resolved_at.is_none());
    assert!(last_backup(&test.db).await.unwrap().is_none());

    let good = dir.path().join("langso-good.db");
    if !backup(&test, &good) {
        eprintln!("SKIPPED the good half: this backend's backup tool is not installed");
        return;
    }
    let alerts = recent_alerts(&test.db, OffsetDateTime::UNIX_EPOCH, 100)
        .await
        .unwrap();
    assert!(alerts[0].resolved_at.is_some(), "{alerts:?}");
    let last = last_backup(&test.db).await.unwrap().unwrap();
    assert_eq!(last.file, good.display().to_string());
}
