//! A SQLite write transaction that sends its `BEGIN` and `COMMIT` with other statements.
//!
//! sqlx runs each SQLite connection on a thread of its own, and every message to it is a round
//! trip: a wake-up each way, which on a small machine costs more than a small statement. sqlx's
//! own transaction sends `BEGIN` and `COMMIT` as messages of their own, so a group of visits
//! cost four round trips (BEGIN, its read, its writes, COMMIT). Here the transaction is begun
//! with its first statement and committed with its last:
//!
//! - `BEGIN IMMEDIATE` waits until something is sent; a read that may go first asks for
//!   [`SqliteTx::begin_prefix`] and sends it in the same text.
//! - A [`crate::Script`] (writes that need no answer) is held, not sent: it goes with the
//!   transaction's next statement or, most often, in one text with `COMMIT`.
//!
//! Whatever runs a statement through [`SqliteTx::conn`] (the `on_tx!`/`on_exec!` macros do)
//! first gets everything held sent, in order, so a read inside the transaction always sees its
//! writes. A held script that fails reports its error at that point or at commit; either way
//! the transaction is then rolled back and nothing of it remains.
//!
//! Dropped before its commit, the transaction is rolled back by a task that holds the
//! connection until `ROLLBACK` has run (the writer's next turn waits for it); if no task can be
//! started, the connection is marked and the next turn rolls back first.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqlitePool;
use sqlx::{Sqlite, SqliteConnection};

use crate::StoreResult;

/// The connection a SQLite file's writers take turns on: a pool of one, so this process's
/// writers queue in order without sleeping (SQLite lets one transaction write at a time, and a
/// writer that finds the lock taken sleeps in its busy handler in steps of 1 to 100 ms: with
/// dozens of phones submitting visits at once p99 grew tenfold from 8 to 32 clients). The busy
/// timeout still guards against other processes (the CLI).
///
/// One connection also keeps its page cache: in WAL mode a commit empties the cache of every
/// *other* connection, so transactions begun on the readers' pool in turn started each with
/// dozens of page reads (79 `pread`s per visit against 14).
///
/// Checkpoints (copying the WAL back into the database file, with an `fsync`) are not left to
/// the commit that crosses SQLite's threshold of 1,000 pages, which then waited for the disk
/// (a group of visits writes a dozen pages, so that was every few dozen commits, and the mean
/// commit took twice the median): the writer's connection has `wal_autocheckpoint = 0`, and a
/// commit starts a passive checkpoint on a reader's connection at most every
/// [`CHECKPOINT_EVERY`], which runs beside the next writers.
#[derive(Clone, Debug)]
pub struct Writer {
    pool: SqlitePool,
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    /// Set while the connection may hold a transaction that was dropped unfinished.
    unfinished: AtomicBool,
    /// Where checkpoints run.
    readers: SqlitePool,
    /// When the last checkpoint started; `None` while one runs.
    checkpointed: Mutex<Option<Instant>>,
}

/// How often a busy writer has the WAL checkpointed.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

impl Writer {
    /// The writer over `pool` (one connection, `wal_autocheckpoint = 0`), checkpointing on a
    /// connection of `readers`.
    pub(crate) fn new(pool: SqlitePool, readers: SqlitePool) -> Writer {
        Writer {
            pool,
            shared: Arc::new(Shared {
                unfinished: AtomicBool::new(false),
                readers,
                checkpointed: Mutex::new(Some(Instant::now())),
            }),
        }
    }

    /// Waits for the turn (as long as SQLite's busy timeout would have waited) and begins a
    /// write transaction (its `BEGIN` goes with its first statement).
    pub async fn begin(&self) -> StoreResult<SqliteTx> {
        let conn = self.acquire().await?;
        self.begin_on(conn).await
    }

    /// The writer's connection, for a caller that sets it up before [`Writer::begin_on`].
    pub(crate) async fn acquire(&self) -> StoreResult<PoolConnection<Sqlite>> {
        Ok(self.pool.acquire().await?)
    }

    /// A transaction on the writer's connection (see [`Writer::begin`]).
    pub(crate) async fn begin_on(&self, conn: PoolConnection<Sqlite>) -> StoreResult<SqliteTx> {
        Ok(SqliteTx::new(conn, self.shared.clone()).await?)
    }

