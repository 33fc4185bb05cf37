//! `langso backup`, `langso restore` and the server's scheduled backups.
//!
//! SQLite: an online copy with `VACUUM INTO` (consistent while the server writes), checked with
//! `integrity_check` and row counts. PostgreSQL: the engine's own `pg_dump --format=custom`,
//! checked by `pg_restore --list`; restoring is `pg_restore` run by the operator (README).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use langso_app::Db;
use langso_store::backup::{FileCheck, ServerLock, check_sqlite_file, sqlite_copy, sqlite_restore};

use crate::sqlite_path;

/// The tables whose row counts a backup reports (all are checked; these are the ones people ask
/// about).
const REPORTED: [&str; 6] = [
    "units",
    "households",
    "visits",
    "assets",
    "users",
    "audit_log",
];

/// Scheduled backups while serving.
#[derive(clap::Args, Clone, Debug)]
pub(crate) struct Schedule {
    /// Take a backup this often while serving (`30m`, `6h`, `1d`); none when unset.
    #[arg(long, env = "LANGSO_BACKUP_EVERY", value_parser = parse_every)]
    backup_every: Option<Duration>,
    /// Keep this many scheduled backups; older ones are deleted.
    #[arg(long, env = "LANGSO_BACKUP_KEEP", default_value_t = 7)]
    backup_keep: usize,
    /// The folder of scheduled backups (default: `backups` beside a SQLite database, `./backups`
    /// for PostgreSQL).
    #[arg(long, env = "LANGSO_BACKUP_DIR")]
    backup_dir: Option<PathBuf>,
}

impl Schedule {
    /// How often backups are taken and how many are kept, when scheduled.
    pub(crate) fn schedule(&self) -> Option<(Duration, usize)> {
        self.backup_every
            .map(|every| (every, self.backup_keep.max(1)))
    }

    /// The folder of scheduled backups, when backups are scheduled or the folder is named.
    pub(crate) fn watched_dir(&self, url: &str) -> Option<PathBuf> {
        (self.backup_every.is_some() || self.backup_dir.is_some()).then(|| self.dir(url))
    }

    fn dir(&self, url: &str) -> PathBuf {
        self.backup_dir.clone().unwrap_or_else(|| {
            sqlite_path(url)
                .and_then(|p| Path::new(p).parent().map(|d| d.join("backups")))
                .unwrap_or_else(|| PathBuf::from("backups"))
        })
    }

    /// Starts the backup task when `--backup-every` is set. Each outcome is recorded for the
    /// operator's alerts under `node` (a failure opens the backup alert).
    pub(crate) fn start(
        &self,
        db: &Db,
        url: &str,
        node: String,
    ) -> Option<tokio::task::JoinHandle<()>> {
        let every = self.backup_every?;
        let dir = self.dir(url);
        let keep = self.backup_keep.max(1);
        let (db, url) = (db.clone(), url.to_owned());
        tracing::info!(dir = %dir.display(), every = ?every, keep, "scheduled backups");
        Some(tokio::spawn(async move {
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            loop {
                tick.tick().await;
                let file = next_file(&url, &dir);
                let outcome = match scheduled(&db, &url, &dir, &file, keep).await {
                    Ok(()) => {
                        tracing::info!(file = %file.display(), "backup taken and checked");
                        Ok(())
                    }
                    Err(error) => {
                        tracing::error!(error = format!("{error:#}"), "backup failed");
                        Err(format!("{error:#}"))
                    }
                };
                let kind = langso_app::ops::SCHEDULED;
                if let Err(error) =
                    langso_app::ops::record_backup(&db, &node, kind, &file, outcome).await
                {
                    tracing::error!(%error, "backup outcome not recorded");
                }
            }
        }))
    }
}

/// The name of the next scheduled backup in `dir` (names sort by time).
fn next_file(url: &str, dir: &Path) -> PathBuf {
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default();
    let ext = if sqlite_path(url).is_some() {
        "db"
    } else {
        "dump"
    };
    dir.join(format!("langso-{stamp}.{ext}"))
}

async fn scheduled(db: &Db, url: &str, dir: &Path, file: &Path, keep: usize) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let file = file.to_owned();
    match db {
        Db::Sqlite(..) => {
            sqlite_copy(db, &file).await?;
            check_sqlite_file(&file).await?;
        }
        Db::Postgres(_) => {
            let (dir, url, out) = (dir.to_owned(), url.to_owned(), file.clone());
            tokio::task::spawn_blocking(move || pg_dump(&url, &out, &dir)).await??;
        }
    }
    prune(dir, keep)?;
    Ok(())
}

