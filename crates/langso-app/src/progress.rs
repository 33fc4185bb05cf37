//! Progress of long work (imports, demo building), reported to whoever shows it: a progress bar
//! in the CLI, nothing in tests.

/// Receives progress of long work.
pub trait Progress: Send + Sync {
    /// The amount of work ahead, once known; `stage` names it ("kiểm tra / validating").
    fn start(&self, stage: &str, total: u64);
    /// `done` more units of work finished.
    fn advance(&self, done: u64);
}

/// Shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _stage: &str, _total: u64) {}
    fn advance(&self, _done: u64) {}
}
