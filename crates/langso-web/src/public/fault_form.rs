//! The residents' fault form (`/bao-hong`, no login, rate-limited per address): its own words
//! and privacy text, the kind of fault chosen in words, the place picked from the communes and
//! villages by name (told apart), a position from the phone when the resident allows it (a
//! small script; the form works without it), a photo (stored without its metadata), and
//! before sending, the open reports of the same kind within 50 m or on the same asset with
//! "this is my problem too". Errors come back beside their field.

use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::AppError;
use langso_app::faults::{self as actions, NewReport, Places, Routing};
use langso_app::units::{PickerOption, pick};
use serde::Deserialize;

use crate::AppState;
use crate::html::{Chrome, UnitChoice, Visitor, render, unit_label};
use crate::messages::{self, Lang};

/// A report as typed in the form (and the link's `?asset=&unit=&diem=&lat=&long=`, which fill
/// it in).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct ReportForm {
    /// The asset's code from its sticker, or typed.
    pub(super) asset: String,
    /// A unit code from an older link (`/bao-hong?unit=…`).
    pub(super) unit: String,
    /// The QR placement the resident came from.
    pub(super) diem: String,
    pub(super) service_code: String,
    pub(super) description: String,
    pub(super) address: String,
    /// The commune picked, by its label.
    pub(super) commune: String,
    /// The village picked, by its label.
    pub(super) village: String,
    /// The position from the phone (filled by the script), or from the link.
    pub(super) lat: String,
    pub(super) long: String,
    pub(super) reporter: String,
    /// Set once the resident saw the open reports nearby and still sends a new one.
    pub(super) confirm_new: String,
}

impl ReportForm {
    fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "asset" => &mut self.asset,
            "unit" => &mut self.unit,
            "diem" => &mut self.diem,
            "service_code" => &mut self.service_code,
            "description" => &mut self.description,
            "address" => &mut self.address,
            "commune" => &mut self.commune,
            "village" => &mut self.village,
            "lat" => &mut self.lat,
            "long" => &mut self.long,
            "reporter" => &mut self.reporter,
            "confirm_new" => &mut self.confirm_new,
            _ => return,
        };
        *slot = value;
    }

    fn position(&self) -> Option<(f64, f64)> {
        let number = |t: &str| t.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        number(&self.lat).zip(number(&self.long))
    }
}

/// An open report near the one being written, as the form shows it.
pub(super) struct NearbyView {
    id: String,
    service: String,
    description: String,
    distance: Option<String>,
    followers: i64,
    requested: time::OffsetDateTime,
}

#[derive(Template)]
#[template(path = "fault_form.html")]
struct FormPage {
    chrome: Chrome,
    services: Vec<(&'static str, &'static str)>,
    report: ReportForm,
    /// Each refused field's message, by field name; `general` for the rest.
    errors: Vec<(String, String)>,
    communes: Vec<UnitChoice>,
    villages: Vec<UnitChoice>,
    nearby: Vec<NearbyView>,
    /// A photo was chosen but not kept (the form came back): the resident chooses it again.
    photo_again: bool,
}

impl FormPage {
    /// The message beside `field`, if it was refused.
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, t)| t.as_str())
    }
}

fn services(lang: Lang) -> Vec<(&'static str, &'static str)> {
    actions::services()
        .into_iter()
        .map(|(code, vi, en)| (code, if lang == Lang::En { en } else { vi }))
        .collect()
}

fn choices(lang: Lang, options: &[PickerOption]) -> Vec<UnitChoice> {
    options
        .iter()
        .map(|o| UnitChoice {
            value: unit_label(lang, &o.label),
            within: o.within.clone().unwrap_or_default(),
        })
        .collect()
}

/// The field of the form an action's refusal belongs to.
fn field_of(column: &str) -> &'static str {
    match column {
        "service_code" => "service_code",
        "description" => "description",
        "lat" | "long" | "address_string" | "address" => "address",
        "photo" => "photo",
        "asset" => "asset",
        "unit" => "village",
        "contact" => "reporter",
        _ => "general",
    }
}

struct Rendered {
    report: ReportForm,
    errors: Vec<(String, String)>,
    nearby: Vec<NearbyView>,
    photo_again: bool,
}

async fn nearby(state: &AppState, lang: Lang, report: &ReportForm) -> Vec<NearbyView> {
    let asset = Some(report.asset.as_str()).filter(|a| !a.trim().is_empty());
    let found =
        match actions::nearby_open(&state.db, &report.service_code, asset, report.position()).await
        {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!(%error, "nearby reports not read; the form goes on without them");
                Vec::new()
            }
        };
    let labels = services(lang);
    found
        .into_iter()
        .map(|n| NearbyView {
            id: n.order.id.to_string(),
            service: labels
                .iter()
                .find(|(c, _)| *c == n.order.service_code)
                .map(|(_, l)| (*l).to_owned())
                .unwrap_or_default(),
            description: n.order.description.chars().take(160).collect(),
            distance: n.distance_m.map(|d| format!("{} m", d.round() as i64)),
            followers: n.followers,
            requested: n.order.requested_at,
        })
        .collect()
}

/// The form, with what was typed, its errors and the reports nearby.
fn form_page(visitor: Visitor, places: &Places, r: Rendered) -> Response {
    let lang = visitor.lang;
    render(&FormPage {
        services: services(lang),
        communes: choices(lang, &places.communes),
        villages: choices(lang, &places.villages),
        chrome: visitor.chrome,
        report: r.report,
        errors: r.errors,
        nearby: r.nearby,
        photo_again: r.photo_again,
    })
}

