//! How failed responses are logged. Every 5xx is an ERROR line, except the 503s an overloaded
//! server answers on purpose (telemetry shedding, timeouts): under a 10× load those come by
//! the thousand per second, and one ERROR each would drown the log and cost the server the
//! time it is short of. They are counted, and noted at WARN at most once a second with the
//! count since the last note.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::trace::OnFailure;
use tracing::Span;

/// The `TraceLayer` failure hook: see the module documentation.
#[derive(Clone, Debug)]
pub struct QuietShedding {
    shared: Arc<Shed>,
}

#[derive(Debug)]
struct Shed {
    start: Instant,
    /// 503s answered since start.
    total: AtomicU64,
    /// `total` at the last note.
    noted: AtomicU64,
    /// Milliseconds since `start` of the last note; `u64::MAX` before the first.
    last_note_ms: AtomicU64,
    /// Notes written (for tests).
    notes: AtomicU64,
}

impl Default for QuietShedding {
    fn default() -> Self {
        QuietShedding {
            shared: Arc::new(Shed {
                start: Instant::now(),
                total: AtomicU64::new(0),
                noted: AtomicU64::new(0),
                last_note_ms: AtomicU64::new(u64::MAX),
                notes: AtomicU64::new(0),
            }),
        }
    }
}

impl QuietShedding {
    /// 503s answered since start.
    pub fn shed(&self) -> u64 {
        self.shared.total.load(Ordering::Relaxed)
    }

    /// WARN notes written about them.
    pub fn notes(&self) -> u64 {
        self.shared.notes.load(Ordering::Relaxed)
    }

    fn count_shed(&self, span: &Span) {
        let shed = &self.shared;
        let total = shed.total.fetch_add(1, Ordering::Relaxed) + 1;
        let now = u64::try_from(shed.start.elapsed().as_millis()).unwrap_or(u64::MAX - 1);
        let last = shed.last_note_ms.load(Ordering::Relaxed);
        let due = last == u64::MAX || now >= last.saturating_add(1000);
        // One caller wins the note; the others only count.
        if due
            && shed
                .last_note_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            let since = total - shed.noted.swap(total, Ordering::Relaxed);
            shed.notes.fetch_add(1, Ordering::Relaxed);
            span.in_scope(|| {
                tracing::warn!(
                    shed = since,
                    total,
                    "overloaded: answering 503 (count since the last note)"
                );
            });
        }
    }
}

impl OnFailure<ServerErrorsFailureClass> for QuietShedding {
    fn on_failure(&mut self, class: ServerErrorsFailureClass, latency: Duration, span: &Span) {
        match class {
            ServerErrorsFailureClass::StatusCode(StatusCode::SERVICE_UNAVAILABLE) => {
                self.count_shed(span);
            }
            other => span.in_scope(|| {
                tracing::error!(
                    classification = %other,
                    latency = %format_args!("{} ms", latency.as_millis()),
                    "response failed"
                );
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_503s_is_counted_and_noted_once() {
        let mut hook = QuietShedding::default();
        let span = Span::none();
        for _ in 0..1000 {
            hook.on_failure(
                ServerErrorsFailureClass::StatusCode(StatusCode::SERVICE_UNAVAILABLE),
                Duration::from_millis(1),
                &span,
            );
        }
        assert_eq!(hook.shed(), 1000);
        assert!(hook.notes() >= 1, "the first one is noted");
        assert!(hook.notes() < 1000, "not one note each");
        // Other failures are not counted as shedding.
        hook.on_failure(
            ServerErrorsFailureClass::StatusCode(StatusCode::INTERNAL_SERVER_ERROR),
            Duration::from_millis(1),
            &span,
        );
        assert_eq!(hook.shed(), 1000);
    }
}
