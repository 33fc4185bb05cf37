//! Finding the header row of a file as offices make it, and leaving out its totals.
//!
//! An office file rarely starts with its header: above it stand the issuing body and the
//! national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc"), the
//! commune's name, a title, a blank row; below the data, a "Tổng cộng" row. So the first
//! [`HEADER_SCAN`] rows are read, and the header is the one naming the most columns the
//! import knows (then the one with the most filled text cells, the first of equals); rows
//! above it are left out. A totals row is skipped, and its row number kept for a notice.

use std::collections::VecDeque;

use langso_domain::text::fold;

use super::columns::COLUMNS;
use super::sheet::{Cell, Rows, header_key};
use crate::AppResult;

/// Rows read to look for the header. A letterhead, a title and a note take a dozen at most.
pub const HEADER_SCAN: usize = 20;

/// Rows as a reader gives them, header included.
pub(super) trait RawRows {
    /// The next non-blank row with its spreadsheet row number.
    fn next_raw(&mut self) -> Option<AppResult<(usize, Vec<Cell>)>>;
    /// Rows in the file, for a progress bar.
    fn total(&self) -> u64;
    /// The encoding the file was converted from, when it was not UTF-8.
    fn converted_from(&self) -> Option<&'static str> {
        None
    }
}

/// A reader's rows after its header.
pub(super) struct Headed {
    raw: Box<dyn RawRows + Send>,
    headers: Vec<String>,
    ahead: VecDeque<(usize, Vec<Cell>)>,
    totals: Vec<usize>,
}

/// A header cell the household import knows, or "STT".
fn known(key: &str) -> bool {
    matches!(key, "stt" | "tt" | "so tt")
        || COLUMNS.iter().any(|(_, _, names)| names.contains(&key))
}

/// Whether a row is a totals row: its first filled cell says so.
fn is_totals(cells: &[Cell]) -> bool {
    let Some(first) = cells.iter().find(|c| !c.is_blank()) else {
        return false;
    };
    let Cell::Text(text) = first else {
        return false;
    };
    let key = fold(text);
    let key = key.trim_end_matches([':', '.', ' ']);
    matches!(key, "cong" | "tong" | "tong so" | "tong cong" | "total")
        || key.starts_with("tong cong ")
}

impl Headed {
    /// Reads up to [`HEADER_SCAN`] rows and picks the header among them.
    pub(super) fn new(mut raw: Box<dyn RawRows + Send>) -> AppResult<Headed> {
        let mut scanned = Vec::new();
        while scanned.len() < HEADER_SCAN {
            match raw.next_raw() {
                None => break,
                Some(row) => scanned.push(row?),
            }
        }
        let score = |cells: &[Cell]| {
            let keys = cells.iter().map(|c| header_key(&c.text()));
            let named = keys.filter(|k| known(k)).count();
            let texts = cells
                .iter()
                .filter(|c| matches!(c, Cell::Text(t) if !t.trim().is_empty()))
                .count();
            (named, texts)
        };
        let mut best: Option<(usize, (usize, usize))> = None;
        for (i, (_, cells)) in scanned.iter().enumerate() {
            if cells.iter().filter(|c| !c.is_blank()).count() < 2 {
                continue;
            }
            let value = score(cells);
            if best.is_none_or(|(_, b)| value > b) {
                best = Some((i, value));
            }
        }
        let at = best.map_or(0, |(i, _)| i);
        let mut ahead: VecDeque<_> = scanned.into_iter().skip(at).collect();
        let headers = ahead
            .pop_front()
            .map(|(_, cells)| cells.iter().map(Cell::text).collect())
            .unwrap_or_default();
        Ok(Headed {
            raw,
            headers,
            ahead,
            totals: Vec::new(),
        })
    }
}

impl Rows for Headed {
    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn next_row(&mut self) -> Option<AppResult<(usize, Vec<Cell>)>> {
        loop {
            let next = match self.ahead.pop_front() {
                Some(row) => Ok(row),
                None => self.raw.next_raw()?,
            };
            match next {
                Ok((row, cells)) if is_totals(&cells) => self.totals.push(row),
                other => return Some(other),
            }
        }
    }

    fn total(&self) -> u64 {
        self.raw.total()
    }

    fn totals_skipped(&self) -> &[usize] {
        &self.totals
    }

    fn converted_from(&self) -> Option<&'static str> {
        self.raw.converted_from()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_rows_are_told_by_their_first_cell() {
        let text = |t: &str| Cell::Text(t.to_owned());
        assert!(is_totals(&[
            Cell::Empty,
            text("Tổng cộng:"),
            Cell::Number(3.0)
        ]));
        assert!(is_totals(&[text("CỘNG")]));
        assert!(is_totals(&[text("Tổng cộng toàn xã")]));
        assert!(!is_totals(&[Cell::Number(1.0), text("Tổng cộng")]));
        assert!(!is_totals(&[text("HD-1"), text("Cộng Văn A")]));
    }
}