    /// Closes the writer's connection (the last connection to close checkpoints the WAL).
    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }
}

impl Shared {
    /// After a commit: starts a passive checkpoint when none ran for [`CHECKPOINT_EVERY`].
    fn checkpoint_soon(self: &Arc<Self>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        {
            let Ok(mut last) = self.checkpointed.lock() else {
                return;
            };
            match *last {
                Some(at) if at.elapsed() >= CHECKPOINT_EVERY => *last = None,
                _ => return,
            }
        }
        let shared = self.clone();
        runtime.spawn(async move {
            let outcome = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&shared.readers)
                .await;
            if let Err(error) = outcome {
                tracing::warn!(%error, "WAL checkpoint failed; trying again after the next commit");
            }
            if let Ok(mut last) = shared.checkpointed.lock() {
                *last = Some(Instant::now());
            }
        });
    }
}

/// Where a SQLite transaction stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Nothing sent yet: `BEGIN IMMEDIATE` goes with the first statement.
    Pending,
    /// Begun (or its `BEGIN` sent with a statement that may have failed).
    Open,
    /// Committed or rolled back.
    Done,
}

/// A write transaction on the SQLite writer's connection (see the module's note).
#[derive(Debug)]
pub struct SqliteTx {
    conn: Option<PoolConnection<Sqlite>>,
    state: State,
    /// Statements held back: one text (`?` parameters, taken in order) and its values.
    held: Option<(String, Vec<String>)>,
    /// What the writer's transactions share (a rollback left to do, checkpoints).
    shared: Arc<Shared>,
}

const BEGIN: &str = "BEGIN IMMEDIATE;\n";

impl SqliteTx {
    /// A transaction on `conn`, not yet begun. When an earlier transaction on this connection
    /// was dropped without its rollback running, it is rolled back first.
    async fn new(
        mut conn: PoolConnection<Sqlite>,
        shared: Arc<Shared>,
    ) -> Result<SqliteTx, sqlx::Error> {
        if shared.unfinished.swap(false, Ordering::AcqRel) {
            // "No transaction is active" when the connection was closed and opened anew.
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
        }
        Ok(SqliteTx {
            conn: Some(conn),
            state: State::Pending,
            held: None,
            shared,
        })
    }

    /// The connection, after everything held was sent (the `BEGIN`, a script), so that a
    /// statement run on it comes after them.
    pub async fn conn(&mut self) -> Result<&mut SqliteConnection, sqlx::Error> {
        let conn = self.conn.as_mut().ok_or(sqlx::Error::PoolClosed)?;
        match (self.state, self.held.take()) {
            (State::Pending, _) => {
                self.state = State::Open;
                sqlx::query(BEGIN.trim_end()).execute(&mut **conn).await?;
            }
            (_, Some((sql, values))) => send(conn, sql, values).await?,
            (_, None) => {}
        }
        Ok(&mut **conn)
    }

    /// `"BEGIN IMMEDIATE;\n"` for a statement about to be sent first, to go at the head of its
    /// text, or `""` when the transaction has begun. Call [`SqliteTx::conn`] after it (which
    /// then sends nothing more).
    pub fn begin_prefix(&mut self) -> &'static str {
        if self.state == State::Pending && self.held.is_none() {
            self.state = State::Open;
            BEGIN
        } else {
            ""
        }
    }

    /// Holds statements that need no answer until the next statement or the commit.
    pub(crate) fn hold(&mut self, sql: String, values: Vec<String>) {
        let (mut text, mut all) = self.held.take().unwrap_or_default();
        if text.is_empty() && self.state == State::Pending {
            self.state = State::Open;
            text.push_str(BEGIN);
        } else if !text.is_empty() {
            text.push_str(";\n");
        }
        text.push_str(&sql);
        all.extend(values);
        self.held = Some((text, all));
    }

    /// Sends what is held and `COMMIT`, in one text.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let conn = self.conn.as_mut().ok_or(sqlx::Error::PoolClosed)?;
        match (self.state, self.held.take()) {
            // Nothing was ever sent: there is nothing to commit.
            (State::Pending, _) | (State::Done, _) => {}
            (State::Open, Some((sql, values))) => {
                send(conn, format!("{sql};\nCOMMIT"), values).await?;
            }
            (State::Open, None) => {
                sqlx::query("COMMIT").execute(&mut **conn).await?;
            }
        }
        let wrote = self.state == State::Open;
        self.state = State::Done;
        if wrote {
            self.shared.checkpoint_soon();
        }
        Ok(())
    }
}

