//! Visits with group commit ([`crate::group_commit`]). Handlers check a visit themselves
//! (scope, values: reads that run in parallel), then hand it to the writer, which writes
//! everything queued in one transaction with a fixed number of statements (multi-row inserts
//! and updates; counter deltas in four multi-row statements), commits, and only then answers
//! each sender: a visit is acknowledged after it is durable.
//!
//! Today's indicator catalogue is kept for a while (30 s by default, a setting:
//! [`Lifetimes::catalogue`]), so checking a visit reads only the household and the actor's scope.
//!
//! If a batch fails, its visits are written again one by one, each in its own transaction,
//! so one bad visit never costs the others theirs. A visit whose API token came from memory
//! ([`crate::auth::Check::AtWrite`]) and was checked at an older credential generation than
//! the one the transaction read fails its group the same way; written alone, its token is
//! looked up again first, and a dead token's visit is refused (401) with nothing written.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use langso_store::households::VisitRow;
use time::Date;
use tokio::sync::oneshot;
use uuid::Uuid;

use super::catalogue::{Indicator, catalogue};
use super::visits::{CheckedVisit, VisitInput, check_visit, write_visits};
use crate::auth::Actor;
use crate::cache::{Cache, Lifetimes};
use crate::group_commit::{Batch, Sizes, Writer};
use crate::{AppError, AppResult, Db, today};

/// Visits that may wait for the writer (past this, senders wait for room), and the most
/// written in one transaction.
const SIZES: Sizes = Sizes {
    capacity: 1_024,
    room: 256,
};

struct Job {
    visit: CheckedVisit,
    done: oneshot::Sender<AppResult<VisitRow>>,
}

#[derive(Default)]
struct Counts {
    written: AtomicU64,
    commits: AtomicU64,
}

/// The handle handlers use to record visits; cheap to clone.
#[derive(Clone)]
pub struct VisitWriter {
    db: Db,
    writer: Writer<Job, ()>,
    counts: Arc<Counts>,
    /// The catalogue by day: a new catalogue version (rare, dated) is seen within its lifetime.
    catalogue: Arc<Cache<Date, Arc<Vec<Indicator>>>>,
    /// The newest credential generation seen (shared with the API token cache).
    newest: Arc<AtomicI64>,
}

impl VisitWriter {
    /// Starts the writer task on the current runtime.
    pub fn start(db: Db) -> VisitWriter {
        VisitWriter::with_catalogue_lifetime(db, Lifetimes::default().catalogue)
    }

    /// Starts the writer task, keeping today's catalogue for `ttl`.
    pub fn with_catalogue_lifetime(db: Db, ttl: Duration) -> VisitWriter {
        let counts = Arc::new(Counts::default());
        let newest = Arc::new(AtomicI64::new(0));
        let batch = Visits {
            db: db.clone(),
            counts: counts.clone(),
            newest: newest.clone(),
        };
        VisitWriter {
            db,
            writer: Writer::start(batch, SIZES),
            counts,
            catalogue: Arc::new(Cache::new(4, ttl, Duration::ZERO)),
            newest,
        }
    }

    /// The newest credential generation this writer has seen, for the API token cache
    /// ([`crate::auth::ApiTokens::new`]) to share.
    pub fn generation_seen(&self) -> Arc<AtomicI64> {
        self.newest.clone()
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
        self.writer
            .send(Job { visit, done })
            .await
            .map_err(|_| stopped())?;
        answer.await.unwrap_or_else(|_| Err(stopped()))
    }

    async fn todays_catalogue(&self) -> AppResult<Arc<Vec<Indicator>>> {
        let day = today();
        if let Some(list) = self.catalogue.get(&day) {
            return Ok(list);
        }
        let list = Arc::new(catalogue(&self.db, day).await?);
        self.catalogue.insert(day, list.clone());
        Ok(list)
    }

    /// Stops taking visits, writes what is queued, and waits for the writer to end.
    pub async fn shutdown(&self) {
        self.writer.shutdown().await;
    }

    /// (visits written, transactions committed) since start.
    pub fn counters(&self) -> (u64, u64) {
        (
            self.counts.written.load(Ordering::Relaxed),
            self.counts.commits.load(Ordering::Relaxed),
        )
    }
}

fn stopped() -> AppError {
    AppError::Internal("the visit writer has stopped".to_owned())
}

/// How visits are written: the batch in one transaction; if it fails, one by one.
struct Visits {
    db: Db,
    counts: Arc<Counts>,
    newest: Arc<AtomicI64>,
}

impl Visits {
    /// Writes one visit alone. A token taken from memory at an old generation is looked up
    /// again (and the newest generation noted, so the cache looks its entries up afresh).
    async fn write_one(&self, mut job: Job) -> (Job, AppResult<VisitRow>) {
        let mut outcome = write_batch(&self.db, std::slice::from_ref(&job)).await;
        if matches!(outcome, Err(AppError::Unauthenticated)) {
            outcome = self.recheck(&mut job).await;
            if outcome.is_ok() {
                outcome = write_batch(&self.db, std::slice::from_ref(&job)).await;
            }
        }
        let outcome = outcome.map(|()| job.visit.visit().clone());
        (job, outcome)
    }

    async fn recheck(&self, job: &mut Job) -> AppResult<()> {
        let generation = langso_store::auth::credential_generation(&self.db).await?;
        self.newest.fetch_max(generation, Ordering::AcqRel);
        let actor = job.visit.actor_mut();
        let Some(token) = actor.token_id else {
            return Err(AppError::Unauthenticated);
        };
        if !crate::auth::api_token_alive(&self.db, token).await? {
            return Err(AppError::Unauthenticated);
        }
        // Checked now, as a request's token is: the write follows at once.
        actor.checked_at = None;
        Ok(())
    }
}

impl Batch for Visits {
    type Job = Job;
    type Output = ();

    async fn write(&mut self, jobs: Vec<Job>) {
        let counts = &self.counts;
        match write_batch(&self.db, &jobs).await {
            Ok(()) => {
                counts
                    .written
                    .fetch_add(jobs.len() as u64, Ordering::Relaxed);
                counts.commits.fetch_add(1, Ordering::Relaxed);
                for job in jobs {
                    let _ = job.done.send(Ok(job.visit.visit().clone()));
                }
            }
            Err(error) => {
                tracing::warn!(%error, visits = jobs.len(), "visit batch failed; writing one by one");
                for job in jobs {
                    let (job, outcome) = self.write_one(job).await;
                    if outcome.is_ok() {
                        counts.written.fetch_add(1, Ordering::Relaxed);
                        counts.commits.fetch_add(1, Ordering::Relaxed);
                    }
                    let _ = job.done.send(outcome);
                }
            }
        }
    }

    async fn finish(self) {}
}

async fn write_batch(db: &Db, jobs: &[Job]) -> AppResult<()> {
    let mut tx = db.begin().await?;
    let visits: Vec<&CheckedVisit> = jobs.iter().map(|job| &job.visit).collect();
    write_visits(&mut tx, &visits).await?;
    tx.commit().await?;
    Ok(())
}
