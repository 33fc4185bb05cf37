//! Household pages: the list and search, one household with its history, the visit form
//! (one page, big touch targets, usable at 360 px), "my round" and survey progress.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::households::{
    self as actions, HouseholdRow, HouseholdView, Indicator, Progress, VisitInput, VisitRow,
};
use langso_app::{Actor, AppError, today};
use langso_domain::households::{HELP_KINDS, IndicatorKind};
use langso_domain::units::parse_date;
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{Authenticated, csrf_ok};
use crate::html::PageError;
use crate::messages::Lang;

/// An indicator with its label in the reader's language and the choices its form offers.
pub struct Field {
    code: String,
    label: String,
    help: String,
    choices: Vec<i64>,
    current: i64,
    yes_no: bool,
}

#[derive(Template)]
#[template(path = "households.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<HouseholdRow>,
    query: String,
    unit: String,
    /// The unit the import and export buttons act on (the chosen one, or the actor's first).
    file_unit: String,
    may_import: bool,
    may_export: bool,
}

#[derive(Template)]
#[template(path = "household.html")]
struct HouseholdPage {
    chrome: Chrome,
    view: HouseholdView,
    values: Vec<(String, i64)>,
    visits: Vec<VisitLine>,
}

/// One visit as a person reads it: indicator names and help in words, never codes or JSON.
struct VisitLine {
    visited_on: time::Date,
    visitor: String,
    observed: Vec<(String, i64)>,
    help: Vec<String>,
    notes: String,
}

impl VisitLine {
    /// The visit's observed values named from the catalogue and its help from `HELP_KINDS`;
    /// a code the catalogue no longer holds is left out rather than shown raw.
    fn new(row: VisitRow, indicators: &[Indicator], lang: Lang) -> Self {
        let values: BTreeMap<String, i64> = serde_json::from_str(&row.observed).unwrap_or_default();
        let observed = indicators
            .iter()
            .filter_map(|i| values.get(&i.code).map(|v| (label(lang, i).0, *v)))
            .collect();
        let help = row
            .help_given
            .split(',')
            .filter_map(|code| HELP_KINDS.iter().find(|(c, _, _)| *c == code.trim()))
            .map(|(_, vi, en)| if lang == Lang::Vi { *vi } else { *en }.to_owned())
            .collect();
        VisitLine {
            visited_on: row.visited_on,
            visitor: row.visitor_label,
            observed,
            help,
            notes: row.notes,
        }
    }
}

#[derive(Template)]
#[template(path = "visit.html")]
struct VisitPage {
    chrome: Chrome,
    view: HouseholdView,
    fields: Vec<Field>,
    help: Vec<(&'static str, &'static str)>,
    errors: Vec<String>,
    today: String,
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    chrome: Chrome,
    rows: Vec<HouseholdRow>,
    today: time::Date,
}

#[derive(Template)]
#[template(path = "progress.html")]
struct ProgressPage {
    chrome: Chrome,
    progress: Progress,
    lang_en: bool,
}

#[derive(Deserialize)]
pub(super) struct ListQuery {
    q: Option<String>,
    unit: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct UnitQuery {
    unit: Option<String>,
}

fn fail(lang: Lang) -> impl Fn(AppError) -> PageError {
    move |error| PageError { error, lang }
}

fn parse_uuid(text: &str, lang: Lang) -> Result<Uuid, PageError> {
    Uuid::parse_str(text).map_err(|_| PageError {
        error: AppError::NotFound,
        lang,
    })
}

fn label(lang: Lang, i: &Indicator) -> (String, String) {
    match lang {
        Lang::Vi => (i.label_vi.clone(), i.help_vi.clone()),
        Lang::En => (i.label_en.clone(), i.help_en.clone()),
    }
}

pub(super) async fn index(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = match query.unit.as_deref().filter(|u| !u.is_empty()) {
        Some(text) => Some(parse_uuid(text, lang)?),
        None => None,
    };
    let text = query.q.clone().unwrap_or_default();
    let rows = actions::list_households(&state.db, &actor, unit, &text, 200, 0)
        .await
        .map_err(fail(lang))?;
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    let file_unit = unit
        .or_else(|| actor.grants.first().map(|g| g.unit_id))
        .map(|u| u.to_string())
        .unwrap_or_default();
    Ok(render(&ListPage {
        chrome,
        rows,
        query: text,
        unit: query.unit.unwrap_or_default(),
        may_import: actor.may(langso_domain::auth::Permission::WritePeople),
        may_export: actor.may(langso_domain::auth::Permission::ExportPeople)
            && !file_unit.is_empty(),
        file_unit,
    }))
}

pub(super) async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse_uuid(&id, lang)?;
    let view = actions::get_household(&state.db, &actor, id)
        .await
        .map_err(fail(lang))?;
    let visits = actions::visits_of(&state.db, &actor, id)
        .await
        .map_err(fail(lang))?;
    let indicators = actions::catalogue(&state.db, today())
        .await
        .map_err(fail(lang))?;
    let values = indicators
        .iter()
        .filter(|i| !i.business_only || view.row.business)
        .map(|i| {
            (
                label(lang, i).0,
                view.values
                    .iter()
                    .find(|(c, _)| *c == i.code)
                    .map_or(0, |(_, v)| *v),
            )
        })
        .collect();
    let visits = visits
        .into_iter()
        .map(|row| VisitLine::new(row, &indicators, lang))
        .collect();
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    Ok(render(&HouseholdPage {
        chrome,
        view,
        values,
        visits,
    }))
}