/// Sends one text with its `?` values bound in order (each statement's text is fixed, so the
/// text stays prepared).
async fn send(
    conn: &mut SqliteConnection,
    sql: String,
    values: Vec<String>,
) -> Result<(), sqlx::Error> {
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for value in values {
        query = query.bind(value);
    }
    query.execute(conn).await?;
    Ok(())
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        if self.state != State::Open {
            return;
        }
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        self.shared.unfinished.store(true, Ordering::Release);
        let shared = self.shared.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if sqlx::query("ROLLBACK").execute(&mut *conn).await.is_ok() {
                        shared.unfinished.store(false, Ordering::Release);
                    }
                });
            }
            // No runtime to roll back on: the connection is closed, which rolls back.
            Err(_) => conn.close_on_drop(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Db, Script, Tx, on_tx};

    async fn open() -> (Db, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("langso-tx-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::open(&dir.join("tx.db").to_string_lossy())
            .await
            .unwrap();
        crate::on_db!(&db, pool => sqlx::query("CREATE TABLE t (x INTEGER NOT NULL UNIQUE)").execute(pool).await.map(|_| ()))
            .unwrap();
        (db, dir)
    }

    fn insert(tx: &Tx, x: i64) -> Script {
        let mut script = Script::for_tx(tx);
        script.push_sqlite(
            "INSERT INTO t (x) SELECT value FROM json_each(?)",
            vec![format!("[{x}]")],
        );
        script
    }

    async fn count(db: &Db) -> i64 {
        crate::on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM t").fetch_one(pool).await)
            .unwrap()
    }

    async fn count_in(tx: &mut Tx) -> i64 {
        on_tx!(tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM t").fetch_one(&mut *c).await)
            .unwrap()
    }

    /// Held writes are seen by the transaction's next read, and go with the commit.
    #[tokio::test]
    async fn held_writes_come_before_later_statements_and_the_commit() {
        let (db, dir) = open().await;
        let mut tx = db.begin().await.unwrap();
        insert(&tx, 1).run(&mut tx).await.unwrap();
        assert_eq!(count(&db).await, 0, "nothing sent yet, nothing committed");
        assert_eq!(
            count_in(&mut tx).await,
            1,
            "the read sent the held insert first"
        );
        insert(&tx, 2).run(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(&db).await, 2);
        // A transaction that sends nothing commits nothing, and the writer goes on.
        db.begin().await.unwrap().commit().await.unwrap();
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A transaction dropped unfinished leaves nothing, and the next one runs.
    #[tokio::test]
    async fn a_dropped_transaction_is_rolled_back() {
        let (db, dir) = open().await;
        let mut tx = db.begin().await.unwrap();
        insert(&tx, 1).run(&mut tx).await.unwrap();
        assert_eq!(count_in(&mut tx).await, 1);
        drop(tx);
        let mut tx = db.begin().await.unwrap();
        assert_eq!(
            count_in(&mut tx).await,
            0,
            "rolled back before the next turn"
        );
        insert(&tx, 3).run(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(&db).await, 1);
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A held statement that fails is reported by the commit, and nothing of its transaction
    /// remains (the statement before it in the same text included).
    #[tokio::test]
    async fn a_failing_held_statement_fails_the_commit_and_leaves_nothing() {
        let (db, dir) = open().await;
        let mut tx = db.begin().await.unwrap();
        insert(&tx, 7).run(&mut tx).await.unwrap();
        insert(&tx, 7).run(&mut tx).await.unwrap();
        assert!(
            tx.commit().await.is_err(),
            "the second insert breaks the unique rule"
        );
        assert_eq!(count(&db).await, 0);
        let mut tx = db.begin().await.unwrap();
        insert(&tx, 8).run(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(&db).await, 1);
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
