//! Officers' asset pages: a unit's assets on an SVG map coloured by status (filters by kind
//! and status), and the alarms with acknowledge and resolve buttons.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::AppError;
use langso_app::assets::{self as actions, AlarmRow, AssetRow};
use langso_domain::assets::AssetKind;
use langso_domain::units::Unit;
use langso_render::asset_map::{MapPoint, asset_map_linked};
use uuid::Uuid;

use super::qr::chosen_unit;
use super::{Chrome, render};
use crate::AppState;
use crate::auth::{Authenticated, csrf_ok};
use crate::html::PageError;
use crate::messages::Lang;

/// Status words in legend order.
pub(crate) const STATUSES: [&str; 6] = ["ok", "fault", "offline", "down", "broken", "unknown"];

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

/// Rows per page of the list (the map shows every asset).
pub(crate) const PAGE_SIZE: usize = 100;

#[derive(Template)]
#[template(path = "alarms.html")]
struct AlarmsPage {
    chrome: Chrome,
    unit: Unit,
    alarms: Vec<AlarmRow>,
}

impl Chrome {
    /// The label of an asset kind.
    pub fn asset_kind(&self, kind: &str) -> &'static str {
        self.lang.t(&format!("asset-kind-{kind}"))
    }

    /// The label of a status word.
    pub fn asset_status(&self, status: &str) -> &'static str {
        self.lang.t(&format!("asset-status-{status}"))
    }
}

fn fail(lang: Lang) -> impl Fn(AppError) -> PageError {
    move |error| PageError { error, lang }
}

/// The map of a unit's assets, for pages and the public wifi list.
pub(crate) fn map_of(chrome: &Chrome, rows: &[(AssetRow, &'static str)]) -> String {
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
    asset_map_linked(&points, &links, 720, 480, &legend)
}

/// `/assets?unit=&kind=&status=`.
pub(super) async fn index(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = chosen_unit(&state, &actor, query.get("unit").map(String::as_str), lang).await?;
    let pick = |k: &str| {
        query
            .get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let kind = pick("kind").filter(|k| AssetKind::parse(k).is_ok());
    let status = pick("status").filter(|s| STATUSES.contains(&s.as_str()));
    let rows = actions::assets_with_status(
        &state.db,
        &actor,
        unit.id,
        kind.as_deref(),
        status.as_deref(),
    )
    .await
    .map_err(fail(lang))?;
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    let map = map_of(&chrome, &rows);
    let total = rows.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = pick("page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, pages);
    let mut query = format!("unit={}", unit.id);
    for (key, value) in [("kind", &kind), ("status", &status)] {
        if let Some(value) = value {
            query.push_str(&format!("&{key}={value}"));
        }
    }
    Ok(render(&AssetsPage {
        chrome,
        unit,
        kinds: AssetKind::ALL.iter().map(|k| k.as_str()).collect(),
        statuses: STATUSES.to_vec(),
        kind: kind.unwrap_or_default(),
        status: status.unwrap_or_default(),
        map,
        rows: rows
            .into_iter()
            .skip((page - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .collect(),
        total,
        page,
        pages,
        query,
    }))
}

/// `/alarms?unit=`: open alarms.
pub(super) async fn alarms(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = chosen_unit(&state, &actor, query.get("unit").map(String::as_str), lang).await?;
    let alarms = actions::alarms_under(&state.db, &actor, unit.id, true, 500)
        .await
        .map_err(fail(lang))?;
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    Ok(render(&AlarmsPage {
        chrome,
        unit,
        alarms,
    }))
}

/// `POST /alarms/{id}/acknowledge` and `…/resolve`.
pub(super) async fn alarm_action(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&actor, form.get("csrf").map_or("", String::as_str)) {
        return Err(PageError {
            error: AppError::Forbidden,
            lang,
        });
    }
    let id = Uuid::parse_str(&id).map_err(|_| PageError {
        error: AppError::NotFound,
        lang,
    })?;
    let alarm = match action.as_str() {
        "acknowledge" => actions::acknowledge_alarm(&state.db, &actor, id).await,
        "resolve" => {
            let note = form.get("note").map_or("", String::as_str);
            actions::resolve_alarm(&state.db, &actor, id, note).await
        }
        _ => Err(AppError::NotFound),
    }
    .map_err(fail(lang))?;
    Ok(Redirect::to(&format!("/alarms?unit={}", alarm.unit_id)).into_response())
}
