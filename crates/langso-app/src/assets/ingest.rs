//! Telemetry ingest with group commit ([`crate::group_commit`]): handlers (HTTP batches, MQTT
//! messages) hand readings to a bounded queue and wait; the writer takes everything queued,
//! applies it in one
//! transaction (latest state per device, a ledger row per status change, alarms raised and
//! cleared, the `alarm:open` counters) and only then answers each sender. A full queue answers
//! at once with [`IngestError::Overloaded`], so an overloaded server sheds load (HTTP 503)
//! instead of queueing without bound.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use langso_domain::assets::{DeviceState, OPEN_ALARMS_KEY, Reading, apply};
use langso_store::assets::{self as store, ChangeRow, DeviceTarget, StateRow};
use langso_store::households::add_counter;
use time::OffsetDateTime;
use tokio::sync::oneshot;
use uuid::Uuid;

use crate::Db;
use crate::group_commit::{Batch, Refused, Sizes, Writer};

/// How the writer batches.
#[derive(Clone, Copy, Debug)]
pub struct IngestConfig {
    /// Requests (batches of readings) that may wait; past this, new ones are refused.
    pub capacity: usize,
    /// The most readings committed in one transaction.
    pub max_readings: usize,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            capacity: 2_048,
            max_readings: 5_000,
        }
    }
}

/// Why readings were not stored. People read [`IngestError::message`]; the `Display` text is
/// English for logs (and for devices, which read no catalogue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// The queue is full: try again shortly.
    #[error("server overloaded")]
    Overloaded,
    /// The server is shutting down.
    #[error("server stopping")]
    Stopped,
    /// The database refused the batch after retries.
    #[error("could not be stored")]
    Failed,
    /// The device token was revoked, or its creator disabled or stripped of the grant it was
    /// minted under, since it was cached: nothing stored.
    #[error("device token no longer valid")]
    Revoked,
}

impl IngestError {
    /// The failure as a catalogue key.
    pub fn message(self) -> crate::Message {
        let key = match self {
            IngestError::Overloaded => "assets-ingest-overloaded",
            IngestError::Stopped => "assets-ingest-stopped",
            IngestError::Failed => "assets-ingest-failed",
            IngestError::Revoked => "assets-ingest-revoked",
        };
        crate::Message::new(key, &[])
    }
}

/// The device token a batch came with, and the credential generation it was checked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckedToken {
    /// The token.
    pub token_id: Uuid,
    /// The credential generation read before the token was checked.
    pub generation: i64,
}

/// A reading bound to its device, with the time it counts for.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The device.
    pub target: DeviceTarget,
    /// The reading.
    pub reading: Reading,
    /// Its time (the reading's own, or arrival).
    pub at: OffsetDateTime,
}

struct Job {
    readings: Vec<Resolved>,
    token: Option<CheckedToken>,
    done: oneshot::Sender<Result<usize, IngestError>>,
}

#[derive(Default)]
struct Shared {
    stored: AtomicU64,
    commits: AtomicU64,
    shed: AtomicU64,
    generation: AtomicI64,
}

/// The handle handlers use; cheap to clone.
#[derive(Clone)]
pub struct Ingest {
    writer: Writer<Job, ()>,
    shared: Arc<Shared>,
}

impl Ingest {
    /// Starts the writer task on the current runtime.
    pub fn start(db: Db, config: IngestConfig) -> Ingest {
        let shared = Arc::new(Shared::default());
        let heartbeats = Heartbeats {
            db,
            shared: shared.clone(),
        };
        let sizes = Sizes {
            capacity: config.capacity,
            room: config.max_readings,
        };
        Ingest {
            writer: Writer::start(heartbeats, sizes),
            shared,
        }
    }

    /// Queues readings and waits until they are committed; refuses at once when the queue
    /// is full.
    pub async fn submit(&self, readings: Vec<Resolved>) -> Result<usize, IngestError> {
        self.submit_with(readings, None).await
    }

    /// As [`Ingest::submit`], for readings sent with a (cached) device token: the writer
    /// checks the token again before the commit if the credential generation moved since.
    pub async fn submit_with(
        &self,
        readings: Vec<Resolved>,
        token: Option<CheckedToken>,
    ) -> Result<usize, IngestError> {
        if readings.is_empty() {
            return Ok(0);
        }
        let (done, wait) = oneshot::channel();
        let job = Job {
            readings,
            token,
            done,
        };
        match self.writer.try_send(job) {
            Ok(()) => {}
            Err(Refused::Full) => {
                self.shared.shed.fetch_add(1, Ordering::Relaxed);
                return Err(IngestError::Overloaded);
            }
            Err(Refused::Stopped) => return Err(IngestError::Stopped),
        }
        wait.await.unwrap_or(Err(IngestError::Stopped))
    }

