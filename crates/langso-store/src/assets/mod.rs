//! Assets: the register (with contributors and lamp replacements), the latest state of each
//! reporting device with a ledger of its status changes, and alarms.
//!
//! Reads that list assets take a scope root (a unit) and return only what lies under it.

mod alarms;
mod register;
mod telemetry;
mod uploads;

pub use alarms::*;
pub use register::*;
pub use telemetry::*;
pub use uploads::*;

/// `unit_closure c` holds on the date bound as `$date` and puts the row aliased `a` under the
/// unit bound as `$unit`.
macro_rules! under {
    ($unit:literal, $date:literal) => {
        concat!(
            " JOIN unit_closure c ON c.descendant_id = a.unit_id AND c.ancestor_id = ",
            $unit,
            " AND c.valid_from <= ",
            $date,
            " AND (c.valid_to IS NULL OR c.valid_to >= ",
            $date,
            ")"
        )
    };
}
pub(crate) use under;
