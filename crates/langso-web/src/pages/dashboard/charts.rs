//! The dashboard's charts and village map drawn on the server as SVG (no script), worded in
//! the reader's language: titles, series and statuses from the catalogue, numbers and months
//! in the page's conventions. Names of units and indicators are data, as entered.

use langso_app::criteria::VillageEvaluation;
use langso_app::dashboard::Dashboard;
use langso_domain::criteria::VillageStatus;
use langso_render::bars::{Bar, BarChart};
use langso_render::chart::{LineChart, Series};
use langso_render::map::{DotMap, LegendEntry, MapPoint};
use time::Date;

use crate::html::Chrome;
use crate::messages::{self, Lang};

/// `2024-12` as `12/2024`.
pub(super) fn month(key: &str) -> String {
    match key.split_once('-') {
        Some((year, month)) => format!("{month}/{year}"),
        None => key.to_owned(),
    }
}

/// Households visited over time: visits per month, cumulated.
pub(super) fn months(chrome: &Chrome, d: &Dashboard) -> String {
    let mut total = 0;
    let values = d
        .months
        .iter()
        .map(|(_, visits)| {
            total += visits;
            total
        })
        .collect();
    LineChart {
        title: chrome.t("dashboard-chart-visits").to_owned(),
        labels: d.months.iter().map(|(m, _)| month(m)).collect(),
        series: vec![Series {
            name: chrome.t("dashboard-chart-visits-series").to_owned(),
            values,
        }],
    }
    .svg()
}

/// Criteria met per child unit: a village's criteria passed of those judged, a commune's
/// summed over its villages (these differ between villages where coverage and recognition
/// often do not).
pub(super) fn children(chrome: &Chrome, d: &Dashboard) -> String {
    BarChart {
        title: chrome.t("dashboard-chart-criteria").to_owned(),
        bars: d
            .children
            .iter()
            .filter(|c| c.criteria_judged > 0)
            .map(|c| Bar {
                label: crate::html::unit_label(chrome.lang, &c.label),
                value: langso_domain::locale::share(c.criteria_met, c.criteria_judged),
                text: if c.villages == 1 {
                    format!(
                        "{}/{}",
                        chrome.count(c.criteria_met),
                        chrome.count(c.criteria_judged)
                    )
                } else {
                    chrome.percent(c.criteria_met, c.criteria_judged)
                },
            })
            .collect(),
        max: Some(1.0),
    }
    .svg()
}

/// Each indicator counted as a share under the unit, named in the reader's language, with
/// its denominator; counts (smartphones) are averages and are not drawn as shares.
pub(super) fn indicators(chrome: &Chrome, d: &Dashboard) -> String {
    BarChart {
        title: chrome.t("dashboard-chart-indicators").to_owned(),
        bars: d
            .indicators
            .iter()
            .filter(|s| !s.average)
            .map(|s| Bar {
                label: match chrome.lang {
                    Lang::En if !s.label_en.is_empty() => s.label_en.clone(),
                    _ => s.label_vi.clone(),
                },
                value: s.share,
                text: format!(
                    "{} ({})",
                    chrome.percent(s.part, s.whole),
                    chrome.tk("dashboard-basis", s.basis.as_str())
                ),
            })
            .collect(),
        max: Some(1.0),
    }
    .svg()
}

/// The villages as dots coloured by status, from their coordinates, each linking to its
/// evaluation page.
pub(super) fn map(chrome: &Chrome, villages: &[VillageEvaluation], date: Date) -> String {
    let status = |status: VillageStatus| chrome.tk("village-status", status.as_str());
    let legend = VillageStatus::ALL
        .into_iter()
        .map(|kind| {
            let n = villages.iter().filter(|v| v.status == kind).count();
            LegendEntry {
                colour: kind.colour().to_owned(),
                text: format!("{} ({})", status(kind), chrome.count(n)),
            }
        })
        .collect();
    let points = villages
        .iter()
        .filter_map(|v| {
            Some(MapPoint {
                label: format!(
                    "{} — {}",
                    crate::html::unit_label(chrome.lang, &v.label),
                    status(v.status)
                ),
                latitude: v.latitude?,
                longitude: v.longitude?,
                colour: v.status.colour().to_owned(),
                href: Some(format!("/villages/{}", v.unit_id)),
            })
        })
        .collect();
    DotMap {
        title: messages::render(
            chrome.lang,
            "dashboard-map-title",
            &[("day", chrome.day(date))],
        ),
        points,
        legend,
    }
    .svg()
}
