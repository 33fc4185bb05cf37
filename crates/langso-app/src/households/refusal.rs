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
    /// The message key and the Vietnamese / English text, `{limit}` standing for the value.
    fn text(self) -> (&'static str, &'static str) {
        match self {
            Limit::ZipEntries => (
                "households-file-too-many-parts",
                "tệp Excel có quá {limit} phần / the XLSX file has more than {limit} parts",
            ),
            Limit::PartBytes => (
                "households-file-part-too-large",
                "một phần của tệp Excel quá {limit} MB khi giải nén / a part of the XLSX file is over {limit} MB uncompressed",
            ),
            Limit::TotalBytes => (
                "households-file-too-large-uncompressed",
                "tệp Excel quá {limit} MB khi giải nén / the XLSX file is over {limit} MB uncompressed",
            ),
            Limit::Ratio => (
                "households-file-compression-ratio",
                "tệp Excel giãn ra hơn {limit} lần khi giải nén / a part of the XLSX file expands more than {limit} times",
            ),
            Limit::SharedStrings => (
                "households-file-too-many-shared-strings",
                "bảng chuỗi dùng chung có quá {limit} chuỗi / the shared-strings table has more than {limit} strings",
            ),
            Limit::SharedStringsBytes => (
                "households-file-shared-strings-too-large",
                "bảng chuỗi dùng chung quá {limit} MB / the shared-strings table is over {limit} MB",
            ),
            Limit::XmlEvent => (
                "households-file-xml-too-long",
                "tệp Excel có thẻ hoặc đoạn chữ dài quá {limit} KB / the XLSX file has a tag or text over {limit} KB",
            ),
            Limit::XmlDepth => (
                "households-file-xml-too-deep",
                "tệp Excel lồng sâu quá {limit} cấp / the XLSX file nests more than {limit} levels deep",
            ),
            Limit::SheetRows => (
                "households-file-sheet-too-many-rows",
                "trang tính có quá {limit} dòng / the sheet has more than {limit} rows",
            ),
            Limit::SheetColumns => (
                "households-file-sheet-too-many-cells",
                "một dòng có quá {limit} ô / a row has more than {limit} cells",
            ),
            Limit::Columns => (
                "households-file-too-many-columns",
                "tệp có dữ liệu ở quá {limit} cột / the file has data in more than {limit} columns",
            ),
            Limit::Rows => (
                "households-file-too-many-rows",
                "tệp có quá {limit} dòng / the file has more than {limit} rows",
            ),
            Limit::CellChars => (
                "households-file-cell-too-long",
                "ô dài quá {limit} ký tự / the cell is longer than {limit} characters",
            ),
            Limit::CsvRecord => (
                "households-file-line-too-long",
                "dòng dài quá {limit} KB / the line is longer than {limit} KB",
            ),
        }
    }
}

/// The whole file refused for `limit` (of value `value`).
pub(crate) fn limit(limit: Limit, value: u64) -> AppError {
    at(0, limit, value)
}

/// The file refused at spreadsheet row `row` (0: the whole file) for `limit`.
pub(crate) fn at(row: usize, limit: Limit, value: u64) -> AppError {
    let (_key, text) = limit.text();
    AppError::Invalid(vec![CellError::new(
        row,
        "",
        text.replace("{limit}", &value.to_string()),
    )])
}

/// A cell reference or dimension outside Excel's grid.
pub(crate) fn outside_grid(reference: &str, columns: u64, rows: u64) -> AppError {
    AppError::refused(format!(
        "ô {reference} nằm ngoài trang tính Excel ({columns} cột × {rows} dòng) / cell {reference} is outside Excel's grid ({columns} columns × {rows} rows)"
    ))
}
