//! How much of a spreadsheet the readers ([`super::sheet`]) accept: every XLSX and CSV file
//! read from outside (households, assets, any later import) goes through them, so these
//! bounds are the whole memory budget of reading a file. A file past any of them is refused
//! before anything is written, with the limit named.
//!
//! The budget: reading a file (not counting the rows the import keeps) stays within about
//! 200 MB whatever the file holds; a process importing any crafted file stays under the
//! 300 MB DESIGN.md allows. The largest legitimate file is the one the import benchmark
//! reads, about a million rows of twenty columns, and passes every bound.

/// Non-empty cells past this column (or CSV fields past this count) refuse the file. The
/// household file has 17 known columns and the asset file 15; offices add a few of their
/// own (STT, notes), never fifty. Empty cells past it are ignored: Excel writes formatted
/// blank cells far to the right.
pub const MAX_COLUMNS: usize = 64;

/// Data rows in one file. The import benchmark reads a million rows; Excel itself holds at
/// most 1,048,576. Each row the import keeps costs memory (its code, for duplicates), so
/// the rows are bounded too.
pub const MAX_ROWS: usize = 1_100_000;

/// Characters in one cell: Excel's own limit, so no office file is refused by it.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Bytes of one CSV record (one line, or several when a quoted field holds line breaks):
/// a record is buffered whole, so a file that is one endless line must stop here. A
/// household row is under 1 KB.
pub const MAX_CSV_RECORD_BYTES: usize = 1024 * 1024;

/// Excel's grid: 1,048,576 rows by 16,384 columns (XFD). A cell reference or a declared
/// dimension outside it is not a spreadsheet, and its numbers would overflow the reader.
pub const EXCEL_ROWS: u64 = 1_048_576;

/// See [`EXCEL_ROWS`].
pub const EXCEL_COLUMNS: u64 = 16_384;

/// Parts (files) in the XLSX archive. A workbook has a dozen, a few hundred with many
/// sheets and pictures; each part costs memory when the archive is opened.
pub const MAX_ZIP_ENTRIES: usize = 2_000;

/// Uncompressed bytes of any one part. The worksheet of a million-row workbook is about
/// 250 MB; parts are streamed, so this bounds time rather than memory.
pub const MAX_PART_BYTES: u64 = 1024 * 1024 * 1024;

/// Uncompressed bytes of all parts together: a zip bomb expands to far more.
pub const MAX_TOTAL_BYTES: u64 = 1536 * 1024 * 1024;

/// How much a part may expand (uncompressed ÷ compressed), once it is over
/// [`RATIO_FROM_BYTES`]. Spreadsheet XML compresses 5–30 times; a zip bomb about 1,000.
pub const MAX_RATIO: u64 = 200;

/// Parts smaller than this are not held to [`MAX_RATIO`] (a tiny part can compress well).
pub const RATIO_FROM_BYTES: u64 = 1024 * 1024;

/// Strings in the shared-strings table, which the reader holds whole (about 56 bytes of
/// memory each, however short). A million-row workbook as Excel writes it has about two
/// million (codes and names are unique).
pub const MAX_SHARED_STRINGS: u64 = 2_500_000;

/// Uncompressed bytes of the shared-strings table (held whole, as above).
pub const MAX_SHARED_STRINGS_BYTES: u64 = 96 * 1024 * 1024;

/// Bytes of one XML tag or of one run of text between tags: the XML reader buffers one of
/// them at a time. A cell of [`MAX_CELL_CHARS`] characters, escaped, fits.
pub const MAX_XML_EVENT_BYTES: usize = 512 * 1024;

/// Nesting depth of XML elements (a worksheet nests about six deep).
pub const MAX_XML_DEPTH: usize = 64;

/// Bad cells listed for one file. Past it they are counted, not kept: a million bad rows
/// would otherwise fill memory with their messages, and a person fixes the first thousand
/// before looking at the rest.
pub const MAX_REPORTED_ERRORS: usize = 1_000;
