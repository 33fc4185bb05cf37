//! API tokens kept in memory, checked against the credential generation.
//!
//! Looking a token up costs a read of the token and, for a token a person minted, of that
//! person and their grants and of the policy (three or four reads). Every change that can end a
//! token (revoking it, disabling its creator, revoking a grant) moves the credential generation
//! in the same transaction (`store::auth`), so an actor found at generation `g` is still right
//! while the generation is `g`. Two ways to use an entry:
//!
//! - [`Check::Now`]: the current generation is read (one primary-key read) and the entry used
//!   only if it was checked at that generation. For every request that reads or changes data
//!   outside a writer.
//! - [`Check::AtWrite`]: the entry is used without a read, and the actor carries the generation
//!   it was checked at ([`Actor::checked_at`]). Only for a writer that reads the generation
//!   inside its own transaction and refuses an actor checked at an older one unless the token
//!   still holds (the visit writer: [`crate::households::VisitWriter`]); nothing is written
//!   for a dead token, and what the handler answers before the writer is checked again.
//!
//! Entries live for a minute at most (the token's expiry is checked at each use), so a token's
//! last use is recorded at most about a minute late.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use time::OffsetDateTime;

use super::{Actor, sha256_hex};
use crate::cache::Cache;
use crate::{AppResult, Db};

/// How many tokens are kept.
const MAX_ENTRIES: u64 = 10_000;

/// How an entry may be used (see the module's documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Read the current generation and use the entry only if it was checked at it.
    Now,
    /// Use the entry; the writer checks the generation inside its transaction.
    AtWrite,
}

#[derive(Clone)]
struct Entry {
    actor: Option<Actor>,
    expires_at: Option<OffsetDateTime>,
    generation: i64,
}

/// The API tokens seen lately; cheap to clone.
#[derive(Clone)]
pub struct ApiTokens {
    db: Db,
    entries: Arc<Cache<String, Entry>>,
    newest: Arc<AtomicI64>,
}

impl ApiTokens {
    /// Over `db`, keeping tokens for `ttl`; `newest` is the latest generation any part of this
    /// process read (shared with the visit writer).
    pub fn new(db: Db, ttl: Duration, newest: Arc<AtomicI64>) -> ApiTokens {
        ApiTokens {
            db,
            entries: Arc::new(Cache::new(MAX_ENTRIES, ttl, Duration::ZERO)),
            newest,
        }
    }

    /// The actor of the API token presented, if it works.
    pub async fn actor(&self, presented: &str, check: Check) -> AppResult<Option<Actor>> {
        let hash = sha256_hex(presented.trim());
        let current = match check {
            Check::Now => Some(self.read_generation().await?),
            Check::AtWrite => None,
        };
        let floor = current.unwrap_or_else(|| self.newest.load(Ordering::Acquire));
        let now = OffsetDateTime::now_utc();
        let entry = match self.entries.get(&hash) {
            Some(entry) if entry.generation >= floor => entry,
            _ => {
                // The generation first: a change committed after this read moves it past the
                // entry, which is then looked up again.
                let generation = match current {
                    Some(generation) => generation,
                    None => self.read_generation().await?,
                };
                let (actor, expires_at) = super::login::token_actor(&self.db, presented).await?;
                let entry = Entry {
                    actor,
                    expires_at,
                    generation,
                };
                self.entries.insert(hash, entry.clone());
                entry
            }
        };
        if entry.expires_at.is_some_and(|end| now > end) {
            return Ok(None);
        }
        Ok(entry.actor.map(|mut actor| {
            if check == Check::AtWrite {
                actor.checked_at = Some(entry.generation);
            }
            actor
        }))
    }

    /// Whether the token of an actor taken with [`Check::AtWrite`] still works now (before an
    /// answer that did not go through the writer: a refusal must not tell a dead token
    /// anything).
    pub async fn still_holds(&self, actor: &Actor) -> AppResult<bool> {
        match (actor.checked_at, actor.token_id) {
            (Some(_), Some(id)) => super::tokens::api_token_alive(&self.db, id).await,
            _ => Ok(true),
        }
    }

    async fn read_generation(&self) -> AppResult<i64> {
        let generation = langso_store::auth::credential_generation(&self.db).await?;
        self.newest.fetch_max(generation, Ordering::AcqRel);
        Ok(generation)
    }
}
