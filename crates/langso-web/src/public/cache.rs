//! Public pages kept in memory, so guides and QR redirects keep answering while the database
//! is busy or briefly away (over [`langso_app::cache::Cache`], the one cache module).
//!
//! An entry younger than its lifetime (`--public-cache-ttl`, 60 s by default) is served without
//! touching the database. An older one is reloaded with a short deadline; if the reload fails
//! or times out, the old copy is served (for up to [`KEEP_STALE`] after it went stale, and
//! trusted for a few more seconds, so a busy database is not asked again at once).
//! Publishing a guide version or changing a placement clears the cache at once on this node,
//! and on the others through the database (see `PublicCache`).

use std::future::Future;
use std::time::Duration;

use langso_app::cache::Cache;
use langso_app::{AppError, AppResult};

/// How long an entry is served without asking the database, unless configured.
pub const TTL: Duration = Duration::from_secs(60);
/// How long a reload may take before the old copy is served instead.
pub const LOAD_DEADLINE: Duration = Duration::from_millis(1500);
/// How long an old copy is trusted again after a failed reload.
const RETRY_AFTER: Duration = Duration::from_secs(5);
/// How long a stale copy is kept for when the database does not answer.
pub const KEEP_STALE: Duration = Duration::from_secs(3600);
/// Entries kept: more than the catalogue's guides and a nation's placements in use at once.
const CAPACITY: u64 = 100_000;

/// Loaded values with the policy above. Only values that exist are kept (a missing code or
/// token is not cached).
pub struct Cached<T> {
    entries: Cache<String, T>,
}

impl<T: Clone + Send + Sync + 'static> Cached<T> {
    /// An empty cache whose entries are fresh for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Cached {
            entries: Cache::new(CAPACITY, ttl, KEEP_STALE),
        }
    }

    /// The value for `key`: from memory while fresh, else from `load` (within
    /// [`LOAD_DEADLINE`]), else the old copy.
    pub async fn get<F, Fut>(&self, key: &str, load: F) -> AppResult<T>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<T>>,
    {
        let key = key.to_owned();
        let old = self.entries.get_any(&key);
        if let Some((value, true)) = &old {
            return Ok(value.clone());
        }
        let since = self.entries.generation();
        let loaded = tokio::time::timeout(LOAD_DEADLINE, load()).await;
        match loaded {
            Ok(Ok(value)) => {
                self.entries.insert_since(key, value.clone(), since);
                Ok(value)
            }
            Ok(Err(AppError::NotFound)) => {
                self.entries.remove(&key);
                Err(AppError::NotFound)
            }
            failed => {
                let Some((value, _)) = old else {
                    return Err(match failed {
                        Ok(Err(error)) => error,
                        _ => AppError::Internal("the database did not answer in time".to_owned()),
                    });
                };
                tracing::warn!(key, "database slow or failing: serving the cached copy");
                if self.entries.generation() == since {
                    self.entries
                        .insert_fresh_for(key, value.clone(), RETRY_AFTER);
                }
                Ok(value)
            }
        }
    }

    /// Forgets everything (a guide or a placement changed).
    pub fn clear(&self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stale_copy_is_served_when_the_reload_fails() {
        let cache: Cached<u32> = Cached::new(Duration::from_millis(1));
        assert_eq!(cache.get("a", || async { Ok(1) }).await.ok(), Some(1));
        tokio::time::sleep(Duration::from_millis(5)).await;
        let failing = cache
            .get("a", || async { Err(AppError::Internal("down".to_owned())) })
            .await;
        assert_eq!(failing.ok(), Some(1));
        let missing = cache
            .get("b", || async {
                Err::<u32, _>(AppError::Internal("down".to_owned()))
            })
            .await;
        assert!(missing.is_err());
        tokio::time::sleep(Duration::from_millis(5)).await;
        let gone = cache
            .get("a", || async { Err::<u32, _>(AppError::NotFound) })
            .await;
        assert!(matches!(gone, Err(AppError::NotFound)));
    }

    #[tokio::test]
    async fn a_fresh_copy_never_asks() {
        let cache: Cached<u32> = Cached::new(Duration::from_secs(60));
        assert_eq!(cache.get("a", || async { Ok(1) }).await.ok(), Some(1));
        let again = cache.get("a", || async { panic!("must not load") }).await;
        assert_eq!(again.ok(), Some(1));
        cache.clear();
        assert_eq!(cache.get("a", || async { Ok(2) }).await.ok(), Some(2));
    }
}
