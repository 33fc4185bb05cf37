//! Measuring and wrapping text with the embedded font: krilla draws a line where it is told and
//! never wraps, so posters break their lines here, at spaces, by the font's own advance widths.

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use crate::{RenderError, RenderResult};

/// Measures text set in one font (advance widths, no kerning: a slight overestimate, so a
/// wrapped line never overflows).
pub struct TextMeasure {
    data: &'static [u8],
}

impl TextMeasure {
    /// A measure for the font file `data`.
    pub fn new(data: &'static [u8]) -> RenderResult<TextMeasure> {
        FontRef::new(data).map_err(|e| RenderError::Font(e.to_string()))?;
        Ok(TextMeasure { data })
    }

    /// The width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(font) = FontRef::new(self.data) else {
            return 0.0;
        };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                charmap
                    .map(c)
                    .and_then(|glyph| metrics.advance_width(glyph))
                    .unwrap_or(size * 0.6)
            })
            .sum()
    }

    /// Breaks `text` into lines no wider than `max_width` at `size` points, at spaces; a word
    /// wider than the line on its own is cut between letters. Newlines in `text` are kept.
    pub fn wrap(&self, text: &str, size: f32, max_width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size) <= max_width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line = self.cut_long_word(word, size, max_width, &mut lines);
            }
            lines.push(line);
        }
        lines
    }

    /// Pushes full-width pieces of an over-long word and returns the rest.
    fn cut_long_word(
        &self,
        word: &str,
        size: f32,
        max_width: f32,
        lines: &mut Vec<String>,
    ) -> String {
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if self.width(&piece, size) > max_width && piece.chars().count() > 1 {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        piece
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure() -> TextMeasure {
        TextMeasure::new(dejavu::sans::regular()).unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn vietnamese_letters_have_real_widths() {
        let m = measure();
        let w = m.width("Đăng ký khai sinh", 12.0);
        assert!(w > 60.0 && w < 140.0, "{w}");
        assert!(
            m.width("ế", 12.0) > 3.0,
            "a precomposed letter is in the font"
        );
    }

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let m = measure();
        let text = "Miễn lệ phí khi đăng ký đúng hạn; miễn cho gia đình người có công, hộ nghèo, người khuyết tật";
        let lines = m.wrap(text, 12.0, 150.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(m.width(line, 12.0) <= 150.0, "{line}");
        }
        assert_eq!(lines.join(" "), text);
        let long = m.wrap(
            "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html",
            12.0,
            80.0,
        );
        assert!(long.len() > 2 && long.iter().all(|l| m.width(l, 12.0) <= 80.0));
        assert_eq!(m.wrap("một\nhai", 12.0, 200.0), vec!["một", "hai"]);
    }
}
