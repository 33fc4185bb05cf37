//! A map of villages drawn as SVG from their coordinates: one dot per village coloured by its
//! status, with a legend. No tiles and no script, so it works offline and prints.

use std::fmt::Write as _;

use crate::xml_escape;

/// One village on the map.
#[derive(Clone, Debug)]
pub struct MapPoint {
    /// Its name (shown on hover).
    pub label: String,
    /// Latitude (WGS84).
    pub latitude: f64,
    /// Longitude (WGS84).
    pub longitude: f64,
    /// Fill colour (`#00703c`).
    pub colour: String,
    /// Where a click on the dot leads (the village's evaluation page), if anywhere.
    pub href: Option<String>,
}

/// A legend entry: colour and text.
#[derive(Clone, Debug)]
pub struct LegendEntry {
    /// Fill colour.
    pub colour: String,
    /// Its meaning, with a count ("Đã công nhận (101)").
    pub text: String,
}

/// A dot map.
#[derive(Clone, Debug)]
pub struct DotMap {
    /// Accessible title.
    pub title: String,
    /// The villages.
    pub points: Vec<MapPoint>,
    /// What the colours mean.
    pub legend: Vec<LegendEntry>,
}

const W: f64 = 640.0;
const MAP_H: f64 = 400.0;
const PAD: f64 = 16.0;

impl DotMap {
    /// The map as a standalone `<svg>` element. Longitude is scaled by the cosine of the mean
    /// latitude, so distances look right at Vietnam's latitudes.
    pub fn svg(&self) -> String {
        let legend_h = 20.0 * self.legend.len() as f64 + 8.0;
        let h = MAP_H + legend_h;
        let mut out = String::new();
        // A map of links is a group of links, not an image: an image may not hold anything to
        // click (WCAG 4.1.2).
        let role = if self.points.iter().any(|p| p.href.is_some()) {
            "group"
        } else {
            "img"
        };
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {h}\" role=\"{role}\" aria-label=\"{t}\" class=\"map\" font-family=\"sans-serif\" font-size=\"11\"><title>{t}</title><rect x=\"0\" y=\"0\" width=\"{W}\" height=\"{MAP_H}\" fill=\"#f3f2f1\"/>",
            t = xml_escape(&self.title)
        );
        if !self.points.is_empty() {
            let (mut lat0, mut lat1, mut lon0, mut lon1) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
            for p in &self.points {
                lat0 = lat0.min(p.latitude);
                lat1 = lat1.max(p.latitude);
                lon0 = lon0.min(p.longitude);
                lon1 = lon1.max(p.longitude);
            }
            let k = ((lat0 + lat1) / 2.0).to_radians().cos();
            let span_x = ((lon1 - lon0) * k).max(1e-6);
            let span_y = (lat1 - lat0).max(1e-6);
            let scale = ((W - 2.0 * PAD) / span_x).min((MAP_H - 2.0 * PAD) / span_y);
            let off_x = (W - span_x * scale) / 2.0;
            let off_y = (MAP_H - span_y * scale) / 2.0;
            for p in &self.points {
                let x = off_x + (p.longitude - lon0) * k * scale;
                let y = off_y + (lat1 - p.latitude) * scale;
                if let Some(href) = &p.href {
                    let _ = write!(out, "<a href=\"{}\">", xml_escape(href));
                }
                let _ = write!(
                    out,
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{c}\" stroke=\"#fff\"><title>{l}</title></circle>",
                    c = xml_escape(&p.colour),
                    l = xml_escape(&p.label)
                );
                if p.href.is_some() {
                    out.push_str("</a>");
                }
            }
        }
        for (i, entry) in self.legend.iter().enumerate() {
            let y = MAP_H + 14.0 + 20.0 * i as f64;
            let _ = write!(
                out,
                "<circle cx=\"12\" cy=\"{cy:.1}\" r=\"6\" fill=\"{c}\"/><text x=\"24\" y=\"{ty:.1}\" fill=\"#0b0c0c\">{t}</text>",
                cy = y,
                ty = y + 4.0,
                c = xml_escape(&entry.colour),
                t = xml_escape(&entry.text)
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
    fn points_fit_the_frame_north_up() {
        let point = |label: &str, latitude, longitude| MapPoint {
            label: label.into(),
            latitude,
            longitude,
            colour: "#00703c".into(),
            href: None,
        };
        let map = DotMap {
            title: "Bản đồ".into(),
            points: vec![point("Bắc", 21.10, 105.60), point("Nam", 21.00, 105.70)],
            legend: vec![LegendEntry {
                colour: "#00703c".into(),
                text: "Đã công nhận (2)".into(),
            }],
        };
        let svg = map.svg();
        let cy: Vec<f64> = svg
            .split("cy=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().parse().unwrap())
            .collect();
        assert!(cy[0] < cy[1], "north is up: {cy:?}");
        assert!(
            cy.iter()
                .take(2)
                .all(|y| (PAD - 0.1..=MAP_H - PAD + 0.1).contains(y))
        );
        assert!(svg.contains("Đã công nhận (2)"));
    }
}
