//! Scan analytics of a unit's QR placements: charts drawn on the server (SVG), the most
//! scanned placements and those nobody scanned for 30 days. Also the officers' history of a
//! procedure's guide versions.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use langso_app::procedures::{self as actions, PlacementStats, ProcedureVersion, SeriesStats};
use langso_domain::units::Unit;
use langso_render::chart::{LineChart, Series};
use serde::Deserialize;

use super::qr::chosen_unit;
use super::{Chrome, render};
use crate::AppState;
use crate::auth::Authenticated;
use crate::html::PageError;
use crate::messages::Lang;

/// Lines drawn per chart (the rest are in the tables).
const MAX_LINES: usize = 6;

#[derive(Template)]
#[template(path = "qr_analytics.html")]
struct AnalyticsPage {
    chrome: Chrome,
    unit: Unit,
    days: i64,
    total: i64,
    with_qr: i64,
    procedure_chart: String,
    unit_chart: String,
    top: Vec<PlacementStats>,
    silent: Vec<PlacementStats>,
}

#[derive(Template)]
#[template(path = "procedure_history.html")]
struct HistoryPage {
    chrome: Chrome,
    code: String,
    versions: Vec<ProcedureVersion>,
    publish: bool,
}

#[derive(Deserialize)]
pub(super) struct AnalyticsQuery {
    unit: Option<String>,
    days: Option<i64>,
}

fn chart(title: &str, labels: &[String], lines: &[SeriesStats]) -> String {
    LineChart {
        title: title.to_owned(),
        labels: labels.to_vec(),
        series: lines
            .iter()
            .take(MAX_LINES)
            .map(|s| Series {
                name: format!("{} ({})", s.name, s.total),
                values: s.daily.clone(),
            })
            .collect(),
    }
    .svg()
}

pub(super) async fn analytics(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<AnalyticsQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let fail = |error| PageError { error, lang };
    let unit = chosen_unit(&state, &actor, query.unit.as_deref(), lang).await?;
    let days = query.days.unwrap_or(30).clamp(1, 366);
    let a = actions::scan_analytics(&state.db, &actor, unit.id, days)
        .await
        .map_err(fail)?;
    let with_qr = actions::procedures_with_qr(&state.db, &actor, unit.id)
        .await
        .map_err(fail)?;
    let format = time::macros::format_description!("[day]/[month]");
    let labels: Vec<String> = a
        .days
        .iter()
        .map(|d| d.format(format).unwrap_or_default())
        .collect();
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    let procedure_chart = chart(chrome.t("qr-chart-procedures"), &labels, &a.procedures);
    let unit_chart = chart(chrome.t("qr-chart-units"), &labels, &a.units);
    let top = a.placements.iter().take(10).cloned().collect();
    Ok(render(&AnalyticsPage {
        chrome,
        unit,
        days,
        total: a.total,
        with_qr,
        procedure_chart,
        unit_chart,
        top,
        silent: a.silent,
    }))
}

pub(super) async fn history(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let versions = actions::history(&state.db, &actor, &code)
        .await
        .map_err(|error| PageError { error, lang })?;
    let publish = actions::may_publish(&state.db, &actor).await.is_ok();
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    Ok(render(&HistoryPage {
        chrome,
        code,
        versions,
        publish,
    }))
}
