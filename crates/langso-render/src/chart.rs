//! SVG charts drawn on the server: they need no script, print as they look, and stay small.

use std::fmt::Write as _;

use crate::xml_escape;

/// One line of a chart.
#[derive(Clone, Debug)]
pub struct Series {
    /// Its name in the legend.
    pub name: String,
    /// One value per x label.
    pub values: Vec<i64>,
}

/// A line chart over time (or any ordered labels).
#[derive(Clone, Debug)]
pub struct LineChart {
    /// Accessible title (read by screen readers, shown on hover).
    pub title: String,
    /// The x axis labels, in order (e.g. days).
    pub labels: Vec<String>,
    /// The lines.
    pub series: Vec<Series>,
}

const W: f64 = 640.0;
const H: f64 = 260.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 34.0;
const PALETTE: [&str; 6] = [
    "#1d4e89", "#d4351c", "#00703c", "#f47738", "#5694ca", "#912b88",
];

/// A "nice" upper bound for the y axis (1, 2 or 5 times a power of ten).
fn nice_max(max: i64) -> i64 {
    let max = max.max(1);
    let mut step = 1;
    loop {
        for factor in [1, 2, 5] {
            if step * factor >= max {
                return step * factor;
            }
        }
        step *= 10;
    }
}

impl LineChart {
    /// The chart as a standalone `<svg>` element (scales to its container's width).
    pub fn svg(&self) -> String {
        let max = nice_max(
            self.series
                .iter()
                .flat_map(|s| s.values.iter().copied())
                .max()
                .unwrap_or(0),
        );
        let plot_w = W - LEFT - RIGHT;
        let plot_h = H - TOP - BOTTOM;
        let n = self.labels.len().max(1);
        let x_at = |i: usize| {
            if n == 1 {
                LEFT + plot_w / 2.0
            } else {
                LEFT + plot_w * i as f64 / (n - 1) as f64
            }
        };
        let y_at = |v: i64| TOP + plot_h - plot_h * v as f64 / max as f64;
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{t}\" class=\"chart\" font-family=\"sans-serif\" font-size=\"11\"><title>{t}</title>",
            t = xml_escape(&self.title)
        );
        for tick in 0..=4 {
            let value = max * tick / 4;
            let y = y_at(value);
            let _ = write!(
                out,
                "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{x2}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"end\" fill=\"#505a5f\">{value}</text>",
                x2 = W - RIGHT,
                tx = LEFT - 4.0,
                ty = y + 4.0
            );
        }
        let every = (n / 8).max(1);
        for (i, label) in self.labels.iter().enumerate() {
            if i.is_multiple_of(every) || i + 1 == n {
                let _ = write!(
                    out,
                    "<text x=\"{x:.1}\" y=\"{y}\" text-anchor=\"middle\" fill=\"#505a5f\">{l}</text>",
                    x = x_at(i),
                    y = H - BOTTOM + 16.0,
                    l = xml_escape(label)
                );
            }
        }
        for (k, series) in self.series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let points: Vec<String> = series
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| format!("{:.1},{:.1}", x_at(i), y_at(*v)))
                .collect();
            let _ = write!(
                out,
                "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"><title>{}</title></polyline>",
                points.join(" "),
                xml_escape(&series.name)
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
    fn a_chart_scales_to_a_nice_maximum_and_escapes_text() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(120), 200);
        let chart = LineChart {
            title: "Lượt quét <QR>".to_owned(),
            labels: vec!["01-11".to_owned(), "02-11".to_owned()],
            series: vec![Series {
                name: "Nhà văn hóa & sân".to_owned(),
                values: vec![3, 7],
            }],
        };
        let svg = chart.svg();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Lượt quét &lt;QR&gt;") && svg.contains("&amp; sân"));
        assert!(svg.contains("<polyline"));
    }

    #[test]
    fn characters_xml_forbids_never_reach_the_svg() {
        let chart = LineChart {
            title: "Thôn\u{b}Đông\u{0}\u{FFFF}".to_owned(),
            labels: vec!["\u{1b}[31m".to_owned()],
            series: vec![Series {
                name: "a\u{c}b".to_owned(),
                values: vec![1],
            }],
        };
        let svg = chart.svg();
        assert!(
            svg.chars().all(langso_domain::public_text::xml_allowed),
            "{svg:?}"
        );
        assert!(svg.contains("Thôn Đông \u{FFFD}") && svg.contains("a b"));
    }
}
