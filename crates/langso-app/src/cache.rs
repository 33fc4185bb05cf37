//! The one time-limited cache every part of Langso uses (public pages and QR tokens, device
//! tokens and assets, today's indicator catalogue), over moka: bounded in entries, each entry
//! fresh for a lifetime, then kept a while longer as a stale copy a caller may fall back on
//! when the database is slow. Lifetimes are settings ([`Lifetimes`]).
//!
//! Several nodes each keep their own cache; how a change on one node reaches the others is
//! the caller's business (see `PublicCache` in the web crate and the credential generation in
//! `assets::devices`). A [`Cache::clear`] also voids every load that started before it, so a
//! reload racing a change never puts the old value back.

pub use langso_store::changes;

use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long cached things are trusted without asking the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetimes {
    /// Public pages and QR tokens (`--public-cache-ttl`). With several nodes on PostgreSQL a
    /// change is seen at once through LISTEN/NOTIFY; this bounds it when that channel is down.
    pub public: Duration,
    /// Device tokens and asset codes (`--device-cache-ttl`). A revoked token dies at once
    /// anyway (credential generation); this bounds how long a renamed or moved asset is seen
    /// under its old unit.
    pub devices: Duration,
    /// Today's indicator catalogue for the visit writer (`--catalogue-cache-ttl`).
    pub catalogue: Duration,
    /// API tokens ([`crate::auth::ApiTokens`]): an ended token dies at once anyway (credential
    /// generation); this bounds how late a token's last use is recorded.
    pub tokens: Duration,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Lifetimes {
            public: Duration::from_secs(60),
            devices: Duration::from_secs(60),
            catalogue: Duration::from_secs(30),
            tokens: Duration::from_secs(60),
        }
    }
}

#[derive(Clone)]
struct Stamped<V> {
    value: V,
    fresh_until: Instant,
}

/// A bounded map whose entries are fresh for `ttl`, then stale for `keep_stale`, then gone.
pub struct Cache<K, V> {
    inner: moka::sync::Cache<K, Stamped<V>>,
    ttl: Duration,
    generation: AtomicU64,
}

/// The mark [`Cache::generation`] hands out before a load, given back to [`Cache::insert_since`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Generation(u64);

impl<K, V> Cache<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    /// At most `capacity` entries, fresh for `ttl` (at least 1 ms), kept `keep_stale` longer.
    pub fn new(capacity: u64, ttl: Duration, keep_stale: Duration) -> Self {
        let ttl = ttl.max(Duration::from_millis(1));
        Cache {
            inner: moka::sync::Cache::builder()
                .max_capacity(capacity)
                .time_to_live(ttl.saturating_add(keep_stale))
                .build(),
            ttl,
            generation: AtomicU64::new(0),
        }
    }

    /// The value while fresh.
    pub fn get(&self, key: &K) -> Option<V> {
        self.get_any(key)
            .filter(|(_, fresh)| *fresh)
            .map(|(v, _)| v)
    }

    /// The value, fresh or stale, and whether it is fresh.
    pub fn get_any(&self, key: &K) -> Option<(V, bool)> {
        let entry = self.inner.get(key)?;
        let fresh = Instant::now() < entry.fresh_until;
        Some((entry.value, fresh))
    }

    /// Keeps `value`, fresh for the cache's lifetime.
    pub fn insert(&self, key: K, value: V) {
        self.insert_fresh_for(key, value, self.ttl);
    }

    /// Keeps `value`, fresh for `fresh_for` (an old copy trusted a little longer after a
    /// failed reload).
    pub fn insert_fresh_for(&self, key: K, value: V, fresh_for: Duration) {
        let fresh_until = Instant::now() + fresh_for.min(self.ttl);
        self.inner.insert(key, Stamped { value, fresh_until });
    }

    /// The mark to take before loading a value from the database.
    pub fn generation(&self) -> Generation {
        Generation(self.generation.load(Ordering::Acquire))
    }

    /// Keeps a value loaded after `since` was taken, unless the cache was cleared meanwhile
    /// (the value may predate the change that cleared it).
    pub fn insert_since(&self, key: K, value: V, since: Generation) {
        if self.generation() == since {
            self.insert(key, value);
        }
    }

    /// Forgets one entry.
    pub fn remove(&self, key: &K) {
        self.inner.invalidate(key);
    }

    /// Forgets everything, and voids loads that started before.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.inner.invalidate_all();
    }

    /// The lifetime of a fresh entry.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_go_stale_then_disappear() {
        let cache: Cache<u32, &str> =
            Cache::new(10, Duration::from_millis(30), Duration::from_millis(200));
        cache.insert(1, "a");
        assert_eq!(cache.get(&1), Some("a"));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get(&1), None);
        assert_eq!(cache.get_any(&1), Some(("a", false)));
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(cache.get_any(&1), None);
    }

    #[test]
    fn a_load_older_than_a_clear_is_not_kept() {
        let cache: Cache<u32, u32> = Cache::new(10, Duration::from_secs(60), Duration::ZERO);
        let before = cache.generation();
        cache.clear();
        cache.insert_since(1, 1, before);
        assert_eq!(cache.get(&1), None);
        cache.insert_since(1, 2, cache.generation());
        assert_eq!(cache.get(&1), Some(2));
        cache.remove(&1);
        assert_eq!(cache.get(&1), None);
    }
}
