//! CSV files, streamed one record at a time within [`super::limits`]: the parser buffers a
//! whole record, so the bytes it may read for one record are bounded underneath it (a file
//! that is one endless line is refused at [`MAX_CSV_RECORD_BYTES`], not held), and so are
//! the fields per record, the characters per field and the records.
//!
//! A first pass over the file counts its lines, checks it is UTF-8 and, if it is not, finds
//! which encoding it is in ([`super::encoding`]); the second pass converts it while parsing.

use std::io::{Read, Seek, SeekFrom};

use super::encoding::{Decoding, TextEncoding, compose, guess_legacy};
use super::header_row::RawRows;
use super::limits::{MAX_CELL_CHARS, MAX_COLUMNS, MAX_CSV_RECORD_BYTES, MAX_ROWS};
use super::refusal::{self, Limit};
use super::sheet::{Cell, io};
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
    reader: csv::Reader<Bounded<Decoding<R>>>,
    record: csv::ByteRecord,
    total: u64,
    rows: usize,
    encoding: TextEncoding,
    /// A limit was passed: the file is refused, nothing more is read.
    done: bool,
}

/// Bytes of the file looked at to pick the separator and the encoding.
const SAMPLE_BYTES: usize = 64 * 1024;

/// What the first pass learns.
struct FirstPass {
    lines: u64,
    /// The file's first bytes.
    head: Vec<u8>,
    /// Pieces of the file holding bytes outside ASCII.
    sample: Vec<u8>,
    /// The line of the first byte that is not UTF-8, if any.
    not_utf8_at: Option<u64>,
    nul: bool,
}

fn first_pass(input: &mut impl Read) -> AppResult<FirstPass> {
    let mut pass = FirstPass {
        lines: 0,
        head: Vec::new(),
        sample: Vec::new(),
        not_utf8_at: None,
        nul: false,
    };
    let mut chunk = vec![0u8; SAMPLE_BYTES];
    // The bytes of a character cut at the end of the previous chunk.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        let piece = &chunk[..n];
        if pass.head.len() < SAMPLE_BYTES {
            let room = SAMPLE_BYTES - pass.head.len();
            pass.head.extend_from_slice(&piece[..room.min(n)]);
        }
        pass.nul |= piece.contains(&0);
        if !piece.is_ascii() && pass.sample.len() < SAMPLE_BYTES {
            let room = SAMPLE_BYTES - pass.sample.len();
            pass.sample.extend_from_slice(&piece[..room.min(n)]);
        }
        if pass.not_utf8_at.is_none() {
            carry.extend_from_slice(piece);
            match std::str::from_utf8(&carry) {
                Ok(_) => carry.clear(),
                Err(e) if e.error_len().is_none() && carry.len() - e.valid_up_to() < 4 => {
                    carry.drain(..e.valid_up_to());
                }
                Err(e) => {
                    // The carried bytes hold no line break: count in what was read.
                    let before = &carry[..e.valid_up_to()];
                    let breaks = before.iter().filter(|b| **b == b'\n').count() as u64;
                    pass.not_utf8_at = Some(pass.lines + breaks + 1);
                    carry.clear();
                }
            }
        }
        pass.lines += piece.iter().filter(|b| **b == b'\n').count() as u64;
    }
    if !carry.is_empty() && pass.not_utf8_at.is_none() {
        pass.not_utf8_at = Some(pass.lines + 1);
    }
    Ok(pass)
}

/// The encoding of a file from its first pass, or why it cannot be read.
fn encoding_of(pass: &FirstPass) -> AppResult<TextEncoding> {
    if pass.head.starts_with(&[0xFF, 0xFE]) {
        return Ok(TextEncoding::Utf16Le);
    }
    if pass.head.starts_with(&[0xFE, 0xFF]) {
        return Ok(TextEncoding::Utf16Be);
    }
    if pass.nul {
        return Err(AppError::refused_key("households-csv-binary", &[]));
    }
    let Some(line) = pass.not_utf8_at else {
        return Ok(TextEncoding::Utf8);
    };
    guess_legacy(&pass.sample)
        .ok_or_else(|| AppError::refused_key("households-csv-encoding-unknown", &[("line", &line)]))
}

/// The separator: of comma, semicolon and tab, the one a line of the file's start holds
/// most of (a title line above the header holds none).
fn delimiter(head: &[u8], encoding: TextEncoding) -> u8 {
    let mut text = Vec::new();
    let _ = Decoding::new(head, encoding).read_to_end(&mut text);
    let most = |separator: u8| {
        text.split(|b| *b == b'\n')
            .take(crate::households::header_row::HEADER_SCAN + 1)
            .map(|line| line.iter().filter(|b| **b == separator).count())
            .max()
            .unwrap_or(0)
    };
    let (commas, semicolons, tabs) = (most(b','), most(b';'), most(b'\t'));
    if tabs > commas && tabs > semicolons {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

impl<R: Read + Seek> CsvRows<R> {
    pub(super) fn new(mut input: R) -> AppResult<Self> {
        let pass = first_pass(&mut input)?;
        let encoding = encoding_of(&pass)?;
        input.seek(SeekFrom::Start(0)).map_err(io)?;
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter(&pass.head, encoding))
            .flexible(true)
            .has_headers(false)
            .buffer_capacity(PARSER_BUFFER)
            .from_reader(Bounded {
                inner: Decoding::new(input, encoding),
                read: 0,
                record_start: 0,
                exceeded: false,
            });
        Ok(CsvRows {
            reader,
            record: csv::ByteRecord::new(),
            total: pass.lines,
            rows: 0,
            encoding,
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
                        match std::str::from_utf8(field).map(|t| t.trim_start_matches('\u{feff}')) {
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
                            Ok(text) if self.encoding.composes() => {
                                cells.push(Cell::Text(compose(text)));
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

impl<R: Read> RawRows for CsvRows<R> {
    fn next_raw(&mut self) -> Option<AppResult<(usize, Vec<Cell>)>> {
        if self.done {
            return None;
        }
        self.next_record()
    }

    fn total(&self) -> u64 {
        self.total
    }

    fn converted_from(&self) -> Option<&'static str> {
        (self.encoding != TextEncoding::Utf8).then(|| self.encoding.name())
    }
}
