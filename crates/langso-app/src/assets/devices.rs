//! Devices speaking to us: per-device tokens (`lsd_…`, created like any API token with kind
//! `device`), resolving asset codes, and handing readings to the [`Ingest`] writer.
//!
//! A token whose `subject` names an asset code may report for that asset only; a device token
//! without subject (a gateway) may report for any asset under its unit. Tokens and assets are
//! kept in memory for a minute (a setting: [`Lifetimes`]), so a heartbeat costs no database read of its own. A cached
//! token still dies at once: each entry remembers the credential generation it was checked at
//! (a number bumped in the same transaction as disabling an account, revoking a token or a
//! role), the ingest writer reads that number once per group commit and checks again every
//! token cached at an older one before committing, and entries older than the newest number
//! seen are looked up afresh. This works the same with one node or many: the number lives in
//! the database, not in any node's memory.

use std::time::Duration;

use langso_domain::assets::{
    AssetError, MAX_CLOCK_AHEAD, MAX_READING_AGE, MAX_READINGS, Reading, reading_time,
};
use langso_store::assets::{self as store, DeviceTarget};
use time::OffsetDateTime;
use uuid::Uuid;

use super::ingest::{CheckedToken, Ingest, IngestError, Resolved};
use crate::auth::sha256_hex;
use crate::cache::{Cache, Lifetimes};
use crate::{AppError, CellError, Db, today};

/// Entries each cache keeps (bounded memory whatever devices send).
const MAX_ENTRIES: u64 = 200_000;

/// A device token, as checked.
#[derive(Clone, Debug)]
pub struct DeviceCredential {
    /// The token's id.
    pub token_id: Uuid,
    /// The unit whose assets it may report for.
    pub unit_id: Uuid,
    /// The one asset code it may report for, if bound to one.
    pub subject: Option<String>,
    /// When it stops working.
    pub expires_at: Option<OffsetDateTime>,
    /// The credential generation read before the token was checked.
    pub generation: i64,
}