/// Deletes all but the newest `keep` scheduled backups (their names sort by time).
fn prune(dir: &Path, keep: usize) -> Result<()> {
    let mut taken: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("langso-") && (n.ends_with(".db") || n.ends_with(".dump"))
            })
        })
        .collect();
    taken.sort();
    let old = taken.len().saturating_sub(keep);
    for path in &taken[..old] {
        std::fs::remove_file(path).with_context(|| format!("cannot delete {}", path.display()))?;
    }
    Ok(())
}

/// `30s`, `15m`, `6h`, `1d`: a number (at most six digits) and a unit.
fn parse_every(text: &str) -> Result<Duration, String> {
    let refuse = || format!("{text:?}: write a number and s, m, h or d (e.g. 6h, 1d)");
    let unit = text.chars().last().ok_or_else(refuse)?;
    let digits = &text[..text.len() - unit.len_utf8()];
    if digits.is_empty() || digits.len() > 6 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(refuse());
    }
    let n: u64 = digits.parse().map_err(|_| refuse())?;
    let seconds = match unit {
        's' => n,
        'm' => n * 60,
        'h' => n * 3_600,
        'd' => n * 86_400,
        _ => return Err(refuse()),
    };
    if seconds < 10 {
        return Err(format!("{text:?}: at least 10 seconds between backups"));
    }
    Ok(Duration::from_secs(seconds))
}

/// `langso backup --out FILE`, its outcome recorded for the operator's alerts (a failure opens
/// the backup alert, a success resolves it) when the database can be reached.
pub(crate) async fn backup(url: &str, out: &Path) -> Result<()> {
    let done = backup_once(url, out).await;
    let outcome = done.as_ref().map(|_| ()).map_err(|e| format!("{e:#}"));
    match Db::connect(url).await {
        Ok(db) => {
            let node = langso_app::assets::mqtt::default_node("cli");
            let kind = langso_app::ops::MANUAL;
            if let Err(error) = langso_app::ops::record_backup(&db, &node, kind, out, outcome).await
            {
                eprintln!("(the outcome was not recorded for the alerts: {error})");
            }
            db.close().await;
        }
        Err(error) => eprintln!("(the outcome was not recorded for the alerts: {error})"),
    }
    done
}

async fn backup_once(url: &str, out: &Path) -> Result<()> {
    let Some(path) = sqlite_path(url) else {
        let dir = out.parent().unwrap_or(Path::new(".")).to_owned();
        return pg_dump(url, out, &dir);
    };
    if !Path::new(path).exists() {
        bail!("there is no database at {path}");
    }
    let db = Db::connect(url).await?;
    let copied = sqlite_copy(&db, out).await;
    db.close().await;
    copied?;
    let check = check_sqlite_file(out)
        .await
        .with_context(|| format!("the copy {} does not pass its check", out.display()))?;
    println!(
        "Đã sao lưu và kiểm tra / backup written and checked: {}",
        out.display()
    );
    print_check(&check);
    Ok(())
}

/// `langso restore FILE`.
pub(crate) async fn restore(url: &str, from: &Path) -> Result<()> {
    let Some(path) = sqlite_path(url) else {
        bail!(
            "PostgreSQL is restored with its own tool: stop every langso node, then run\n  \
             pg_restore --clean --if-exists --no-owner --dbname 'postgres://…' {}\n\
             (see \"Backups\" in the README)",
            from.display()
        );
    };
    let path = Path::new(path);
    let Some(_alone) = ServerLock::alone(path)? else {
        bail!(
            "a langso server is running on {} (it holds {}): stop it first \
             (e.g. systemctl stop langso), then restore; nothing was changed",
            path.display(),
            ServerLock::path(path).display()
        );
    };
    let check = sqlite_restore(from, path)
        .await
        .with_context(|| format!("{} refused, nothing was changed", from.display()))?;
    println!(
        "Đã khôi phục / restored {} from {}; the previous database is kept as {}.before-restore",
        path.display(),
        from.display(),
        path.display()
    );
    print_check(&check);
    reapply_erasures(url, path).await
}

