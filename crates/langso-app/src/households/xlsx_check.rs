//! The XLSX archive checked against [`super::limits`] before calamine opens it. Calamine
//! reads the shared-strings table whole when the workbook opens (and reserves room for as
//! many strings as the table *says* it holds), buffers each XML tag and text run whole, and
//! parses cell references into 32-bit numbers: a workbook of a few kilobytes could otherwise
//! make it allocate gigabytes. So every part is first streamed once through a scanner that
//! needs a few kilobytes whatever the part holds, and the file is refused, naming the limit,
//! if any part is too big, expands too much, or holds a tag, a text run, a cell reference, a
//! row, a string count or a nesting depth past the bounds.
//!
//! Every part is scanned, not only the ones calamine is known to read: which parts it reads
//! depends on the workbook's own relationship files, and a scan that guessed wrong would be
//! no bound at all.

use std::io::{Read, Seek};

use zip::ZipArchive;

use super::limits::{
    EXCEL_COLUMNS, EXCEL_ROWS, MAX_PART_BYTES, MAX_RATIO, MAX_SHARED_STRINGS,
    MAX_SHARED_STRINGS_BYTES, MAX_TOTAL_BYTES, MAX_XML_DEPTH, MAX_XML_EVENT_BYTES, MAX_ZIP_ENTRIES,
    RATIO_FROM_BYTES,
};
use super::refusal::{self, Limit};
use crate::{AppError, AppResult};

/// Checks the whole archive; `Ok` means calamine may open it.
pub(crate) fn check<R: Read + Seek>(input: R) -> AppResult<()> {
    let mut archive = ZipArchive::new(input).map_err(broken)?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(refusal::limit(Limit::ZipEntries, MAX_ZIP_ENTRIES as u64));
    }
    // Declared sizes first: nothing is decompressed for a file they already refuse. The zip
    // reader stops any part at its declared size, so the declared sizes are a real bound.
    let mut total = 0u64;
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).map_err(broken)?;
        let size = part.size();
        if size > MAX_PART_BYTES {
            return Err(refusal::limit(Limit::PartBytes, MAX_PART_BYTES >> 20));
        }
        total = total.saturating_add(size);
        if total > MAX_TOTAL_BYTES {
            return Err(refusal::limit(Limit::TotalBytes, MAX_TOTAL_BYTES >> 20));
        }
        if size > RATIO_FROM_BYTES && size / part.compressed_size().max(1) > MAX_RATIO {
            return Err(refusal::limit(Limit::Ratio, MAX_RATIO));
        }
        if is_shared_strings(part.name()) && size > MAX_SHARED_STRINGS_BYTES {
            return Err(refusal::limit(
                Limit::SharedStringsBytes,
                MAX_SHARED_STRINGS_BYTES >> 20,
            ));
        }
    }
    let mut buffer = vec![0u8; 64 * 1024];
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(broken)?;
        let mut scanner = Scanner::new(is_shared_strings(part.name()));
        loop {
            let n = match part.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(broken(e)),
            };
            scanner.feed(&buffer[..n])?;
        }
    }
    Ok(())
}

/// Calamine finds the table by this name, in any case, wherever the workbook is.
/// (A name that is not text is held to the table's bounds too.)
fn is_shared_strings<E>(name: Result<impl AsRef<str>, E>) -> bool {
    name.map_or(true, |name| {
        name.as_ref()
            .to_ascii_lowercase()
            .ends_with("sharedstrings.xml")
    })
}

fn broken(error: impl std::fmt::Display) -> AppError {
    AppError::refused_key("households-xlsx-broken", &[("error", &error)])
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Between tags.
    Text,
    /// Inside an element's tag, outside quotes.
    Element,
    /// Inside a quoted attribute value (the quote byte).
    Quoted(u8),
    /// Inside `<!…>` or `<?…?>`, which end only at their own closing mark.
    Special,
}

/// A part streamed in pieces: the XML events the reader would buffer, measured; the
/// numbers it would parse, checked. State across pieces, a tag at most in memory.
pub(crate) struct Scanner {
    shared_strings: bool,
    mode: Mode,
    text: usize,
    tag: Vec<u8>,
    depth: usize,
    /// Inside a cell or a shared string, and its text so far (its runs are joined into one).
    in_cell: bool,
    cell_text: usize,
    rows: u64,
    cells_in_row: u64,
    strings: u64,
}

impl Scanner {
    /// A scanner for one part (`shared_strings`: the part is the shared-strings table).
    pub(crate) fn new(shared_strings: bool) -> Self {
        Scanner {
            shared_strings,
            mode: Mode::Text,
            text: 0,
            tag: Vec::new(),
            depth: 0,
            in_cell: false,
            cell_text: 0,
            rows: 0,
            cells_in_row: 0,
            strings: 0,
        }
    }

