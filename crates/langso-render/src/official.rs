//! The frame of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I):
//! the issuing body (its superior above it) and the number on the left, the national name and
//! motto with the place and date on the right, the document's kind and summary centred below,
//! and at the end the recipients on the left and the signer on the right. The report is drawn
//! inside it, in the PDF and in the XLSX alike.

use krilla::surface::Surface;
use rust_xlsxwriter::{Format, FormatAlign, FormatUnderline, Worksheet, XlsxError};

use crate::pen::{Face, Pen};

/// "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (Quốc hiệu).
pub const NATIONAL_NAME: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// "Độc lập - Tự do - Hạnh phúc" (Tiêu ngữ).
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// What frames a report as an administrative document. Every text is given by the caller
/// (from the unit and the officer's form); nothing here names a body or a person.
#[derive(Clone, Debug, Default)]
pub struct Letterhead {
    /// The body above the issuer ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"); empty for none.
    pub superior: String,
    /// The issuing body ("ỦY BAN NHÂN DÂN XÃ Ô DIÊN").
    pub issuer: String,
    /// Number and symbol ("Số: 15/BC-UBND").
    pub number: String,
    /// Place and date ("Ô Diên, ngày 06 tháng 12 năm 2026").
    pub place_date: String,
    /// The document's kind ("BÁO CÁO").
    pub kind: String,
    /// What it is about (the line under the kind).
    pub summary: String,
    /// "Nơi nhận:" lines, each ending as written ("- UBND thành phố Hà Nội;", "- Lưu: VT.").
    pub recipients: Vec<String>,
    /// Signing for ("TM. ỦY BAN NHÂN DÂN"); empty when the signer signs in their own name.
    pub capacity: String,
    /// The signer's title ("CHỦ TỊCH").
    pub signer_title: String,
    /// The signer's name; empty leaves the space.
    pub signer_name: String,
}

/// "Nơi nhận:".
pub const RECIPIENTS: &str = "Nơi nhận:";

const LEFT_SHARE: f32 = 0.42;

/// Draws the top of the first page from `y`; returns where the body starts.
pub(crate) fn draw_top(
    pen: &Pen,
    surface: &mut Surface<'_>,
    head: &Letterhead,
    x: f32,
    y: f32,
    width: f32,
) -> f32 {
    let left_w = width * LEFT_SHARE;
    let right_w = width - left_w;
    let left_c = x + left_w / 2.0;
    let right_c = x + left_w + right_w / 2.0;
    // Left: superior body, issuing body (bold, underlined short), number.
    let mut ly = y;
    for line in pen.wrap(&head.superior, 10.5, Face::Regular, left_w - 8.0) {
        if line.is_empty() {
            continue;
        }
        ly += 14.0;
        pen.centered(surface, left_c, ly, 10.5, Face::Regular, &line);
    }
    let mut widest: f32 = 0.0;
    for line in pen.wrap(&head.issuer, 10.5, Face::Bold, left_w - 8.0) {
        ly += 14.0;
        widest = widest.max(pen.width(&line, 10.5, Face::Bold));
        pen.centered(surface, left_c, ly, 10.5, Face::Bold, &line);
    }
    let rule = widest / 3.0;
    pen.rule(surface, left_c - rule / 2.0, ly + 4.0, rule);
    ly += 22.0;
    pen.centered(surface, left_c, ly, 10.5, Face::Regular, &head.number);
    // Right: national name, motto (underlined its full length), place and date.
    let mut ry = y + 14.0;
    for line in pen.wrap(NATIONAL_NAME, 10.5, Face::Bold, right_w - 4.0) {
        pen.centered(surface, right_c, ry, 10.5, Face::Bold, &line);
        ry += 14.0;
    }
    pen.centered(surface, right_c, ry, 11.0, Face::Bold, MOTTO);
    let motto = pen.width(MOTTO, 11.0, Face::Bold);
    pen.rule(surface, right_c - motto / 2.0, ry + 4.0, motto);
    ry += 22.0;
    for line in pen.wrap(&head.place_date, 10.5, Face::Oblique, right_w - 4.0) {
        pen.centered(surface, right_c, ry, 10.5, Face::Oblique, &line);
        ry += 14.0;
    }
    // The kind and the summary, centred.
    let mut cy = ly.max(ry) + 24.0;
    pen.centered(surface, x + width / 2.0, cy, 14.0, Face::Bold, &head.kind);
    let mut widest: f32 = 0.0;
    for line in pen.wrap(&head.summary, 11.5, Face::Bold, width * 0.8) {
        cy += 16.0;
        widest = widest.max(pen.width(&line, 11.5, Face::Bold));
        pen.centered(surface, x + width / 2.0, cy, 11.5, Face::Bold, &line);
    }
    let rule = widest / 3.0;
    pen.rule(surface, x + width / 2.0 - rule / 2.0, cy + 5.0, rule);
    cy + 12.0
}

