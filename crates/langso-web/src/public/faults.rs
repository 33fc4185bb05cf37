//! The residents' fault pages: the form behind each asset's QR sticker (`/bao-hong?asset=…`,
//! no login, rate-limited per address) and the status page the reporter follows
//! (`/bao-hong/{token}`). The form posts to the same action as Open311.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::AppError;
use langso_app::faults::{self as actions, NewReport, WorkOrder, WorkOrderStep};

use crate::AppState;
use crate::error::PageError;
use crate::i18n::Lang;
use crate::pages::{Chrome, render};

#[derive(Template)]
#[template(path = "fault_form.html")]
struct FormPage {
    chrome: Chrome,
    services: Vec<(&'static str, &'static str)>,
    asset: String,
    service: String,
    description: String,
    address: String,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "fault_status.html")]
struct StatusPage {
    chrome: Chrome,
    order: WorkOrder,
    history: Vec<WorkOrderStep>,
}

impl Chrome {
    /// The label of a work status.
    pub fn work_status(&self, status: &str) -> &'static str {
        self.lang.t(&format!("work.{status}"))
    }
}

fn chrome(state: &AppState, headers: &HeaderMap, uri: &Uri) -> Chrome {
    Chrome::for_request(state, headers, uri, None)
}

fn services(lang: Lang) -> Vec<(&'static str, &'static str)> {
    actions::services()
        .into_iter()
        .map(|(code, vi, en)| (code, if lang == Lang::En { en } else { vi }))
        .collect()
}

/// `GET /bao-hong?asset=CODE`: the form, the asset filled in from the sticker.
pub(crate) async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let chrome = chrome(&state, &headers, &uri);
    let asset = query.get("asset").cloned().unwrap_or_default();
    let service = match langso_app::assets::kind_of_code(&state.db, &asset).await {
        Ok(Some(kind)) => kind,
        _ => String::new(),
    };
    render(&FormPage {
        services: services(chrome.lang),
        chrome,
        asset,
        service,
        description: String::new(),
        address: String::new(),
        errors: Vec::new(),
    })
}

/// `POST /bao-hong`: records the report and sends the reporter to its status page.
pub(crate) async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = NewReport {
        service_code: get("service_code"),
        asset_code: Some(get("asset")).filter(|a| !a.trim().is_empty()),
        latitude: None,
        longitude: None,
        address: get("address"),
        description: get("description"),
        media_url: None,
        reporter: get("reporter"),
    };
    match actions::submit_report(&state.db, &input).await {
        Ok(order) => Redirect::to(&format!("/bao-hong/{}", order.token)).into_response(),
        Err(AppError::Invalid(problems)) => {
            let chrome = chrome(&state, &headers, &uri);
            let page = FormPage {
                services: services(chrome.lang),
                chrome,
                asset: get("asset"),
                service: get("service_code"),
                description: get("description"),
                address: get("address"),
                errors: problems.iter().map(ToString::to_string).collect(),
            };
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Err(error) => PageError {
            error,
            lang: Lang::from_headers(&headers),
        }
        .into_response(),
    }
}

/// `GET /bao-hong/{token}`: where the report stands, with its history.
pub(crate) async fn status(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(token): Path<String>,
) -> Response {
    match actions::follow(&state.db, &token).await {
        Ok((order, history)) => render(&StatusPage {
            chrome: chrome(&state, &headers, &uri),
            order,
            history,
        }),
        Err(error) => PageError {
            error,
            lang: Lang::from_headers(&headers),
        }
        .into_response(),
    }
}

#[derive(Template)]
#[template(path = "wifi.html")]
struct WifiPage {
    chrome: Chrome,
    rows: Vec<(langso_app::assets::AssetRow, &'static str)>,
}

/// `GET /wifi`: every free wifi point and its state, for residents.
pub(crate) async fn wifi(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    match langso_app::assets::public_wifi(&state.db).await {
        Ok(rows) => render(&WifiPage {
            chrome: chrome(&state, &headers, &uri),
            rows,
        }),
        Err(error) => PageError {
            error,
            lang: Lang::from_headers(&headers),
        }
        .into_response(),
    }
}