    /// The next piece of the part.
    pub(crate) fn feed(&mut self, mut piece: &[u8]) -> AppResult<()> {
        while !piece.is_empty() {
            match self.mode {
                Mode::Text => match piece.iter().position(|b| *b == b'<') {
                    None => {
                        self.text = self.text.saturating_add(piece.len());
                        self.check_text()?;
                        piece = &[];
                    }
                    Some(at) => {
                        self.text += at;
                        self.check_text()?;
                        if self.in_cell {
                            // A rich-text cell's runs each fit, but the reader joins them.
                            self.cell_text += self.text;
                            if self.cell_text > MAX_XML_EVENT_BYTES {
                                return Err(refusal::limit(
                                    Limit::XmlEvent,
                                    (MAX_XML_EVENT_BYTES >> 10) as u64,
                                ));
                            }
                        }
                        self.text = 0;
                        self.tag.clear();
                        piece = &piece[at + 1..];
                        self.mode = match piece.first() {
                            Some(b'!' | b'?') => Mode::Special,
                            // Decided by the tag's first byte, which may be in the next piece.
                            _ => Mode::Element,
                        };
                    }
                },
                Mode::Element | Mode::Quoted(_) | Mode::Special => {
                    if self.tag.is_empty()
                        && self.mode == Mode::Element
                        && let Some(b'!' | b'?') = piece.first()
                    {
                        self.mode = Mode::Special;
                    }
                    let stop = match self.mode {
                        Mode::Quoted(quote) => piece.iter().position(|b| *b == quote),
                        Mode::Element => {
                            piece.iter().position(|b| matches!(b, b'>' | b'"' | b'\''))
                        }
                        _ => piece.iter().position(|b| *b == b'>'),
                    };
                    let taken = stop.unwrap_or(piece.len());
                    if self.tag.len() + taken > MAX_XML_EVENT_BYTES {
                        return Err(refusal::limit(
                            Limit::XmlEvent,
                            (MAX_XML_EVENT_BYTES >> 10) as u64,
                        ));
                    }
                    self.tag.extend_from_slice(&piece[..taken]);
                    let Some(at) = stop else {
                        piece = &[];
                        continue;
                    };
                    let byte = piece[at];
                    piece = &piece[at + 1..];
                    match (self.mode, byte) {
                        (Mode::Quoted(_), _) => {
                            self.tag.push(byte);
                            self.mode = Mode::Element;
                        }
                        (Mode::Element, b'"' | b'\'') => {
                            self.tag.push(byte);
                            self.mode = Mode::Quoted(byte);
                        }
                        (Mode::Element, _) => {
                            self.element()?;
                            self.mode = Mode::Text;
                        }
                        _ => {
                            if self.special_ends()? {
                                self.mode = Mode::Text;
                            } else {
                                self.tag.push(byte);
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn check_text(&self) -> AppResult<()> {
        if self.text > MAX_XML_EVENT_BYTES {
            return Err(refusal::limit(
                Limit::XmlEvent,
                (MAX_XML_EVENT_BYTES >> 10) as u64,
            ));
        }
        Ok(())
    }

    /// Whether `<!…` or `<?…` ends at this `>` (as the XML reader ends it).
    fn special_ends(&self) -> AppResult<bool> {
        let tag = self.tag.as_slice();
        if tag.starts_with(b"!--") {
            return Ok(tag.len() >= 5 && tag.ends_with(b"--"));
        }
        if tag.starts_with(b"![CDATA[") {
            return Ok(tag.len() >= 10 && tag.ends_with(b"]]"));
        }
        if tag.len() >= 8 && tag[..8].eq_ignore_ascii_case(b"!DOCTYPE") {
            // Declarations nest and define entities: no workbook has one.
            return Err(broken("DOCTYPE"));
        }
        if tag.starts_with(b"?") {
            return Ok(tag.len() >= 2 && tag.ends_with(b"?"));
        }
        // Any other `<!`: the XML reader refuses it; it ends here.
        Ok(true)
    }

    /// A whole element tag (without `<` and `>`).
    fn element(&mut self) -> AppResult<()> {
        let tag = self.tag.as_slice();
        if let Some(closing) = tag.strip_prefix(b"/") {
            self.depth = self.depth.saturating_sub(1);
            let name = closing.trim_ascii_end();
            if let Some(b"c" | b"si") = name.rsplit(|b| *b == b':').next() {
                self.in_cell = false;
            }
            return Ok(());
        }
        let (tag, empty) = match tag.strip_suffix(b"/") {
            Some(tag) => (tag, true),
            None => (tag, false),
        };
        if !empty {
            self.depth += 1;
            if self.depth > MAX_XML_DEPTH {
                return Err(refusal::limit(Limit::XmlDepth, MAX_XML_DEPTH as u64));
            }
        }
        let name_end = tag
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        let local = name.rsplit(|b| *b == b':').next().unwrap_or(name);
        let attributes = &tag[name_end..];
        if local == b"c" || local == b"si" {
            self.in_cell = !empty;
            self.cell_text = 0;
        }
        match local {
            b"row" => {
                self.rows += 1;
                self.cells_in_row = 0;
                if self.rows > EXCEL_ROWS {
                    return Err(refusal::limit(Limit::SheetRows, EXCEL_ROWS));
                }
                for value in values(attributes, b"r") {
                    cell_reference(value)?;
                }
            }
            b"c" => {
                self.cells_in_row += 1;
                if self.cells_in_row > EXCEL_COLUMNS {
                    return Err(refusal::limit(Limit::SheetColumns, EXCEL_COLUMNS));
                }
                for value in values(attributes, b"r") {
                    cell_reference(value)?;
                }
            }
            b"dimension" => {
                for value in values(attributes, b"ref") {
                    let mut corners = Vec::new();
                    for corner in value.split(|b| *b == b':') {
                        corners.push(cell_reference(corner)?);
                    }
                    // The reader subtracts the first corner from the second.
                    if let [Some(start), Some(end)] = corners[..]
                        && (end.0 < start.0 || end.1 < start.1)
                    {
                        return Err(broken("dimension"));
                    }
                }
            }
            b"si" if self.shared_strings => {
                self.strings += 1;
                if self.strings > MAX_SHARED_STRINGS {
                    return Err(refusal::limit(Limit::SharedStrings, MAX_SHARED_STRINGS));
                }
            }
            b"sst" if self.shared_strings => {
                // The reader reserves room for `uniqueCount` strings before reading one.
                for value in values(attributes, b"uniqueCount") {
                    let count = std::str::from_utf8(value)
                        .ok()
                        .and_then(|v| v.parse::<u64>().ok());
                    if !matches!(count, Some(n) if n <= MAX_SHARED_STRINGS) {
                        return Err(refusal::limit(Limit::SharedStrings, MAX_SHARED_STRINGS));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// The values of every attribute named `wanted`, split as calamine splits them (key up to
/// `=`, quoted value); the scan stops where calamine would stop with an error.
fn values<'t>(attributes: &'t [u8], wanted: &'t [u8]) -> impl Iterator<Item = &'t [u8]> + 't {
    let mut rest = attributes;
    std::iter::from_fn(move || {
        loop {
            rest = rest.trim_ascii_start();
            let equals = rest.iter().position(|b| *b == b'=')?;
            let key = rest[..equals].trim_ascii_end();
            rest = rest[equals + 1..].trim_ascii_start();
            let quote = *rest.first().filter(|q| matches!(q, b'"' | b'\''))?;
            let end = rest[1..]
                .iter()
                .position(|b| *b == quote)
                .unwrap_or(rest.len() - 1);
            let value = &rest[1..1 + end];
            rest = rest.get(end + 2..).unwrap_or(&[]);
            if key == wanted {
                return Some(value);
            }
        }
    })
}

/// A cell reference ("B7", a row "7", "$B$7") inside Excel's grid: at most three letters and
/// seven digits, so no parser overflows, and within [`EXCEL_COLUMNS`] × [`EXCEL_ROWS`].
/// Returns (column, row) when it is a plain one the reader accepts (letters, then digits).
fn cell_reference(reference: &[u8]) -> AppResult<Option<(u64, u64)>> {
    let plain: Vec<u8> = reference
        .iter()
        .copied()
        .filter(|b| *b != b'$')
        .take(16)
        .collect();
    let letters = plain.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &plain[letters..];
    let outside = || {
        refusal::outside_grid(
            &String::from_utf8_lossy(&reference[..reference.len().min(20)]),
            EXCEL_COLUMNS,
            EXCEL_ROWS,
        )
    };
    if letters > 3 || digits.len() > 7 || reference.len() > 16 {
        return Err(outside());
    }
    let column = plain[..letters].iter().fold(0u64, |column, b| {
        column * 26 + u64::from(b.to_ascii_uppercase() - b'A') + 1
    });
    // Anything else than digits: calamine refuses it itself, without overflowing.
    let row = digits.iter().try_fold(0u64, |row, b| {
        b.is_ascii_digit().then(|| row * 10 + u64::from(b - b'0'))
    });
    if column > EXCEL_COLUMNS || row.is_some_and(|row| row > EXCEL_ROWS) {
        return Err(outside());
    }
    let plain_reference = plain.len() == reference.len() && column > 0;
    Ok(row
        .filter(|row| plain_reference && *row > 0)
        .map(|row| (column, row)))
}
