//! QR codes for placements, as PNG or SVG.
//!
//! Error correction is M (15% of the code may be lost: a poster with a scratch or a staple
//! still scans) unless the caller asks for more, and every image keeps the 4-module quiet zone
//! that phone readers need around the code.

use qrcode::{Color, EcLevel, QrCode};

use crate::{RenderError, RenderResult};

/// The quiet zone, in modules, that the QR standard asks for on each side.
pub const QUIET_ZONE: usize = 4;

/// Smallest and largest PNG/SVG side a caller may ask for, in pixels.
pub const SIZE_RANGE: std::ops::RangeInclusive<u32> = 128..=2048;

/// How much of the code may be damaged and still read: M or stronger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Correction {
    /// About 15% (the default).
    #[default]
    Medium,
    /// About 25%.
    Quartile,
    /// About 30%.
    High,
}

impl Correction {
    fn level(self) -> EcLevel {
        match self {
            Correction::Medium => EcLevel::M,
            Correction::Quartile => EcLevel::Q,
            Correction::High => EcLevel::H,
        }
    }
}

/// The dark/light modules of one code, without the quiet zone.
#[derive(Clone, Debug)]
pub struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `text` (a URL) with the given correction.
    pub fn encode(text: &str, correction: Correction) -> RenderResult<QrMatrix> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), correction.level())
            .map_err(|e| RenderError::Qr(e.to_string()))?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(QrMatrix { width, dark })
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Modules per side with the quiet zone on both sides.
    pub fn width_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// Whether the module at column `x`, row `y` is dark (false outside the code).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark.get(y * self.width + x) == Some(&true)
    }

    /// The pixels per module that fit in `size` pixels (at least 1).
    fn module_px(&self, size: u32) -> usize {
        (size as usize / self.width_with_quiet_zone()).max(1)
    }

    /// A black-on-white grayscale PNG about `size` pixels wide (a whole number of pixels per
    /// module, never less than 1), quiet zone included.
    pub fn png(&self, size: u32) -> RenderResult<Vec<u8>> {
        let module = self.module_px(size);
        let side = self.width_with_quiet_zone() * module;
        let mut pixels = vec![255u8; side * side];
        for y in 0..self.width {
            for x in 0..self.width {
                if !self.is_dark(x, y) {
                    continue;
                }
                let (left, top) = ((x + QUIET_ZONE) * module, (y + QUIET_ZONE) * module);
                for row in top..top + module {
                    pixels[row * side + left..row * side + left + module].fill(0);
                }
            }
        }
        let side = u32::try_from(side).map_err(|e| RenderError::Png(e.to_string()))?;
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, side, side);
            encoder.set_color(png::ColorType::Grayscale);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder
                .write_header()
                .map_err(|e| RenderError::Png(e.to_string()))?;
            writer
                .write_image_data(&pixels)
                .map_err(|e| RenderError::Png(e.to_string()))?;
            writer
                .finish()
                .map_err(|e| RenderError::Png(e.to_string()))?;
        }
        Ok(out)
    }

    /// An SVG `size` pixels wide (scalable: the view box counts modules), quiet zone included.
    pub fn svg(&self, size: u32) -> String {
        let side = self.width_with_quiet_zone();
        let mut path = String::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.is_dark(x, y) {
                    x += 1;
                }
                path.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE,
                    x - start,
                    x - start
                ));
            }
        }
        format!(
            concat!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size}\" height=\"{size}\" ",
                "viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\">",
                "<rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>",
                "<path fill=\"#000\" d=\"{path}\"/></svg>"
            ),
            size = size,
            side = side,
            path = path
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_encodes_with_a_quiet_zone() {
        let qr = QrMatrix::encode("https://langso.example/q/ABCD2345", Correction::Medium)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert!(qr.width() >= 21);
        let png = qr.png(512).unwrap_or_default();
        assert_eq!(&png[1..4], b"PNG");
        let svg = qr.svg(300);
        assert!(svg.starts_with("<svg") && svg.contains("width=\"300\""));
        assert!(svg.contains(&format!("viewBox=\"0 0 {0} {0}\"", qr.width() + 8)));
    }
}
