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
    let mut sheet = XlsxRows::new(name, headers)?;
    for cells in rows {
        sheet.push(cells)?;
    }
    sheet.into_bytes()
}

/// A workbook of one sheet written a row at a time, in constant memory: each finished row goes
/// to a temporary file instead of staying in the workbook's cell table, which took gigabytes
/// for a province's million households.
pub struct XlsxRows {
    workbook: Workbook,
    day: Format,
    next: u32,
}

impl XlsxRows {
    /// A sheet named `name` with a bold, frozen header row.
    pub fn new(name: &str, headers: &[&str]) -> RenderResult<XlsxRows> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(fail)?;
        sheet.set_name(name).map_err(fail)?;
        for (col, header) in headers.iter().enumerate() {
            let col = column(col)?;
            sheet
                .write_string_with_format(0, col, *header, &bold)
                .map_err(fail)?;
            let width = header.chars().count().clamp(10, 30) as f64 + 2.0;
            sheet.set_column_width(col, width).map_err(fail)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(fail)?;
        Ok(XlsxRows {
            workbook,
            day: Format::new().set_num_format("dd/mm/yyyy"),
            next: 1,
        })
    }

    /// Writes the next row.
    pub fn push(&mut self, cells: &[SheetCell]) -> RenderResult<()> {
        let row = self.next;
        let sheet = self.workbook.worksheet_from_index(0).map_err(fail)?;
        for (c, cell) in cells.iter().enumerate() {
            let col = column(c)?;
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
                        .write_datetime_with_format(row, col, &date, &self.day)
                        .map_err(fail)?;
                }
                SheetCell::Text(_) | SheetCell::Empty => {}
            }
        }
        self.next = row
            .checked_add(1)
            .ok_or_else(|| RenderError::Sheet("too many rows".into()))?;
        Ok(())
    }

    /// The workbook's bytes.
    pub fn into_bytes(mut self) -> RenderResult<Vec<u8>> {
        self.workbook.save_to_buffer().map_err(fail)
    }

    /// Writes the workbook to `out` (a file: the bytes never sit in memory whole).
    pub fn write_to<W: std::io::Write + std::io::Seek + Send>(
        mut self,
        out: W,
    ) -> RenderResult<()> {
        self.workbook.save_to_writer(out).map_err(fail)
    }
}

fn column(index: usize) -> RenderResult<u16> {
    u16::try_from(index).map_err(|_| RenderError::Sheet("too many columns".into()))
}
