//! Request metrics in Prometheus format: a counter and a latency histogram per route.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// The process-wide recorder's handle, installed on first use (tests start many routers in
/// one process; the recorder is global).
pub(crate) fn handle() -> Option<PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let buckets = [
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ];
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("http_request_duration_seconds".to_owned()),
                    &buckets,
                )
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            Some(handle)
        })
        .clone()
}

/// Counts each request and records its latency, labelled by route template (not raw path, so
/// ids do not explode the label set).
pub(crate) async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let method = request.method().to_string();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

// --- h20d: operator alerts ---

/// The operator's gauges in Prometheus text format: one `langso_alert_active` per condition,
/// free space per watched path, the outboxes' oldest due age, the last good backup, the
/// certificates' ends and the broker link, from the node's latest check.
pub(crate) fn alert_gauges(board: &langso_app::ops::Board) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    fn head(out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
    }
    head(
        &mut out,
        "langso_alert_active",
        "1 while an alert of the condition is open.",
    );
    for (condition, active) in board.active() {
        let _ = writeln!(
            out,
            "langso_alert_active{{condition=\"{}\"}} {}",
            condition.as_str(),
            u8::from(active)
        );
    }
    let gauges = board.gauges();
    if let Some(up) = gauges.database_up {
        head(
            &mut out,
            "langso_database_up",
            "1 when the database answered the node's latest check.",
        );
        let _ = writeln!(out, "langso_database_up {}", u8::from(up));
    }
    if !gauges.disks.is_empty() {
        head(
            &mut out,
            "langso_disk_free_bytes",
            "Bytes free on the filesystem of a watched path.",
        );
        for (path, free, _) in &gauges.disks {
            let _ = writeln!(
                out,
                "langso_disk_free_bytes{{path=\"{}\"}} {free}",
                label(path)
            );
        }
        head(
            &mut out,
            "langso_disk_free_ratio",
            "Share of the filesystem of a watched path still free.",
        );
        for (path, free, total) in &gauges.disks {
            let ratio = if *total == 0 {
                0.0
            } else {
                *free as f64 / *total as f64
            };
            let _ = writeln!(
                out,
                "langso_disk_free_ratio{{path=\"{}\"}} {ratio:.4}",
                label(path)
            );
        }
    }
    if !gauges.outboxes.is_empty() {
        head(
            &mut out,
            "langso_outbox_oldest_due_age_seconds",
            "Seconds the oldest due message of an outbox has waited (0: none due).",
        );
        for (outbox, age, _) in &gauges.outboxes {
            let _ = writeln!(
                out,
                "langso_outbox_oldest_due_age_seconds{{outbox=\"{outbox}\"}} {age}"
            );
        }
        head(
            &mut out,
            "langso_outbox_failed_day",
            "Messages of an outbox given up on in the last day.",
        );
        for (outbox, _, failed) in &gauges.outboxes {
            let _ = writeln!(
                out,
                "langso_outbox_failed_day{{outbox=\"{outbox}\"}} {failed}"
            );
        }
    }
    if let Some(at) = gauges.backup_last_success {
        head(
            &mut out,
            "langso_backup_last_success_timestamp_seconds",
            "When the latest successful backup finished (Unix seconds).",
        );
        let _ = writeln!(out, "langso_backup_last_success_timestamp_seconds {at}");
    }
    let readable: Vec<_> = gauges
        .certificates
        .iter()
        .filter_map(|(path, end)| end.map(|end| (path, end)))
        .collect();
    if !readable.is_empty() {
        head(
            &mut out,
            "langso_certificate_expiry_timestamp_seconds",
            "When a watched certificate stops being valid (Unix seconds).",
        );
        for (path, end) in readable {
            let _ = writeln!(
                out,
                "langso_certificate_expiry_timestamp_seconds{{path=\"{}\"}} {end}",
                label(path)
            );
        }
    }
    if board.broker().address().is_some() {
        head(
            &mut out,
            "langso_mqtt_broker_connected",
            "1 while the MQTT subscriber is connected to its broker.",
        );
        let _ = writeln!(
            out,
            "langso_mqtt_broker_connected {}",
            u8::from(board.broker().is_connected())
        );
    }
    out
}

/// A label value escaped as the text format wants (backslash, quote, line feed).
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
