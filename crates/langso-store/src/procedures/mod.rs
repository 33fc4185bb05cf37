//! Procedures: versioned guides, QR placements and their scans.
//!
//! `procedure_versions` is a ledger (a new version never overwrites an old one); the version in
//! force on a day is chosen by query. Scans go to `qr_scans` in groups, and `qr_scan_daily` (one
//! row per placement per Vietnamese day) is kept in the same transaction, so analytics read at
//! most one row per placement per day.

mod catalogue;
mod placements;
mod scans;

pub use catalogue::*;
pub use placements::*;
pub use scans::*;

/// Joins a list for a newline-separated column (newlines inside an item become spaces).
pub(crate) fn join_lines<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|item| item.as_ref().replace(['\r', '\n'], " ").trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Splits a newline-separated column.
pub(crate) fn split_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `unit_closure c` holds on the date bound as `$param` and puts the placement `p` under the
/// unit bound as `$unit`.
macro_rules! under_unit {
    ($unit:literal, $date:literal) => {
        concat!(
            " JOIN unit_closure c ON c.descendant_id = p.unit_id AND c.ancestor_id = ",
            $unit,
            " AND c.valid_from <= ",
            $date,
            " AND (c.valid_to IS NULL OR c.valid_to >= ",
            $date,
            ")"
        )
    };
}
pub(crate) use under_unit;
