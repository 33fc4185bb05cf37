//! Fault reports and work orders: a resident reports a dark light or a broken camera (the
//! public form or any Open311 GeoReport v2 client); the report becomes a work order that moves
//! new → assigned → in progress → fixed → closed, each step kept in its history.

use serde::{Deserialize, Serialize};

/// A report is linked to the nearest asset of its kind within this distance.
pub const NEAREST_WITHIN_M: f64 = 30.0;

/// Where a work order stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    /// Reported, nobody on it yet.
    New,
    /// Someone is named to fix it.
    Assigned,
    /// Being fixed.
    InProgress,
    /// Fixed, waiting for the officer's check.
    Fixed,
    /// Done (or refused as a duplicate).
    Closed,
}

impl WorkStatus {
    /// Every status, in order.
    pub const ALL: [WorkStatus; 5] = [
        WorkStatus::New,
        WorkStatus::Assigned,
        WorkStatus::InProgress,
        WorkStatus::Fixed,
        WorkStatus::Closed,
    ];

    /// The name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkStatus::New => "new",
            WorkStatus::Assigned => "assigned",
            WorkStatus::InProgress => "in_progress",
            WorkStatus::Fixed => "fixed",
            WorkStatus::Closed => "closed",
        }
    }

    /// Parses [`WorkStatus::as_str`].
    pub fn parse(text: &str) -> Option<WorkStatus> {
        WorkStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == text.trim())
    }

    /// Whether a work order may move from `self` to `to`: one step forward, or straight to
    /// closed (a duplicate, or nothing to fix).
    pub fn may_become(self, to: WorkStatus) -> bool {
        use WorkStatus::*;
        matches!(
            (self, to),
            (New, Assigned) | (Assigned, InProgress) | (InProgress, Fixed) | (Fixed, Closed)
        ) || (to == Closed && self != Closed)
    }

    /// Open311's two statuses.
    pub fn open311(self) -> &'static str {
        if matches!(self, WorkStatus::Fixed | WorkStatus::Closed) {
            "closed"
        } else {
            "open"
        }
    }
}

/// How fast a category of report must be answered and fixed: data per province (table
/// `fault_service_levels`), with a default row for every province without its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceLevel {
    /// Hours within which an officer must respond (move the order out of "new").
    pub response_hours: i64,
    /// Hours within which the fault must be fixed.
    pub repair_hours: i64,
}

impl ServiceLevel {
    /// The level used when a category has no row at all (a category added without one): a
    /// week to fix and two days to respond, the slowest of the seeded defaults.
    pub const FALLBACK: ServiceLevel = ServiceLevel {
        response_hours: 48,
        repair_hours: 168,
    };
}

/// Whether an order is overdue at `now`: still new past its response time, or still open
/// (not fixed, not closed) past its repair time.
pub fn overdue(
    status: WorkStatus,
    respond_by: Option<time::OffsetDateTime>,
    due_at: time::OffsetDateTime,
    now: time::OffsetDateTime,
) -> bool {
    let open = !matches!(status, WorkStatus::Fixed | WorkStatus::Closed);
    (status == WorkStatus::New && respond_by.is_some_and(|r| r < now)) || (open && due_at < now)
}

/// How long after a fix the reporter may confirm it or reopen the report.
pub const REOPEN_WITHIN_DAYS: i64 = 14;

/// The largest photo a fault report may carry: a phone photo fits, a video does not.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

/// The image type of a report's photo, told by its first bytes (not by its name or the type
/// the browser claims): JPEG, PNG or WebP, the formats phones produce and browsers show.
/// Anything else (a text file renamed `.jpg`, an SVG that could carry script) is refused.
pub fn photo_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_told_by_content() {
        assert_eq!(photo_type(b"\xFF\xD8\xFF\xE0rest"), Some("image/jpeg"));
        assert_eq!(photo_type(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(photo_type(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(photo_type(b"GIF89a"), None);
        assert_eq!(photo_type(b"<svg xmlns="), None);
        assert_eq!(photo_type(b"RIFF"), None);
        assert_eq!(photo_type(b""), None);
    }

    #[test]
    fn work_orders_move_one_step_or_close() {
        use WorkStatus::*;
        assert!(New.may_become(Assigned));
        assert!(!New.may_become(Fixed));
        assert!(Assigned.may_become(InProgress));
        assert!(InProgress.may_become(Closed));
        assert!(!Closed.may_become(Closed));
        assert!(!Fixed.may_become(New));
        assert_eq!(Fixed.open311(), "closed");
        assert_eq!(InProgress.open311(), "open");
        for s in WorkStatus::ALL {
            assert_eq!(WorkStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn overdue_by_response_then_by_repair() {
        use time::macros::datetime;
        let due = datetime!(2026-01-03 0:00 UTC);
        let respond = Some(datetime!(2026-01-01 8:00 UTC));
        let now = datetime!(2026-01-02 0:00 UTC);
        assert!(overdue(WorkStatus::New, respond, due, now));
        assert!(!overdue(WorkStatus::Assigned, respond, due, now));
        let later = datetime!(2026-01-04 0:00 UTC);
        assert!(overdue(WorkStatus::InProgress, respond, due, later));
        assert!(!overdue(WorkStatus::Fixed, respond, due, later));
        assert!(!overdue(WorkStatus::New, None, due, now));
    }
}

// --- h16a: photos published without their metadata ---
pub mod photo_meta;