/// The recipients' lines and the signer's lines, as drawn.
fn closing_lines(pen: &Pen, head: &Letterhead, width: f32) -> (Vec<String>, Vec<(Face, String)>) {
    let left_w = width * 0.5 - 6.0;
    let recipients = head
        .recipients
        .iter()
        .flat_map(|r| pen.wrap(r, 9.0, Face::Regular, left_w))
        .collect();
    let mut signer = Vec::new();
    for (text, face) in [
        (&head.capacity, Face::Bold),
        (&head.signer_title, Face::Bold),
    ] {
        for line in pen.wrap(text, 10.5, face, width * 0.5 - 6.0) {
            if !line.is_empty() {
                signer.push((face, line));
            }
        }
    }
    (recipients, signer)
}

/// Room for a signature between the title and the name.
const SIGNATURE_SPACE: f32 = 60.0;

/// The height of the closing.
pub(crate) fn closing_height(pen: &Pen, head: &Letterhead, width: f32) -> f32 {
    let (recipients, signer) = closing_lines(pen, head, width);
    let left = 14.0 + 12.0 * recipients.len() as f32;
    let right = 14.0 * signer.len() as f32 + SIGNATURE_SPACE + 14.0;
    left.max(right) + 20.0
}

/// Draws the recipients and the signer from `y`.
pub(crate) fn draw_closing(
    pen: &Pen,
    surface: &mut Surface<'_>,
    head: &Letterhead,
    x: f32,
    y: f32,
    width: f32,
) {
    let (recipients, signer) = closing_lines(pen, head, width);
    let mut ly = y + 20.0;
    pen.draw(surface, x, ly, 10.0, Face::BoldOblique, RECIPIENTS);
    for line in &recipients {
        ly += 12.0;
        pen.draw(surface, x, ly, 9.0, Face::Regular, line);
    }
    let centre = x + width * 0.75;
    let mut ry = y + 20.0;
    for (face, line) in &signer {
        pen.centered(surface, centre, ry, 10.5, *face, line);
        ry += 14.0;
    }
    ry += SIGNATURE_SPACE;
    pen.centered(surface, centre, ry, 10.5, Face::Bold, &head.signer_name);
}

/// Writes the top at the start of a sheet `columns` wide; returns the first free row.
pub(crate) fn write_top(
    sheet: &mut Worksheet,
    head: &Letterhead,
    columns: u16,
) -> Result<u32, XlsxError> {
    let columns = columns.max(4);
    let split = (columns / 2).max(1);
    let centre = Format::new()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let bold = centre.clone().set_bold();
    let motto = bold.clone().set_underline(FormatUnderline::Single);
    let italic = centre.clone().set_italic();
    let title = bold.clone().set_font_size(14);
    let last = columns - 1;
    sheet.merge_range(0, 0, 0, split - 1, &head.superior, &centre)?;
    sheet.merge_range(1, 0, 1, split - 1, &head.issuer, &bold)?;
    sheet.merge_range(2, 0, 2, split - 1, &head.number, &centre)?;
    sheet.merge_range(0, split, 0, last, NATIONAL_NAME, &bold)?;
    sheet.merge_range(1, split, 1, last, MOTTO, &motto)?;
    sheet.merge_range(2, split, 2, last, &head.place_date, &italic)?;
    sheet.merge_range(4, 0, 4, last, &head.kind, &title)?;
    sheet.merge_range(5, 0, 5, last, &head.summary, &bold)?;
    // Long names wrap: the rows are tall enough for two lines.
    for row in [0, 1, 5] {
        sheet.set_row_height(row, 32)?;
    }
    Ok(7)
}

/// Writes the recipients and the signer from `row`.
pub(crate) fn write_closing(
    sheet: &mut Worksheet,
    head: &Letterhead,
    row: u32,
    columns: u16,
) -> Result<(), XlsxError> {
    let columns = columns.max(4);
    let split = (columns / 2).max(1);
    let bold_italic = Format::new().set_bold().set_italic();
    let centre_bold = Format::new().set_align(FormatAlign::Center).set_bold();
    sheet.write_string_with_format(row, 0, RECIPIENTS, &bold_italic)?;
    for (r, line) in (row + 1..).zip(&head.recipients) {
        sheet.write_string(r, 0, line)?;
    }
    let mut r = row;
    for text in [&head.capacity, &head.signer_title] {
        if !text.is_empty() {
            sheet.merge_range(r, split, r, columns - 1, text, &centre_bold)?;
            r += 1;
        }
    }
    sheet.merge_range(
        r + 4,
        split,
        r + 4,
        columns - 1,
        &head.signer_name,
        &centre_bold,
    )?;
    Ok(())
}
