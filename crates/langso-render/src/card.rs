//! The shareable image card of an announcement (PNG, 1080 × 1080, the square Zalo shows whole):
//! the unit in a band, the date, the title, and a QR code of the short link with the link
//! written out. Text is drawn from DejaVu Sans glyph outlines (read by skrifa, the font reader
//! the PDFs already use) with a small anti-aliased scanline filler of our own: a card is a few
//! hundred glyphs and a QR code, not worth a rasteriser crate's compile time.

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, MetadataProvider};

use crate::qr::{Correction, QrMatrix};
use crate::wrap::TextMeasure;
use crate::{RenderError, RenderResult};

/// The card's side in pixels.
pub const SIDE: usize = 1080;
const BAND: (u8, u8, u8) = (0x1d, 0x4e, 0x89);
const INK: (u8, u8, u8) = (0x0b, 0x0c, 0x0c);
const GREY: (u8, u8, u8) = (0x50, 0x5a, 0x5f);
const WHITE: (u8, u8, u8) = (0xff, 0xff, 0xff);

/// What a card shows.
#[derive(Clone, Debug)]
pub struct Card<'a> {
    /// The unit that announces.
    pub unit: &'a str,
    /// The date, as people read it (dd/mm/yyyy).
    pub date: &'a str,
    /// The title.
    pub title: &'a str,
    /// The short link (encoded in the QR code and written beside it).
    pub link: &'a str,
    /// "Quét mã để xem toàn văn" in the reader's language.
    pub scan_hint: &'a str,
}

/// An RGB canvas.
struct Canvas {
    pixels: Vec<u8>,
}

impl Canvas {
    fn new() -> Canvas {
        Canvas {
            pixels: vec![255; SIDE * SIDE * 3],
        }
    }

    fn blend(&mut self, x: usize, y: usize, (r, g, b): (u8, u8, u8), alpha: f32) {
        if x >= SIDE || y >= SIDE || alpha <= 0.0 {
            return;
        }
        let a = alpha.min(1.0);
        let i = (y * SIDE + x) * 3;
        for (k, c) in [r, g, b].into_iter().enumerate() {
            let old = f32::from(self.pixels[i + k]);
            self.pixels[i + k] = (old + (f32::from(c) - old) * a).round() as u8;
        }
    }

    fn rect(&mut self, x: usize, y: usize, w: usize, h: usize, colour: (u8, u8, u8)) {
        for row in y..(y + h).min(SIDE) {
            for col in x..(x + w).min(SIDE) {
                self.blend(col, row, colour, 1.0);
            }
        }
    }

    /// Fills the closed polygons of `edges` (non-zero winding), 4 sub-scanlines a pixel row
    /// and exact horizontal coverage.
    fn fill(&mut self, edges: &[(f32, f32, f32, f32)], colour: (u8, u8, u8)) {
        let (mut top, mut bottom) = (f32::MAX, f32::MIN);
        for &(_, y0, _, y1) in edges {
            top = top.min(y0.min(y1));
            bottom = bottom.max(y0.max(y1));
        }
        if edges.is_empty() {
            return;
        }
        let first = top.floor().max(0.0) as usize;
        let last = (bottom.ceil().max(0.0) as usize).min(SIDE);
        const SUB: usize = 4;
        let mut row = vec![0f32; SIDE + 1];
        let mut crossings: Vec<(f32, i32)> = Vec::new();
        for y in first..last {
            row.iter_mut().for_each(|c| *c = 0.0);
            for s in 0..SUB {
                let sy = y as f32 + (s as f32 + 0.5) / SUB as f32;
                crossings.clear();
                for &(x0, y0, x1, y1) in edges {
                    if (y0 <= sy && y1 > sy) || (y1 <= sy && y0 > sy) {
                        let x = x0 + (sy - y0) / (y1 - y0) * (x1 - x0);
                        crossings.push((x, if y1 > y0 { 1 } else { -1 }));
                    }
                }
                crossings.sort_by(|a, b| a.0.total_cmp(&b.0));
                let mut winding = 0;
                for pair in crossings.windows(2) {
                    winding += pair[0].1;
                    if winding != 0 {
                        span(&mut row, pair[0].0, pair[1].0, 1.0 / SUB as f32);
                    }
                }
            }
            for (x, coverage) in row.iter().enumerate().take(SIDE) {
                self.blend(x, y, colour, *coverage);
            }
        }
    }
}

