//! The residents' fault pages: the form behind each asset's QR sticker (`/bao-hong?asset=…`,
//! no login, rate-limited per address) and the status page the reporter follows
//! (`/bao-hong/{token}`). The form posts to the same action as Open311.

use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::AppError;
use langso_app::faults::{self as actions, NewReport, WorkOrder, WorkOrderStep};
use serde::Deserialize;

use crate::AppState;
use crate::html::{Chrome, Visitor, render};
use crate::messages::{self, Lang};

#[derive(Template)]
#[template(path = "fault_form.html")]
struct FormPage {
    chrome: Chrome,
    services: Vec<(&'static str, &'static str)>,
    report: ReportForm,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "fault_status.html")]
struct StatusPage {
    chrome: Chrome,
    order: WorkOrder,
    history: Vec<WorkOrderStep>,
    /// The reporter may still confirm the fix or reopen the report (14 days after the fix).
    may_answer: bool,
}

impl Chrome {
    /// The label of a work status.
    pub fn work_status(&self, status: &str) -> &'static str {
        self.lang.t(&format!("work-{status}"))
    }
}

/// A report as typed in the form (and the sticker's `?asset=&unit=`, which fill it in).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ReportForm {
    asset: String,
    /// The unit code from the link (`/bao-hong?unit=…`), when the sticker names a place.
    unit: String,
    service_code: String,
    description: String,
    address: String,
    reporter: String,
}

impl ReportForm {
    fn set(&mut self, name: &str, value: String) {
        match name {
            "asset" => self.asset = value,
            "unit" => self.unit = value,
            "service_code" => self.service_code = value,
            "description" => self.description = value,
            "address" => self.address = value,
            "reporter" => self.reporter = value,
            _ => {}
        }
    }
}

fn services(lang: Lang) -> Vec<(&'static str, &'static str)> {
    actions::services()
        .into_iter()
        .map(|(code, vi, en)| (code, if lang == Lang::En { en } else { vi }))
        .collect()
}

/// The form, filled with `report`, with `errors` above it.
fn form_page(visitor: Visitor, report: ReportForm, errors: Vec<String>) -> Response {
    render(&FormPage {
        services: services(visitor.lang),
        chrome: visitor.chrome,
        report,
        errors,
    })
}

/// `GET /bao-hong?asset=CODE`: the form, the asset filled in from the sticker (and what is
/// wrong guessed from its kind).
pub(crate) async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(sticker): Query<ReportForm>,
) -> Response {
    let service_code = match langso_app::assets::kind_of_code(&state.db, &sticker.asset).await {
        Ok(Some(kind)) => kind,
        _ => String::new(),
    };
    let report = ReportForm {
        asset: sticker.asset,
        unit: sticker.unit,
        service_code,
        ..ReportForm::default()
    };
    form_page(visitor, report, Vec::new())
}

/// The most a report's body may weigh: the photo and the text fields around it.
pub(crate) const MAX_REPORT_BODY: usize = langso_domain::faults::MAX_PHOTO_BYTES + 256 * 1024;

/// A body over the limit: refused before it is read (by its declared length) or as soon as
/// the limit is crossed, with the form and the reason.
fn too_large(visitor: Visitor) -> Response {
    let reason = messages::render(
        visitor.lang,
        "fault-photo-too-large",
        &[(
            "limit",
            (langso_domain::faults::MAX_PHOTO_BYTES / (1024 * 1024)).to_string(),
        )],
    );
    let page = form_page(visitor, ReportForm::default(), vec![reason]);
    (StatusCode::PAYLOAD_TOO_LARGE, page).into_response()
}

/// The fields and the photo of a form posted as multipart (with a photo) or urlencoded.
async fn read_form(
    state: &AppState,
    headers: &HeaderMap,
    request: Request,
) -> Result<(ReportForm, Option<Vec<u8>>), StatusCode> {
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        return match Form::<ReportForm>::from_request(request, state).await {
            Ok(Form(form)) => Ok((form, None)),
            Err(rejection) => Err(rejection.status()),
        };
    }
    let mut parts = Multipart::from_request(request, state)
        .await
        .map_err(|r| r.status())?;
    let mut form = ReportForm::default();
    let mut photo = None;
    while let Some(field) = parts.next_field().await.map_err(|e| e.status())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "photo" {
            let bytes = field.bytes().await.map_err(|e| e.status())?;
            if !bytes.is_empty() {
                photo = Some(bytes.to_vec());
            }
        } else {
            form.set(&name, field.text().await.map_err(|e| e.status())?);
        }
    }
    Ok((form, photo))
}

/// Blank as absent.
fn given(text: &str) -> Option<String> {
    Some(text.to_owned()).filter(|t| !t.trim().is_empty())
}

/// `POST /bao-hong`: records the report (with its photo, if any) and sends the reporter to its
/// status page; a refused report comes back as the form, filled in, with the reasons.
pub(crate) async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_REPORT_BODY) {
        return too_large(visitor);
    }
    let (report, photo) = match read_form(&state, &headers, request).await {
        Ok(read) => read,
        Err(StatusCode::PAYLOAD_TOO_LARGE) => return too_large(visitor),
        Err(_) => {
            return visitor
                .fail(AppError::refused_key("form-unreadable", &[]))
                .into_response();
        }
    };
    let input = NewReport {
        service_code: report.service_code.clone(),
        asset_code: given(&report.asset),
        latitude: None,
        longitude: None,
        address: report.address.clone(),
        description: report.description.clone(),
        media_url: None,
        reporter: report.reporter.clone(),
        photo,
        unit_code: given(&report.unit),
    };
    match actions::submit_report(&state.db, &input).await {
        Ok(order) => Redirect::to(&format!("/bao-hong/{}", order.token)).into_response(),
        Err(AppError::Invalid(problems)) => {
            let errors = problems
                .iter()
                .map(|problem| messages::text(problem, visitor.lang))
                .collect();
            let page = form_page(visitor, report, errors);
            (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
        }
        Err(error) => visitor.fail(error).into_response(),
    }
}

/// `GET /bao-hong/{token}`: where the report stands, with its history.
pub(crate) async fn status(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Response {
    match actions::follow(&state.db, &token).await {
        Ok((order, history)) => render(&StatusPage {
            chrome: visitor.chrome,
            may_answer: actions::updates::may_answer(&order, time::OffsetDateTime::now_utc())
                .is_ok(),
            order,
            history,
        }),
        Err(error) => visitor.fail(error).into_response(),
    }
}

#[derive(Template)]
#[template(path = "wifi.html")]
struct WifiPage {
    chrome: Chrome,
    rows: Vec<(langso_app::assets::AssetRow, &'static str)>,
}

/// `GET /wifi`: every free wifi point and its state, for residents.
pub(crate) async fn wifi(State(state): State<AppState>, visitor: Visitor) -> Response {
    match langso_app::assets::public_wifi(&state.db).await {
        Ok(rows) => render(&WifiPage {
            chrome: visitor.chrome,
            rows,
        }),
        Err(error) => visitor.fail(error).into_response(),
    }
}
