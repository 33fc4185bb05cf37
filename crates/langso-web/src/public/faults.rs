//! The residents' fault pages: the form behind each asset's QR sticker (`/bao-hong?asset=…`,
//! no login, rate-limited per address) and the status page the reporter follows
//! (`/bao-hong/{token}`). The form posts to the same action as Open311.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::AppError;
use langso_app::faults::{self as actions, NewReport, WorkOrder, WorkOrderStep};

use crate::AppState;
use crate::html::PageError;
use crate::html::{Chrome, render};
use crate::messages::Lang;

#[derive(Template)]
#[template(path = "fault_form.html")]
struct FormPage {
    chrome: Chrome,
    services: Vec<(&'static str, &'static str)>,
    asset: String,
    /// The unit code from the link (`/bao-hong?unit=…`), when the sticker names a place.
    unit: String,
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
        self.lang.t(&format!("work-{status}"))
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
        unit: query.get("unit").cloned().unwrap_or_default(),
        service,
        description: String::new(),
        address: String::new(),
        errors: Vec::new(),
    })
}

/// The most a report's body may weigh: the photo and the text fields around it.
pub(crate) const MAX_REPORT_BODY: usize = langso_domain::faults::MAX_PHOTO_BYTES + 256 * 1024;

const TOO_LARGE: &str = "ảnh quá lớn (tối đa 5 MB) / photo too large (5 MB at most)";

/// A body over the limit: refused before it is read (by its declared length) or as soon as
/// the limit is crossed, with the form and the reason.
fn too_large(state: &AppState, headers: &HeaderMap, uri: &Uri) -> Response {
    let chrome = chrome(state, headers, uri);
    let page = FormPage {
        services: services(chrome.lang),
        chrome,
        asset: String::new(),
        unit: String::new(),
        service: String::new(),
        description: String::new(),
        address: String::new(),
        errors: vec![TOO_LARGE.to_owned()],
    };
    (StatusCode::PAYLOAD_TOO_LARGE, render(&page)).into_response()
}

/// The fields and the photo of a form posted as multipart (with a photo) or urlencoded.
async fn read_form(
    state: &AppState,
    headers: &HeaderMap,
    request: Request,
) -> Result<(HashMap<String, String>, Option<Vec<u8>>), StatusCode> {
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        return match Form::<HashMap<String, String>>::from_request(request, state).await {
            Ok(Form(form)) => Ok((form, None)),
            Err(rejection) => Err(rejection.status()),
        };
    }
    let mut parts = Multipart::from_request(request, state)
        .await
        .map_err(|r| r.status())?;
    let mut form = HashMap::new();
    let mut photo = None;
    while let Some(field) = parts.next_field().await.map_err(|e| e.status())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "photo" {
            let bytes = field.bytes().await.map_err(|e| e.status())?;
            if !bytes.is_empty() {
                photo = Some(bytes.to_vec());
            }
        } else {
            form.insert(name, field.text().await.map_err(|e| e.status())?);
        }
    }
    Ok((form, photo))
}

/// `POST /bao-hong`: records the report (with its photo, if any) and sends the reporter to its
/// status page.
pub(crate) async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    request: Request,
) -> Response {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_REPORT_BODY) {
        return too_large(&state, &headers, &uri);
    }
    let (form, photo) = match read_form(&state, &headers, request).await {
        Ok(read) => read,
        Err(StatusCode::PAYLOAD_TOO_LARGE) => return too_large(&state, &headers, &uri),
        Err(status) => {
            return (
                status,
                "không đọc được biểu mẫu / cannot read the form".to_owned(),
            )
                .into_response();
        }
    };
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
        photo,
        unit_code: Some(get("unit")).filter(|u| !u.trim().is_empty()),
    };
    match actions::submit_report(&state.db, &input).await {
        Ok(order) => Redirect::to(&format!("/bao-hong/{}", order.token)).into_response(),
        Err(AppError::Invalid(problems)) => {
            let chrome = chrome(&state, &headers, &uri);
            let page = FormPage {
                services: services(chrome.lang),
                chrome,
                asset: get("asset"),
                unit: get("unit"),
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
