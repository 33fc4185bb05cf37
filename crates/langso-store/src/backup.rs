//! Backups of a SQLite database and their checks, with SQLite's own machinery: `VACUUM INTO`
//! copies a consistent snapshot while the server keeps writing (it reads inside one
//! transaction, so the copy holds exactly the writes committed before it began), and
//! `PRAGMA integrity_check` checks a copy. PostgreSQL is backed up with its own `pg_dump` and
//! `pg_restore` (see the binary's `backup` command and the README), never a home-made dump.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use crate::db::{SQLITE_MIGRATIONS, schema_newer};
use crate::{Db, StoreError, StoreResult};

/// What the check of a SQLite file found: it passed `integrity_check` and its schema is one
/// this binary knows.
#[derive(Clone, Debug)]
pub struct FileCheck {
    /// Every table of ours with its number of rows, by name.
    pub tables: Vec<(String, i64)>,
    /// The newest migration applied to the file (0 when none).
    pub schema: i64,
}

impl FileCheck {
    /// The number of rows of `table` (0 when the file has no such table).
    pub fn rows(&self, table: &str) -> i64 {
        self.tables
            .iter()
            .find(|(name, _)| name == table)
            .map_or(0, |(_, rows)| *rows)
    }
}

/// Copies the running SQLite database into `out` (which must not exist yet) and flushes the
/// copy to disk. Writers go on meanwhile; the copy is the database as it was when the copy began.
pub async fn sqlite_copy(db: &Db, out: &Path) -> StoreResult<()> {
    let Db::Sqlite(pool, _) = db else {
        return Err(StoreError::Corrupt(
            "VACUUM INTO copies SQLite databases only; PostgreSQL uses pg_dump".to_owned(),
        ));
    };
    if out.exists() {
        return Err(io_error(out, "already exists; name a new file"));
    }
    let target = out
        .to_str()
        .ok_or_else(|| io_error(out, "is not a UTF-8 path"))?;
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(pool)
        .await?;
    sync_file(out)?;
    Ok(())
}

/// Checks a SQLite file without changing it: that it is a SQLite database, passes
/// `PRAGMA integrity_check`, and holds no migration this binary does not know (a file written
/// by a newer version). Answers the row count of every table.
pub async fn check_sqlite_file(path: &Path) -> StoreResult<FileCheck> {
    let mut header = [0u8; 16];
    File::open(path)
        .and_then(|mut file| file.read_exact(&mut header))
        .map_err(|e| io_error(path, &e.to_string()))?;
    if &header != b"SQLite format 3\0" {
        return Err(io_error(path, "is not a SQLite database"));
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .read_only(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    let checked = check_open_file(&pool).await;
    pool.close().await;
    checked
}

async fn check_open_file(pool: &sqlx::SqlitePool) -> StoreResult<FileCheck> {
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(pool)
        .await?;
    if problems.as_slice() != ["ok"] {
        let shown: Vec<_> = problems.into_iter().take(5).collect();
        return Err(StoreError::Corrupt(format!(
            "integrity_check failed: {}",
            shown.join("; ")
        )));
    }
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    if !names.iter().any(|name| name == "_sqlx_migrations") {
        return Err(StoreError::Corrupt(
            "the file is a SQLite database but not a Langso one (no migrations table)".to_owned(),
        ));
    }
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(pool)
            .await?;
    if let Some(unknown) = applied
        .iter()
        .find(|version| !SQLITE_MIGRATIONS.version_exists(**version))
    {
        return Err(schema_newer(*unknown, &SQLITE_MIGRATIONS));
    }
    let mut tables = Vec::new();
    for name in names.into_iter().filter(|n| n != "_sqlx_migrations") {
        // The name comes from the file's own catalogue; quoted as an identifier.
        let sql = format!("SELECT COUNT(*) FROM \"{}\"", name.replace('"', "\"\""));
        let rows: i64 = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_one(pool)
            .await?
            .try_get(0)?;
        tables.push((name, rows));
    }
    Ok(FileCheck {
        tables,
        schema: applied.last().copied().unwrap_or(0),
    })
}

/// Replaces the SQLite database at `database` by the backup `from`, which is checked first
/// (refused if damaged or newer). The copy is written beside the database, flushed, and
/// renamed over it; the replaced database is kept as `<database>.before-restore` (with its
/// WAL, if it had one). Call it only while no server uses the database (see [`ServerLock`]).
pub async fn sqlite_restore(from: &Path, database: &Path) -> StoreResult<FileCheck> {
    let check = check_sqlite_file(from).await?;
    let beside = with_suffix(database, ".restoring");
    std::fs::copy(from, &beside).map_err(|e| io_error(&beside, &e.to_string()))?;
    sync_file(&beside)?;
    if database.exists() {
        let kept = with_suffix(database, ".before-restore");
        rename(database, &kept)?;
        let wal = with_suffix(database, "-wal");
        if wal.exists() {
            rename(&wal, &with_suffix(&kept, "-wal"))?;
        }
        let shm = with_suffix(database, "-shm");
        if shm.exists() {
            std::fs::remove_file(&shm).map_err(|e| io_error(&shm, &e.to_string()))?;
        }
    }
    rename(&beside, database)?;
    if let Some(dir) = database.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The renames themselves reach the disk only when the directory is flushed.
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io_error(dir, &e.to_string()))?;
    }
    Ok(check)
}

/// The lock a server holds on `<database>.lock` while it runs, so that `langso restore` can
/// tell that the database is in use. Servers share it; a restore needs it alone. The operating
/// system releases it when the process ends, even by `kill -9`.
#[derive(Debug)]
pub struct ServerLock {
    _file: File,
}

impl ServerLock {
    /// The lock file of a SQLite database.
    pub fn path(database: &Path) -> PathBuf {
        with_suffix(database, ".lock")
    }

    /// Held by a running server (shared: several servers, or a server and the CLI, may hold it).
    pub fn serving(database: &Path) -> StoreResult<ServerLock> {
        let file = Self::open(database)?;
        file.lock_shared()
            .map_err(|e| io_error(&Self::path(database), &e.to_string()))?;
        Ok(ServerLock { _file: file })
    }

    /// Taken by a restore: `None` when a server holds the lock.
    pub fn alone(database: &Path) -> StoreResult<Option<ServerLock>> {
        let file = Self::open(database)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(ServerLock { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(io_error(&Self::path(database), &e.to_string()))
            }
        }
    }

    fn open(database: &Path) -> StoreResult<File> {
        let path = Self::path(database);
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_error(&path, &e.to_string()))
    }
}

/// `path` with `suffix` added to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn rename(from: &Path, to: &Path) -> StoreResult<()> {
    std::fs::rename(from, to).map_err(|e| io_error(from, &format!("cannot be renamed: {e}")))
}

fn sync_file(path: &Path) -> StoreResult<()> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error(path, &e.to_string()))
}

fn io_error(path: &Path, what: &str) -> StoreError {
    StoreError::File(format!("{} {what}", path.display()))
}
