//! Workbooks written part by part, as an attacker would: a minimal valid XLSX (the parts
//! calamine reads) whose worksheet and shared-strings table the test chooses. Shared by the
//! app's, the binary's and the web's tests (`#[path]`).
#![allow(dead_code)]

use std::io::Write;

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

/// The household headers an import into one village needs, as inline-string cells of row 1.
pub const HEADERS: [&str; 3] = ["Mã hộ", "Họ và tên chủ hộ", "Số thành viên"];

/// An inline-string cell.
pub fn text_cell(reference: &str, text: &str) -> String {
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A header row and one good household row, then `extra` (XML inside `<sheetData>`).
pub fn household_rows(extra: &str) -> String {
    format!(
        r#"<row r="1">{}{}{}</row><row r="2">{}{}<c r="C2"><v>3</v></c></row>{extra}"#,
        text_cell("A1", HEADERS[0]),
        text_cell("B1", HEADERS[1]),
        text_cell("C1", HEADERS[2]),
        text_cell("A2", "CRAFT-1"),
        text_cell("B2", "Nguyễn Văn An"),
    )
}

/// A worksheet part around `sheet_data` (after an optional `<dimension>`).
pub fn sheet(dimension: Option<&str>, sheet_data: &str) -> String {
    let dimension = dimension
        .map(|d| format!(r#"<dimension ref="{d}"/>"#))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{sheet_data}</sheetData></worksheet>"#
    )
}

/// A workbook of one sheet, its parts deflated (`stored`: kept as they are), with an
/// optional shared-strings table and extra parts.
pub fn workbook(
    sheet_xml: &[u8],
    shared_strings: Option<&[u8]>,
    extra: &[(String, Vec<u8>)],
    stored: bool,
) -> Vec<u8> {
    packed(
        sheet_xml,
        shared_strings,
        extra,
        if stored { None } else { Some(1) },
    )
}

/// [`workbook`] deflated at `level` (`None`: stored).
pub fn packed(
    sheet_xml: &[u8],
    shared_strings: Option<&[u8]>,
    extra: &[(String, Vec<u8>)],
    level: Option<i64>,
) -> Vec<u8> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(if level.is_none() {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        })
        .compression_level(level)
        .large_file(true);
    let mut part = |name: &str, bytes: &[u8]| {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes).unwrap();
    };
    part(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        "xl/_rels/workbook.xml.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    part("xl/worksheets/sheet1.xml", sheet_xml);
    if let Some(strings) = shared_strings {
        part("xl/sharedStrings.xml", strings);
    }
    for (name, bytes) in extra {
        part(name, bytes);
    }
    zip.finish().unwrap().into_inner()
}

/// A shared-strings table of `count` short distinct strings (declaring `unique_count`).
pub fn shared_strings(count: usize, unique_count: Option<u64>) -> Vec<u8> {
    let mut xml = Vec::with_capacity(count * 20 + 200);
    let declared = unique_count
        .map(|n| format!(r#" uniqueCount="{n}""#))
        .unwrap_or_default();
    write!(
        xml,
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"{declared}>"#
    )
    .unwrap();
    for i in 0..count {
        // Short, distinct, and not too regular (so the table compresses like real text).
        write!(
            xml,
            "<si><t>{:x}</t></si>",
            (i as u64).wrapping_mul(2_654_435_761) % 1_000_003
        )
        .unwrap();
    }
    xml.extend_from_slice(b"</sst>");
    xml
}

/// A well-formed workbook (for the readers) whose only sheet holds `sheet_data`.
pub fn simple(sheet_data: &str) -> Vec<u8> {
    workbook(sheet(None, sheet_data).as_bytes(), None, &[], false)
}
