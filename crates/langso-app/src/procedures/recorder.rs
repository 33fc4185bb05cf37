//! Recording scans fast: `/q/{token}` hands each scan to a bounded queue and redirects at
//! once; the writer ([`crate::group_commit`]) commits whatever has queued up as one
//! transaction, so a burst of a thousand scans costs a handful of commits, not a
//! thousand. On shutdown the writer drains the channel and commits before it ends, so no scan
//! that was accepted is lost.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use langso_store::procedures as store;
use time::OffsetDateTime;
use tokio::sync::oneshot;
use uuid::Uuid;

use crate::Db;
use crate::group_commit::{Batch, Sizes, Writer};

/// How the recorder batches.
#[derive(Clone, Copy, Debug)]
pub struct RecorderConfig {
    /// Scans that may wait in the channel; beyond this a scan waits for room (up to
    /// `enqueue_timeout`).
    pub capacity: usize,
    /// The most scans committed in one transaction.
    pub max_batch: usize,
    /// How long a scan waits for room in a full channel before it is given up (the resident is
    /// redirected all the same; the loss is counted and logged).
    pub enqueue_timeout: Duration,
}

impl Default for RecorderConfig {
    fn default() -> Self {
        RecorderConfig {
            capacity: 16_384,
            max_batch: 2_000,
            enqueue_timeout: Duration::from_secs(2),
        }
    }
}

enum Message {
    Scan(Uuid, OffsetDateTime),
    Flush(oneshot::Sender<()>),
}

#[derive(Default)]
struct Counts {
    recorded: AtomicU64,
    lost: AtomicU64,
    commits: AtomicU64,
}

/// The handle handlers use to record scans; cheap to clone.
#[derive(Clone)]
pub struct ScanRecorder {
    writer: Writer<Message, ()>,
    counts: Arc<Counts>,
    enqueue_timeout: Duration,
}

impl ScanRecorder {
    /// Starts the writer task on the current runtime.
    pub fn start(db: Db, config: RecorderConfig) -> ScanRecorder {
        let counts = Arc::new(Counts::default());
        let scans = Scans {
            db,
            counts: counts.clone(),
        };
        let sizes = Sizes {
            capacity: config.capacity,
            room: config.max_batch,
        };
        ScanRecorder {
            writer: Writer::start(scans, sizes),
            counts,
            enqueue_timeout: config.enqueue_timeout,
        }
    }

    /// Queues a scan of `placement_id` now. False if it could not be queued (the recorder is
    /// shut down, or the channel stayed full): the caller still answers the resident.
    pub async fn record(&self, placement_id: Uuid) -> bool {
        let message = Message::Scan(placement_id, OffsetDateTime::now_utc());
        let queued = self
            .writer
            .send_within(message, self.enqueue_timeout)
            .await
            .is_ok();
        if !queued {
            self.counts.lost.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(%placement_id, "scan not recorded: the recorder is full or stopped");
        }
        queued
    }

    /// Waits until every scan queued before this call is committed.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.writer.send(Message::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }

    /// Stops accepting scans, commits every queued one, and waits for the writer to end.
    pub async fn shutdown(&self) {
        self.writer.shutdown().await;
    }

    /// (scans committed, scans lost, transactions committed) since start.
    pub fn counters(&self) -> (u64, u64, u64) {
        (
            self.counts.recorded.load(Ordering::Relaxed),
            self.counts.lost.load(Ordering::Relaxed),
            self.counts.commits.load(Ordering::Relaxed),
        )
    }
}

/// How scans are written: a batch in one transaction, retried a few times (the database may
/// be briefly busy or restarting), then given up and counted lost.
struct Scans {
    db: Db,
    counts: Arc<Counts>,
}

impl Batch for Scans {
    type Job = Message;
    type Output = ();

    async fn write(&mut self, jobs: Vec<Message>) {
        let mut batch = Vec::with_capacity(jobs.len());
        let mut flushes = Vec::new();
        for job in jobs {
            match job {
                Message::Scan(placement_id, at) => batch.push((placement_id, at)),
                Message::Flush(done) => flushes.push(done),
            }
        }
        self.commit(&batch).await;
        for done in flushes {
            let _ = done.send(());
        }
    }

    async fn finish(self) {}
}

impl Scans {
    async fn commit(&self, batch: &[(Uuid, OffsetDateTime)]) {
        if batch.is_empty() {
            return;
        }
        let counts = &self.counts;
        for attempt in 1..=5u32 {
            match write(&self.db, batch).await {
                Ok(()) => {
                    counts
                        .recorded
                        .fetch_add(batch.len() as u64, Ordering::Relaxed);
                    counts.commits.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Err(error) => {
                    tracing::warn!(%error, attempt, scans = batch.len(), "scan batch failed; retrying");
                    tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
                }
            }
        }
        tracing::error!(
            scans = batch.len(),
            "scan batch could not be written; dropped"
        );
        counts.lost.fetch_add(batch.len() as u64, Ordering::Relaxed);
    }
}

async fn write(db: &Db, batch: &[(Uuid, OffsetDateTime)]) -> Result<(), langso_store::StoreError> {
    let mut tx = db.begin().await?;
    store::insert_scans(&mut tx, batch).await?;
    tx.commit().await
}
