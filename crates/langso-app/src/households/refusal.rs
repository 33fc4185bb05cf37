//! The refusals of [`super::limits`]: one per limit, naming it and its value, so the person
//! who sent the file knows what to cut.

use crate::{AppError, CellError};

/// Which bound a file went past.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Limit {
    /// Parts in the archive.
    ZipEntries,
    /// Uncompressed MB of one part.
    PartBytes,
    /// Uncompressed MB of all parts.
    TotalBytes,
    /// Expansion of one part.
    Ratio,
    /// Strings in the shared-strings table.
    SharedStrings,
    /// MB of the shared-strings table.
    SharedStringsBytes,
    /// KB of one XML tag or text run.
    XmlEvent,
    /// Nesting depth.
    XmlDepth,
    /// Rows of the sheet (Excel's grid).
    SheetRows,
    /// Cells in one row of the sheet (Excel's grid).
    SheetColumns,
    /// Columns with something in them.
    Columns,
    /// Data rows.
    Rows,
    /// Characters of one cell.
    CellChars,
    /// KB of one CSV record.
    CsvRecord,
}

impl Limit {
    /// The catalogue key (`langso-web/messages/*/households.ftl`), with `$limit`.
    fn key(self) -> &'static str {
        match self {
            Limit::ZipEntries => "households-file-too-many-parts",
            Limit::PartBytes => "households-file-part-too-large",
            Limit::TotalBytes => "households-file-too-large-uncompressed",
            Limit::Ratio => "households-file-compression-ratio",
            Limit::SharedStrings => "households-file-too-many-shared-strings",
            Limit::SharedStringsBytes => "households-file-shared-strings-too-large",
            Limit::XmlEvent => "households-file-xml-too-long",
            Limit::XmlDepth => "households-file-xml-too-deep",
            Limit::SheetRows => "households-file-sheet-too-many-rows",
            Limit::SheetColumns => "households-file-sheet-too-many-cells",
            Limit::Columns => "households-file-too-many-columns",
            Limit::Rows => "households-file-too-many-rows",
            Limit::CellChars => "households-file-cell-too-long",
            Limit::CsvRecord => "households-file-line-too-long",
        }
    }
}

/// The whole file refused for `limit` (of value `value`).
pub(crate) fn limit(limit: Limit, value: u64) -> AppError {
    at(0, limit, value)
}

/// The file refused at spreadsheet row `row` (0: the whole file) for `limit`.
pub(crate) fn at(row: usize, limit: Limit, value: u64) -> AppError {
    AppError::Invalid(vec![CellError::keyed(
        row,
        "",
        limit.key(),
        &[("limit", &value)],
    )])
}

/// A cell reference or dimension outside Excel's grid.
pub(crate) fn outside_grid(reference: &str, columns: u64, rows: u64) -> AppError {
    AppError::refused_key(
        "households-file-outside-grid",
        &[
            ("reference", &reference),
            ("columns", &columns),
            ("rows", &rows),
        ],
    )
}
