//! The programme dashboard page: headline figures, charts and the village map drawn on the
//! server as SVG (no script), an "as of" date that shows the tree of that day, and links to
//! the monthly report in Excel and PDF.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use langso_app::dashboard::{self as actions, Dashboard};
use langso_app::{AppError, today};
use langso_domain::units::parse_date;
use serde::Deserialize;
use time::Date;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::Authenticated;
use crate::html::PageError;
use crate::messages::Lang;

/// `?unit=<id or code>&date=YYYY-MM-DD`.
#[derive(Deserialize)]
pub(super) struct DashboardQuery {
    unit: Option<String>,
    date: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    d: Dashboard,
    unit_param: String,
    month: String,
    months_svg: String,
    children_svg: String,
    indicators_svg: String,
    map_svg: String,
    /// The villages of a commune (or the village itself) with their status, each linking to
    /// its evaluation page; empty above the commune, where the map's dots link instead.
    villages: Vec<(String, String, &'static str)>,
    /// Today, for the "current figures" note when the page is as of another day.
    today: Date,
}

pub(super) async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let fail = |error| PageError { error, lang };
    let date: Date = match query.date.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(text) => parse_date(text).map_err(|e| fail(AppError::refused(e.to_string())))?,
        None => today(),
    };
    let unit = match query.unit.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(text) => langso_app::units::resolve(&state.db, Some(text), date)
            .await
            .map_err(fail)?,
        None => actor
            .grants
            .first()
            .map(|g| g.unit_id)
            .ok_or(fail(AppError::Forbidden))?,
    };
    let d = actions::dashboard(&state.db, &actor, unit, date)
        .await
        .map_err(fail)?;
    let map_svg = actions::map_svg(&state.db, &actor, unit, date)
        .await
        .map_err(fail)?;
    let level = langso_app::units::get(&state.db, unit)
        .await
        .map_err(fail)?
        .kind
        .level();
    let villages = if matches!(
        level,
        langso_domain::units::Level::Commune | langso_domain::units::Level::Village
    ) {
        langso_app::criteria::evaluate_under(&state.db, &actor, unit, date)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|v| (v.unit_id.to_string(), v.name, v.status.as_str()))
            .collect::<Vec<_>>()
    } else {
        Vec::new()
    };
    let mut villages = villages;
    langso_domain::locale::sort_by_name(&mut villages, |(_, name, _)| name.as_str());
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    Ok(render(&DashboardPage {
        villages,
        today: today(),
        chrome,
        unit_param: unit.to_string(),
        month: format!("{:04}-{:02}", date.year(), u8::from(date.month())),
        months_svg: actions::months_chart(&d),
        children_svg: actions::children_chart(&d),
        indicators_svg: actions::indicator_chart(&d),
        map_svg,
        d,
    }))
}
