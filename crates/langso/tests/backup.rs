//! Backups and restores with the built `langso` binary:
//! - SQLite: a backup taken while a task keeps writing audit rows restores to a database that
//!   passes `integrity_check` and holds every write acknowledged before the backup began; a
//!   restore is refused while a server holds the database, and for a damaged or newer file; a
//!   binary older than the database refuses to start and says why;
//! - PostgreSQL (with LANGSO_TEST_DATABASE_URL and the server's tools installed): `langso backup`
//!   runs `pg_dump`, and `pg_restore` of that dump gives a database this binary opens, with
//!   the same rows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use langso_store::audit::{AuditRow, record};
use langso_store::backup::ServerLock;
use langso_store::testing::{TEST_DATABASE_URL, TestDb};
use langso_store::{Db, on_db};

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

/// Writes audit row number `n` (target id `n`) in its own transaction.
async fn write(db: &Db, n: i64) {
    let mut tx = db.begin().await.unwrap();
    let row = AuditRow {
        id: uuid::Uuid::now_v7(),
        at: time::OffsetDateTime::now_utc(),
        actor_id: None,
        actor_label: "load".into(),
        action: "backup.load".into(),
        target_type: "load".into(),
        target_id: n.to_string(),
        unit_id: None,
        summary: String::new(),
    };
    record(&mut tx, &row).await.unwrap();
    tx.commit().await.unwrap();
}

/// The target ids of the load rows in `db`.
async fn written(db: &Db) -> Vec<i64> {
    let sql = "SELECT target_id FROM audit_log WHERE action = 'backup.load'";
    let ids: Vec<String> =
        on_db!(db, pool => sqlx::query_scalar(sql).fetch_all(pool).await).unwrap();
    let mut ids: Vec<i64> = ids.into_iter().map(|s| s.parse().unwrap()).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_restores_every_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let url = format!("sqlite://{}", live.display());
    let db = Db::open(&url).await.unwrap();
    // The writer: one row per transaction, counting the acknowledged ones.
    let acked = Arc::new(AtomicI64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, acked, stop) = (db.clone(), acked.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                write(&db, n).await;
                n += 1;
                acked.store(n, Ordering::SeqCst);
            }
        })
    };
    while acked.load(Ordering::SeqCst) < 300 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let before = acked.load(Ordering::SeqCst);
    let copy = dir.path().join("copy.db");
    let (u, c) = (url.clone(), copy.to_string_lossy().into_owned());
    let backup =
        tokio::task::spawn_blocking(move || langso(&["backup", "--database-url", &u, "--out", &c]))
            .await
            .unwrap();
    let during = acked.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    assert!(backup.status.success(), "{}", text(&backup));
    assert!(
        text(&backup).contains("integrity_check: ok"),
        "{}",
        text(&backup)
    );
    assert!(during > before, "the writer kept writing during the backup");

    // While a server holds the database, a restore is refused and changes nothing.
    let lock = ServerLock::serving(&live).unwrap();
    let refused = langso(&["restore", &copy.to_string_lossy(), "--database-url", &url]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("server is running"),
        "{}",
        text(&refused)
    );
    drop(lock);
    let all = written(&db).await.len();
    db.close().await;

    let restored = langso(&["restore", &copy.to_string_lossy(), "--database-url", &url]);
    assert!(restored.status.success(), "{}", text(&restored));
    assert!(dir.path().join("live.db.before-restore").exists());
    let db = Db::open(&url).await.unwrap();
    let ok: String =
        on_db!(&db, pool => sqlx::query_scalar("PRAGMA integrity_check").fetch_one(pool).await)
            .unwrap();
    assert_eq!(ok, "ok");
    let ids = written(&db).await;
    // Every write acknowledged before the backup began is there, each once, and nothing that
    // was never written; writes after the backup (up to `all`) are not required.
    assert!(ids.len() as i64 >= before && ids.len() <= all);
    assert!(ids.iter().enumerate().all(|(i, id)| *id == i as i64));
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn damaged_or_newer_files_are_refused_and_an_older_binary_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let url = format!("sqlite://{}", live.display());
    let db = Db::open(&url).await.unwrap();
    write(&db, 0).await;
    db.close().await;

    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![7u8; 8192]).unwrap();
    let refused = langso(&[
        "restore",
        &garbage.to_string_lossy(),
        "--database-url",
        &url,
    ]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("not a SQLite database"),
        "{}",
        text(&refused)
    );

    // A copy that a newer langso has migrated further.
    let newer = dir.path().join("newer.db");
    let made = langso(&[
        "backup",
        "--database-url",
        &url,
        "--out",
        &newer.to_string_lossy(),
    ]);
    assert!(made.status.success(), "{}", text(&made));
    let future = Db::connect(&format!("sqlite://{}", newer.display()))
        .await
        .unwrap();
    let sql = "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
               execution_time) VALUES (99999, 'from the future', TRUE, x'00', 0)";
    on_db!(&future, pool => sqlx::query(sql).execute(pool).await.map(|_| ())).unwrap();
    future.close().await;
    let refused = langso(&["restore", &newer.to_string_lossy(), "--database-url", &url]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("newer than this langso binary"),
        "{}",
        text(&refused)
    );
    assert!(
        !dir.path().join("live.db.before-restore").exists(),
        "nothing changed"
    );

    let newer_url = format!("sqlite://{}", newer.display());
    let started = langso(&["migrate", "--database-url", &newer_url]);
    assert!(!started.status.success());
    assert!(
        text(&started).contains("it has migration 99999"),
        "{}",
        text(&started)
    );
}