async fn load_places(state: &AppState) -> Places {
    actions::places(&state.db).await.unwrap_or_else(|error| {
        tracing::warn!(%error, "places not read; the form offers none");
        Places::default()
    })
}

/// `GET /bao-hong?asset=CODE&diem=TOKEN&lat=&long=`: the form, filled in from the sticker or
/// the poster (the kind guessed from the asset), with the open reports nearby.
pub(crate) async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(link): Query<ReportForm>,
) -> Response {
    let service_code = match langso_app::assets::kind_of_code(&state.db, &link.asset).await {
        Ok(Some(kind)) => kind,
        _ => link.service_code.clone(),
    };
    let report = ReportForm {
        asset: link.asset,
        unit: link.unit,
        diem: link.diem,
        lat: link.lat,
        long: link.long,
        service_code,
        ..ReportForm::default()
    };
    let nearby = nearby(&state, visitor.lang, &report).await;
    let places = load_places(&state).await;
    let rendered = Rendered {
        report,
        errors: Vec::new(),
        nearby,
        photo_again: false,
    };
    form_page(visitor, &places, rendered)
}

/// The most a report's body may weigh: the photo and the text fields around it.
pub(crate) const MAX_REPORT_BODY: usize = langso_domain::faults::MAX_PHOTO_BYTES + 256 * 1024;

/// A body over the limit: refused before it is read (by its declared length) or as soon as
/// the limit is crossed, with the form and the reason beside the photo field.
fn too_large(visitor: Visitor) -> Response {
    let reason = messages::render(
        visitor.lang,
        "fault-photo-too-large",
        &[(
            "limit",
            (langso_domain::faults::MAX_PHOTO_BYTES / (1024 * 1024)).to_string(),
        )],
    );
    // Answered at once, without the places (no database read while the client may still be
    // sending the body it will not get to finish).
    let places = Places::default();
    let rendered = Rendered {
        report: ReportForm::default(),
        errors: vec![("photo".to_owned(), reason)],
        nearby: Vec::new(),
        photo_again: false,
    };
    let page = form_page(visitor, &places, rendered);
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
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The unit code the picked village (else commune) names; a name that matches nothing is
/// refused beside its field.
fn picked_unit(
    lang: Lang,
    places: &Places,
    report: &ReportForm,
    errors: &mut Vec<(String, String)>,
) -> Option<String> {
    let worded = |label: &langso_app::units::UnitLabel| unit_label(lang, label);
    let mut find = |field: &str, text: &str, options: &[PickerOption]| {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match pick(options, text, worded).and_then(|id| options.iter().find(|o| o.label.id == id)) {
            Some(option) => Some(option.code.clone()),
            None => {
                errors.push((field.to_owned(), lang.t("fault-place-none").to_owned()));
                None
            }
        }
    };
    let village = find("village", &report.village, &places.villages);
    let commune = find("commune", &report.commune, &places.communes);
    village.or(commune).or_else(|| given(&report.unit))
}

/// `POST /bao-hong`: records the report (with its photo, if any) and sends the reporter to
/// its status page. A report with a position and open reports of its kind nearby first comes
/// back with them ("this is my problem too", or send it anyway); a refused report comes back
/// filled in, each reason beside its field.
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
    let lang = visitor.lang;
    let places = load_places(&state).await;
    let mut errors = Vec::new();
    let unit_code = picked_unit(lang, &places, &report, &mut errors);
    if !errors.is_empty() {
        let rendered = Rendered {
            report,
            errors,
            nearby: Vec::new(),
            photo_again: photo.is_some(),
        };
        let page = form_page(visitor, &places, rendered);
        return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
    }
    // A position the form page could not know (it came from the phone): the open reports
    // near it are shown before a new one is made. From a sticker, the page showed them.
    if report.confirm_new.is_empty() && report.position().is_some() {
        let near = nearby(&state, lang, &report).await;
        if !near.is_empty() {
            let rendered = Rendered {
                report: ReportForm {
                    confirm_new: "1".to_owned(),
                    ..report
                },
                errors: Vec::new(),
                nearby: near,
                photo_again: photo.is_some(),
            };
            return form_page(visitor, &places, rendered);
        }
    }
    let position = report.position();
    let input = NewReport {
        service_code: report.service_code.clone(),
        asset_code: given(&report.asset),
        latitude: position.map(|p| p.0),
        longitude: position.map(|p| p.1),
        address: report.address.clone(),
        description: report.description.clone(),
        media_url: None,
        reporter: report.reporter.clone(),
        photo,
        unit_code,
    };
    let routing = Routing {
        placement: given(&report.diem),
        default_unit: state.settings.fault_default_unit.clone(),
    };
    match actions::submit_report_routed(&state.db, &input, &routing).await {
        Ok(order) => Redirect::to(&format!("/bao-hong/{}", order.token)).into_response(),
        Err(AppError::Invalid(problems)) => {
            let photo_again = input.photo.is_some();
            let errors = problems
                .iter()
                .map(|p| (field_of(&p.column).to_owned(), messages::text(p, lang)))
                .collect();
            let rendered = Rendered {
                report,
                errors,
                nearby: Vec::new(),
                photo_again,
            };
            let page = form_page(visitor, &places, rendered);
            (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
        }
        Err(error) => visitor.fail(error).into_response(),
    }
}
