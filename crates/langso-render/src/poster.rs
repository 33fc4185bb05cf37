//! A4 posters: one page per QR placement, Vietnamese text in embedded DejaVu Sans, the QR
//! drawn as vector squares (sharp at any print size).
//!
//! The caller decides the words (title, steps, fees quoted verbatim with their exemptions,
//! footer); this module lays them out. If the sections do not fit above the footer, the whole
//! body is set again a little smaller, down to a floor, so nothing is ever cut off silently.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use crate::qr::{Correction, QUIET_ZONE, QrMatrix};
use crate::wrap::TextMeasure;
use crate::{RenderError, RenderResult};

/// A4 in points.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 42.0;
const QR_SIDE: f32 = 190.0;
const BAND_H: f32 = 54.0;

const INK: (u8, u8, u8) = (0x0b, 0x0c, 0x0c);
const BLUE: (u8, u8, u8) = (0x1d, 0x4e, 0x89);
const GREY: (u8, u8, u8) = (0x50, 0x5a, 0x5f);
const WHITE: (u8, u8, u8) = (0xff, 0xff, 0xff);

/// One block of the poster body ("Các bước", "Lệ phí", …).
#[derive(Clone, Debug, Default)]
pub struct PosterSection {
    /// The block's heading.
    pub heading: String,
    /// Its paragraphs, each wrapped on its own.
    pub items: Vec<String>,
    /// Number the paragraphs 1., 2., … (steps) rather than bullet them.
    pub numbered: bool,
}

/// Everything printed on one poster.
#[derive(Clone, Debug, Default)]
pub struct Poster {
    /// The line in the top band ("HƯỚNG DẪN THỦ TỤC HÀNH CHÍNH").
    pub kicker: String,
    /// The title (a procedure's name, or the place's name when it offers several).
    pub title: String,
    /// A line under the title (English name, procedure code).
    pub subtitle: String,
    /// What the QR encodes (the placement's short URL).
    pub qr_url: String,
    /// Lines beside the QR (what scanning it does, the short URL spelled out).
    pub qr_caption: Vec<String>,
    /// The body: steps, fees, where to file.
    pub sections: Vec<PosterSection>,
    /// Lines at the foot of the page: unit name, place, hotline.
    pub footer: Vec<String>,
}

/// The fonts of a poster and their measure.
struct Fonts {
    regular: Font,
    bold: Font,
    measure_regular: TextMeasure,
    measure_bold: TextMeasure,
}

impl Fonts {
    fn load() -> RenderResult<Fonts> {
        let regular_data = dejavu::sans::regular();
        let bold_data = dejavu::sans::bold();
        let font = |data: &'static [u8]| {
            Font::new(data.into(), 0).ok_or_else(|| RenderError::Font("DejaVu Sans".to_owned()))
        };
        Ok(Fonts {
            regular: font(regular_data)?,
            bold: font(bold_data)?,
            measure_regular: TextMeasure::new(regular_data)?,
            measure_bold: TextMeasure::new(bold_data)?,
        })
    }

    fn measure(&self, bold: bool) -> &TextMeasure {
        if bold {
            &self.measure_bold
        } else {
            &self.measure_regular
        }
    }
}

/// One thing to draw, positioned.
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        color: (u8, u8, u8),
        text: String,
    },
    Rect {
        rect: Rect,
        color: (u8, u8, u8),
    },
}

/// Lays out text top-down, collecting draw operations.
struct Layout<'a> {
    fonts: &'a Fonts,
    ops: Vec<Op>,
    y: f32,
}