    /// Queues readings, waiting for room rather than refusing (MQTT: the broker holds what
    /// we do not take), and waits for the commit.
    pub async fn submit_waiting(&self, readings: Vec<Resolved>) -> Result<usize, IngestError> {
        if readings.is_empty() {
            return Ok(0);
        }
        let (done, wait) = oneshot::channel();
        let job = Job {
            readings,
            token: None,
            done,
        };
        self.writer
            .send(job)
            .await
            .map_err(|_| IngestError::Stopped)?;
        wait.await.unwrap_or(Err(IngestError::Stopped))
    }

    /// Stops taking readings, commits what is queued, and waits for the writer to end.
    pub async fn shutdown(&self) {
        self.writer.shutdown().await;
    }

    /// The latest credential generation the writer has seen: a cached device token checked at
    /// an older one must be checked again.
    pub fn generation(&self) -> i64 {
        self.shared.generation.load(Ordering::Acquire)
    }

    /// Records a credential generation read elsewhere (the token cache), so that every entry
    /// cached at an older one is looked up again.
    pub fn saw_generation(&self, generation: i64) {
        self.shared
            .generation
            .fetch_max(generation, Ordering::AcqRel);
    }

    /// (readings stored, transactions committed, requests shed) since start.
    pub fn counters(&self) -> (u64, u64, u64) {
        (
            self.shared.stored.load(Ordering::Relaxed),
            self.shared.commits.load(Ordering::Relaxed),
            self.shared.shed.load(Ordering::Relaxed),
        )
    }
}

/// How heartbeats are written: jobs whose device token died since it was cached are refused,
/// the rest go in one transaction, retried a few times.
struct Heartbeats {
    db: Db,
    shared: Arc<Shared>,
}

impl Batch for Heartbeats {
    type Job = Job;
    type Output = ();

    fn weight(job: &Job) -> usize {
        job.readings.len()
    }

    async fn write(&mut self, jobs: Vec<Job>) {
        let (db, shared) = (&self.db, &*self.shared);
        for attempt in 1..=3u32 {
            match write(db, shared, &jobs).await {
                Ok(verdicts) => {
                    let stored: usize = jobs
                        .iter()
                        .zip(&verdicts)
                        .filter(|(_, verdict)| verdict.is_ok())
                        .map(|(job, _)| job.readings.len())
                        .sum();
                    shared.stored.fetch_add(stored as u64, Ordering::Relaxed);
                    shared.commits.fetch_add(1, Ordering::Relaxed);
                    for (job, verdict) in jobs.into_iter().zip(verdicts) {
                        let n = job.readings.len();
                        let _ = job.done.send(verdict.map(|()| n));
                    }
                    return;
                }
                Err(error) => {
                    tracing::warn!(%error, attempt, jobs = jobs.len(), "telemetry batch failed; retrying");
                    tokio::time::sleep(Duration::from_millis(50 * u64::from(attempt))).await;
                }
            }
        }
        tracing::error!(jobs = jobs.len(), "telemetry batch could not be written");
        for job in jobs {
            let _ = job.done.send(Err(IngestError::Failed));
        }
    }

    async fn finish(self) {}
}

/// Whether each job's device token still works. The credential generation is read once per
/// batch, inside its write transaction (on SQLite under the write lock, on the writer's own
/// connection, and most often with the states: `read`): the jobs are already queued, so a
/// token disabled or revoked before they arrived is caught whatever node did it; only tokens
/// checked at an older generation are looked up again. A token whose check fails refuses its
/// job (as a failed write: the device sends again).
async fn verdicts(
    db: &Db,
    shared: &Shared,
    tx: &mut langso_store::Tx,
    read: Option<i64>,
    jobs: &[Job],
) -> Result<Vec<Result<(), IngestError>>, langso_store::StoreError> {
    if jobs.iter().all(|j| j.token.is_none()) {
        return Ok(vec![Ok(()); jobs.len()]);
    }
    let current = match read {
        Some(generation) => generation,
        None => langso_store::auth::credential_generation(tx).await?,
    };
    shared.generation.fetch_max(current, Ordering::AcqRel);
    let mut checked: HashMap<Uuid, Result<(), IngestError>> = HashMap::new();
    let mut verdicts = Vec::with_capacity(jobs.len());
    for job in jobs {
        let verdict = match job.token {
            Some(token) if token.generation < current => match checked.get(&token.token_id) {
                Some(verdict) => *verdict,
                None => {
                    let verdict = match crate::auth::device_token_alive(db, token.token_id).await {
                        Ok(true) => Ok(()),
                        Ok(false) => Err(IngestError::Revoked),
                        Err(error) => {
                            tracing::warn!(%error, "device token could not be checked");
                            Err(IngestError::Failed)
                        }
                    };
                    checked.insert(token.token_id, verdict);
                    verdict
                }
            },
            _ => Ok(()),
        };
        verdicts.push(verdict);
    }
    Ok(verdicts)
}

