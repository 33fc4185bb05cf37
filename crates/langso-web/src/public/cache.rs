//! Public pages kept in memory, so guides and QR redirects keep answering while the database
//! is busy or briefly away.
//!
//! An entry younger than `ttl` is served without touching the database. An older one is
//! reloaded with a short deadline; if the reload fails or times out, the old copy is served
//! (and trusted for a few more seconds, so a busy database is not asked again at once).
//! Publishing a guide version or changing a placement on this node clears the cache at once;
//! other nodes notice within `ttl`.

use std::collections::HashMap;
use std::future::Future;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use langso_app::{AppError, AppResult};

/// How long an entry is served without asking the database.
pub const TTL: Duration = Duration::from_secs(60);
/// How long a reload may take before the old copy is served instead.
pub const LOAD_DEADLINE: Duration = Duration::from_millis(1500);
/// How long an old copy is trusted again after a failed reload.
const RETRY_AFTER: Duration = Duration::from_secs(5);

struct Entry<T> {
    value: T,
    loaded: Instant,
}

/// A map of loaded values with the policy above. Only values that exist are kept (a missing
/// code or token is not cached), so its size is bounded by the catalogue and the placements.
pub struct Cached<T> {
    entries: RwLock<HashMap<String, Entry<T>>>,
    ttl: Duration,
}

impl<T: Clone> Cached<T> {
    /// An empty cache whose entries live `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Cached {
            entries: RwLock::new(HashMap::new()),
            ttl,
        }
    }

    fn lookup(&self, key: &str) -> Option<(T, bool)> {
        let entries = self.entries.read().ok()?;
        let entry = entries.get(key)?;
        Some((entry.value.clone(), entry.loaded.elapsed() < self.ttl))
    }

    /// The value for `key`: from memory while fresh, else from `load` (within
    /// [`LOAD_DEADLINE`]), else the old copy.
    pub async fn get<F, Fut>(&self, key: &str, load: F) -> AppResult<T>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<T>>,
    {
        let old = self.lookup(key);
        if let Some((value, true)) = &old {
            return Ok(value.clone());
        }
        let loaded = tokio::time::timeout(LOAD_DEADLINE, load()).await;
        match loaded {
            Ok(Ok(value)) => {
                if let Ok(mut entries) = self.entries.write() {
                    entries.insert(
                        key.to_owned(),
                        Entry {
                            value: value.clone(),
                            loaded: Instant::now(),
                        },
                    );
                }
                Ok(value)
            }
            Ok(Err(AppError::NotFound)) => {
                if let Ok(mut entries) = self.entries.write() {
                    entries.remove(key);
                }
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
                if let Ok(mut entries) = self.entries.write()
                    && let Some(entry) = entries.get_mut(key)
                {
                    let age = self.ttl.saturating_sub(RETRY_AFTER);
                    entry.loaded = Instant::now().checked_sub(age).unwrap_or_else(Instant::now);
                }
                Ok(value)
            }
        }
    }

    /// Forgets everything (a guide or a placement changed).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
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