async fn visit_page(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    uri: &Uri,
    id: Uuid,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(headers);
    let view = actions::get_household(&state.db, actor, id)
        .await
        .map_err(fail(lang))?;
    let indicators = actions::catalogue(&state.db, today())
        .await
        .map_err(fail(lang))?;
    let fields = indicators
        .iter()
        .filter(|i| !i.business_only || view.row.business)
        .map(|i| {
            let (label, help) = label(lang, i);
            let max = match i.kind {
                IndicatorKind::YesNo => 1,
                IndicatorKind::AdultCount => view.row.adults,
                IndicatorKind::Count => view.row.members.max(view.row.adults).min(10),
                IndicatorKind::Level => 2,
            };
            Field {
                code: i.code.clone(),
                label,
                help,
                choices: (0..=max).collect(),
                current: view
                    .values
                    .iter()
                    .find(|(c, _)| *c == i.code)
                    .map_or(0, |(_, v)| *v),
                yes_no: i.kind == IndicatorKind::YesNo,
            }
        })
        .collect();
    let help = HELP_KINDS
        .iter()
        .map(|(code, vi, en)| (*code, if lang == Lang::Vi { *vi } else { *en }))
        .collect();
    let chrome = Chrome::for_request(state, headers, uri, Some(actor));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = render(&VisitPage {
        chrome,
        view,
        fields,
        help,
        errors,
        today: today().to_string(),
    });
    *response.status_mut() = status;
    Ok(response)
}

pub(super) async fn visit_form(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_uuid(&id, Lang::from_headers(&headers))?;
    visit_page(&state, &actor, &headers, &uri, id, Vec::new()).await
}

pub(super) async fn visit_submit(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse_uuid(&id, lang)?;
    let get = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
    };
    if !get("csrf").is_some_and(|c| csrf_ok(&actor, &c)) {
        return Err(PageError {
            error: AppError::Forbidden,
            lang,
        });
    }
    let mut errors = Vec::new();
    let mut values = BTreeMap::new();
    for (key, value) in &form {
        if let Some(code) = key.strip_prefix("ind.") {
            match value.trim().parse::<i64>() {
                Ok(v) => {
                    values.insert(code.to_owned(), v);
                }
                Err(_) => errors.push(format!("{code}: \"{value}\"")),
            }
        }
    }
    let date = |name: &str| get(name).filter(|t| !t.is_empty()).map(|t| parse_date(&t));
    let visited_on = match date("visited_on") {
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            errors.push(e.to_string());
            None
        }
        None => None,
    };
    let follow_up_on = match date("follow_up_on") {
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            errors.push(e.to_string());
            None
        }
        None => None,
    };
    if !errors.is_empty() {
        return visit_page(&state, &actor, &headers, &uri, id, errors).await;
    }
    let input = VisitInput {
        id: get("visit_id").and_then(|v| Uuid::parse_str(&v).ok()),
        visited_on,
        values,
        help: form
            .iter()
            .filter(|(k, _)| k == "help")
            .map(|(_, v)| v.clone())
            .collect(),
        follow_up_on,
        notes: get("notes").unwrap_or_default(),
    };
    match state.visits.record(&actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/households/{id}")).into_response()),
        Err(AppError::Invalid(problems)) => {
            let messages = problems.iter().map(ToString::to_string).collect();
            visit_page(&state, &actor, &headers, &uri, id, messages).await
        }
        Err(error) => Err(PageError { error, lang }),
    }
}

pub(super) async fn round(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let rows = actions::my_round(&state.db, &actor, 200)
        .await
        .map_err(fail(lang))?;
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    Ok(render(&RoundPage {
        chrome,
        rows,
        today: today(),
    }))
}

pub(super) async fn progress(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = match query.unit.as_deref().filter(|u| !u.is_empty()) {
        Some(text) => parse_uuid(text, lang)?,
        None => actor.grants.first().map(|g| g.unit_id).ok_or(PageError {
            error: AppError::Forbidden,
            lang,
        })?,
    };
    let progress = actions::progress(&state.db, &actor, unit)
        .await
        .map_err(fail(lang))?;
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    Ok(render(&ProgressPage {
        chrome,
        progress,
        lang_en: lang == Lang::En,
    }))
}
