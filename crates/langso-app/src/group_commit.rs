//! One group-commit writer for every path that writes small things often: visits, device
//! heartbeats, QR scans, and the rows of a register import. Senders hand jobs to a bounded
//! queue; one task per writer takes the first job, then everything else already queued up to a
//! batch's room, and hands the lot to the path's [`Batch`], which writes it in one transaction
//! and answers each sender. Thirty phones submitting at once thus share one BEGIN, one COMMIT
//! and one set of multi-row statements instead of taking thirty turns at SQLite's single
//! writer. What differs between the paths (what a job is, how a batch is written, how a
//! failure is retried or split, what the writer leaves when it ends) lives in their
//! [`Batch`]; how the queue fills, drains and shuts down lives here once, so a saving made
//! here serves all four.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, Notify, mpsc};
use tokio::task::JoinHandle;

/// How one path writes a batch of its jobs.
pub trait Batch: Send + 'static {
    /// What one sender hands over.
    type Job: Send + 'static;
    /// What the writer leaves when it ends: the open transaction of an import, nothing for
    /// the others.
    type Output: Send + 'static;

    /// How much of a batch's room a job takes (a request of heartbeats counts its readings).
    fn weight(_job: &Self::Job) -> usize {
        1
    }

    /// Writes the jobs (in the order they were queued) and answers their senders.
    fn write(&mut self, jobs: Vec<Self::Job>) -> impl Future<Output = ()> + Send;

    /// Runs once the queue is closed and every queued job written.
    fn finish(self) -> impl Future<Output = Self::Output> + Send;
}

/// Why a job was not queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The queue stayed full.
    Full,
    /// The writer is shutting down or has stopped.
    Stopped,
}

/// Sizes of a writer.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    /// Jobs that may wait in the queue.
    pub capacity: usize,
    /// The most weight written in one batch.
    pub room: usize,
}

struct Shared<O> {
    stop: Notify,
    task: Mutex<Option<JoinHandle<O>>>,
}

/// The handle senders use; cheap to clone.
pub struct Writer<J, O> {
    sender: mpsc::Sender<J>,
    shared: Arc<Shared<O>>,
}

impl<J, O> Clone for Writer<J, O> {
    fn clone(&self) -> Self {
        Writer {
            sender: self.sender.clone(),
            shared: self.shared.clone(),
        }
    }
}

impl<J: Send + 'static, O: Send + 'static> Writer<J, O> {
    /// Starts the writer task on the current runtime.
    pub fn start<B: Batch<Job = J, Output = O>>(batch: B, sizes: Sizes) -> Writer<J, O> {
        let (sender, receiver) = mpsc::channel(sizes.capacity.max(1));
        let shared = Arc::new(Shared {
            stop: Notify::new(),
            task: Mutex::new(None),
        });
        let task = tokio::spawn(run(batch, receiver, shared.clone(), sizes.room.max(1)));
        if let Ok(mut slot) = shared.task.try_lock() {
            *slot = Some(task);
        }
        Writer { sender, shared }
    }

    /// Queues a job, waiting for room.
    pub async fn send(&self, job: J) -> Result<(), Refused> {
        self.sender.send(job).await.map_err(|_| Refused::Stopped)
    }

    /// Queues a job, or refuses at once when the queue is full (a server shedding load).
    pub fn try_send(&self, job: J) -> Result<(), Refused> {
        self.sender.try_send(job).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => Refused::Full,
            mpsc::error::TrySendError::Closed(_) => Refused::Stopped,
        })
    }

    /// Queues a job, waiting for room at most `wait`.
    pub async fn send_within(&self, job: J, wait: Duration) -> Result<(), Refused> {
        match self.sender.try_send(job) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Closed(_)) => Err(Refused::Stopped),
            Err(mpsc::error::TrySendError::Full(job)) => {
                match tokio::time::timeout(wait, self.sender.send(job)).await {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(_)) => Err(Refused::Stopped),
                    Err(_) => Err(Refused::Full),
                }
            }
        }
    }

    /// Stops taking jobs, writes every queued one, and waits for the writer to end; its
    /// output the first time, `None` after.
    pub async fn shutdown(&self) -> Option<O> {
        self.shared.stop.notify_one();
        let task = self.shared.task.lock().await.take()?;
        task.await.ok()
    }
}

