//! Reading household files as offices write them: CSV (comma, semicolon or tab; UTF-8 with or
//! without a BOM, UTF-16, or an office's legacy encoding: see [`super::encoding`]) and XLSX
//! (the first sheet), the header row found below a letterhead and a title
//! ([`super::header_row`]), headers in Vietnamese matched without regard to accents, case or
//! spacing, in any order; cells typed as Excel stores them (numbers that were phone numbers,
//! date serials). Excel 97–2003 workbooks and web pages saved as ".xls" are refused by name.

use std::io::{Read, Seek, SeekFrom};

use calamine::{DataRef, Reader, Xlsx};
use langso_domain::text::fold;
use time::{Date, Duration, Month};

use super::csv_rows::CsvRows;
use super::header_row::{Headed, RawRows};
use super::limits::{MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS};
use super::refusal::{self, Limit};
use super::xlsx_check;
use crate::{AppError, AppResult};

/// One cell as read.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text (CSV cells are all text).
    Text(String),
    /// An Excel number.
    Number(f64),
    /// An Excel date (serial days since 1899-12-30).
    Serial(f64),
    /// An Excel boolean.
    Bool(bool),
}

impl Cell {
    /// The cell as text: numbers without a trailing ".0", trimmed.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.trim().to_owned(),
            Cell::Number(n) | Cell::Serial(n) => number_text(*n),
            Cell::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        }
    }

    /// Nothing, or only white space.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A file format we read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma- or semicolon-separated text.
    Csv,
    /// Excel 2007+ workbook.
    Xlsx,
    /// An OLE2 compound file: an Excel 97–2003 workbook (or a password-protected one).
    Xls,
    /// A web page (some systems save their tables as HTML named ".xls").
    Html,
}

impl Format {
    /// XLSX files are ZIP archives ("PK\x03\x04"), .xls files OLE2 compound files; a file
    /// whose text starts with "<" is a web page; anything else is read as CSV.
    pub fn detect(head: &[u8]) -> Format {
        let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        if head.starts_with(b"PK\x03\x04") {
            Format::Xlsx
        } else if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
            Format::Xls
        } else if text.trim_ascii_start().starts_with(b"<") {
            Format::Html
        } else {
            Format::Csv
        }
    }
}

/// A source of rows: the header, then each data row with its spreadsheet row number.
pub trait Rows {
    /// The header cells as written.
    fn headers(&self) -> &[String];
    /// The next data row, or `None` at the end.
    fn next_row(&mut self) -> Option<AppResult<(usize, Vec<Cell>)>>;
    /// How many data rows, for a progress bar.
    fn total(&self) -> u64;
    /// Totals rows ("Tổng cộng") skipped so far, by row number.
    fn totals_skipped(&self) -> &[usize] {
        &[]
    }
    /// The encoding a CSV file was converted from, when it was not UTF-8.
    fn converted_from(&self) -> Option<&'static str> {
        None
    }
}

/// Opens a file of either format from the start of `input`.
pub fn open<R: Read + Seek + Send + 'static>(mut input: R) -> AppResult<Box<dyn Rows + Send>> {
    let mut head = [0u8; 64];
    let n = read_up_to(&mut input, &mut head)?;
    input.seek(SeekFrom::Start(0)).map_err(io)?;
    let raw: Box<dyn RawRows + Send> = match Format::detect(&head[..n]) {
        Format::Xlsx => Box::new(XlsxRows::new(input)?),
        Format::Csv => Box::new(CsvRows::new(input)?),
        Format::Xls => return Err(AppError::refused_key("households-file-xls", &[])),
        Format::Html => return Err(AppError::refused_key("households-file-html", &[])),
    };
    Ok(Box::new(Headed::new(raw)?))
}

fn read_up_to(input: &mut impl Read, buffer: &mut [u8]) -> AppResult<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..]).map_err(io)? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// A file that cannot be read (households and assets alike), named by key.
pub(crate) fn io(error: std::io::Error) -> AppError {
    AppError::refused_key("households-file-unreadable", &[("error", &error)])
}

/// The first sheet of a workbook, streamed: a thread of its own reads the sheet's XML cell by
/// cell (calamine's cells reader) and hands over whole rows through a short queue, so a
/// million-row workbook is never held in memory (only its shared-strings table is).
struct XlsxRows {
    rows: std::sync::mpsc::Receiver<AppResult<(usize, Vec<Cell>)>>,
    total: u64,
}

/// Rows read ahead of the import.
const XLSX_ROWS_AHEAD: usize = 1_024;

/// What the reading thread sends first: the sheet's last row number.
type Opening = AppResult<u64>;