/// Why readings were refused.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    /// Bad readings, unknown assets or assets the token may not report for (nothing stored).
    #[error(transparent)]
    App(#[from] AppError),
    /// Queue full, stopping, or the database failed.
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

/// Devices: token checks, asset resolution and the ingest queue.
pub struct Devices {
    db: Db,
    /// The writer.
    pub ingest: Ingest,
    tokens: Cache<String, (Option<DeviceCredential>, i64)>,
    targets: Cache<String, DeviceTarget>,
    within: Cache<(Uuid, Uuid), bool>,
}

impl Devices {
    /// Over `db`, feeding `ingest`, trusting tokens and assets from memory for the default
    /// lifetime.
    pub fn new(db: Db, ingest: Ingest) -> Devices {
        Devices::with_lifetime(db, ingest, Lifetimes::default().devices)
    }

    /// Over `db`, feeding `ingest`, trusting tokens and assets from memory for `ttl`.
    pub fn with_lifetime(db: Db, ingest: Ingest, ttl: Duration) -> Devices {
        Devices {
            db,
            ingest,
            tokens: Cache::new(MAX_ENTRIES, ttl, Duration::ZERO),
            targets: Cache::new(MAX_ENTRIES, ttl, Duration::ZERO),
            within: Cache::new(MAX_ENTRIES, ttl, Duration::ZERO),
        }
    }

    /// The device token presented, if it is a live device token.
    pub async fn authenticate(
        &self,
        presented: &str,
    ) -> Result<Option<DeviceCredential>, AppError> {
        let hash = sha256_hex(presented.trim());
        let newest = self.ingest.generation();
        let found = match self.tokens.get(&hash) {
            Some((found, generation)) if generation >= newest => found,
            _ => {
                // Read the generation first: a change committed after this read moves it, and
                // the writer then checks the token again.
                let generation = langso_store::auth::credential_generation(&self.db).await?;
                self.ingest.saw_generation(generation);
                let row = langso_store::auth::token_by_hash(&self.db, &hash).await?;
                let found = match row {
                    Some(t)
                        if t.kind == "device"
                            && crate::auth::token_still_valid(&self.db, &t).await? =>
                    {
                        Some(DeviceCredential {
                            token_id: t.id,
                            unit_id: t.unit_id,
                            subject: t.subject.map(|s| s.trim().to_uppercase()),
                            expires_at: t.expires_at,
                            generation,
                        })
                    }
                    _ => None,
                };
                self.tokens.insert(hash, (found.clone(), generation));
                found
            }
        };
        let now = OffsetDateTime::now_utc();
        Ok(found.filter(|c| c.expires_at.is_none_or(|end| now < end)))
    }

    async fn target(&self, code: &str) -> Result<Option<DeviceTarget>, AppError> {
        if let Some(target) = self.targets.get(&code.to_owned()) {
            return Ok(Some(target));
        }
        let found = store::device_targets(&self.db, &[code.to_owned()]).await?;
        let target = found.into_iter().next();
        if let Some(target) = &target {
            self.targets.insert(code.to_owned(), target.clone());
        }
        Ok(target)
    }

    async fn may_report(
        &self,
        credential: &DeviceCredential,
        target: &DeviceTarget,
    ) -> Result<bool, AppError> {
        if let Some(subject) = &credential.subject {
            return Ok(*subject == target.code);
        }
        let key = (credential.unit_id, target.unit_id);
        if let Some(ok) = self.within.get(&key) {
            return Ok(ok);
        }
        let ok = credential.unit_id == target.unit_id
            || langso_store::units::is_within(
                &self.db,
                target.unit_id,
                credential.unit_id,
                today(),
            )
            .await?;
        self.within.insert(key, ok);
        Ok(ok)
    }

    /// Checks a batch from an authenticated device and stores it (all or nothing), answering
    /// only after the commit.
    pub async fn ingest_http(
        &self,
        credential: &DeviceCredential,
        readings: Vec<Reading>,
    ) -> Result<usize, TelemetryError> {
        let resolved = self.resolve(readings, |_| true, Some(credential)).await?;
        let token = CheckedToken {
            token_id: credential.token_id,
            generation: credential.generation,
        };
        Ok(self.ingest.submit_with(resolved, Some(token)).await?)
    }

    /// Stores readings that arrived on `langso/{unit}/{asset}/status`: the asset must be
    /// registered under that unit code. Waits for room in the queue.
    pub async fn ingest_topic(
        &self,
        unit_code: &str,
        asset_code: &str,
        readings: Vec<Reading>,
    ) -> Result<usize, TelemetryError> {
        let asset_code = asset_code.trim().to_uppercase();
        let readings = readings
            .into_iter()
            .map(|mut r| {
                if r.asset.trim().is_empty() {
                    r.asset.clone_from(&asset_code);
                }
                r
            })
            .collect();
        let resolved = self
            .resolve(
                readings,
                |t| t.unit_code == unit_code && t.code == asset_code,
                None,
            )
            .await?;
        Ok(self.ingest.submit_waiting(resolved).await?)
    }

    async fn resolve(
        &self,
        readings: Vec<Reading>,
        topic_ok: impl Fn(&DeviceTarget) -> bool,
        credential: Option<&DeviceCredential>,
    ) -> Result<Vec<Resolved>, AppError> {
        if readings.len() > MAX_READINGS {
            return Err(AppError::Invalid(vec![CellError::keyed(
                0,
                "readings",
                "assets-readings-too-many",
                &[("limit", &MAX_READINGS)],
            )]));
        }
        let now = OffsetDateTime::now_utc();
        let mut problems = Vec::new();
        let mut resolved = Vec::with_capacity(readings.len());
        for (i, reading) in readings.into_iter().enumerate() {
            let mut reading = match reading.normalise() {
                Ok(r) => r,
                Err(e) => {
                    problems.push(CellError::from_message(i + 1, "readings", e.message()));
                    continue;
                }
            };
            if reading.asset.is_empty()
                && let Some(subject) = credential.and_then(|c| c.subject.clone())
            {
                reading.asset = subject;
            }
            let target = match self.target(&reading.asset).await? {
                Some(t) => t,
                None => {
                    problems.push(CellError::keyed(
                        i + 1,
                        "asset",
                        "assets-reading-asset-unknown",
                        &[("code", &reading.asset)],
                    ));
                    continue;
                }
            };
            let allowed = topic_ok(&target)
                && match credential {
                    Some(c) => self.may_report(c, &target).await?,
                    None => true,
                };
            if !allowed {
                problems.push(CellError::keyed(
                    i + 1,
                    "asset",
                    "assets-reading-asset-not-token",
                    &[("code", &reading.asset)],
                ));
                continue;
            }
            // The device's own time orders its readings; a clock far off is refused.
            let at = match reading_time(reading.at, now) {
                Ok(at) => at,
                Err(AssetError::ClockAhead) => {
                    let minutes = MAX_CLOCK_AHEAD.whole_minutes();
                    let args: [(&'static str, &dyn std::fmt::Display); 1] = [("minutes", &minutes)];
                    problems.push(CellError::keyed(i + 1, "at", "assets-reading-ahead", &args));
                    continue;
                }
                Err(_) => {
                    let days = MAX_READING_AGE.whole_days();
                    let args: [(&'static str, &dyn std::fmt::Display); 1] = [("days", &days)];
                    problems.push(CellError::keyed(
                        i + 1,
                        "at",
                        "assets-reading-too-old",
                        &args,
                    ));
                    continue;
                }
            };
            resolved.push(Resolved {
                target,
                reading,
                at,
            });
        }
        if problems.is_empty() {
            // Applied in the order measured (a stable sort keeps arrival order for equal
            // times), so a batch sent newest first still records every status change.
            resolved.sort_by_key(|r| r.at);
            Ok(resolved)
        } else {
            Err(AppError::Invalid(problems))
        }
    }
}
