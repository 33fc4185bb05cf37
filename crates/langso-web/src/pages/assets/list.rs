//! A unit's assets (`/assets?unit=&kind=&status=&page=`): an SVG map of every located asset
//! coloured by status (each dot links the asset), and the list a page at a time.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use langso_app::assets::{self as actions, AssetRow};
use langso_domain::assets::AssetKind;
use langso_domain::units::Unit;
use langso_render::asset_map::{MapPoint, asset_map_linked};
use serde::Deserialize;

use crate::AppState;
use crate::html::{Chrome, Page, PageError, render};

/// Status words in legend order.
const STATUSES: [&str; 6] = ["ok", "fault", "offline", "down", "broken", "unknown"];

/// Rows per page of the list (the map shows every asset).
const PAGE_SIZE: usize = 100;

#[derive(Template)]
#[template(path = "assets.html")]
struct AssetsPage {
    chrome: Chrome,
    unit: Unit,
    kinds: Vec<&'static str>,
    statuses: Vec<&'static str>,
    kind: String,
    status: String,
    map: String,
    rows: Vec<(AssetRow, &'static str)>,
    total: usize,
    /// This page (1-based) and how many there are.
    page: usize,
    pages: usize,
    /// The query of this list without the page, for the paging links.
    query: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ListQuery {
    unit: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    page: Option<String>,
}

/// A query value, trimmed, if given.
fn given(value: Option<&String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The map of a unit's assets, each dot labelled with its code and status and linking to it.
fn map_of(chrome: &Chrome, rows: &[(AssetRow, &'static str)]) -> String {
    let points: Vec<MapPoint> = rows
        .iter()
        .filter_map(|(a, status)| {
            Some(MapPoint {
                latitude: a.latitude?,
                longitude: a.longitude?,
                label: format!("{} — {}", a.code, chrome.asset_status(status)),
                status: (*status).to_owned(),
            })
        })
        .collect();
    let legend: Vec<(&str, &str)> = STATUSES
        .iter()
        .map(|s| (*s, chrome.asset_status(s)))
        .collect();
    let links: Vec<String> = rows
        .iter()
        .filter(|(a, _)| a.latitude.is_some() && a.longitude.is_some())
        .map(|(a, _)| format!("/assets/{}", a.code))
        .collect();
    asset_map_linked(chrome.t("assets-map"), &points, &links, 720, 480, &legend)
}

/// `GET /assets?unit=&kind=&status=&page=`.
pub(super) async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    let kind = given(query.kind.as_ref()).filter(|k| AssetKind::parse(k).is_ok());
    let status = given(query.status.as_ref()).filter(|s| STATUSES.contains(&s.as_str()));
    let rows = actions::assets_with_status(
        &state.db,
        &page.actor,
        unit.id,
        kind.as_deref(),
        status.as_deref(),
    )
    .await
    .map_err(page.failing())?;
    let map = map_of(&page.chrome, &rows);
    let total = rows.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let number = given(query.page.as_ref())
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, pages);
    let mut paging = format!("unit={}", unit.id);
    for (key, value) in [("kind", &kind), ("status", &status)] {
        if let Some(value) = value {
            paging.push_str(&format!("&{key}={value}"));
        }
    }
    Ok(render(&AssetsPage {
        chrome: page.chrome,
        unit,
        kinds: AssetKind::ALL.iter().map(|k| k.as_str()).collect(),
        statuses: STATUSES.to_vec(),
        kind: kind.unwrap_or_default(),
        status: status.unwrap_or_default(),
        map,
        rows: rows
            .into_iter()
            .skip((number - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .collect(),
        total,
        page: number,
        pages,
        query: paging,
    }))
}
