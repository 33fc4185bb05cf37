//! Writes gathered inside a transaction and sent together: a [`Script`].
//!
//! sqlx runs each SQLite connection on a thread of its own, and every statement is a round
//! trip to it: a message across threads and back, which on a small machine costs more than
//! the statement itself. A group of visits writes eight statements that need no answer (the
//! ledger rows, the households' values and marks, the audit entries, four counter upserts);
//! on SQLite a script sends them as one text, run in order by one round trip (sqlx binds `?`
//! parameters in order across the statements of one text).
//!
//! Preparing a statement is most of what SQLite does for a small group, and a multi-row
//! `VALUES` list changes the text with every size, so nothing could be kept prepared. On
//! SQLite each statement therefore has one fixed text that reads its rows from one bound JSON
//! array (`json_each`; UUIDs as hex, `unhex` back to the 16-byte blobs sqlx writes; dates and
//! times in the texts sqlx writes): a script of a given shape has one text whatever its size,
//! kept prepared on each connection. PostgreSQL takes one statement per message with
//! parameters, so there a script runs its multi-row statements one after the other,
//! unprepared.
//!
//! A statement of the script that fails stops it there with the error; the transaction it ran
//! in is then rolled back by its owner, so nothing of the script remains.

use sqlx::{Postgres, QueryBuilder};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{StoreResult, Tx};

/// Statements waiting to be sent, in order (see the module's note).
pub enum Script {
    /// SQLite: one text, statements separated by `;`, and its `?` values in order.
    Sqlite(String, Vec<String>),
    /// PostgreSQL: one builder per statement.
    Postgres(Vec<QueryBuilder<Postgres>>),
}

impl Script {
    /// An empty script for the database `tx` runs on.
    pub fn for_tx(tx: &Tx) -> Script {
        match tx {
            Tx::Sqlite(..) => Script::Sqlite(String::new(), Vec::new()),
            Tx::Postgres(_) => Script::Postgres(Vec::new()),
        }
    }

    /// Queues a SQLite statement whose `?` placeholders take `binds` in order (each a JSON
    /// array of rows, or one plain value). Does nothing on PostgreSQL (callers ask
    /// [`Script::postgres`] for their own statement there).
    pub fn push_sqlite(&mut self, sql: &str, binds: Vec<String>) {
        let Script::Sqlite(text, values) = self else {
            return;
        };
        debug_assert_eq!(sql.matches('?').count(), binds.len());
        if !text.is_empty() {
            text.push_str(";\n");
        }
        text.push_str(sql);
        values.extend(binds);
    }

    /// A new PostgreSQL statement to write, or `None` on SQLite.
    pub fn postgres(&mut self) -> Option<&mut QueryBuilder<Postgres>> {
        let Script::Postgres(list) = self else {
            return None;
        };
        list.push(QueryBuilder::new(""));
        list.last_mut()
    }

    /// Whether the script is for SQLite (statements take JSON rows: [`Script::push_sqlite`]).
    pub fn is_sqlite(&self) -> bool {
        matches!(self, Script::Sqlite(..))
    }

    /// Sends every statement inside `tx`, in order. On SQLite they are held by the
    /// transaction and go with its next statement or its `COMMIT` (see `SqliteTx`).
    pub async fn run(self, tx: &mut Tx) -> StoreResult<()> {
        match (self, tx) {
            (Script::Sqlite(text, _), _) if text.is_empty() => Ok(()),
            (Script::Sqlite(text, values), Tx::Sqlite(transaction)) => {
                transaction.hold(text, values);
                Ok(())
            }
            (Script::Postgres(list), Tx::Postgres(transaction)) => {
                for mut q in list {
                    q.build()
                        .persistent(false)
                        .execute(&mut **transaction)
                        .await?;
                }
                Ok(())
            }
            (Script::Postgres(list), Tx::Sqlite(..)) if list.is_empty() => Ok(()),
            // Only a script made for another transaction's database gets here.
            _ => Err(sqlx::Error::Protocol(
                "a script was run on a database it was not written for".to_owned(),
            )
            .into()),
        }
    }
}

/// A UUID as SQLite's JSON rows carry it (hex; `unhex` gives back the stored blob).
pub(crate) fn hex(id: &Uuid) -> String {
    id.simple().to_string()
}

/// A date as sqlx writes it to SQLite.
pub(crate) fn day(date: &Date) -> String {
    date.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// A moment as sqlx writes it to SQLite (RFC 3339).
pub(crate) fn moment(at: &OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// Rows as one JSON array, for `json_each`.
pub(crate) fn json_rows<T: serde::Serialize + ?Sized>(rows: &T) -> String {
    serde_json::to_string(rows).unwrap_or_else(|_| "[]".to_owned())
}
