//! Drawing text on a PDF page with DejaVu Sans: measured, wrapped, centred or right-aligned,
//! in four faces (the administrative frame needs bold and oblique too).

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use crate::wrap::TextMeasure;
use crate::{RenderError, RenderResult};

/// The ink of text.
pub(crate) const INK: (u8, u8, u8) = (0x0b, 0x0c, 0x0c);

/// A typeface of DejaVu Sans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
    Oblique,
    BoldOblique,
}

pub(crate) struct Pen {
    regular: Font,
    bold: Font,
    oblique: Font,
    bold_oblique: Font,
    measure: TextMeasure,
    measure_bold: TextMeasure,
    measure_oblique: TextMeasure,
    measure_bold_oblique: TextMeasure,
}

pub(crate) fn fill(surface: &mut Surface<'_>, (r, g, b): (u8, u8, u8)) {
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }));
}

pub(crate) fn rect(
    surface: &mut Surface<'_>,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    colour: (u8, u8, u8),
) {
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
    pub(crate) fn new() -> RenderResult<Pen> {
        let font = |data: &'static [u8]| {
            Font::new(data.into(), 0).ok_or_else(|| RenderError::Font("DejaVu Sans".to_owned()))
        };
        let regular = dejavu::sans::regular();
        let bold = dejavu::sans::bold();
        let oblique = dejavu::sans::oblique();
        let bold_oblique = dejavu::sans::bold_oblique();
        Ok(Pen {
            regular: font(regular)?,
            bold: font(bold)?,
            oblique: font(oblique)?,
            bold_oblique: font(bold_oblique)?,
            measure: TextMeasure::new(regular)?,
            measure_bold: TextMeasure::new(bold)?,
            measure_oblique: TextMeasure::new(oblique)?,
            measure_bold_oblique: TextMeasure::new(bold_oblique)?,
        })
    }

    fn face(&self, face: Face) -> (&Font, &TextMeasure) {
        match face {
            Face::Regular => (&self.regular, &self.measure),
            Face::Bold => (&self.bold, &self.measure_bold),
            Face::Oblique => (&self.oblique, &self.measure_oblique),
            Face::BoldOblique => (&self.bold_oblique, &self.measure_bold_oblique),
        }
    }

    pub(crate) fn width(&self, text: &str, size: f32, face: Face) -> f32 {
        self.face(face).1.width(text, size)
    }

    /// `text` in lines no wider than `width` (never cut: long words break between letters).
    pub(crate) fn wrap(&self, text: &str, size: f32, face: Face, width: f32) -> Vec<String> {
        self.face(face).1.wrap(text, size, width.max(size))
    }

    /// One line at (x, y) in ink.
    pub(crate) fn draw(
        &self,
        surface: &mut Surface<'_>,
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        text: &str,
    ) {
        fill(surface, INK);
        surface.draw_text(
            Point::from_xy(x, y),
            self.face(face).0.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
    }

    /// One line centred on `centre`.
    pub(crate) fn centered(
        &self,
        surface: &mut Surface<'_>,
        centre: f32,
        y: f32,
        size: f32,
        face: Face,
        text: &str,
    ) {
        let w = self.width(text, size, face);
        self.draw(surface, centre - w / 2.0, y, size, face, text);
    }

    /// A thin rule (the line under a body's name or the motto).
    pub(crate) fn rule(&self, surface: &mut Surface<'_>, x: f32, y: f32, width: f32) {
        rect(surface, x, y, width, 0.6, INK);
    }

    /// Lines of `text` wrapped in a cell of width `w` (one empty line for empty text).
    pub(crate) fn cell_lines(&self, text: &str, size: f32, bold: bool, w: f32) -> Vec<String> {
        let face = if bold { Face::Bold } else { Face::Regular };
        let lines = self.wrap(text, size, face, w);
        if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
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

    pub(crate) fn right(
        &self,
        surface: &mut Surface<'_>,
        x_end: f32,
        y: f32,
        size: f32,
        text: &str,
    ) {
        let w = self.measure.width(text, size);
        self.text(surface, x_end - w, y, size, false, INK, text, f32::MAX);
    }
}
