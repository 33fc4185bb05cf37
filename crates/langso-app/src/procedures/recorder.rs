//! Recording scans fast: `/q/{token}` hands each scan to a bounded channel and redirects at
//! once; one writer task drains the channel and commits whatever has queued up as one
//! transaction (group commit), so a burst of a thousand scans costs a handful of commits, not a
//! thousand. On shutdown the writer drains the channel and commits before it ends, so no scan
//! that was accepted is lost.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use langso_store::procedures as store;
use time::OffsetDateTime;
use tokio::sync::{Mutex, Notify, mpsc, oneshot};
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::Db;

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

struct Shared {
    stop: Notify,
    worker: Mutex<Option<JoinHandle<()>>>,
    recorded: AtomicU64,
    lost: AtomicU64,
    commits: AtomicU64,
}

/// The handle handlers use to record scans; cheap to clone.
#[derive(Clone)]
pub struct ScanRecorder {
    sender: mpsc::Sender<Message>,
    shared: Arc<Shared>,
    enqueue_timeout: Duration,
}

impl ScanRecorder {
    /// Starts the writer task on the current runtime.
    pub fn start(db: Db, config: RecorderConfig) -> ScanRecorder {
        let (sender, receiver) = mpsc::channel(config.capacity.max(1));
        let shared = Arc::new(Shared {
            stop: Notify::new(),
            worker: Mutex::new(None),
            recorded: AtomicU64::new(0),
            lost: AtomicU64::new(0),
            commits: AtomicU64::new(0),
        });
        let worker = tokio::spawn(write_loop(
            db,
            receiver,
            shared.clone(),
            config.max_batch.max(1),
        ));
        if let Ok(mut slot) = shared.worker.try_lock() {
            *slot = Some(worker);
        }
        ScanRecorder {
            sender,
            shared,
            enqueue_timeout: config.enqueue_timeout,
        }
    }

    /// Queues a scan of `placement_id` now. False if it could not be queued (the recorder is
    /// shut down, or the channel stayed full): the caller still answers the resident.
    pub async fn record(&self, placement_id: Uuid) -> bool {
        let message = Message::Scan(placement_id, OffsetDateTime::now_utc());
        let queued = match self.sender.try_send(message) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Closed(_)) => false,
            Err(mpsc::error::TrySendError::Full(message)) => {
                matches!(
                    tokio::time::timeout(self.enqueue_timeout, self.sender.send(message)).await,
                    Ok(Ok(()))
                )
            }
        };
        if !queued {
            self.shared.lost.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(%placement_id, "scan not recorded: the recorder is full or stopped");
        }
        queued
    }

    /// Waits until every scan queued before this call is committed.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.sender.send(Message::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }

    /// Stops accepting scans, commits every queued one, and waits for the writer to end.
    pub async fn shutdown(&self) {
        self.shared.stop.notify_one();
        let worker = self.shared.worker.lock().await.take();
        if let Some(worker) = worker {
            let _ = worker.await;
        }
    }

    /// (scans committed, scans lost, transactions committed) since start.
    pub fn counters(&self) -> (u64, u64, u64) {
        (
            self.shared.recorded.load(Ordering::Relaxed),
            self.shared.lost.load(Ordering::Relaxed),
            self.shared.commits.load(Ordering::Relaxed),
        )
    }
}

async fn write_loop(
    db: Db,
    mut receiver: mpsc::Receiver<Message>,
    shared: Arc<Shared>,
    max_batch: usize,
) {
    let mut batch = Vec::with_capacity(max_batch);
    let mut flushes = Vec::new();
    loop {
        let first = tokio::select! {
            biased;
            message = receiver.recv() => message,
            () = shared.stop.notified() => {
                // No new scans from here on; what is queued is still received below.
                receiver.close();
                receiver.recv().await
            }
        };
        let Some(first) = first else { break };
        let mut next = Some(first);
        while let Some(message) = next {
            match message {
                Message::Scan(placement_id, at) => batch.push((placement_id, at)),
                Message::Flush(done) => flushes.push(done),
            }
            next = if batch.len() < max_batch {
                receiver.try_recv().ok()
            } else {
                None
            };
        }
        commit(&db, &mut batch, &shared).await;
        for done in flushes.drain(..) {
            let _ = done.send(());
        }
    }
    commit(&db, &mut batch, &shared).await;
}

/// Commits a batch, retrying a few times (the database may be briefly busy or restarting).
async fn commit(db: &Db, batch: &mut Vec<(Uuid, OffsetDateTime)>, shared: &Shared) {
    if batch.is_empty() {
        return;
    }
    for attempt in 1..=5u32 {
        match write(db, batch).await {
            Ok(()) => {
                shared
                    .recorded
                    .fetch_add(batch.len() as u64, Ordering::Relaxed);
                shared.commits.fetch_add(1, Ordering::Relaxed);
                batch.clear();
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
    shared.lost.fetch_add(batch.len() as u64, Ordering::Relaxed);
    batch.clear();
}

async fn write(db: &Db, batch: &[(Uuid, OffsetDateTime)]) -> Result<(), langso_store::StoreError> {
    let mut tx = db.begin().await?;
    store::insert_scans(&mut tx, batch).await?;
    tx.commit().await
}
