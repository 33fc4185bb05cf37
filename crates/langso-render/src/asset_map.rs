//! An SVG map of points (assets) coloured by status: drawn on the server, so it prints and
//! works offline (no tiles, no script). Points are placed by an equirectangular projection of
//! their bounding box, which is exact enough at village scale.

use crate::xml_escape;

/// One point on the map.
#[derive(Clone, Debug)]
pub struct MapPoint {
    /// Latitude (WGS84).
    pub latitude: f64,
    /// Longitude (WGS84).
    pub longitude: f64,
    /// Shown on hover (`<title>`).
    pub label: String,
    /// A status class: `ok`, `fault`, `offline`, `down`, `broken` or `unknown`.
    pub status: String,
}

/// The statuses the pages' stylesheet colours (`svg .s-ok { fill: … }`, same colours as
/// [`status_colour`]).
pub const STYLED: [&str; 6] = ["ok", "fault", "offline", "down", "broken", "unknown"];

/// The colour of a status (colour-blind-safe pairs, with the legend naming them).
pub fn status_colour(status: &str) -> &'static str {
    match status {
        "ok" => "#1a9850",
        "fault" => "#f58518",
        "offline" | "down" => "#d62728",
        "broken" => "#7b3294",
        _ => "#8c8c8c",
    }
}

/// Draws the points in a `width` × `height` SVG with a legend of `legend` (status, label).
pub fn asset_map(points: &[MapPoint], width: u32, height: u32, legend: &[(&str, &str)]) -> String {
    asset_map_linked("", points, &[], width, height, legend)
}

/// [`asset_map`] with each point a link: `links[i]` is the address of `points[i]` (none when
/// missing or empty), so an officer goes from a dot on the map to the asset's page.
///
/// When `links` is not empty the map is for a page, which may hold thousands of points: dots
/// of the known statuses then carry only their `s-<status>` class (the page's stylesheet
/// colours them, as an inline style would be refused by the pages' CSP) and whole-pixel
/// positions, a quarter fewer bytes per point.
///
/// `title` names the map for screen readers. A map of links is a group of links (`role=
/// "group"`), not an image: an image may not hold anything to click.
pub fn asset_map_linked(
    title: &str,
    points: &[MapPoint],
    links: &[String],
    width: u32,
    height: u32,
    legend: &[(&str, &str)],
) -> String {
    let (w, h) = (f64::from(width), f64::from(height));
    let margin = 12.0;
    let legend_h = 22.0;
    let role = if links.iter().any(|l| !l.is_empty()) {
        "group"
    } else {
        "img"
    };
    let title = xml_escape(title);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"{role}\" aria-label=\"{title}\"><title>{title}</title>\
         <rect width=\"{width}\" height=\"{height}\" fill=\"#f7f7f2\" stroke=\"#ccc\"/>"
    );
    if !points.is_empty() {
        let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in points {
            lat0 = lat0.min(p.latitude);
            lat1 = lat1.max(p.latitude);
            lon0 = lon0.min(p.longitude);
            lon1 = lon1.max(p.longitude);
        }
        let shrink = lat0.to_radians().cos().max(0.1);
        let span_x = ((lon1 - lon0) * shrink).max(1e-6);
        let span_y = (lat1 - lat0).max(1e-6);
        let scale = ((w - 2.0 * margin) / span_x).min((h - 2.0 * margin - legend_h) / span_y);
        for (i, p) in points.iter().enumerate() {
            let x = margin + (p.longitude - lon0) * shrink * scale;
            let y = h - margin - legend_h - (p.latitude - lat0) * scale;
            let link = links.get(i).filter(|l| !l.is_empty());
            if let Some(link) = link {
                svg.push_str(&format!("<a href=\"{}\">", xml_escape(link)));
            }
            if !links.is_empty() && STYLED.contains(&p.status.as_str()) {
                svg.push_str(&format!(
                    "<circle cx=\"{x:.0}\" cy=\"{y:.0}\" r=\"3.5\" class=\"s-{}\"><title>{}</title></circle>",
                    p.status,
                    xml_escape(&p.label)
                ));
            } else {
                svg.push_str(&format!(
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{}\" class=\"s-{}\"><title>{}</title></circle>",
                    status_colour(&p.status),
                    xml_escape(&p.status),
                    xml_escape(&p.label)
                ));
            }
            if link.is_some() {
                svg.push_str("</a>");
            }
        }
    }
    let mut x = margin;
    for (status, label) in legend {
        svg.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" font-family=\"sans-serif\">{}</text>",
            x + 5.0,
            h - 10.0,
            status_colour(status),
            x + 13.0,
            h - 6.0,
            xml_escape(label)
        ));
        x += 20.0 + 6.5 * label.chars().count() as f64;
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linked_points_are_links_coloured_by_class() {
        let points = vec![
            MapPoint {
                latitude: 21.1,
                longitude: 105.6,
                label: "A".into(),
                status: "ok".into(),
            },
            MapPoint {
                latitude: 21.2,
                longitude: 105.7,
                label: "B".into(),
                status: "strange".into(),
            },
        ];
        let svg = asset_map_linked(
            "Bản đồ",
            &points,
            &["/assets/A".to_owned(), String::new()],
            400,
            300,
            &[("ok", "Tốt")],
        );
        assert!(svg.contains("<a href=\"/assets/A\"><circle"));
        assert_eq!(svg.matches("<a href").count(), 1);
        assert!(svg.contains("role=\"group\" aria-label=\"Bản đồ\""));
        assert!(
            !svg.contains("fill=\"#1a9850\" class"),
            "ok dots are coloured by the page"
        );
        assert!(svg.contains("fill=\"#8c8c8c\" class=\"s-strange\""));
    }

    #[test]
    fn points_are_coloured_by_status_and_stay_inside() {
        let points = vec![
            MapPoint {
                latitude: 21.1,
                longitude: 105.6,
                label: "A & B".into(),
                status: "ok".into(),
            },
            MapPoint {
                latitude: 21.2,
                longitude: 105.7,
                label: "C".into(),
                status: "offline".into(),
            },
        ];
        let svg = asset_map(
            &points,
            400,
            300,
            &[("ok", "Tốt"), ("offline", "Mất kết nối")],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("A &amp; B"));
        assert_eq!(svg.matches("class=\"s-offline\"").count(), 1);
        assert!(svg.contains("#d62728") && svg.contains("Mất kết nối"));
        for part in svg.split("cx=\"").skip(1) {
            let x: f64 = part
                .split('"')
                .next()
                .unwrap_or("0")
                .parse()
                .unwrap_or(-1.0);
            assert!((0.0..=400.0).contains(&x));
        }
    }
}