impl XlsxRows {
    fn new<R: Read + Seek + Send + 'static>(input: R) -> AppResult<Self> {
        let (opening_tx, opening_rx) = std::sync::mpsc::sync_channel::<Opening>(1);
        let (rows_tx, rows_rx) = std::sync::mpsc::sync_channel(XLSX_ROWS_AHEAD);
        std::thread::Builder::new()
            .name("xlsx-reader".into())
            .spawn(move || read_sheet(input, &opening_tx, &rows_tx))
            .map_err(|e| AppError::Internal(format!("xlsx reader thread: {e}")))?;
        let last_row = opening_rx
            .recv()
            .map_err(|_| AppError::refused_key("households-xlsx-unreadable", &[]))??;
        Ok(XlsxRows {
            rows: rows_rx,
            total: last_row,
        })
    }
}

fn broken(e: calamine::XlsxError) -> AppError {
    AppError::refused_key("households-xlsx-broken", &[("error", &e)])
}

/// The reading thread: sends the opening (or why the file cannot be read), then every
/// non-blank row with its spreadsheet row number (the header is found by [`Headed`]). Stops when the import
/// stops listening.
fn read_sheet<R: Read + Seek>(
    input: R,
    opening: &std::sync::mpsc::SyncSender<Opening>,
    rows: &std::sync::mpsc::SyncSender<AppResult<(usize, Vec<Cell>)>>,
) {
    // Bounded before calamine reads anything (see `xlsx_check`).
    let mut input = input;
    let checked = xlsx_check::check(&mut input)
        .and_then(|()| input.seek(SeekFrom::Start(0)).map(drop).map_err(io));
    if let Err(refusal) = checked {
        let _ = opening.send(Err(refusal));
        return;
    }
    let mut workbook: Xlsx<R> = match Xlsx::new(input) {
        Ok(workbook) => workbook,
        Err(e) => {
            let _ = opening.send(Err(broken(e)));
            return;
        }
    };
    let Some(name) = workbook.sheet_names().first().cloned() else {
        let _ = opening.send(Err(AppError::refused_key("households-xlsx-no-sheet", &[])));
        return;
    };
    let mut reader = match workbook.worksheet_cells_reader(&name) {
        Ok(reader) => reader,
        Err(e) => {
            let _ = opening.send(Err(broken(e)));
            return;
        }
    };
    let last_row = u64::from(reader.dimensions().end.0) + 1;
    if opening.send(Ok(last_row)).is_err() {
        return;
    }
    let mut current: Option<(u32, Vec<Cell>)> = None;
    let mut sent = 0usize;
    // A refusal ends the reading.
    let refuse = |error: AppError| {
        let _ = rows.send(Err(error));
    };
    loop {
        let next = match reader.next_cell() {
            Ok(next) => next,
            Err(e) => {
                refuse(broken(e));
                return;
            }
        };
        let position = next.as_ref().map(|c| c.get_position().0);
        if let Some((row, cells)) = current.take_if(|(row, _)| Some(*row) != position) {
            // Whether the import still listens.
            let listening = if cells.iter().all(Cell::is_blank) {
                true
            } else {
                sent += 1;
                if sent > MAX_ROWS {
                    refuse(refusal::at(row as usize + 1, Limit::Rows, MAX_ROWS as u64));
                    return;
                }
                rows.send(Ok((row as usize + 1, cells))).is_ok()
            };
            if !listening {
                return;
            }
        }
        let Some(cell) = next else { break };
        let (row, column) = cell.get_position();
        let (_, cells) = current.get_or_insert_with(|| (row, Vec::new()));
        let value = convert(cell.get_value());
        // Empty cells are not kept: Excel writes formatted blank cells far to the right, and
        // a row is only as long as its last filled cell (at most `MAX_COLUMNS`).
        if value == Cell::Empty {
            continue;
        }
        let column = column as usize;
        if column >= MAX_COLUMNS {
            refuse(refusal::at(
                row as usize + 1,
                Limit::Columns,
                MAX_COLUMNS as u64,
            ));
            return;
        }
        if let Cell::Text(text) = &value
            && text.len() > MAX_CELL_CHARS
            && text.chars().count() > MAX_CELL_CHARS
        {
            refuse(refusal::at(
                row as usize + 1,
                Limit::CellChars,
                MAX_CELL_CHARS as u64,
            ));
            return;
        }
        if cells.len() <= column {
            cells.resize(column + 1, Cell::Empty);
        }
        cells[column] = value;
    }
}

fn convert(data: &DataRef<'_>) -> Cell {
    match data {
        DataRef::Empty | DataRef::Error(_) => Cell::Empty,
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            Cell::Text(s.clone())
        }
        DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => Cell::Serial(d.as_f64()),
    }
}

impl RawRows for XlsxRows {
    fn next_raw(&mut self) -> Option<AppResult<(usize, Vec<Cell>)>> {
        self.rows.recv().ok()
    }

    fn total(&self) -> u64 {
        self.total
    }
}

/// A header folded for matching: "  Họ và tên  CHỦ HỘ " → "ho va ten chu ho".
pub fn header_key(header: &str) -> String {
    fold(header)
}

/// An Excel day serial as a date (serials count from 1899-12-30, past Excel's 1900 leap bug).
pub fn serial_date(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = Date::from_calendar_date(1899, Month::December, 30).ok()?;
    base.checked_add(Duration::days(serial.floor() as i64))
}