async fn run<B: Batch>(
    mut batch: B,
    mut receiver: mpsc::Receiver<B::Job>,
    shared: Arc<Shared<B::Output>>,
    room: usize,
) -> B::Output {
    loop {
        let first = tokio::select! {
            biased;
            job = receiver.recv() => job,
            () = shared.stop.notified() => {
                // No new jobs from here on; what is queued is still received below.
                receiver.close();
                receiver.recv().await
            }
        };
        let Some(first) = first else { break };
        let mut weight = B::weight(&first);
        let mut jobs = vec![first];
        while weight < room {
            match receiver.try_recv() {
                Ok(job) => {
                    weight += B::weight(&job);
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        batch.write(jobs).await;
    }
    batch.finish().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::oneshot;

    /// Sums what it is sent, one batch at a time, answering each sender with its batch's size.
    struct Summing {
        total: u64,
        batches: Vec<usize>,
    }

    impl Batch for Summing {
        type Job = (u64, oneshot::Sender<usize>);
        type Output = (u64, Vec<usize>);

        async fn write(&mut self, jobs: Vec<Self::Job>) {
            self.batches.push(jobs.len());
            let size = jobs.len();
            for (value, done) in jobs {
                self.total += value;
                let _ = done.send(size);
            }
        }

        async fn finish(self) -> Self::Output {
            (self.total, self.batches)
        }
    }

    #[tokio::test]
    async fn queued_jobs_are_written_in_batches_and_shutdown_drains_them() {
        let sizes = Sizes {
            capacity: 64,
            room: 8,
        };
        let writer = Writer::start(
            Summing {
                total: 0,
                batches: Vec::new(),
            },
            sizes,
        );
        let mut answers = Vec::new();
        for value in 1..=40u64 {
            let (done, answer) = oneshot::channel();
            writer.try_send((value, done)).expect("room in the queue");
            answers.push(answer);
        }
        let (total, batches) = writer.shutdown().await.expect("the writer's output");
        assert_eq!(total, (1..=40).sum::<u64>());
        assert_eq!(batches.iter().sum::<usize>(), 40);
        assert!(batches.iter().all(|&size| size <= 8), "{batches:?}");
        for answer in answers {
            assert!(answer.await.expect("answered") <= 8);
        }
        let (done, _answer) = oneshot::channel();
        assert_eq!(writer.try_send((1, done)), Err(Refused::Stopped));
        assert!(writer.shutdown().await.is_none());
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_or_after_the_wait() {
        let (gate, opened) = oneshot::channel::<()>();
        struct Held(Option<oneshot::Receiver<()>>);
        impl Batch for Held {
            type Job = u8;
            type Output = ();
            async fn write(&mut self, _jobs: Vec<u8>) {
                if let Some(opened) = self.0.take() {
                    let _ = opened.await;
                }
            }
            async fn finish(self) {}
        }
        let writer = Writer::start(
            Held(Some(opened)),
            Sizes {
                capacity: 1,
                room: 1,
            },
        );
        writer.send(1).await.expect("taken by the writer");
        tokio::task::yield_now().await;
        // The writer holds job 1; job 2 fills the queue.
        let mut queued = false;
        for _ in 0..100 {
            if writer.try_send(2).is_ok() {
                queued = true;
                break;
            }
            tokio::task::yield_now().await;
        }
        assert!(queued);
        assert_eq!(writer.try_send(3), Err(Refused::Full));
        assert_eq!(
            writer.send_within(3, Duration::from_millis(20)).await,
            Err(Refused::Full)
        );
        let _ = gate.send(());
        assert!(writer.shutdown().await.is_some());
    }
}