impl Layout<'_> {
    /// Wraps `text` to `width` starting at `x` and moves down; `first` prefixes the first line
    /// (a step number) and the rest hang under the text.
    #[allow(clippy::too_many_arguments)]
    fn paragraph(
        &mut self,
        x: f32,
        width: f32,
        size: f32,
        bold: bool,
        color: (u8, u8, u8),
        first: &str,
        text: &str,
    ) {
        let measure = self.fonts.measure(bold);
        let indent = if first.is_empty() {
            0.0
        } else {
            measure.width(first, size) + size * 0.3
        };
        let leading = size * 1.32;
        if !first.is_empty() {
            self.ops.push(Op::Text {
                x,
                y: self.y + size,
                size,
                bold,
                color,
                text: first.to_owned(),
            });
        }
        for line in measure.wrap(text, size, width - indent) {
            self.ops.push(Op::Text {
                x: x + indent,
                y: self.y + size,
                size,
                bold,
                color,
                text: line,
            });
            self.y += leading;
        }
    }
}

fn color(c: (u8, u8, u8)) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

fn fill(surface: &mut Surface<'_>, c: (u8, u8, u8)) {
    surface.set_fill(Some(Fill {
        paint: color(c).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }));
}

/// The page's body at `scale`.
struct Body {
    ops: Vec<Op>,
    /// Where the QR's top edge goes.
    qr_top: f32,
    /// Where the last section ends.
    end: f32,
}

fn layout_body(fonts: &Fonts, poster: &Poster, scale: f32) -> Body {
    let width = PAGE_W - 2.0 * MARGIN;
    let mut l = Layout {
        fonts,
        ops: Vec::new(),
        y: BAND_H + 22.0,
    };
    l.paragraph(MARGIN, width, 30.0 * scale, true, INK, "", &poster.title);
    if !poster.subtitle.is_empty() {
        l.y += 2.0;
        l.paragraph(
            MARGIN,
            width,
            13.0 * scale,
            false,
            GREY,
            "",
            &poster.subtitle,
        );
    }
    l.y += 14.0 * scale;
    // The QR on the right, its caption on the left.
    let qr_top = l.y;
    let caption_width = width - QR_SIDE - 20.0;
    for (i, line) in poster.qr_caption.iter().enumerate() {
        let (size, bold) = if i == 0 { (17.0, true) } else { (12.0, false) };
        l.paragraph(
            MARGIN,
            caption_width,
            size,
            bold,
            if i == 0 { BLUE } else { INK },
            "",
            line,
        );
        l.y += 6.0;
    }
    l.y = l.y.max(qr_top + QR_SIDE) + 16.0 * scale;
    for section in &poster.sections {
        l.paragraph(
            MARGIN,
            width,
            15.0 * scale,
            true,
            BLUE,
            "",
            &section.heading,
        );
        l.y += 3.0 * scale;
        for (i, item) in section.items.iter().enumerate() {
            let mark = if section.numbered {
                format!("{}.", i + 1)
            } else {
                "•".to_owned()
            };
            l.paragraph(MARGIN, width, 12.5 * scale, false, INK, &mark, item);
            l.y += 2.5 * scale;
        }
        l.y += 10.0 * scale;
    }
    Body {
        end: l.y,
        ops: l.ops,
        qr_top,
    }
}

/// The footer, bottom-up from the page's margin: ops and its top.
fn layout_footer(fonts: &Fonts, poster: &Poster) -> (Vec<Op>, f32) {
    let width = PAGE_W - 2.0 * MARGIN;
    let leading = 11.5 * 1.32;
    let lines: Vec<(bool, String)> = poster
        .footer
        .iter()
        .enumerate()
        .flat_map(|(i, text)| {
            let bold = i == 0;
            fonts
                .measure(bold)
                .wrap(text, 11.5, width)
                .into_iter()
                .map(move |line| (bold, line))
        })
        .collect();
    let top = PAGE_H - MARGIN - leading * lines.len() as f32;
    let mut ops = vec![Op::Rect {
        rect: rect(MARGIN, top - 10.0, width, 1.2),
        color: GREY,
    }];
    for (i, (bold, line)) in lines.into_iter().enumerate() {
        ops.push(Op::Text {
            x: MARGIN,
            y: top + leading * i as f32 + 11.5,
            size: 11.5,
            bold,
            color: INK,
            text: line,
        });
    }
    (ops, top - 14.0)
}