/// Erasures done since the backup was taken are done again: the ids in the ledger file beside
/// the database (which a restore does not replace) that the restored database does not hold
/// as erased. The restored database is migrated first, as the server would on start.
async fn reapply_erasures(url: &str, path: &Path) -> Result<()> {
    let ledger = langso_store::privacy::requests::ledger_file_of(path);
    let ids = langso_store::privacy::requests::read_ledger_file(&ledger)
        .with_context(|| format!("cannot read the erasure ledger {}", ledger.display()))?;
    if ids.is_empty() {
        return Ok(());
    }
    let db = Db::open(url).await?;
    let done = langso_app::privacy::requests::reapply_erasures(&db, &ids).await;
    db.close().await;
    let done = done.map_err(|e| anyhow::anyhow!("erasures not re-applied: {e:?}"))?;
    println!(
        "Đã xóa lại / erasures re-applied from {}: {done} household(s)",
        ledger.display()
    );
    Ok(())
}

fn print_check(check: &FileCheck) {
    println!(
        "  integrity_check: ok · schema: migration {} · {} tables",
        check.schema,
        check.tables.len()
    );
    for table in REPORTED {
        println!("  {table:<18} {:>10} rows", check.rows(table));
    }
}

/// Runs PostgreSQL's `pg_dump` (custom format) into `out`, then `pg_restore --list` to check
/// that the dump reads back. The password goes through `PGPASSWORD`, not the process list.
fn pg_dump(url: &str, out: &Path, _dir: &Path) -> Result<()> {
    if out.exists() {
        bail!("{} already exists; name a new file", out.display());
    }
    let (bare, password) = split_password(url);
    let mut dump = Command::new(pg_tool("pg_dump"));
    dump.args(["--format=custom", "--no-owner", "--file"])
        .arg(out)
        .arg("--dbname")
        .arg(&bare);
    if let Some(password) = &password {
        dump.env("PGPASSWORD", password);
    }
    let status = dump
        .status()
        .context("cannot run pg_dump (install postgresql-client)")?;
    if !status.success() {
        bail!("pg_dump failed ({status})");
    }
    let listed = Command::new(pg_tool("pg_restore"))
        .arg("--list")
        .arg(out)
        .output()
        .context("cannot run pg_restore")?;
    if !listed.status.success() {
        bail!("pg_restore cannot read the dump {}", out.display());
    }
    let tables = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter(|line| line.contains(" TABLE DATA "))
        .count();
    println!(
        "pg_dump: {} written; pg_restore reads it back ({tables} tables with data)",
        out.display()
    );
    Ok(())
}

/// A PostgreSQL tool: on the `PATH`, else the newest under /usr/lib/postgresql/*/bin (Debian
/// installs the server's tools there without putting them on the `PATH`).
pub(crate) fn pg_tool(name: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
        .unwrap_or(false);
    if on_path {
        return PathBuf::from(name);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin").join(name)))
        })
        .filter(|(_, path)| path.is_file())
        .collect();
    versions.sort();
    versions
        .pop()
        .map_or_else(|| PathBuf::from(name), |(_, path)| path)
}

/// The URL without its password, and the password.
fn split_password(url: &str) -> (String, Option<String>) {
    let (Some(scheme), Some(at)) = (url.find("://"), url.rfind('@')) else {
        return (url.to_owned(), None);
    };
    if at < scheme {
        return (url.to_owned(), None);
    }
    match url[scheme + 3..at].split_once(':') {
        Some((user, password)) => (
            format!("{}{user}{}", &url[..scheme + 3], &url[at..]),
            Some(password.to_owned()),
        ),
        None => (url.to_owned(), None),
    }
}

/// A server on a SQLite file holds its lock (shared) while it runs, so `langso restore` can
/// tell that the database is in use.
pub(crate) fn lock_while_serving(url: &str) -> Result<Option<langso_store::backup::ServerLock>> {
    let Some(path) = crate::sqlite_path(url) else {
        return Ok(None);
    };
    Ok(Some(langso_store::backup::ServerLock::serving(
        std::path::Path::new(path),
    )?))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn durations_and_passwords() {
        assert_eq!(parse_every("6h").unwrap(), Duration::from_secs(21_600));
        assert_eq!(parse_every("1d").unwrap(), Duration::from_secs(86_400));
        assert!(parse_every("5s").is_err());
        assert!(parse_every("h").is_err());
        assert!(parse_every("1w").is_err());
        assert_eq!(
            split_password("postgres://langso:s3cret@db:5432/langso"),
            (
                "postgres://langso@db:5432/langso".to_owned(),
                Some("s3cret".to_owned())
            )
        );
    }

    proptest! {
        #[test]
        fn any_duration_text_parses_or_is_refused(text in "\\PC{0,12}") {
            let _ = parse_every(&text);
        }
    }
}
