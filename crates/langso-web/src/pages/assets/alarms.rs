//! The open alarms of a unit's devices (`/alarms?unit=&page=`): a hundred a page with links
//! between pages (never cut off), grouped by village and kind, each with the asset's name and
//! kind of place; tick several and acknowledge them with one button (one POST, each alarm
//! checked against the officer's scope and audited); resolve one with a note.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::AppError;
use langso_app::assets::{self as actions, PlacedAlarm};
use langso_domain::units::Unit;
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, render};

/// Alarms per page.
const PAGE_SIZE: i64 = 100;

/// The alarms of one village and kind on this page.
struct AlarmGroup {
    village: String,
    kind: String,
    alarms: Vec<PlacedAlarm>,
}

#[derive(Template)]
#[template(path = "alarms.html")]
struct AlarmsPage {
    chrome: Chrome,
    unit: Unit,
    groups: Vec<AlarmGroup>,
    total: i64,
    /// This page (1-based) and how many there are.
    page: i64,
    pages: i64,
    /// How many the last bulk acknowledgement took, when it just happened.
    acknowledged: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct AlarmsQuery {
    unit: Option<String>,
    page: Option<String>,
    acknowledged: Option<String>,
}

/// What was done about an alarm, when resolving it.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct AlarmForm {
    note: String,
}

/// Consecutive alarms of one village and kind as one group (the rows come in that order).
fn grouped(chrome: &Chrome, alarms: Vec<PlacedAlarm>) -> Vec<AlarmGroup> {
    let mut groups: Vec<AlarmGroup> = Vec::new();
    for alarm in alarms {
        match groups.last_mut() {
            Some(group)
                if group.alarms[0].village.id == alarm.village.id
                    && group.kind == alarm.row.alarm.kind =>
            {
                group.alarms.push(alarm);
            }
            _ => groups.push(AlarmGroup {
                village: chrome.unit(&alarm.village),
                kind: alarm.row.alarm.kind.clone(),
                alarms: vec![alarm],
            }),
        }
    }
    groups
}

/// `GET /alarms?unit=&page=`: the open alarms under a unit.
pub(super) async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<AlarmsQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    let number = query
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 100_000);
    let found = actions::open_alarms_page(
        &state.db,
        &page.actor,
        unit.id,
        (number - 1) * PAGE_SIZE,
        PAGE_SIZE,
    )
    .await
    .map_err(page.failing())?;
    let pages = ((found.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    Ok(render(&AlarmsPage {
        groups: grouped(&page.chrome, found.alarms),
        chrome: page.chrome,
        unit,
        total: found.total,
        page: number.min(pages),
        pages,
        acknowledged: query.acknowledged.and_then(|n| n.parse().ok()),
    }))
}

/// `POST /alarms/acknowledge`: every ticked alarm (`alarm`, repeated), back to the same page.
pub(super) async fn acknowledge_many(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut ids = Vec::new();
    for (name, value) in &fields {
        if name == "alarm" {
            ids.push(page.id(value)?);
        }
    }
    let unit: Uuid = page.id(&value("unit"))?;
    let acknowledged = actions::acknowledge_alarms(&state.db, &page.actor, &ids)
        .await
        .map_err(page.failing())?;
    let number = value("page").parse::<u32>().unwrap_or(1).max(1);
    Ok(Redirect::to(&format!(
        "/alarms?unit={unit}&page={number}&acknowledged={acknowledged}"
    ))
    .into_response())
}

/// `POST /alarms/{id}/acknowledge` and `…/resolve`: back to the unit's alarms.
pub(super) async fn act(
    State(state): State<AppState>,
    page: Page,
    Path((id, action)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<AlarmForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let alarm = match action.as_str() {
        "acknowledge" => actions::acknowledge_alarm(&state.db, &page.actor, id).await,
        "resolve" => actions::resolve_alarm(&state.db, &page.actor, id, &form.note).await,
        _ => Err(AppError::NotFound),
    }
    .map_err(page.failing())?;
    Ok(Redirect::to(&format!("/alarms?unit={}", alarm.unit_id)).into_response())
}
