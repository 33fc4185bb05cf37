//! Telling the other nodes that something they keep in memory changed: PostgreSQL's own
//! LISTEN/NOTIFY, on one channel per kind of thing. On SQLite there is one node, and nothing
//! to tell.
//!
//! A notification is only a hint: one sent while a node's listening connection is down never
//! reaches it. A listener therefore reports a lost connection too ([`Heard::Reconnected`]),
//! after which the node treats everything as changed, and every cache entry still has its
//! lifetime as a bound.

use sqlx::postgres::{PgListener, PgPoolOptions};

use crate::{Db, StoreResult};

/// Public pages and QR placements changed (a guide version published, a placement created,
/// edited or taken down, an announcement changed).
pub const PUBLIC_PAGES: &str = "langso_public_pages";

/// Tells every node listening on `channel` (this one too) that something changed. Call it
/// after the change committed. Does nothing on SQLite.
pub async fn announce(db: &Db, channel: &str) -> StoreResult<()> {
    if let Db::Postgres(pool) = db {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(channel)
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// What a listener heard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heard {
    /// A node announced a change.
    Changed,
    /// The connection was lost and made again: changes may have been missed.
    Reconnected,
}

/// A connection of its own (outside the node's pool) listening on one channel (PostgreSQL
/// only).
pub struct Listener {
    inner: PgListener,
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Listener")
    }
}

impl Listener {
    /// Listens on `channel`; `None` on SQLite.
    pub async fn start(db: &Db, channel: &str) -> StoreResult<Option<Listener>> {
        let Db::Postgres(pool) = db else {
            return Ok(None);
        };
        // A pool of one of its own: a listener holds its connection for good, which would
        // otherwise be one fewer for requests.
        let own = PgPoolOptions::new()
            .max_connections(1)
            .connect_lazy_with(pool.connect_options().as_ref().clone());
        let mut inner = PgListener::connect_with(&own).await?;
        inner.listen(channel).await?;
        Ok(Some(Listener { inner }))
    }

    /// Waits for the next notification or a lost connection (the next call connects again
    /// and listens on the same channel).
    pub async fn next(&mut self) -> StoreResult<Heard> {
        Ok(match self.inner.try_recv().await? {
            Some(_) => Heard::Changed,
            None => Heard::Reconnected,
        })
    }
}