/// Adds `weight` of coverage to `row` between `x0` and `x1` (fractional ends).
fn span(row: &mut [f32], x0: f32, x1: f32, weight: f32) {
    let x0 = x0.clamp(0.0, SIDE as f32);
    let x1 = x1.clamp(0.0, SIDE as f32);
    if x1 <= x0 {
        return;
    }
    let (a, b) = (x0.floor() as usize, x1.floor() as usize);
    if a == b {
        row[a] += (x1 - x0) * weight;
        return;
    }
    row[a] += (1.0 - (x0 - a as f32)) * weight;
    for c in row.iter_mut().take(b).skip(a + 1) {
        *c += weight;
    }
    if b < row.len() {
        row[b] += (x1 - b as f32) * weight;
    }
}

/// Collects a glyph's outline as straight edges in canvas pixels (curves flattened).
struct EdgePen {
    edges: Vec<(f32, f32, f32, f32)>,
    origin: (f32, f32),
    start: (f32, f32),
    at: (f32, f32),
}

impl EdgePen {
    fn point(&self, x: f32, y: f32) -> (f32, f32) {
        (self.origin.0 + x, self.origin.1 - y)
    }

    fn line(&mut self, to: (f32, f32)) {
        self.edges.push((self.at.0, self.at.1, to.0, to.1));
        self.at = to;
    }
}

impl OutlinePen for EdgePen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.close();
        self.start = self.point(x, y);
        self.at = self.start;
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let to = self.point(x, y);
        self.line(to);
    }

    fn quad_to(&mut self, cx: f32, cy: f32, x: f32, y: f32) {
        let (p0, c, p1) = (self.at, self.point(cx, cy), self.point(x, y));
        for i in 1..=8 {
            let t = i as f32 / 8.0;
            let u = 1.0 - t;
            let to = (
                u * u * p0.0 + 2.0 * u * t * c.0 + t * t * p1.0,
                u * u * p0.1 + 2.0 * u * t * c.1 + t * t * p1.1,
            );
            self.line(to);
        }
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let (p0, c0, c1, p1) = (
            self.at,
            self.point(cx0, cy0),
            self.point(cx1, cy1),
            self.point(x, y),
        );
        for i in 1..=12 {
            let t = i as f32 / 12.0;
            let u = 1.0 - t;
            let to = (
                u * u * u * p0.0
                    + 3.0 * u * u * t * c0.0
                    + 3.0 * u * t * t * c1.0
                    + t * t * t * p1.0,
                u * u * u * p0.1
                    + 3.0 * u * u * t * c0.1
                    + 3.0 * u * t * t * c1.1
                    + t * t * t * p1.1,
            );
            self.line(to);
        }
    }

    fn close(&mut self) {
        if self.at != self.start {
            let start = self.start;
            self.line(start);
        }
    }
}

/// Draws one line of text with its baseline at `y`, starting at `x`.
fn text(
    canvas: &mut Canvas,
    font: &'static [u8],
    line: &str,
    size: f32,
    (x, y): (f32, f32),
    colour: (u8, u8, u8),
) -> RenderResult<()> {
    let font = FontRef::new(font).map_err(|e| RenderError::Font(e.to_string()))?;
    let charmap = font.charmap();
    let glyphs = font.outline_glyphs();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    let mut pen = EdgePen {
        edges: Vec::new(),
        origin: (x, y),
        start: (0.0, 0.0),
        at: (0.0, 0.0),
    };
    for c in line.chars() {
        let Some(id) = charmap.map(c) else {
            pen.origin.0 += size * 0.6;
            continue;
        };
        if let Some(glyph) = glyphs.get(id) {
            let settings = DrawSettings::unhinted(Size::new(size), LocationRef::default());
            glyph
                .draw(settings, &mut pen)
                .map_err(|e| RenderError::Font(e.to_string()))?;
            pen.close();
        }
        pen.origin.0 += metrics.advance_width(id).unwrap_or(size * 0.6);
    }
    canvas.fill(&pen.edges, colour);
    Ok(())
}

