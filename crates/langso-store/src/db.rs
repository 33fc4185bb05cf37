//! The database handle and its transaction, over SQLite or PostgreSQL.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use sqlx::migrate::{MigrateError, Migrator};

pub use crate::sqlite_tx::{SqliteTx, Writer};
use crate::{StoreError, StoreResult};

/// A pool of connections to the one database Langso runs on.
#[derive(Clone, Debug)]
pub enum Db {
    /// An embedded SQLite file (WAL, foreign keys on, busy timeout): the readers' pool and
    /// the one connection its writers take turns on (see [`Writer`]).
    Sqlite(SqlitePool, Writer),
    /// A PostgreSQL server, shared by any number of `langso serve` nodes.
    Postgres(PgPool),
}

/// A write transaction on either database. Dropped without [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub enum Tx {
    /// SQLite, on the [`Writer`]'s connection (the process's write turn until it commits or
    /// is dropped), begun with `BEGIN IMMEDIATE` so two writers never deadlock on the upgrade;
    /// its `BEGIN` and `COMMIT` go with other statements (see [`SqliteTx`]).
    Sqlite(SqliteTx),
    /// PostgreSQL.
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// The migrations this binary applies to SQLite.
pub(crate) static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
/// The migrations this binary applies to PostgreSQL (the same names).
pub(crate) static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// The refusal for a database that has `applied`, a migration `migrator` does not know.
pub(crate) fn schema_newer(applied: i64, migrator: &Migrator) -> StoreError {
    let known = migrator.iter().map(|m| m.version).max().unwrap_or(0);
    StoreError::SchemaNewer { applied, known }
}

/// How long a SQLite writer waits for the lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long an idle SQLite connection stays open (see `open_sqlite_file`).
const SQLITE_IDLE: Duration = Duration::from_secs(30);

/// Runs the same query code on whichever pool a [`Db`] holds.
///
/// `on_db!(db, pool => sqlx::query("…").fetch_all(pool).await)`
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool, _) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs the same query code on whichever connection a [`Tx`] holds; `$conn` is a
/// `&mut Connection`, so reborrow it (`&mut *conn`) for each query.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(transaction) => match transaction.conn().await {
                Ok($conn) => $body,
                Err(error) => Err(error.into()),
            },
            $crate::Tx::Postgres(transaction) => {
                let $conn = &mut **transaction;
                $body
            }
        }
    };
}

/// Where a read runs: on the pool, or inside a transaction that is about to write (so that
/// validation sees the transaction's own changes).
#[derive(Debug)]
pub enum Exec<'a> {
    /// Any pooled connection.
    Db(&'a Db),
    /// The open transaction.
    Tx(&'a mut Tx),
}

impl Exec<'_> {
    /// Whether the statement goes to PostgreSQL (for the few reads whose best form differs).
    pub fn is_postgres(&self) -> bool {
        matches!(self, Exec::Db(Db::Postgres(_)) | Exec::Tx(Tx::Postgres(_)))
    }

    /// The same place again, for a read that runs several queries.
    pub fn reborrow(&mut self) -> Exec<'_> {
        match self {
            Exec::Db(db) => Exec::Db(db),
            Exec::Tx(tx) => Exec::Tx(tx),
        }
    }
}

impl<'a> From<&'a Db> for Exec<'a> {
    fn from(db: &'a Db) -> Self {
        Exec::Db(db)
    }
}

impl<'a> From<&'a mut Tx> for Exec<'a> {
    fn from(tx: &'a mut Tx) -> Self {
        Exec::Tx(tx)
    }
}

/// Runs one query on whatever an [`Exec`] holds: `on_exec!(ex, e => query.fetch_all(e).await)`.
#[macro_export]
macro_rules! on_exec {
    ($exec:expr, $e:ident => $body:expr) => {
        match $exec {
            $crate::Exec::Db($crate::Db::Sqlite($e, _)) => $body,
            $crate::Exec::Db($crate::Db::Postgres($e)) => $body,
            $crate::Exec::Tx($crate::Tx::Sqlite(transaction)) => match transaction.conn().await {
                Ok($e) => $body,
                Err(error) => Err(error.into()),
            },
            $crate::Exec::Tx($crate::Tx::Postgres(transaction)) => {
                let $e = &mut **transaction;
                $body
            }
        }
    };
}

