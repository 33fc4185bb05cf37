//! CSV files, streamed one record at a time within [`super::limits`]: the parser buffers a
//! whole record, so the bytes it may read for one record are bounded underneath it (a file
//! that is one endless line is refused at [`MAX_CSV_RECORD_BYTES`], not held), and so are
//! the fields per record, the characters per field and the records.

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};

use super::limits::{MAX_CELL_CHARS, MAX_COLUMNS, MAX_CSV_RECORD_BYTES, MAX_ROWS};
use super::refusal::{self, Limit};
use super::sheet::{Cell, Rows, io};
use crate::{AppError, AppResult, CellError};

/// The CSV parser's own buffer: what it may have read beyond the record it is parsing.
const PARSER_BUFFER: usize = 64 * 1024;

/// The file under the parser, counting the bytes read since the current record began and
/// failing past [`MAX_CSV_RECORD_BYTES`] (plus what the parser may have read ahead).
struct Bounded<R> {
    inner: R,
    read: u64,
    record_start: u64,
    exceeded: bool,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let allowed = (MAX_CSV_RECORD_BYTES + 2 * PARSER_BUFFER) as u64;
        if self.read.saturating_sub(self.record_start) > allowed {
            self.exceeded = true;
            return Err(std::io::Error::other("record too long"));
        }
        let n = self.inner.read(buffer)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// CSV rows, streamed (a million-row file is never held in memory).
pub(super) struct CsvRows<R: Read> {
    reader: csv::Reader<Bounded<R>>,
    headers: Vec<String>,
    record: csv::ByteRecord,
    total: u64,
    rows: usize,
    /// A limit was passed: the file is refused, nothing more is read.
    done: bool,
}

impl<R: Read + Seek> CsvRows<R> {
    pub(super) fn new(mut input: R) -> AppResult<Self> {
        // Count lines (for the progress bar) and pick the separator from the header line.
        let (lines, first) = {
            let mut buffered = BufReader::with_capacity(1 << 16, &mut input);
            let mut first = Vec::new();
            (&mut buffered)
                .take(MAX_CSV_RECORD_BYTES as u64)
                .read_until(b'\n', &mut first)
                .map_err(io)?;
            let mut lines = 0u64;
            loop {
                let chunk = buffered.fill_buf().map_err(io)?;
                if chunk.is_empty() {
                    break;
                }
                lines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
                let len = chunk.len();
                buffered.consume(len);
            }
            (lines, first)
        };
        input.seek(SeekFrom::Start(0)).map_err(io)?;
        let commas = first.iter().filter(|b| **b == b',').count();
        let semicolons = first.iter().filter(|b| **b == b';').count();
        let delimiter = if semicolons > commas { b';' } else { b',' };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .buffer_capacity(PARSER_BUFFER)
            .from_reader(Bounded {
                inner: input,
                read: 0,
                record_start: 0,
                exceeded: false,
            });
        let headers = match reader.byte_headers().cloned() {
            Ok(headers) => headers,
            Err(_) if reader.get_ref().exceeded => {
                return Err(record_too_long(1));
            }
            Err(e) => {
                return Err(AppError::refused_key(
                    "households-csv-broken",
                    &[("error", &e)],
                ));
            }
        };
        if headers.len() > MAX_COLUMNS {
            return Err(refusal::at(1, Limit::Columns, MAX_COLUMNS as u64));
        }
        let headers = headers
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_owned()
            })
            .collect();
        let start = reader.position().byte();
        reader.get_mut().record_start = start;
        Ok(CsvRows {
            reader,
            headers,
            record: csv::ByteRecord::new(),
            total: lines,
            rows: 0,
            done: false,
        })
    }
}

fn record_too_long(row: usize) -> AppError {
    refusal::at(row, Limit::CsvRecord, (MAX_CSV_RECORD_BYTES / 1024) as u64)
}

impl<R: Read> CsvRows<R> {
    /// The next record as cells, or why the file is refused.
    fn next_record(&mut self) -> Option<AppResult<(usize, Vec<Cell>)>> {
        loop {
            let line = self.reader.position().line() as usize;
            let read = self.reader.read_byte_record(&mut self.record);
            let start = self.reader.position().byte();
            self.reader.get_mut().record_start = start;
            match read {
                Ok(false) => return None,
                Ok(true) => {
                    let row = self.record.position().map_or(0, |p| p.line() as usize);
                    if self
                        .record
                        .iter()
                        .all(|f| f.iter().all(u8::is_ascii_whitespace))
                    {
                        continue;
                    }
                    self.rows += 1;
                    if self.rows > MAX_ROWS {
                        self.done = true;
                        return Some(Err(refusal::at(row, Limit::Rows, MAX_ROWS as u64)));
                    }
                    if self.record.len() > MAX_COLUMNS
                        && self
                            .record
                            .iter()
                            .skip(MAX_COLUMNS)
                            .any(|f| !f.iter().all(u8::is_ascii_whitespace))
                    {
                        self.done = true;
                        return Some(Err(refusal::at(row, Limit::Columns, MAX_COLUMNS as u64)));
                    }
                    let mut cells = Vec::with_capacity(self.record.len().min(MAX_COLUMNS));
                    for field in self.record.iter().take(MAX_COLUMNS) {
                        match std::str::from_utf8(field) {
                            Ok(text) if text.trim().is_empty() => cells.push(Cell::Empty),
                            Ok(text)
                                if text.len() > MAX_CELL_CHARS
                                    && text.chars().count() > MAX_CELL_CHARS =>
                            {
                                self.done = true;
                                return Some(Err(refusal::at(
                                    row,
                                    Limit::CellChars,
                                    MAX_CELL_CHARS as u64,
                                )));
                            }
                            Ok(text) => cells.push(Cell::Text(text.to_owned())),
                            Err(_) => {
                                return Some(Err(AppError::Invalid(vec![CellError::keyed(
                                    row,
                                    "",
                                    "households-csv-not-utf8",
                                    &[],
                                )])));
                            }
                        }
                    }
                    return Some(Ok((row, cells)));
                }
                Err(error) => {
                    let row = error.position().map_or(line, |p| p.line() as usize);
                    if self.reader.get_ref().exceeded {
                        self.done = true;
                        return Some(Err(record_too_long(row)));
                    }
                    if matches!(error.kind(), csv::ErrorKind::Io(_)) {
                        // A read that failed fails again: stop here.
                        self.done = true;
                    }
                    return Some(Err(AppError::Invalid(vec![CellError::keyed(
                        row,
                        "",
                        "households-csv-broken",
                        &[("error", &error)],
                    )])));
                }
            }
        }
    }
}

impl<R: Read> Rows for CsvRows<R> {
    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn next_row(&mut self) -> Option<AppResult<(usize, Vec<Cell>)>> {
        if self.done {
            return None;
        }
        self.next_record()
    }

    fn total(&self) -> u64 {
        self.total
    }
}