fn to_domain(row: &StateRow) -> DeviceState {
    DeviceState {
        online: row.online,
        battery: row.battery,
        lamp_on: row.lamp_on,
        fault: row.fault.clone(),
        clients: row.clients,
        last_seen_at: row.last_seen_at,
        heartbeats: row.heartbeats,
        silent: row.silent,
    }
}

/// Deadline after which a device counts as silent: twice its interval after its last reading.
fn deadline(at: OffsetDateTime, heartbeat_seconds: i64) -> Option<OffsetDateTime> {
    (heartbeat_seconds > 0).then(|| at + time::Duration::seconds(2 * heartbeat_seconds))
}

enum AlarmOp {
    Clear(Uuid, &'static str),
    Raise(Uuid, Uuid, String, OffsetDateTime),
}

/// Writes the readings of the jobs whose token still works, in one transaction; returns each
/// job's verdict.
async fn write(
    db: &Db,
    shared: &Shared,
    jobs: &[Job],
) -> Result<Vec<Result<(), IngestError>>, langso_store::StoreError> {
    let mut tx = db.begin().await?;
    // The states first: on SQLite the transaction's BEGIN goes with this read.
    let mut ids: Vec<Uuid> = jobs
        .iter()
        .flat_map(|job| job.readings.iter().map(|r| r.target.id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let found = store::states_of(&mut tx, &ids).await?;
    let mut states: HashMap<Uuid, DeviceState> = found
        .rows
        .iter()
        .map(|row| (row.asset_id, to_domain(row)))
        .collect();
    let verdicts = verdicts(db, shared, &mut tx, found.generation, jobs).await?;
    let readings: Vec<&Resolved> = jobs
        .iter()
        .zip(&verdicts)
        .filter(|(_, verdict)| verdict.is_ok())
        .flat_map(|(job, _)| job.readings.iter())
        .collect();
    let mut changes = Vec::new();
    let mut ops = Vec::new();
    let mut targets: HashMap<Uuid, &DeviceTarget> = HashMap::new();
    for r in readings {
        let (next, effects) = apply(states.get(&r.target.id), &r.reading, r.at);
        if let Some((old, new)) = effects.change {
            changes.push(ChangeRow {
                id: Uuid::now_v7(),
                asset_id: r.target.id,
                at: r.at,
                old_status: old,
                new_status: new,
            });
        }
        if effects.clear_offline {
            ops.push(AlarmOp::Clear(r.target.id, "offline"));
        }
        if effects.clear_fault {
            ops.push(AlarmOp::Clear(r.target.id, "fault"));
        }
        if let Some(code) = effects.raise_fault {
            ops.push(AlarmOp::Raise(r.target.id, r.target.unit_id, code, r.at));
        }
        targets.insert(r.target.id, &r.target);
        states.insert(r.target.id, next);
    }
    let rows: Vec<StateRow> = ids
        .iter()
        .filter_map(|id| {
            let s = states.get(id)?;
            let target = targets.get(id)?;
            Some(StateRow {
                asset_id: *id,
                online: s.online,
                battery: s.battery,
                lamp_on: s.lamp_on,
                fault: s.fault.clone(),
                clients: s.clients,
                last_seen_at: s.last_seen_at,
                offline_after: deadline(s.last_seen_at, target.heartbeat_seconds),
                heartbeats: s.heartbeats,
                silent: s.silent,
            })
        })
        .collect();
    store::upsert_states(&mut tx, &rows).await?;
    store::insert_changes(&mut tx, &changes).await?;
    let mut open: HashMap<Uuid, i64> = HashMap::new();
    let now = OffsetDateTime::now_utc();
    let mut notifier = crate::comms::notify::Notifier::default();
    for op in ops {
        match op {
            AlarmOp::Clear(asset, kind) => {
                if let Some(unit) = store::clear_open(&mut tx, asset, kind, now).await? {
                    *open.entry(unit).or_insert(0) -= 1;
                }
            }
            AlarmOp::Raise(asset, unit, code, at) => {
                let alarm = Uuid::now_v7();
                store::insert_alarm(&mut tx, alarm, asset, unit, "fault", &code, at).await?;
                // h17c: only on the raise transition, so heartbeats stay cheap.
                crate::comms::notify::alarm_raised(
                    &mut tx,
                    &mut notifier,
                    alarm,
                    asset,
                    "fault",
                    &code,
                    now,
                )
                .await?;
                *open.entry(unit).or_insert(0) += 1;
            }
        }
    }
    for (unit, delta) in open {
        add_counter(&mut tx, unit, OPEN_ALARMS_KEY, delta).await?;
    }
    tx.commit().await?;
    Ok(verdicts)
}
