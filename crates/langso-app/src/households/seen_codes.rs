//! The household codes an import has read so far, each with the first row it was on, so a
//! code repeated in the file is named with both rows.
//!
//! A province's file can hold a million codes. As a `HashMap<String, usize>` they took about
//! 130 MB at the peak (a heap string per code, and the old and new tables side by side while
//! it grew), most of the import's memory budget. Here the codes sit end to end in one string
//! and the table, sized once from the file's row count, holds 12-byte entries: about 35 MB.

use std::hash::{BuildHasher, RandomState};

use hashbrown::HashTable;

/// One code: where it sits in [`SeenCodes::text`], and its first row.
#[derive(Clone, Copy)]
struct Entry {
    start: u32,
    end: u32,
    row: u32,
}

/// The set of codes read so far.
pub(super) struct SeenCodes {
    text: String,
    table: HashTable<Entry>,
    hasher: RandomState,
}

impl SeenCodes {
    /// An empty set with room for `expected` codes (the file's row count, when known).
    pub(super) fn with_capacity(expected: usize) -> SeenCodes {
        SeenCodes {
            text: String::with_capacity(expected.saturating_mul(8)),
            table: HashTable::with_capacity(expected),
            hasher: RandomState::new(),
        }
    }

    /// Records `code` as read on `row`; if it was read before, returns the first row instead.
    pub(super) fn first_row_or_insert(&mut self, code: &str, row: usize) -> Option<usize> {
        let hash = self.hasher.hash_one(code);
        let text = &self.text;
        if let Some(first) = self
            .table
            .find(hash, |e| &text[e.start as usize..e.end as usize] == code)
        {
            return Some(first.row as usize);
        }
        let start = offset(self.text.len());
        self.text.push_str(code);
        let entry = Entry {
            start,
            end: offset(self.text.len()),
            row: offset(row),
        };
        let (text, hasher) = (&self.text, &self.hasher);
        self.table.insert_unique(hash, entry, |e| {
            hasher.hash_one(&text[e.start as usize..e.end as usize])
        });
        None
    }
}

/// An offset or row number as stored: files beyond 4 GB of codes or rows are far past what
/// an upload or a sheet can hold, so this never saturates in practice.
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::SeenCodes;

    #[test]
    fn a_repeated_code_names_its_first_row() {
        let mut seen = SeenCodes::with_capacity(2);
        assert_eq!(seen.first_row_or_insert("HD001", 2), None);
        assert_eq!(seen.first_row_or_insert("HD002", 3), None);
        assert_eq!(seen.first_row_or_insert("HĐ001", 4), None, "Đ is not D");
        // Past the capacity given: the table grows and still finds every code.
        for row in 5..5_000 {
            assert_eq!(seen.first_row_or_insert(&format!("X{row}"), row), None);
        }
        assert_eq!(seen.first_row_or_insert("HD001", 9_000), Some(2));
        assert_eq!(seen.first_row_or_insert("HĐ001", 9_001), Some(4));
        assert_eq!(seen.first_row_or_insert("X4999", 9_002), Some(4_999));
        assert_eq!(
            seen.first_row_or_insert("HD00", 9_003),
            None,
            "a prefix is another code"
        );
    }
}