/// The card as a PNG.
pub fn card_png(card: &Card<'_>) -> RenderResult<Vec<u8>> {
    let regular = dejavu::sans::regular();
    let bold = dejavu::sans::bold();
    let measure = TextMeasure::new(regular)?;
    let measure_bold = TextMeasure::new(bold)?;
    let mut canvas = Canvas::new();
    let margin = 64.0;
    let width = SIDE as f32 - 2.0 * margin;
    canvas.rect(0, 0, SIDE, 170, BAND);
    let unit = measure_bold.wrap(card.unit, 46.0, width);
    text(
        &mut canvas,
        bold,
        unit.first().map_or("", String::as_str),
        46.0,
        (margin, 105.0),
        WHITE,
    )?;
    text(&mut canvas, regular, card.date, 38.0, (margin, 250.0), GREY)?;
    let mut lines = measure_bold.wrap(card.title, 66.0, width);
    if lines.len() > 5 {
        lines.truncate(5);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    for (i, line) in lines.iter().enumerate() {
        text(
            &mut canvas,
            bold,
            line,
            66.0,
            (margin, 350.0 + 82.0 * i as f32),
            INK,
        )?;
    }
    let qr = QrMatrix::encode(card.link, Correction::Medium)?;
    let side = 300usize;
    let module = (side / qr.width_with_quiet_zone()).max(1);
    let (left, top) = (margin as usize, SIDE - side - 60);
    canvas.rect(
        left,
        top,
        qr.width_with_quiet_zone() * module,
        qr.width_with_quiet_zone() * module,
        WHITE,
    );
    for y in 0..qr.width() {
        for x in 0..qr.width() {
            if qr.is_dark(x, y) {
                canvas.rect(
                    left + (x + 4) * module,
                    top + (y + 4) * module,
                    module,
                    module,
                    INK,
                );
            }
        }
    }
    let text_left = (left + side + 40) as f32;
    let text_width = SIDE as f32 - text_left - margin;
    for (i, line) in measure
        .wrap(card.scan_hint, 34.0, text_width)
        .iter()
        .take(3)
        .enumerate()
    {
        text(
            &mut canvas,
            regular,
            line,
            34.0,
            (text_left, top as f32 + 80.0 + 46.0 * i as f32),
            INK,
        )?;
    }
    for (i, line) in measure
        .wrap(card.link, 28.0, text_width)
        .iter()
        .take(3)
        .enumerate()
    {
        text(
            &mut canvas,
            regular,
            line,
            28.0,
            (text_left, top as f32 + 230.0 + 38.0 * i as f32),
            BAND,
        )?;
    }
    let mut out = Vec::new();
    {
        let side = u32::try_from(SIDE).map_err(|e| RenderError::Png(e.to_string()))?;
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| RenderError::Png(e.to_string()))?;
        writer
            .write_image_data(&canvas.pixels)
            .map_err(|e| RenderError::Png(e.to_string()))?;
        writer
            .finish()
            .map_err(|e| RenderError::Png(e.to_string()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_is_a_square_png_with_ink() {
        let png = card_png(&Card {
            unit: "Xã Đan Phượng",
            date: "07/12/2026",
            title: "Họp dân về chuyển đổi số: mang theo CCCD và điện thoại có cài VNeID",
            link: "https://langso.example/a/abc123",
            scan_hint: "Quét mã để xem toàn văn",
        })
        .unwrap_or_default();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap_or_else(|e| panic!("{e}"));
        let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader
            .next_frame(&mut buf)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((info.width, info.height), (1080, 1080));
        // The title's ink: dark pixels in its first line.
        let dark = (300..360)
            .flat_map(|y| (64..1000).map(move |x| (y * 1080 + x) * 3))
            .filter(|&i| buf[i] < 80)
            .count();
        assert!(dark > 500, "{dark}");
    }
}