/// How a [`Db`] connects.
#[derive(Clone, Copy, Debug, Default)]
pub struct DbOptions {
    /// Connections the pool may open; `None`: [`DEFAULT_POSTGRES_POOL`] on PostgreSQL,
    /// [`DEFAULT_SQLITE_POOL`] on SQLite. With several nodes on one PostgreSQL server the sum
    /// over the nodes must stay under the server's `max_connections` (100 by default).
    pub pool_size: Option<u32>,
}

/// Connections a node opens to PostgreSQL unless told otherwise.
pub const DEFAULT_POSTGRES_POOL: u32 = 16;
/// Connections to a SQLite file unless told otherwise: the writer's one and seven readers.
pub const DEFAULT_SQLITE_POOL: u32 = 8;

impl Db {
    /// Opens the database named by `url`: `postgres://…` for PostgreSQL, otherwise a SQLite
    /// file (`sqlite://path`, `sqlite:path` or a plain path), created if missing. Migrations
    /// are applied, so a first start needs nothing else.
    pub async fn open(url: &str) -> StoreResult<Db> {
        Db::open_with(url, DbOptions::default()).await
    }

    /// [`Db::open`] with a chosen pool size.
    pub async fn open_with(url: &str, options: DbOptions) -> StoreResult<Db> {
        let db = Db::connect_with(url, options).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Connects without migrating.
    pub async fn connect(url: &str) -> StoreResult<Db> {
        Db::connect_with(url, DbOptions::default()).await
    }

    /// Connects without migrating, with a chosen pool size.
    pub async fn connect_with(url: &str, db_options: DbOptions) -> StoreResult<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // Random reads cost little more than sequential ones when the tables sit on an SSD
            // or in memory, as they do for every installation we know. With PostgreSQL's
            // default (4) the planner sums a province's ~2,000 villages by scanning a
            // national table instead of looking each village up (100 ms against 13 ms).
            let options = PgConnectOptions::from_str(url)?.options([("random_page_cost", "1.1")]);
            let pool = PgPoolOptions::new()
                .max_connections(db_options.pool_size.unwrap_or(DEFAULT_POSTGRES_POOL).max(1))
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            return Ok(Db::Postgres(pool));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        Db::open_sqlite_file(
            Path::new(path),
            db_options.pool_size.unwrap_or(DEFAULT_SQLITE_POOL).max(1),
        )
        .await
    }

