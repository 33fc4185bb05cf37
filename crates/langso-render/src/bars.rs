//! Horizontal bar charts in SVG (per commune, indicator shares): labels on the left, the value
//! at the bar's end, so they read on a phone and print as they look.

use std::fmt::Write as _;

use crate::xml_escape;

/// One bar.
#[derive(Clone, Debug)]
pub struct Bar {
    /// Its label.
    pub label: String,
    /// Its value (a share 0–1 when the chart shows percentages).
    pub value: f64,
    /// The text printed at its end ("87%", "12/12").
    pub text: String,
}

/// A horizontal bar chart.
#[derive(Clone, Debug)]
pub struct BarChart {
    /// Accessible title.
    pub title: String,
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
    /// The value of a full-width bar (1.0 for shares); the largest value when `None`.
    pub max: Option<f64>,
}

const W: f64 = 640.0;
const LABEL_W: f64 = 200.0;
const ROW: f64 = 22.0;
const TEXT_W: f64 = 70.0;

impl BarChart {
    /// The chart as a standalone `<svg>` element.
    pub fn svg(&self) -> String {
        let max = self
            .max
            .unwrap_or_else(|| self.bars.iter().map(|b| b.value).fold(0.0, f64::max))
            .max(f64::MIN_POSITIVE);
        let h = ROW * self.bars.len().max(1) as f64 + 8.0;
        let plot = W - LABEL_W - TEXT_W;
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {h}\" role=\"img\" aria-label=\"{t}\" class=\"chart\" font-family=\"sans-serif\" font-size=\"11\"><title>{t}</title>",
            t = xml_escape(&self.title)
        );
        for (i, bar) in self.bars.iter().enumerate() {
            let y = 4.0 + ROW * i as f64;
            let width = (bar.value / max).clamp(0.0, 1.0) * plot;
            let _ = write!(
                out,
                "<text x=\"{lx}\" y=\"{ty:.1}\" text-anchor=\"end\" fill=\"#0b0c0c\">{label}</text>\
                 <rect x=\"{LABEL_W}\" y=\"{y:.1}\" width=\"{plot:.1}\" height=\"{bh}\" fill=\"#f3f2f1\"/>\
                 <rect x=\"{LABEL_W}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{bh}\" fill=\"#1d4e89\"><title>{label}: {text}</title></rect>\
                 <text x=\"{vx:.1}\" y=\"{ty:.1}\" fill=\"#505a5f\">{text}</text>",
                lx = LABEL_W - 6.0,
                ty = y + 13.0,
                bh = ROW - 6.0,
                vx = LABEL_W + plot + 6.0,
                label = xml_escape(&bar.label),
                text = xml_escape(&bar.text),
            );
        }
        out.push_str("</svg>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_maximum_and_escape_labels() {
        let chart = BarChart {
            title: "Tỉ lệ <hộ>".into(),
            bars: vec![
                Bar {
                    label: "Xã Tân Hội".into(),
                    value: 0.5,
                    text: "50%".into(),
                },
                Bar {
                    label: "A & B".into(),
                    value: 1.0,
                    text: "100%".into(),
                },
            ],
            max: Some(1.0),
        };
        let svg = chart.svg();
        assert!(svg.contains("Tỉ lệ &lt;hộ&gt;") && svg.contains("A &amp; B"));
        assert!(
            svg.contains("width=\"185.0\"") && svg.contains("width=\"370.0\""),
            "{svg}"
        );
    }
}
