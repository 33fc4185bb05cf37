//! The dashboard's indicator table worded in the reader's language: each indicator now with
//! its denominator named (households, adults, business households), a count (smartphones) as
//! an average per household, the figure at the start of the trend, the target of the nearest
//! plan and how many more reach it; and the monthly trend of each.

use langso_app::dashboard::{Dashboard, MonthFigure, Share};

use crate::html::Chrome;
use crate::messages::{self, Lang};

/// One row of the indicator table, every cell worded.
pub(super) struct IndicatorRow {
    pub label: String,
    pub now: String,
    pub of: String,
    pub then: String,
    pub target: String,
    pub gap: String,
    /// "04/2025: 61,2 % · 05/2025: …" (the monthly trend).
    pub trend: String,
}

/// How a figure of `share` reads for a month: a percentage, or an average per household.
fn value(chrome: &Chrome, share: &Share, part: i64, whole: i64) -> String {
    if share.average {
        messages::render(
            chrome.lang,
            "dashboard-average",
            &[("value", chrome.average(part, whole))],
        )
    } else {
        chrome.percent(part, whole)
    }
}

fn month_figure(chrome: &Chrome, share: &Share, m: &MonthFigure) -> String {
    format!(
        "{}: {}",
        super::charts::month(&m.month),
        value(chrome, share, m.part, m.whole)
    )
}

/// The indicator table of the dashboard.
pub(super) fn indicator_rows(chrome: &Chrome, d: &Dashboard) -> Vec<IndicatorRow> {
    let lang = chrome.lang;
    d.indicators
        .iter()
        .map(|s| {
            let of = messages::render(
                lang,
                &format!("dashboard-of-{}", s.basis.as_str()),
                &[
                    ("part", chrome.count(s.part)),
                    ("whole", chrome.count(s.whole)),
                ],
            );
            let then = s
                .trend
                .first()
                .map(|m| month_figure(chrome, s, m))
                .unwrap_or_default();
            let (target, gap) = match &s.target {
                None => (chrome.t("dashboard-no-target").to_owned(), String::new()),
                Some(t) => {
                    let goal = if s.average {
                        messages::render(
                            lang,
                            "dashboard-average",
                            &[(
                                "value",
                                langso_domain::locale::decimal(t.value, 1, lang.number_style()),
                            )],
                        )
                    } else {
                        let tenths = (t.value * 1000.0).round() as i64;
                        chrome.percent(tenths, 1000)
                    };
                    let target = messages::render(
                        lang,
                        "dashboard-target-of",
                        &[
                            ("goal", goal),
                            ("year", t.year.to_string()),
                            ("plan", t.plan.clone()),
                        ],
                    );
                    let gap = if t.needed == 0 {
                        chrome.t("dashboard-target-reached").to_owned()
                    } else {
                        messages::render(
                            lang,
                            &format!("dashboard-needed-{}", needed_basis(s)),
                            &[("n", chrome.count(t.needed))],
                        )
                    };
                    (target, gap)
                }
            };
            IndicatorRow {
                label: match lang {
                    Lang::En if !s.label_en.is_empty() => s.label_en.clone(),
                    _ => s.label_vi.clone(),
                },
                now: value(chrome, s, s.part, s.whole),
                of,
                then,
                target,
                gap,
                trend: s
                    .trend
                    .iter()
                    .map(|m| month_figure(chrome, s, m))
                    .collect::<Vec<_>>()
                    .join(" · "),
            }
        })
        .collect()
}

/// What the gap counts: smartphones for a count, else the indicator's denominator.
fn needed_basis(s: &Share) -> &'static str {
    if s.average { "count" } else { s.basis.as_str() }
}