/// A PostgreSQL tool from the PATH or Debian's /usr/lib/postgresql/*/bin.
fn pg_tool(name: &str) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| Some(e.ok()?.path().join("bin").join(name)))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found.pop().or_else(|| {
        Command::new(name)
            .arg("--version")
            .output()
            .ok()
            .map(|_| PathBuf::from(name))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_is_backed_up_with_pg_dump_and_restored_with_pg_restore() {
    if std::env::var(TEST_DATABASE_URL).is_ok_and(|u| u.is_empty())
        || std::env::var(TEST_DATABASE_URL).is_err()
    {
        eprintln!("skipped: {TEST_DATABASE_URL} is not set");
        return;
    }
    let Some(pg_restore) = pg_tool("pg_restore") else {
        eprintln!("skipped: pg_restore is not installed");
        return;
    };
    let source = TestDb::new().await.unwrap();
    for n in 0..50 {
        write(&source.db, n).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("langso.dump");
    let made = langso(&[
        "backup",
        "--database-url",
        source.url(),
        "--out",
        &dump.to_string_lossy(),
    ]);
    assert!(made.status.success(), "{}", text(&made));
    assert!(
        text(&made).contains("pg_restore reads it back"),
        "{}",
        text(&made)
    );

    // Restore into a fresh database, as the README tells an operator to.
    let target = TestDb::new().await.unwrap();
    langso_store::wipe_postgres(&target.db).await.unwrap();
    let restored = Command::new(pg_restore)
        .args(["--no-owner", "--exit-on-error", "--dbname", target.url()])
        .arg(&dump)
        .output()
        .unwrap();
    assert!(restored.status.success(), "{}", text(&restored));
    let started = langso(&["migrate", "--database-url", target.url()]);
    assert!(started.status.success(), "{}", text(&started));
    assert_eq!(written(&target.db).await, (0..50).collect::<Vec<_>>());
}

/// h21b: an erasure done after a backup was taken is done again when that backup is restored
/// (the ledger file beside the database survives the restore).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_after_the_backup_is_re_applied_by_the_restore() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let url = format!("sqlite://{}", live.display());
    let db = Db::open(&url).await.unwrap();
    langso_app::demo::build_small(&db, &langso_app::progress::NoProgress)
        .await
        .unwrap();
    let sql = "SELECT id FROM households WHERE erased = FALSE ORDER BY code LIMIT 1";
    let id: uuid::Uuid =
        on_db!(&db, pool => sqlx::query_scalar(sql).fetch_one(pool).await).unwrap();
    db.close().await;
    let copy = dir.path().join("older.db");
    let made = langso(&[
        "backup",
        "--database-url",
        &url,
        "--out",
        &copy.to_string_lossy(),
    ]);
    assert!(made.status.success(), "{}", text(&made));

    let db = Db::open(&url).await.unwrap();
    let system = langso_app::Actor::system("test");
    langso_app::households::erase_household(&db, &system, id)
        .await
        .unwrap();
    db.close().await;
    let ledger = std::fs::read_to_string(dir.path().join("live.db.erasures")).unwrap();
    assert_eq!(ledger.trim(), id.to_string(), "ids only, no personal data");

    let restored = langso(&["restore", &copy.to_string_lossy(), "--database-url", &url]);
    assert!(restored.status.success(), "{}", text(&restored));
    assert!(
        text(&restored).contains("1 household"),
        "{}",
        text(&restored)
    );
    let db = Db::open(&url).await.unwrap();
    let row = langso_store::households::get_household(&db, id)
        .await
        .unwrap()
        .unwrap();
    assert!(row.erased);
    assert!(row.citizen_id.is_none() && row.representative_phone.is_none());
    let sql = "SELECT summary FROM audit_log WHERE action = 'household.erase'";
    let summaries: Vec<String> =
        on_db!(&db, pool => sqlx::query_scalar(sql).fetch_all(pool).await).unwrap();
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("re-applied after a restore"))
    );
    // A second restore of the same backup erases it again, once.
    db.close().await;
    let again = langso(&["restore", &copy.to_string_lossy(), "--database-url", &url]);
    assert!(again.status.success(), "{}", text(&again));
    let db = Db::open(&url).await.unwrap();
    assert!(
        langso_store::households::get_household(&db, id)
            .await
            .unwrap()
            .unwrap()
            .erased
    );
    db.close().await;
}
