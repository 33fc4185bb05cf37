//! The dashboard domain for officers: the programme's headline figures, charts and the
//! village map drawn on the server as SVG (no script), an "as of" date that shows the tree of
//! that day, the villages of a commune with their status, and links to the monthly report in
//! Excel and PDF.

mod charts;
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
    // One evaluation serves the map (every village under the unit) and the list.
    let evaluated = langso_app::criteria::evaluate_under(db, actor, unit, date)
        .await
        .map_err(&fail)?;
    let map_svg = charts::map(&page.chrome, &evaluated, d.as_of);
    let level = langso_app::units::get(db, unit)
        .await
        .map_err(&fail)?
        .kind
        .level();
    let mut villages = Vec::new();
    if matches!(level, Level::Commune | Level::Village) {
        villages.extend(evaluated.into_iter().map(|v| VillageRow {
            id: v.unit_id.to_string(),
            name: crate::html::unit_label(page.lang, &v.label),
            status: v.status.as_str(),
        }));
    }
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
    Ok(render(&DashboardPage {
        villages,
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
