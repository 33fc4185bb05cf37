//! The dashboard domain for officers: the programme's headline figures, charts and the
//! village map drawn on the server as SVG (no script), an "as of" date that shows the tree of
//! that day, the villages of a commune with their status, and links to the monthly report in
//! Excel and PDF.

mod charts;
mod figures;
mod plans;
mod report_form;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use langso_app::dashboard::{self as actions, Dashboard};
use langso_app::{AppError, CellError, today};
use langso_domain::units::{Level, parse_date};
use serde::Deserialize;
use time::Date;

use crate::html::{Chrome, Page, PageError, Routes, render};
use crate::{AppState, messages};

/// The dashboard screen.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/dashboard", show)
        .get("/plans", plans::index)
        .post("/plans", plans::create)
        .get("/plans/{id}", plans::show)
        .post("/plans/{id}/targets", plans::set_target)
        .merge(report_form::routes())
}

/// `?unit=<id or code>&date=YYYY-MM-DD`.
#[derive(Deserialize)]
struct DashboardQuery {
    unit: Option<String>,
    date: Option<String>,
}

/// A village of the commune shown: its id, its name and its status code.
struct VillageRow {
    /// Recognised, but no longer meeting its criteria.
    flagged: bool,
    id: String,
    name: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    d: Dashboard,
    unit_param: String,
    /// The month of the day shown, as the report links take it (`2024-12`).
    month: String,
    /// What the "as of" note says, in the reader's language.
    as_of: AsOf,
    /// "Visits to the end of 12/2024".
    visits_to_month: String,
    months_svg: String,
    children_svg: String,
    indicators_svg: String,
    map_svg: String,
    /// The villages of a commune (or the village itself) with their status, each linking to
    /// its evaluation page; empty above the commune, where the map's dots link instead.
    villages: Vec<VillageRow>,
    /// Each indicator now, with its denominator, trend, target and gap.
    indicator_rows: Vec<figures::IndicatorRow>,
    /// The month the trend starts, as shown (`04/2024`).
    trend_from: String,
    /// Recognised villages that no longer meet their criteria: (id, name, "met 9 of 13").
    flagged: Vec<(String, String, String)>,
    /// Work orders against their service levels, for readers of the unit's work orders.
    service: Option<ServiceBlock>,
}

/// The dashboard's service-level block: orders overdue now (linking to their list) and, per
/// commune, the share of the month's due orders fixed on time.
struct ServiceBlock {
    overdue: String,
    communes: Vec<langso_app::faults::levels::OnTime>,
}

/// The block, or nothing for a reader who may not read the unit's work orders.
async fn service_block(
    db: &langso_app::Db,
    page: &Page,
    unit: uuid::Uuid,
    date: Date,
) -> Option<ServiceBlock> {
    use langso_app::faults::levels;
    let overdue = levels::overdue_count(db, &page.actor, unit).await.ok()?;
    let communes = levels::on_time_by_commune(db, &page.actor, unit, date)
        .await
        .ok()?;
    Some(ServiceBlock {
        overdue: messages::render(
            page.lang,
            "orders-overdue-count",
            &[("count", page.chrome.count(overdue))],
        ),
        communes,
    })
}

/// The "as of" note: all current, or what is of that day and what is current.
enum AsOf {
    Today(String),
    Then {
        of_that_day: String,
        current: String,
    },
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let (db, actor, fail) = (&state.db, &page.actor, page.failing());
    let date: Date = match query
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        Some(text) => parse_date(text).map_err(|_| {
            let refused = CellError::keyed(0, "date", "dashboard-date-invalid", &[]);
            page.fail(AppError::Invalid(vec![refused]))
        })?,
        None => today(),
    };
    let unit = match query.unit.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(text) => langso_app::units::resolve(db, Some(text), date)
            .await
            .map_err(&fail)?,
        None => actor
            .grants
            .first()
            .map(|g| g.unit_id)
            .ok_or_else(|| page.fail(AppError::Forbidden))?,
    };
    let d = actions::dashboard(db, actor, unit, date)
        .await
        .map_err(&fail)?;
    // The dashboard's one evaluation serves the map (every village under the unit) and the list.
    let mut d = d;
    let evaluated = std::mem::take(&mut d.evaluations);
    let map_svg = charts::map(&page.chrome, &evaluated, d.as_of);
    let level = langso_app::units::get(db, unit)
        .await
        .map_err(&fail)?
        .kind
        .level();
    let mut villages = Vec::new();
    if matches!(level, Level::Commune | Level::Village) {
        villages.extend(evaluated.into_iter().map(|v| VillageRow {
            flagged: d.flagged.iter().any(|f| f.unit_id == v.unit_id),
            id: v.unit_id.to_string(),
            name: crate::html::unit_label(page.lang, &v.label),
            status: v.status.as_str(),
        }));
    }
    let flagged = d
        .flagged
        .iter()
        .map(|f| {
            (
                f.unit_id.to_string(),
                crate::html::unit_label(page.lang, &f.label),
                messages::render(
                    page.lang,
                    "dashboard-criteria-met",
                    &[("met", f.met.to_string()), ("judged", f.judged.to_string())],
                ),
            )
        })
        .collect();
    langso_domain::locale::sort_by_name(&mut villages, |v| v.name.as_str());
    let lang = page.lang;
    let month = format!("{:04}-{:02}", date.year(), u8::from(date.month()));
    let month_shown = charts::month(&month);
    let day = page.chrome.day(d.as_of);
    let as_of = if d.counters_as_of {
        AsOf::Today(messages::render(lang, "dashboard-now", &[("day", day)]))
    } else {
        AsOf::Then {
            of_that_day: messages::render(
                lang,
                "dashboard-then",
                &[("day", day), ("month", month_shown.clone())],
            ),
            current: messages::render(
                lang,
                "dashboard-current",
                &[("day", page.chrome.day(today()))],
            ),
        }
    };
    let service = service_block(db, &page, unit, date).await;
    Ok(render(&DashboardPage {
        indicator_rows: figures::indicator_rows(&page.chrome, &d),
        trend_from: d
            .indicators
            .first()
            .and_then(|s| s.trend.first())
            .map(|m| charts::month(&m.month))
            .unwrap_or_default(),
        flagged,
        villages,
        service,
        chrome: page.chrome.clone(),
        unit_param: unit.to_string(),
        month,
        as_of,
        visits_to_month: messages::render(lang, "dashboard-visits-to", &[("month", month_shown)]),
        months_svg: charts::months(&page.chrome, &d),
        children_svg: charts::children(&page.chrome, &d),
        indicators_svg: charts::indicators(&page.chrome, &d),
        map_svg,
        d,
    }))
}