/// A date typed as text: dd/mm/yyyy (also with - or .), or yyyy-mm-dd (ISO, time ignored).
pub fn text_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let date_part = text.split(['T', ' ']).next().unwrap_or(text);
    let parts: Vec<&str> = date_part.split(['/', '-', '.']).collect();
    if parts.len() != 3 {
        return None;
    }
    let numbers: Vec<i32> = parts
        .iter()
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    let (year, month, day) = if parts[0].trim().len() == 4 {
        (numbers[0], numbers[1], numbers[2])
    } else {
        (numbers[2], numbers[1], numbers[0])
    };
    let year = if (0..100).contains(&year) {
        2000 + year
    } else {
        year
    };
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

/// A date cell: an Excel date, a serial number, or text.
pub fn cell_date(cell: &Cell) -> Option<Date> {
    match cell {
        Cell::Serial(n) | Cell::Number(n) => serial_date(*n),
        Cell::Text(text) => text_date(text),
        Cell::Empty | Cell::Bool(_) => None,
    }
}

/// A whole number: an Excel number without fraction, or digits typed as text ("3", "3.0").
pub fn cell_integer(cell: &Cell) -> Option<i64> {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e12 => Some(*n as i64),
        Cell::Text(text) => {
            let text = text.trim();
            let text = text.strip_suffix(".0").unwrap_or(text);
            text.parse().ok()
        }
        _ => None,
    }
}

/// Yes or no as offices write it: x, có, c, 1, yes, true / (empty), không, k, 0, no, false.
pub fn cell_bool(cell: &Cell) -> Option<bool> {
    match cell {
        Cell::Empty => Some(false),
        Cell::Bool(b) => Some(*b),
        Cell::Number(n) => (*n == 0.0 || *n == 1.0).then_some(*n == 1.0),
        Cell::Serial(_) => None,
        Cell::Text(text) => match fold(text).as_str() {
            "" | "khong" | "k" | "0" | "no" | "n" | "false" => Some(false),
            "x" | "co" | "c" | "1" | "yes" | "y" | "true" => Some(true),
            _ => None,
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn excel_serials_and_typed_dates() {
        assert_eq!(serial_date(45_658.0), Some(date!(2025 - 01 - 01)));
        assert_eq!(text_date("05/03/2024"), Some(date!(2024 - 03 - 05)));
        assert_eq!(
            text_date("2024-03-05T00:00:00"),
            Some(date!(2024 - 03 - 05))
        );
        assert_eq!(text_date("31/02/2024"), None);
        assert_eq!(cell_integer(&Cell::Text(" 4 ".into())), Some(4));
        assert_eq!(cell_integer(&Cell::Number(4.5)), None);
        assert_eq!(cell_bool(&Cell::Text("Có".into())), Some(true));
        assert_eq!(cell_bool(&Cell::Text("có thể".into())), None);
        assert_eq!(Cell::Number(912_345_678.0).text(), "912345678");
        assert_eq!(header_key("  Họ và tên  CHỦ HỘ "), "ho va ten chu ho");
    }

    /// The workbook is streamed: a title above the header, a blank row and an empty cell in
    /// the middle of a row keep every cell under its header and every row its number.
    #[test]
    fn xlsx_rows_stream_under_their_headers() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "DANH SÁCH HỘ").unwrap();
        for (c, h) in ["Mã hộ", "Họ và tên chủ hộ", "Số điện thoại"]
            .iter()
            .enumerate()
        {
            sheet.write_string(2, c as u16, *h).unwrap();
        }
        sheet.write_string(3, 0, "HD-1").unwrap();
        sheet.write_number(3, 2, 912_345_678.0).unwrap();
        sheet.write_string(5, 0, "HD-2").unwrap();
        sheet.write_string(5, 1, "Lê Thị Hoà").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let mut rows = open(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(
            rows.headers(),
            ["Mã hộ", "Họ và tên chủ hộ", "Số điện thoại"]
        );
        let (row, cells) = rows.next_row().unwrap().unwrap();
        assert_eq!(row, 4);
        assert_eq!(cells[0].text(), "HD-1");
        assert!(cells[1].is_blank());
        assert_eq!(cells[2].text(), "912345678");
        let (row, cells) = rows.next_row().unwrap().unwrap();
        assert_eq!((row, cells[1].text()), (6, "Lê Thị Hoà".to_owned()));
        assert!(rows.next_row().is_none());
    }

    /// A file that looks like a workbook (ZIP) but is not one is refused, not waited on.
    #[test]
    fn a_broken_workbook_is_refused() {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(&[0u8; 64]);
        match open(std::io::Cursor::new(bytes)) {
            Err(AppError::Invalid(errors)) => {
                let key = errors[0].key.as_ref().map(|m| m.key);
                assert_eq!(key, Some("households-xlsx-broken"), "{errors:?}");
            }
            Err(other) => panic!("expected a refusal, got {other:?}"),
            Ok(_) => panic!("expected a refusal"),
        }
    }
}
