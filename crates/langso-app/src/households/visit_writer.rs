//! Visits with group commit. Thirty phones submitting at once would otherwise take thirty
//! turns at SQLite's single writer, each paying for its own BEGIN, COMMIT and counter
//! updates. Handlers check a visit themselves (scope, values: reads that run in parallel),
//! then hand it to one writer task, which writes everything queued in one transaction with a
//! fixed number of statements (multi-row inserts and updates; counter deltas once per
//! village and key), commits, and only then answers each sender: a visit is acknowledged after
//! it is durable, as before.
//!
//! Today's indicator catalogue is kept for a while (30 s by default, a setting:
//! [`Lifetimes::catalogue`]), so checking a visit reads only the household and the actor's scope.
//!
//! If a batch fails, its visits are written again one by one, each in its own transaction,
//! so one bad visit never costs the others theirs.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use langso_store::households::VisitRow;
use time::Date;
use tokio::sync::{Mutex, Notify, mpsc, oneshot};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::catalogue::{Indicator, catalogue};
use super::visits::{CheckedVisit, VisitInput, check_visit, write_visits};
use crate::auth::Actor;
use crate::cache::{Cache, Lifetimes};
use crate::{AppError, AppResult, Db, today};

/// Visits that may wait for the writer; past this, senders wait for room.
const CAPACITY: usize = 1_024;
/// The most visits written in one transaction.
const MAX_BATCH: usize = 256;

struct Job {
    visit: CheckedVisit,
    done: oneshot::Sender<AppResult<VisitRow>>,
}

struct Shared {
    stop: Notify,
    worker: Mutex<Option<JoinHandle<()>>>,
    written: AtomicU64,
    commits: AtomicU64,
    /// The catalogue by day: a new catalogue version (rare, dated) is seen within its lifetime.
    catalogue: Cache<Date, Arc<Vec<Indicator>>>,
}

/// The handle handlers use to record visits; cheap to clone.
#[derive(Clone)]
pub struct VisitWriter {
    db: Db,
    sender: mpsc::Sender<Job>,
    shared: Arc<Shared>,
}

impl VisitWriter {
    /// Starts the writer task on the current runtime.
    pub fn start(db: Db) -> VisitWriter {
        VisitWriter::with_catalogue_lifetime(db, Lifetimes::default().catalogue)
    }

    /// Starts the writer task, keeping today's catalogue for `ttl`.
    pub fn with_catalogue_lifetime(db: Db, ttl: Duration) -> VisitWriter {
        let (sender, receiver) = mpsc::channel(CAPACITY);
        let shared = Arc::new(Shared {
            stop: Notify::new(),
            worker: Mutex::new(None),
            written: AtomicU64::new(0),
            commits: AtomicU64::new(0),
            catalogue: Cache::new(4, ttl, Duration::ZERO),
        });
        let worker = tokio::spawn(write_loop(db.clone(), receiver, shared.clone()));
        if let Ok(mut slot) = shared.worker.try_lock() {
            *slot = Some(worker);
        }
        VisitWriter { db, sender, shared }
    }

    /// Checks a visit, queues it, and answers once it is committed: the same result as
    /// [`super::record_visit`].
    pub async fn record(
        &self,
        actor: &Actor,
        household: Uuid,
        input: &VisitInput,
    ) -> AppResult<VisitRow> {
        let todays = self.todays_catalogue().await?;
        let visit = check_visit(&self.db, actor, household, input, Some(todays)).await?;
        let (done, answer) = oneshot::channel();
        self.sender
            .send(Job { visit, done })
            .await
            .map_err(|_| stopped())?;
        answer.await.unwrap_or_else(|_| Err(stopped()))
    }

    async fn todays_catalogue(&self) -> AppResult<Arc<Vec<Indicator>>> {
        let day = today();
        if let Some(list) = self.shared.catalogue.get(&day) {
            return Ok(list);
        }
        let list = Arc::new(catalogue(&self.db, day).await?);
        self.shared.catalogue.insert(day, list.clone());
        Ok(list)
    }

    /// Stops taking visits, writes what is queued, and waits for the writer to end.
    pub async fn shutdown(&self) {
        self.shared.stop.notify_one();
        let worker = self.shared.worker.lock().await.take();
        if let Some(worker) = worker {
            let _ = worker.await;
        }
    }

    /// (visits written, transactions committed) since start.
    pub fn counters(&self) -> (u64, u64) {
        (
            self.shared.written.load(Ordering::Relaxed),
            self.shared.commits.load(Ordering::Relaxed),
        )
    }
}

fn stopped() -> AppError {
    AppError::Internal("the visit writer has stopped".to_owned())
}

async fn write_loop(db: Db, mut receiver: mpsc::Receiver<Job>, shared: Arc<Shared>) {
    loop {
        let first = tokio::select! {
            biased;
            job = receiver.recv() => job,
            () = shared.stop.notified() => {
                receiver.close();
                receiver.recv().await
            }
        };
        let Some(first) = first else { break };
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        match write_batch(&db, &jobs).await {
            Ok(()) => {
                shared
                    .written
                    .fetch_add(jobs.len() as u64, Ordering::Relaxed);
                shared.commits.fetch_add(1, Ordering::Relaxed);
                for job in jobs {
                    let _ = job.done.send(Ok(job.visit.visit().clone()));
                }
            }
            Err(error) => {
                tracing::warn!(%error, visits = jobs.len(), "visit batch failed; writing one by one");
                for job in jobs {
                    let outcome = write_batch(&db, std::slice::from_ref(&job))
                        .await
                        .map(|()| job.visit.visit().clone());
                    if outcome.is_ok() {
                        shared.written.fetch_add(1, Ordering::Relaxed);
                        shared.commits.fetch_add(1, Ordering::Relaxed);
                    }
                    let _ = job.done.send(outcome);
                }
            }
        }
    }
}

async fn write_batch(db: &Db, jobs: &[Job]) -> AppResult<()> {
    let mut tx = db.begin().await?;
    let visits: Vec<&CheckedVisit> = jobs.iter().map(|job| &job.visit).collect();
    write_visits(&mut tx, &visits).await?;
    tx.commit().await?;
    Ok(())
}
