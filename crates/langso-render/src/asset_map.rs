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

/// A village's name placed on the map, at the middle of its assets.
#[derive(Clone, Debug)]
pub struct MapPlace {
    /// Latitude (WGS84).
    pub latitude: f64,
    /// Longitude (WGS84).
    pub longitude: f64,
    /// The name shown.
    pub name: String,
}

/// At most this many place names are written: past it (a district's map) they would cover
/// the points, and the list beside the map names the villages anyway.
pub const MAX_PLACES: usize = 60;

/// The marker of a status, so statuses are told apart by shape as well as colour (for
/// colour-blind readers and black-and-white prints): `ok` a circle, `fault` a triangle,
/// `offline` a square, `down` a diamond, `broken` a cross, anything else a downward triangle.
/// `attrs` are written into the element (class, fill); `title` inside it.
fn marker(status: &str, x: f64, y: f64, r: f64, attrs: &str, title: &str) -> String {
    let d = match status {
        "ok" => {
            return format!(
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\" {attrs}>{title}</circle>"
            );
        }
        "fault" => format!(
            "M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z",
            x,
            y - r * 1.2,
            x + r * 1.1,
            y + r * 0.8,
            x - r * 1.1,
            y + r * 0.8
        ),
        "offline" => format!(
            "M{:.1} {:.1}h{:.1}v{:.1}h-{:.1}Z",
            x - r,
            y - r,
            2.0 * r,
            2.0 * r,
            2.0 * r
        ),
        "down" => format!(
            "M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z",
            x,
            y - r * 1.3,
            x + r * 1.3,
            y,
            x,
            y + r * 1.3,
            x - r * 1.3,
            y
        ),
        "broken" => {
            let (a, b) = (r * 0.45, r * 1.2);
            format!(
                "M{:.1} {:.1}h{:.1}v{:.1}h{:.1}v{:.1}h-{:.1}v{:.1}h-{:.1}v-{:.1}h-{:.1}v-{:.1}h{:.1}Z",
                x - a,
                y - b,
                2.0 * a,
                b - a,
                b - a,
                2.0 * a,
                b - a,
                b - a,
                2.0 * a,
                b - a,
                b - a,
                2.0 * a,
                b - a
            )
        }
        _ => format!(
            "M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z",
            x,
            y + r * 1.2,
            x + r * 1.1,
            y - r * 0.8,
            x - r * 1.1,
            y - r * 0.8
        ),
    };
    format!("<path d=\"{d}\" {attrs}>{title}</path>")
}

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
    asset_map_linked("", points, &[], width, height, legend, &[])
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
    places: &[MapPlace],
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
        let at = |lat: f64, lon: f64| {
            (
                margin + (lon - lon0) * shrink * scale,
                h - margin - legend_h - (lat - lat0) * scale,
            )
        };
        for (i, p) in points.iter().enumerate() {
            let (x, y) = at(p.latitude, p.longitude);
            let link = links.get(i).filter(|l| !l.is_empty());
            if let Some(link) = link {
                svg.push_str(&format!("<a href=\"{}\">", xml_escape(link)));
            }
            let title = format!("<title>{}</title>", xml_escape(&p.label));
            let attrs = if !links.is_empty() && STYLED.contains(&p.status.as_str()) {
                format!("class=\"pt s-{}\"", p.status)
            } else {
                format!(
                    "fill=\"{}\" class=\"pt s-{}\"",
                    status_colour(&p.status),
                    xml_escape(&p.status)
                )
            };
            svg.push_str(&marker(&p.status, x, y, 3.5, &attrs, &title));
            if link.is_some() {
                svg.push_str("</a>");
            }
        }
        // Names over the points, with a pale outline so they read on any dot.
        if places.len() <= MAX_PLACES {
            for place in places {
                let (x, y) = at(place.latitude, place.longitude);
                svg.push_str(&format!(
                    "<text x=\"{x:.0}\" y=\"{:.0}\" text-anchor=\"middle\" font-size=\"11\" font-family=\"sans-serif\" fill=\"#222\" stroke=\"#f7f7f2\" stroke-width=\"3\" paint-order=\"stroke\" class=\"place\">{}</text>",
                    (y - 7.0).max(12.0),
                    xml_escape(&place.name)
                ));
            }
        }
    }
    let mut x = margin;
    for (status, label) in legend {
        let attrs = format!("class=\"key\" fill=\"{}\"", status_colour(status));
        svg.push_str(&marker(status, x + 5.0, h - 10.0, 5.0, &attrs, ""));
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" font-family=\"sans-serif\">{}</text>",
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
            &[],
        );
        assert!(svg.contains("<a href=\"/assets/A\"><circle"));
        assert_eq!(svg.matches("<a href").count(), 1);
        assert!(svg.contains("role=\"group\" aria-label=\"Bản đồ\""));
        assert!(
            !svg.contains("fill=\"#1a9850\" class"),
            "ok dots are coloured by the page"
        );
        assert!(svg.contains("fill=\"#8c8c8c\" class=\"pt s-strange\""));
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
        assert_eq!(svg.matches("class=\"pt s-offline\"").count(), 1);
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

    #[test]
    fn statuses_differ_in_shape_and_villages_are_named() {
        let point = |lat: f64, status: &str| MapPoint {
            latitude: lat,
            longitude: 105.6 + lat / 10.0,
            label: status.into(),
            status: status.into(),
        };
        let points: Vec<MapPoint> = STYLED
            .iter()
            .enumerate()
            .map(|(i, s)| point(21.0 + i as f64 / 100.0, s))
            .collect();
        let legend: Vec<(&str, &str)> = STYLED.iter().map(|s| (*s, *s)).collect();
        let places = [MapPlace {
            latitude: 21.02,
            longitude: 107.702,
            name: "Thôn Hạ Mỗ & Đông".into(),
        }];
        let svg = asset_map_linked("", &points, &[], 720, 480, &legend, &places);
        // Six statuses, six different markers: one circle, five distinct paths.
        let shapes: std::collections::BTreeSet<String> = svg
            .split("<path d=\"")
            .skip(1)
            .filter(|p| p.contains("class=\"pt "))
            .map(|p| {
                p.split('"')
                    .next()
                    .unwrap_or("")
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .collect()
            })
            .collect();
        assert_eq!(svg.matches("<circle").count(), 2, "ok and its legend key");
        assert!(shapes.len() >= 4, "{shapes:?}");
        assert_eq!(svg.matches("class=\"key\"").count(), 6);
        assert!(svg.contains("Thôn Hạ Mỗ &amp; Đông</text>"));
        let many = vec![places[0].clone(); MAX_PLACES + 1];
        let crowded = asset_map_linked("", &points, &[], 720, 480, &legend, &many);
        assert!(!crowded.contains("class=\"place\""));
    }
}
