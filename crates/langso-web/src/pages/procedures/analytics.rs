//! Scan analytics of a unit's QR placements: charts drawn on the server (SVG), the most
//! scanned placements and those nobody scanned for 30 days.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use langso_app::procedures::{self as actions, PlacementStats, SeriesStats};
use langso_domain::units::Unit;
use langso_render::chart::{LineChart, Series};
use serde::Deserialize;

use super::names;
use crate::AppState;
use crate::html::{Chrome, Page, PageError, render};

/// Lines drawn per chart (the rest are in the tables).
const MAX_LINES: usize = 6;

/// The periods offered, in days.
const PERIODS: [i64; 4] = [7, 30, 90, 365];

#[derive(Template)]
#[template(path = "qr_analytics.html")]
struct AnalyticsPage {
    chrome: Chrome,
    unit: Unit,
    days: i64,
    periods: [i64; 4],
    total: i64,
    with_qr: i64,
    procedure_chart: String,
    unit_chart: String,
    top: Vec<PlacementStats>,
    silent: Vec<PlacementStats>,
    /// (code, name) of every procedure with a guide, each linking to its versions.
    procedures: Vec<(String, String)>,
}

#[derive(Deserialize)]
pub(super) struct AnalyticsQuery {
    unit: Option<String>,
    days: Option<i64>,
}

/// A line chart of `lines`, each named by `name` (a procedure's name in the reader's language,
/// a unit's name as entered) with its total.
fn chart(
    chrome: &Chrome,
    title: &str,
    labels: &[String],
    lines: &[SeriesStats],
    name: impl Fn(&SeriesStats) -> String,
) -> String {
    LineChart {
        title: title.to_owned(),
        labels: labels.to_vec(),
        series: lines
            .iter()
            .take(MAX_LINES)
            .map(|s| Series {
                name: format!("{} ({})", name(s), chrome.count(s.total)),
                values: s.daily.clone(),
            })
            .collect(),
    }
    .svg()
}

/// `GET /qr/analytics?unit=&days=`.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<AnalyticsQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    let days = query.days.unwrap_or(30).clamp(1, 366);
    let a = actions::scan_analytics(&state.db, &page.actor, unit.id, days)
        .await
        .map_err(page.failing())?;
    let with_qr = actions::procedures_with_qr(&state.db, &page.actor, unit.id)
        .await
        .map_err(page.failing())?;
    let names: HashMap<String, String> = names(&state, &page).await?;
    let format = time::macros::format_description!("[day]/[month]");
    let labels: Vec<String> = a
        .days
        .iter()
        .map(|d| d.format(format).unwrap_or_default())
        .collect();
    let chrome = page.chrome;
    let procedure_chart = chart(
        &chrome,
        chrome.t("qr-chart-procedures"),
        &labels,
        &a.procedures,
        |s| names.get(&s.key).cloned().unwrap_or_else(|| s.name.clone()),
    );
    let unit_chart = chart(
        &chrome,
        chrome.t("qr-chart-units"),
        &labels,
        &a.units,
        |s| s.name.clone(),
    );
    let top = a.placements.iter().take(10).cloned().collect();
    let mut procedures: Vec<(String, String)> = names
        .iter()
        .map(|(code, name)| (code.clone(), name.clone()))
        .collect();
    langso_domain::locale::sort_by_name(&mut procedures, |(_, name)| name);
    Ok(render(&AnalyticsPage {
        chrome,
        unit,
        days,
        periods: PERIODS,
        total: a.total,
        with_qr,
        procedure_chart,
        unit_chart,
        top,
        silent: a.silent,
        procedures,
    }))
}
