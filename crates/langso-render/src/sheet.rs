//! Spreadsheets (XLSX) for lists people open in Excel or LibreOffice: text cells stay text (a
//! phone number keeps its leading 0), dates are real dates shown as dd/mm/yyyy.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use crate::{RenderError, RenderResult};

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum SheetCell {
    /// Text, written as text.
    Text(String),
    /// A number.
    Number(f64),
    /// A calendar day (year, month, day).
    Date(i32, u8, u8),
    /// Nothing.
    Empty,
}

fn fail(error: XlsxError) -> RenderError {
    RenderError::Sheet(error.to_string())
}

/// A workbook of one sheet named `name`: a bold header row, then `rows`.
pub fn xlsx(name: &str, headers: &[&str], rows: &[Vec<SheetCell>]) -> RenderResult<Vec<u8>> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    // Constant-memory mode: each finished row goes to a temporary file instead of staying in
    // the workbook's cell table, which took gigabytes for a province's million households.
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(fail)?;
    sheet.set_name(name).map_err(fail)?;
    for (col, header) in headers.iter().enumerate() {
        let col = u16::try_from(col).map_err(|_| RenderError::Sheet("too many columns".into()))?;
        sheet
            .write_string_with_format(0, col, *header, &bold)
            .map_err(fail)?;
        let width = header.chars().count().clamp(10, 30) as f64 + 2.0;
        sheet.set_column_width(col, width).map_err(fail)?;
    }
    for (r, cells) in rows.iter().enumerate() {
        let row = u32::try_from(r + 1).map_err(|_| RenderError::Sheet("too many rows".into()))?;
        for (c, cell) in cells.iter().enumerate() {
            let col =
                u16::try_from(c).map_err(|_| RenderError::Sheet("too many columns".into()))?;
            match cell {
                SheetCell::Text(text) if !text.is_empty() => {
                    sheet.write_string(row, col, text).map_err(fail)?;
                }
                SheetCell::Number(value) => {
                    sheet.write_number(row, col, *value).map_err(fail)?;
                }
                SheetCell::Date(y, m, d) => {
                    let year = u16::try_from(*y).map_err(|_| RenderError::Sheet("year".into()))?;
                    let date = ExcelDateTime::from_ymd(year, *m, *d).map_err(fail)?;
                    sheet
                        .write_datetime_with_format(row, col, &date, &day)
                        .map_err(fail)?;
                }
                SheetCell::Text(_) | SheetCell::Empty => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    workbook.save_to_buffer().map_err(fail)
}
