//! Programme reports: one model, two documents. XLSX has a sheet per section with Vietnamese
//! headers (how offices exchange figures); the PDF is A4 with DejaVu Sans embedded, the same
//! tables and the charts drawn as vector bars, so it prints and copies as real Vietnamese.

use krilla::Document;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::official::{self, Letterhead};
use crate::pen::{Face, Pen, rect};
use crate::{RenderError, RenderResult};

/// A cell of a report table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number.
    Count(i64),
    /// A share 0–1, shown as a percentage.
    Share(f64),
}

impl Cell {
    fn display(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => group_thousands(*n),
            Cell::Share(s) => {
                let tenths = floor_tenths(*s);
                format!("{},{}%", tenths / 10, tenths % 10)
            }
        }
    }
}

/// A share 0–1 in tenths of a percent, never above 100 % and never rounded up to it: 0.99995
/// (18,252 of 18,253) is 999, not 1000.
fn floor_tenths(share: f64) -> i64 {
    if !share.is_finite() || share <= 0.0 {
        return 0;
    }
    if share >= 1.0 {
        return 1000;
    }
    ((share * 1000.0 + 1e-9).floor() as i64).clamp(0, 999)
}

/// 1015 → "1.015", the Vietnamese way.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// One section: a sheet in XLSX, a table in the PDF.
#[derive(Clone, Debug)]
pub struct Section {
    /// Its title (the sheet's name, cut to Excel's 31 characters).
    pub title: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

/// A bar chart printed in the PDF.
#[derive(Clone, Debug)]
pub struct ReportChart {
    /// Its title.
    pub title: String,
    /// (label, value 0–1, text at the bar's end).
    pub bars: Vec<(String, f64, String)>,
}

/// A whole report.
#[derive(Clone, Debug)]
pub struct Report {
    /// The title ("Báo cáo tháng 12/2024 — Huyện Đan Phượng").
    pub title: String,
    /// Lines under it (as-of date, basis, "synthetic data").
    pub subtitle: Vec<String>,
    /// The sections.
    pub sections: Vec<Section>,
    /// Charts, after the tables.
    pub charts: Vec<ReportChart>,
}

fn xlsx_error(e: XlsxError) -> RenderError {
    RenderError::Pdf(format!("XLSX: {e}"))
}

/// Excel refuses sheet names over 31 characters or with `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

/// The report as an XLSX workbook: a sheet per section, bold Vietnamese headers, shares as
/// percentages (the number stays a number for Excel users).
pub fn report_xlsx(report: &Report) -> RenderResult<Vec<u8>> {
    report_xlsx_with(report, None)
}

/// The report as XLSX, each sheet under the administrative document's top (`head`), the
/// recipients and the signer under the last table.
pub fn report_xlsx_with(report: &Report, head: Option<&Letterhead>) -> RenderResult<Vec<u8>> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let count = Format::new().set_num_format("#,##0");
    let bold = bold.set_text_wrap();
    let wrapped = Format::new().set_text_wrap();
    let last_section = report.sections.len().saturating_sub(1);
    for (s, section) in report.sections.iter().enumerate() {
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(sheet_name(&section.title))
            .map_err(xlsx_error)?;
        let columns = u16::try_from(section.headers.len()).unwrap_or(u16::MAX);
        let top = match head {
            Some(head) => official::write_top(sheet, head, columns).map_err(xlsx_error)?,
            None => 0,
        };
        for (c, header) in (0u16..).zip(&section.headers) {
            sheet
                .write_string_with_format(top, c, header, &bold)
                .map_err(xlsx_error)?;
            let width = if c == 0 { 40 } else { 16 };
            sheet.set_column_width(c, width).map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(top + 1, 0).map_err(xlsx_error)?;
        for (r, row) in (top + 1..).zip(&section.rows) {
            for (c, cell) in (0u16..).zip(row) {
                match cell {
                    Cell::Text(t) => sheet.write_string_with_format(r, c, t, &wrapped),
                    Cell::Count(n) => sheet.write_number_with_format(r, c, *n as f64, &count),
                    Cell::Share(s) => sheet.write_number_with_format(
                        r,
                        c,
                        floor_tenths(*s) as f64 / 1000.0,
                        &percent,
                    ),
                }
                .map_err(xlsx_error)?;
            }
        }
        if let Some(head) = head
            && s == last_section
        {
            let after = top + 2 + u32::try_from(section.rows.len()).unwrap_or(0);
            official::write_closing(sheet, head, after, columns).map_err(xlsx_error)?;
        }
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 40.0;
const INK: (u8, u8, u8) = (0x0b, 0x0c, 0x0c);
const BLUE: (u8, u8, u8) = (0x1d, 0x4e, 0x89);
const GREY: (u8, u8, u8) = (0x50, 0x5a, 0x5f);
const PALE: (u8, u8, u8) = (0xf3, 0xf2, 0xf1);

/// Everything drawn on pages, one block at a time, with page breaks. Texts are wrapped
/// before: a block is as tall as its longest text, so no label is ever cut off.
enum Block<'a> {
    Heading(Vec<String>),
    Header(Vec<Vec<String>>),
    Row(&'a [Cell], Vec<Vec<String>>),
    Bar(Vec<String>, f64, &'a str),
    Gap,
    /// The recipients and the signer of an administrative document.
    Closing(&'a Letterhead),
}

/// The height of a line in a table cell.
const CELL_LINE: f32 = 11.0;

fn tallest(cells: &[Vec<String>]) -> usize {
    cells.iter().map(Vec::len).max().unwrap_or(1).max(1)
}

impl Block<'_> {
    fn height(&self, pen: &Pen, width: f32) -> f32 {
        match self {
            Block::Heading(lines) => 28.0 + 16.0 * lines.len().saturating_sub(1) as f32,
            Block::Header(cells) | Block::Row(_, cells) => {
                16.0 + CELL_LINE * (tallest(cells) - 1) as f32
            }
            Block::Bar(lines, ..) => 16.0 + CELL_LINE * lines.len().saturating_sub(1) as f32,
            Block::Gap => 10.0,
            Block::Closing(head) => official::closing_height(pen, head, width),
        }
    }
}

/// Label width of a bar chart.
const BAR_LABEL: f32 = 170.0;

/// The report as an A4 PDF, DejaVu Sans embedded (subset), text selectable and searchable.
pub fn report_pdf(report: &Report) -> RenderResult<Vec<u8>> {
    report_pdf_with(report, None)
}

/// The report as an A4 PDF framed as an administrative document (`head`): its top on the
/// first page instead of the title, its recipients and signer after the last block.
pub fn report_pdf_with(report: &Report, head: Option<&Letterhead>) -> RenderResult<Vec<u8>> {
    let pen = Pen::new()?;
    let width = PAGE_W - 2.0 * MARGIN;
    let mut blocks = Vec::new();
    let table = |headers: usize| column_edges(headers, width);
    for section in &report.sections {
        blocks.push(Block::Heading(pen.wrap(
            &section.title,
            12.5,
            Face::Bold,
            width,
        )));
        let columns = table(section.headers.len());
        let cell_w = |i: usize| columns.get(i + 1).map_or(width, |e| e - columns[i]) - 4.0;
        blocks.push(Block::Header(
            section
                .headers
                .iter()
                .enumerate()
                .map(|(i, h)| pen.cell_lines(h, 8.5, true, cell_w(i)))
                .collect(),
        ));
        for row in &section.rows {
            let columns = if columns.len() < row.len() + 1 {
                table(row.len())
            } else {
                columns.clone()
            };
            let lines = row
                .iter()
                .enumerate()
                .map(|(i, cell)| match cell {
                    Cell::Text(t) => {
                        pen.cell_lines(t, 9.0, false, columns[i + 1] - columns[i] - 4.0)
                    }
                    _ => vec![cell.display()],
                })
                .collect();
            blocks.push(Block::Row(row, lines));
        }
        blocks.push(Block::Gap);
    }
    for chart in &report.charts {
        blocks.push(Block::Heading(pen.wrap(
            &chart.title,
            12.5,
            Face::Bold,
            width,
        )));
        for (label, value, text) in &chart.bars {
            let lines = pen.cell_lines(label, 8.5, false, BAR_LABEL - 6.0);
            blocks.push(Block::Bar(lines, *value, text));
        }
        blocks.push(Block::Gap);
    }
    if let Some(head) = head {
        blocks.push(Block::Closing(head));
    }
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(report.title.clone())
            .language("vi".to_owned())
            .creator("Langso".to_owned()),
    );
    let settings =
        PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| RenderError::Pdf("A4".to_owned()))?;
    let mut next = 0;
    let mut page_number = 1;
    while next < blocks.len() || page_number == 1 {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut y = MARGIN;
        if page_number == 1 {
            if let Some(head) = head {
                y = official::draw_top(&pen, &mut surface, head, MARGIN, y - 10.0, width);
                for line in &report.subtitle {
                    for line in pen.wrap(line, 9.5, Face::Regular, width) {
                        y += 13.0;
                        pen.text(&mut surface, MARGIN, y, 9.5, false, GREY, &line, width);
                    }
                }
            } else {
                rect(&mut surface, 0.0, 0.0, PAGE_W, 6.0, BLUE);
                y += 14.0;
                for line in pen.wrap(&report.title, 16.0, Face::Bold, width) {
                    pen.text(&mut surface, MARGIN, y, 16.0, true, BLUE, &line, width);
                    y += 18.0;
                }
                y -= 8.0;
                for line in &report.subtitle {
                    for line in pen.wrap(line, 10.0, Face::Regular, width) {
                        y += 14.0;
                        pen.text(&mut surface, MARGIN, y, 10.0, false, GREY, &line, width);
                    }
                }
            }
            y += 12.0;
        }
        let bottom = PAGE_H - MARGIN - 16.0;
        let mut columns: Vec<f32> = Vec::new();
        let first_on_page = next;
        while next < blocks.len()
            && (y + blocks[next].height(&pen, width) <= bottom
                || next == first_on_page && page_number > 1)
        {
            let block = &blocks[next];
            let height = block.height(&pen, width);
            match block {
                Block::Heading(lines) => {
                    for line in lines {
                        y += 22.0;
                        pen.text(&mut surface, MARGIN, y, 12.5, true, BLUE, line, width);
                        y -= 6.0;
                    }
                    y += 12.0;
                }
                Block::Header(cells) => {
                    columns = column_edges(cells.len(), width);
                    rect(&mut surface, MARGIN, y, width, height, PALE);
                    for (i, lines) in cells.iter().enumerate() {
                        for (l, line) in lines.iter().enumerate() {
                            let ly = y + 11.5 + CELL_LINE * l as f32;
                            pen.text(
                                &mut surface,
                                MARGIN + columns[i] + 2.0,
                                ly,
                                8.5,
                                true,
                                INK,
                                line,
                                f32::MAX,
                            );
                        }
                    }
                    y += height;
                }
                Block::Row(cells, lines) => {
                    if columns.len() < cells.len() + 1 {
                        columns = column_edges(cells.len(), width);
                    }
                    for (i, (cell, lines)) in cells.iter().zip(lines).enumerate() {
                        if matches!(cell, Cell::Text(_)) {
                            for (l, line) in lines.iter().enumerate() {
                                let ly = y + 11.5 + CELL_LINE * l as f32;
                                pen.text(
                                    &mut surface,
                                    MARGIN + columns[i] + 2.0,
                                    ly,
                                    9.0,
                                    false,
                                    INK,
                                    line,
                                    f32::MAX,
                                );
                            }
                        } else {
                            pen.right(
                                &mut surface,
                                MARGIN + columns[i + 1] - 2.0,
                                y + 11.5,
                                9.0,
                                &cell.display(),
                            );
                        }
                    }
                    rect(&mut surface, MARGIN, y + height - 0.4, width, 0.4, PALE);
                    y += height;
                }
                Block::Bar(label, value, text) => {
                    let plot = width - BAR_LABEL - 60.0;
                    for (l, line) in label.iter().enumerate() {
                        let ly = y + 11.0 + CELL_LINE * l as f32;
                        pen.text(&mut surface, MARGIN, ly, 8.5, false, INK, line, f32::MAX);
                    }
                    rect(&mut surface, MARGIN + BAR_LABEL, y + 2.0, plot, 11.0, PALE);
                    rect(
                        &mut surface,
                        MARGIN + BAR_LABEL,
                        y + 2.0,
                        plot * value.clamp(0.0, 1.0) as f32,
                        11.0,
                        BLUE,
                    );
                    pen.text(
                        &mut surface,
                        MARGIN + BAR_LABEL + plot + 6.0,
                        y + 11.0,
                        8.5,
                        false,
                        GREY,
                        text,
                        f32::MAX,
                    );
                    y += height;
                }
                Block::Gap => y += 10.0,
                Block::Closing(head) => {
                    official::draw_closing(&pen, &mut surface, head, MARGIN, y, width);
                    y += height;
                }
            }
            next += 1;
        }
        let footer = format!("{} — trang {page_number}", report.title);
        pen.text(
            &mut surface,
            MARGIN,
            PAGE_H - MARGIN + 8.0,
            8.0,
            false,
            GREY,
            &footer,
            width,
        );
        surface.finish();
        page.finish();
        page_number += 1;
        if page_number > 200 {
            break;
        }
    }
    document
        .finish()
        .map_err(|e| RenderError::Pdf(format!("{e:?}")))
}

/// Column edges: the first (names) takes 40% of the width, the rest share the remainder.
fn column_edges(n: usize, width: f32) -> Vec<f32> {
    let n = n.max(1);
    let first = if n == 1 { width } else { width * 0.4 };
    let rest = if n > 1 {
        (width - first) / (n - 1) as f32
    } else {
        0.0
    };
    let mut edges = vec![0.0, first];
    for i in 1..n {
        edges.push(first + rest * i as f32);
    }
    edges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_cell_never_rounds_unfinished_work_up_nor_passes_100() {
        assert_eq!(Cell::Share(18_250.0 / 18_253.0).display(), "99,9%");
        assert_eq!(Cell::Share(18_252.0 / 18_253.0).display(), "99,9%");
        assert_eq!(Cell::Share(1.0).display(), "100,0%");
        assert_eq!(Cell::Share(1.3).display(), "100,0%");
        assert_eq!(Cell::Share(0.123).display(), "12,3%");
    }

    #[test]
    fn thousands_and_sheet_names() {
        assert_eq!(group_thousands(1015), "1.015");
        assert_eq!(group_thousands(2_700_000), "2.700.000");
        assert_eq!(group_thousands(-12), "-12");
        assert_eq!(
            sheet_name("Tổ CNSCĐ: thôn/tổ dân phố [2024] và rất dài hơn nữa"),
            "Tổ CNSCĐ thôntổ dân phố 2024 và"
        );
        assert_eq!(column_edges(3, 100.0), vec![0.0, 40.0, 70.0, 100.0]);
    }
}