/// A rectangle from positive sizes (a degenerate one becomes a point-sized square).
fn rect(x: f32, y: f32, w: f32, h: f32) -> Rect {
    Rect::from_xywh(x, y, w.max(0.01), h.max(0.01))
        .or_else(|| Rect::from_xywh(0.0, 0.0, 0.01, 0.01))
        .unwrap_or_else(|| unreachable!("a small positive rectangle is valid"))
}

fn draw_ops(surface: &mut Surface<'_>, fonts: &Fonts, ops: &[Op]) {
    for op in ops {
        match op {
            Op::Text {
                x,
                y,
                size,
                bold,
                color: c,
                text,
            } => {
                fill(surface, *c);
                let font = if *bold {
                    fonts.bold.clone()
                } else {
                    fonts.regular.clone()
                };
                surface.draw_text(
                    Point::from_xy(*x, *y),
                    font,
                    *size,
                    text,
                    false,
                    TextDirection::Auto,
                );
            }
            Op::Rect { rect, color: c } => {
                fill(surface, *c);
                let mut path = PathBuilder::new();
                path.push_rect(*rect);
                if let Some(path) = path.finish() {
                    surface.draw_path(&path);
                }
            }
        }
    }
}

fn draw_qr(surface: &mut Surface<'_>, qr: &QrMatrix, left: f32, top: f32) {
    let module = QR_SIDE / qr.width_with_quiet_zone() as f32;
    fill(surface, WHITE);
    let mut path = PathBuilder::new();
    path.push_rect(rect(left, top, QR_SIDE, QR_SIDE));
    if let Some(path) = path.finish() {
        surface.draw_path(&path);
    }
    fill(surface, (0, 0, 0));
    let mut path = PathBuilder::new();
    for y in 0..qr.width() {
        for x in 0..qr.width() {
            if qr.is_dark(x, y) {
                let px = left + (x + QUIET_ZONE) as f32 * module;
                let py = top + (y + QUIET_ZONE) as f32 * module;
                // A hair of overlap so neighbouring squares print as one solid area.
                path.push_rect(rect(px, py, module + 0.05, module + 0.05));
            }
        }
    }
    if let Some(path) = path.finish() {
        surface.draw_path(&path);
    }
}

fn draw_page(document: &mut Document, fonts: &Fonts, poster: &Poster) -> RenderResult<()> {
    let qr = QrMatrix::encode(&poster.qr_url, Correction::Quartile)?;
    let (footer_ops, footer_top) = layout_footer(fonts, poster);
    let mut scale = 1.0;
    let mut body = layout_body(fonts, poster, scale);
    while body.end > footer_top && scale > 0.55 {
        scale -= 0.05;
        body = layout_body(fonts, poster, scale);
    }
    let settings =
        PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| RenderError::Pdf("A4".to_owned()))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let band = vec![
        Op::Rect {
            rect: rect(0.0, 0.0, PAGE_W, BAND_H),
            color: BLUE,
        },
        Op::Text {
            x: MARGIN,
            y: BAND_H / 2.0 + 5.0,
            size: 14.0,
            bold: true,
            color: WHITE,
            text: poster.kicker.clone(),
        },
    ];
    draw_ops(&mut surface, fonts, &band);
    draw_ops(&mut surface, fonts, &body.ops);
    draw_ops(&mut surface, fonts, &footer_ops);
    draw_qr(&mut surface, &qr, PAGE_W - MARGIN - QR_SIDE, body.qr_top);
    surface.finish();
    page.finish();
    Ok(())
}

/// A PDF with one A4 page per poster, the font embedded (subset) so it prints and copies as
/// real Vietnamese text anywhere.
pub fn posters_pdf(title: &str, posters: &[Poster]) -> RenderResult<Vec<u8>> {
    let fonts = Fonts::load()?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language("vi".to_owned())
            .creator("Langso".to_owned()),
    );
    for poster in posters {
        draw_page(&mut document, &fonts, poster)?;
    }
    document
        .finish()
        .map_err(|e| RenderError::Pdf(format!("{e:?}")))
}