    async fn open_sqlite_file(path: &Path, pool_size: u32) -> StoreResult<Db> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        // A connection to a local file cannot go stale, and sqlx's check before each use
        // is a round trip to the connection's thread: it doubled the cost of a small read.
        // Connections idle for half a minute are closed, giving back their page cache and
        // prepared statements (a few MB each) once a load has passed.
        let pools = |size: u32| {
            SqlitePoolOptions::new()
                .max_connections(size)
                .test_before_acquire(false)
                .idle_timeout(SQLITE_IDLE)
                .acquire_timeout(BUSY_TIMEOUT)
        };
        // `pool_size` counts the writer's connection too.
        let readers = pools(pool_size.saturating_sub(1).max(1))
            .connect_with(options.clone())
            .await?;
        // The writer leaves checkpoints to a task of their own (see `Writer`).
        let writer = pools(1)
            .connect_with(options.pragma("wal_autocheckpoint", "0"))
            .await?;
        Ok(Db::Sqlite(readers.clone(), Writer::new(writer, readers)))
    }

    /// Applies the migrations of this database's dialect.
    /// A database that holds a migration this binary does not know (written by a newer
    /// version) is refused with [`StoreError::SchemaNewer`], before anything is changed.
    pub async fn migrate(&self) -> StoreResult<()> {
        let (migrator, ran) = match self {
            Db::Sqlite(pool, _) => (&SQLITE_MIGRATIONS, SQLITE_MIGRATIONS.run(pool).await),
            Db::Postgres(pool) => (&POSTGRES_MIGRATIONS, POSTGRES_MIGRATIONS.run(pool).await),
        };
        match ran {
            Err(MigrateError::VersionMissing(applied)) => Err(schema_newer(applied, migrator)),
            other => Ok(other?),
        }
    }

    /// Begins a write transaction.
    pub async fn begin(&self) -> StoreResult<Tx> {
        Ok(match self {
            Db::Sqlite(_, writer) => Tx::Sqlite(writer.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Begins a write transaction for a bulk load (a register import): on SQLite, on a
    /// connection of its own that is closed afterwards, with a wider page cache, temporary
    /// storage in memory and foreign-key enforcement off. With enforcement on, SQLite keeps a
    /// statement journal for every multi-row INSERT and looks up each row's parents; the
    /// loader checks its references itself (see `households::bulk::check_units_exist`). The connection never goes back to
    /// the pool, so no other transaction runs without foreign keys or with the larger cache.
    /// On PostgreSQL this is [`Db::begin`].
    pub async fn begin_bulk_load(&self, cache_mb: u32) -> StoreResult<Tx> {
        let Db::Sqlite(_, writer) = self else {
            return self.begin().await;
        };
        let mut connection = writer.acquire().await?;
        connection.close_on_drop();
        // Any statement journal this transaction still needs stays in memory: on disk it wrote
        // each page a statement touched to a temporary file, twice the writes of the WAL.
        for pragma in ["PRAGMA foreign_keys = OFF", "PRAGMA temp_store = MEMORY"] {
            sqlx::query(pragma).execute(&mut *connection).await?;
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "PRAGMA cache_size = -{}",
            u64::from(cache_mb) * 1024
        )))
        .execute(&mut *connection)
        .await?;
        let transaction = writer.begin_on(connection).await?;
        Ok(Tx::Sqlite(transaction))
    }

    /// Whether the database answers: used by `/readyz`.
    pub async fn ping(&self) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// "sqlite" or "postgres", for logs and the readiness answer.
    pub fn dialect_name(&self) -> &'static str {
        match self {
            Db::Sqlite(..) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Closes every connection (on shutdown, so SQLite checkpoints its WAL).
    pub async fn close(&self) {
        if let Db::Sqlite(_, writer) = self {
            writer.close().await;
        }
        on_db!(self, pool => pool.close().await);
    }
}

/// Drops every table of a PostgreSQL database (for `langso demo --reset` and test clean-up);
/// does nothing on SQLite, whose files are deleted instead.
pub async fn wipe_postgres(db: &Db) -> StoreResult<()> {
    if let Db::Postgres(pool) = db {
        sqlx::query("DROP SCHEMA public CASCADE")
            .execute(pool)
            .await?;
        sqlx::query("CREATE SCHEMA public").execute(pool).await?;
    }
    Ok(())
}

impl Tx {
    /// Commits the transaction.
    pub async fn commit(self) -> StoreResult<()> {
        match self {
            Tx::Sqlite(transaction) => transaction.commit().await?,
            Tx::Postgres(transaction) => transaction.commit().await?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    fn file_names(dialect: &str) -> BTreeSet<String> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(dialect);
        std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn both_dialects_have_the_same_migration_files() {
        let sqlite = file_names("sqlite");
        let postgres = file_names("postgres");
        assert!(!sqlite.is_empty(), "no SQLite migrations found");
        assert_eq!(
            sqlite, postgres,
            "migrations/sqlite and migrations/postgres differ"
        );
    }

    /// A bulk load's connection (foreign keys off, a wide cache) is closed after it commits
    /// or rolls back: every connection the pool hands out afterwards enforces foreign keys.
    #[tokio::test]
    async fn a_bulk_load_connection_never_returns_to_the_pool() {
        let dir = std::env::temp_dir().join(format!("langso-bulk-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = super::Db::open(&dir.join("bulk.db").to_string_lossy())
            .await
            .unwrap();
        let mut tx = db.begin_bulk_load(8).await.unwrap();
        let dangling = "INSERT INTO unit_counters (unit_id, key, value) VALUES ($1, 'x', 1)";
        crate::on_tx!(&mut tx, c => sqlx::query(dangling).bind(uuid::Uuid::now_v7()).execute(&mut *c).await.map(|_| ()))
            .expect("no foreign-key enforcement on the bulk connection");
        drop(tx);
        db.begin_bulk_load(8).await.unwrap().commit().await.unwrap();
        let super::Db::Sqlite(pool, _) = &db else {
            unreachable!("a file path opens SQLite")
        };
        let mut held = Vec::new();
        for _ in 1..super::DEFAULT_SQLITE_POOL {
            held.push(pool.acquire().await.unwrap());
        }
        for connection in &mut held {
            let enforced: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                .fetch_one(&mut **connection)
                .await
                .unwrap();
            assert_eq!(enforced, 1);
        }
        drop(held);
        let mut tx = db.begin().await.unwrap();
        let refused = crate::on_tx!(&mut tx, c => sqlx::query(dangling).bind(uuid::Uuid::now_v7()).execute(&mut *c).await.map(|_| ()));
        assert!(refused.is_err(), "foreign keys enforced again");
        drop(tx);
        db.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
