//! Programme reports: one model, two documents. XLSX has a sheet per section with Vietnamese
//! headers (how offices exchange figures); the PDF is A4 with DejaVu Sans embedded, the same
//! tables and the charts drawn as vector bars, so it prints and copies as real Vietnamese.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::wrap::TextMeasure;
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
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let count = Format::new().set_num_format("#,##0");
    for section in &report.sections {
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(sheet_name(&section.title))
            .map_err(xlsx_error)?;
        for (c, header) in (0u16..).zip(&section.headers) {
            sheet
                .write_string_with_format(0, c, header, &bold)
                .map_err(xlsx_error)?;
            let width = if c == 0 { 34 } else { 16 };
            sheet.set_column_width(c, width).map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        for (r, row) in (1u32..).zip(&section.rows) {
            for (c, cell) in (0u16..).zip(row) {
                match cell {
                    Cell::Text(t) => sheet.write_string(r, c, t),
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

struct Pen {
    regular: Font,
    bold: Font,
    measure: TextMeasure,
    measure_bold: TextMeasure,
}

fn fill(surface: &mut Surface<'_>, (r, g, b): (u8, u8, u8)) {
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }));
}

fn rect(surface: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32, colour: (u8, u8, u8)) {
    let Some(r) = Rect::from_xywh(x, y, w.max(0.01), h.max(0.01)) else {
        return;
    };
    fill(surface, colour);
    let mut path = PathBuilder::new();
    path.push_rect(r);
    if let Some(path) = path.finish() {
        surface.draw_path(&path);
    }
}

impl Pen {
    #[allow(clippy::too_many_arguments)]
    fn text(
        &self,
        surface: &mut Surface<'_>,
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        colour: (u8, u8, u8),
        text: &str,
        max_width: f32,
    ) {
        let measure = if bold {
            &self.measure_bold
        } else {
            &self.measure
        };
        let mut line = text.to_owned();
        while !line.is_empty() && measure.width(&line, size) > max_width {
            line.pop();
        }
        fill(surface, colour);
        let font = if bold {
            self.bold.clone()
        } else {
            self.regular.clone()
        };
        surface.draw_text(
            Point::from_xy(x, y),
            font,
            size,
            &line,
            false,
            TextDirection::Auto,
        );
    }

    fn right(&self, surface: &mut Surface<'_>, x_end: f32, y: f32, size: f32, text: &str) {
        let w = self.measure.width(text, size);
        self.text(surface, x_end - w, y, size, false, INK, text, f32::MAX);
    }
}

/// Everything drawn on pages, one line or block at a time, with page breaks.
enum Block<'a> {
    Heading(&'a str),
    Header(&'a [String]),
    Row(&'a [Cell]),
    Bar(&'a str, f64, &'a str),
    Gap,
}

impl Block<'_> {
    fn height(&self) -> f32 {
        match self {
            Block::Heading(_) => 28.0,
            Block::Header(_) | Block::Row(_) => 16.0,
            Block::Bar(..) => 16.0,
            Block::Gap => 10.0,
        }
    }
}

/// The report as an A4 PDF, DejaVu Sans embedded (subset), text selectable and searchable.
pub fn report_pdf(report: &Report) -> RenderResult<Vec<u8>> {
    let regular_data = dejavu::sans::regular();
    let bold_data = dejavu::sans::bold();
    let font = |data: &'static [u8]| {
        Font::new(data.into(), 0).ok_or_else(|| RenderError::Font("DejaVu Sans".to_owned()))
    };
    let pen = Pen {
        regular: font(regular_data)?,
        bold: font(bold_data)?,
        measure: TextMeasure::new(regular_data)?,
        measure_bold: TextMeasure::new(bold_data)?,
    };
    let mut blocks = Vec::new();
    for section in &report.sections {
        blocks.push(Block::Heading(&section.title));
        blocks.push(Block::Header(&section.headers));
        for row in &section.rows {
            blocks.push(Block::Row(row));
        }
        blocks.push(Block::Gap);
    }
    for chart in &report.charts {
        blocks.push(Block::Heading(&chart.title));
        for (label, value, text) in &chart.bars {
            blocks.push(Block::Bar(label, *value, text));
        }
        blocks.push(Block::Gap);
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
    let width = PAGE_W - 2.0 * MARGIN;
    let mut next = 0;
    let mut page_number = 1;
    while next < blocks.len() || page_number == 1 {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut y = MARGIN;
        if page_number == 1 {
            rect(&mut surface, 0.0, 0.0, PAGE_W, 6.0, BLUE);
            y += 14.0;
            pen.text(
                &mut surface,
                MARGIN,
                y,
                16.0,
                true,
                BLUE,
                &report.title,
                width,
            );
            y += 10.0;
            for line in &report.subtitle {
                y += 14.0;
                pen.text(&mut surface, MARGIN, y, 10.0, false, GREY, line, width);
            }
            y += 12.0;
        }
        let bottom = PAGE_H - MARGIN - 16.0;
        let mut columns: Vec<f32> = Vec::new();
        while next < blocks.len() && y + blocks[next].height() <= bottom {
            let block = &blocks[next];
            match block {
                Block::Heading(text) => {
                    y += 22.0;
                    pen.text(&mut surface, MARGIN, y, 12.5, true, BLUE, text, width);
                    y += 6.0;
                }
                Block::Header(headers) => {
                    columns = column_edges(headers.len(), width);
                    rect(&mut surface, MARGIN, y, width, 16.0, PALE);
                    for (i, h) in headers.iter().enumerate() {
                        let w = columns[i + 1] - columns[i] - 4.0;
                        pen.text(
                            &mut surface,
                            MARGIN + columns[i] + 2.0,
                            y + 11.5,
                            8.5,
                            true,
                            INK,
                            h,
                            w,
                        );
                    }
                    y += 16.0;
                }
                Block::Row(cells) => {
                    if columns.len() < cells.len() + 1 {
                        columns = column_edges(cells.len(), width);
                    }
                    for (i, cell) in cells.iter().enumerate() {
                        let text = cell.display();
                        if matches!(cell, Cell::Text(_)) {
                            let w = columns[i + 1] - columns[i] - 4.0;
                            pen.text(
                                &mut surface,
                                MARGIN + columns[i] + 2.0,
                                y + 11.5,
                                9.0,
                                false,
                                INK,
                                &text,
                                w,
                            );
                        } else {
                            pen.right(
                                &mut surface,
                                MARGIN + columns[i + 1] - 2.0,
                                y + 11.5,
                                9.0,
                                &text,
                            );
                        }
                    }
                    rect(&mut surface, MARGIN, y + 15.6, width, 0.4, PALE);
                    y += 16.0;
                }
                Block::Bar(label, value, text) => {
                    let label_w = 170.0;
                    let plot = width - label_w - 60.0;
                    pen.text(
                        &mut surface,
                        MARGIN,
                        y + 11.0,
                        8.5,
                        false,
                        INK,
                        label,
                        label_w - 6.0,
                    );
                    rect(&mut surface, MARGIN + label_w, y + 2.0, plot, 11.0, PALE);
                    rect(
                        &mut surface,
                        MARGIN + label_w,
                        y + 2.0,
                        plot * value.clamp(0.0, 1.0) as f32,
                        11.0,
                        BLUE,
                    );
                    pen.text(
                        &mut surface,
                        MARGIN + label_w + plot + 6.0,
                        y + 11.0,
                        8.5,
                        false,
                        GREY,
                        text,
                        54.0,
                    );
                    y += 16.0;
                }
                Block::Gap => y += 10.0,
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
