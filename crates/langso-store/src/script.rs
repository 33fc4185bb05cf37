//! Writes gathered inside a transaction and sent together: a [`Script`].
//!
//! sqlx runs each SQLite connection on a thread of its own, and every statement is a round
//! trip to it: a message across threads and back, which on a small machine costs more than
//! the statement itself. A group of visits writes eight statements that need no answer (the
//! ledger rows, the households' values and marks, the audit entries, four counter upserts);
//! on SQLite a script sends them as one text, run in order by one round trip (sqlx binds `?`
//! parameters in order across the statements of one text). PostgreSQL takes one statement
//! per message with parameters, so there the script runs them one after the other.
//!
//! A script's text changes with the number of rows it carries, so it is prepared afresh each
//! time by default: caching every size would fill sqlx's per-connection cache with texts used
//! once. A small group (see [`Script::keep_prepared`]) recurs with the same few texts, and
//! preparing them is most of what SQLite does for one visit; those are kept prepared.
//!
//! A statement of the script that fails stops it there with the error; the transaction it ran
//! in is then rolled back by its owner, so nothing of the script remains.

use sqlx::{Postgres, QueryBuilder, Sqlite};

use crate::{StoreResult, Tx};

/// Statements waiting to be sent, in order (see the module's note).
pub enum Script {
    /// SQLite: one text, statements separated by `;`, their number, and whether to keep
    /// the text prepared.
    Sqlite(QueryBuilder<Sqlite>, usize, bool),
    /// PostgreSQL: one builder per statement, and whether to keep them prepared.
    Postgres(Vec<QueryBuilder<Postgres>>, bool),
}

impl Script {
    /// An empty script for the database `tx` runs on.
    pub fn for_tx(tx: &Tx) -> Script {
        match tx {
            Tx::Sqlite(..) => Script::Sqlite(QueryBuilder::new(""), 0, false),
            Tx::Postgres(_) => Script::Postgres(Vec::new(), false),
        }
    }

    /// Keeps the script's statements prepared on the connection (sqlx's statement cache), for
    /// scripts whose texts recur: those of small groups.
    pub fn keep_prepared(mut self, keep: bool) -> Script {
        match &mut self {
            Script::Sqlite(_, _, kept) | Script::Postgres(_, kept) => *kept = keep,
        }
        self
    }

    /// How many statements are waiting.
    pub fn len(&self) -> usize {
        match self {
            Script::Sqlite(_, n, _) => *n,
            Script::Postgres(list, _) => list.len(),
        }
    }

    /// Whether no statement is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The SQLite builder to write the next statement into.
    pub(crate) fn next_sqlite(q: &mut QueryBuilder<Sqlite>, n: &mut usize) {
        if *n > 0 {
            q.push(";\n");
        }
        *n += 1;
    }

    /// Sends every statement inside `tx`, in order.
    pub async fn run(self, tx: &mut Tx) -> StoreResult<()> {
        match (self, tx) {
            (Script::Sqlite(_, 0, _), _) => Ok(()),
            (Script::Sqlite(mut q, _, keep), Tx::Sqlite(transaction, _)) => {
                q.build()
                    .persistent(keep)
                    .execute(&mut **transaction)
                    .await?;
                Ok(())
            }
            (Script::Postgres(list, keep), Tx::Postgres(transaction)) => {
                for mut q in list {
                    q.build()
                        .persistent(keep)
                        .execute(&mut **transaction)
                        .await?;
                }
                Ok(())
            }
            (Script::Postgres(list, _), Tx::Sqlite(..)) if list.is_empty() => Ok(()),
            // Only a script made for another transaction's database gets here.
            _ => Err(sqlx::Error::Protocol(
                "a script was run on a database it was not written for".to_owned(),
            )
            .into()),
        }
    }
}

/// Writes the next statement of a script: `$q` is a `QueryBuilder` of the script's database,
/// positioned for a new statement; `$body` pushes the statement (its text and bound values).
#[macro_export]
macro_rules! in_script {
    ($script:expr, $q:ident => $body:expr) => {
        match $script {
            $crate::Script::Sqlite(builder, n, _) => {
                $crate::Script::next_sqlite(builder, n);
                let $q = builder;
                $body
            }
            $crate::Script::Postgres(list, _) => {
                list.push(sqlx::QueryBuilder::new(""));
                let $q = list.last_mut().expect("just pushed");
                $body
            }
        }
    };
}
