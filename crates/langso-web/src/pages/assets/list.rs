//! A unit's assets (`/assets?unit=&kind=&status=&page=`): the list a page at a time, and the map
//! of every located asset coloured by status as its own SVG file (`/assets/map.svg`, same
//! query), which the page loads as an image: a commune's few hundred devices weigh more than
//! the rest of the page, so the page stays small on 3G and the browser caches the map.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use langso_app::Actor;
use langso_app::assets::{self as actions, AssetRow};
use langso_domain::assets::AssetKind;
use langso_domain::units::Unit;
use langso_render::asset_map::{MAX_PLACES, MapPlace, MapPoint, asset_map_linked};
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

/// The villages of the located assets, each named at the middle of its assets (none past
/// [`MAX_PLACES`] villages: a district's map would be covered in names).
async fn places_of(
    state: &AppState,
    chrome: &Chrome,
    rows: &[(AssetRow, &'static str)],
) -> langso_app::AppResult<Vec<MapPlace>> {
    let mut sums: std::collections::BTreeMap<uuid::Uuid, (f64, f64, f64)> = Default::default();
    for (a, _) in rows {
        if let (Some(lat), Some(lon)) = (a.latitude, a.longitude) {
            let sum = sums.entry(a.unit_id).or_default();
            *sum = (sum.0 + lat, sum.1 + lon, sum.2 + 1.0);
        }
    }
    if sums.is_empty() || sums.len() > MAX_PLACES {
        return Ok(Vec::new());
    }
    let ids: Vec<uuid::Uuid> = sums.keys().copied().collect();
    let labels = langso_app::units::labels_of(&state.db, &ids, langso_app::today()).await?;
    Ok(sums
        .into_iter()
        .filter_map(|(id, (lat, lon, n))| {
            Some(MapPlace {
                latitude: lat / n,
                longitude: lon / n,
                name: chrome.unit(labels.get(id)?),
            })
        })
        .collect())
}

/// The map of a unit's assets, each marker labelled with its code and status, coloured inside
/// the file (an image does not see the page's stylesheet) and shaped by status, with the
/// villages named.
fn map_of(chrome: &Chrome, rows: &[(AssetRow, &'static str)], places: &[MapPlace]) -> String {
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
    asset_map_linked(
        chrome.t("assets-map"),
        &points,
        &[],
        720,
        480,
        &legend,
        places,
    )
}

/// The filters of a list or map query: the kind and status, when known.
fn filters(query: &ListQuery) -> (Option<String>, Option<String>) {
    let kind = given(query.kind.as_ref()).filter(|k| AssetKind::parse(k).is_ok());
    let status = given(query.status.as_ref()).filter(|s| STATUSES.contains(&s.as_str()));
    (kind, status)
}

/// The assets of `unit` that `actor` may read, with their status words.
async fn rows_of(
    state: &AppState,
    actor: &Actor,
    unit: &Unit,
    kind: Option<&str>,
    status: Option<&str>,
) -> langso_app::AppResult<Vec<(AssetRow, &'static str)>> {
    actions::assets_with_status(&state.db, actor, unit.id, kind, status).await
}

/// `GET /assets/map.svg?unit=&kind=&status=`: the map the list page shows, kept by the
/// browser for five minutes (private: it is the officer's scope).
pub(super) async fn map(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    let (kind, status) = filters(&query);
    let rows = rows_of(
        &state,
        &page.actor,
        &unit,
        kind.as_deref(),
        status.as_deref(),
    )
    .await
    .map_err(page.failing())?;
    let places = places_of(&state, &page.chrome, &rows)
        .await
        .map_err(page.failing())?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        map_of(&page.chrome, &rows, &places),
    )
        .into_response())
}

/// `GET /assets?unit=&kind=&status=&page=`.
pub(super) async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    let (kind, status) = filters(&query);
    let rows = rows_of(
        &state,
        &page.actor,
        &unit,
        kind.as_deref(),
        status.as_deref(),
    )
    .await
    .map_err(page.failing())?;
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
