//! Fault reports and work orders: a resident reports a dark light or a broken camera (the
//! public form or any Open311 GeoReport v2 client); the report becomes a work order that moves
//! new → assigned → in progress → fixed → closed, each step kept in its history.

use serde::{Deserialize, Serialize};

use crate::assets::AssetKind;

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

/// How long a repair of this kind may take, in hours (a camera or a wifi point matters for
/// safety and daily life; a billboard can wait).
pub fn due_hours(kind: Option<AssetKind>) -> i64 {
    match kind {
        Some(AssetKind::Camera) => 48,
        Some(AssetKind::Wifi) => 24,
        Some(AssetKind::SolarLight | AssetKind::GridLight) => 72,
        Some(AssetKind::Loudspeaker) => 96,
        Some(AssetKind::Billboard) | None => 168,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(due_hours(Some(AssetKind::Wifi)) < due_hours(None));
    }
}
