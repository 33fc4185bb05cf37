//! Officers' QR pages: the placements of a unit, adding one, one placement with its QR code,
//! downloads and the take-down switch.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::auth::policy;
use langso_app::procedures::{
    self as actions, NewPlacement, PlaceKind, Placement, ProcedureVersion,
};
use langso_app::{Actor, AppError, units};
use langso_domain::auth::Permission;
use langso_domain::units::Unit;
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{Authenticated, csrf_ok};
use crate::html::PageError;
use crate::messages::Lang;

#[derive(Template)]
#[template(path = "qr_index.html")]
struct IndexPage {
    chrome: Chrome,
    unit: Unit,
    placements: Vec<Placement>,
    manage: bool,
}

#[derive(Template)]
#[template(path = "qr_new.html")]
struct NewPage {
    chrome: Chrome,
    unit: Unit,
    kinds: Vec<&'static str>,
    guides: Vec<ProcedureVersion>,
    form: FormValues,
    errors: Vec<(String, String)>,
}

/// What the officer typed, shown again next to the errors.
#[derive(Default)]
struct FormValues {
    kind: String,
    label: String,
    latitude: String,
    longitude: String,
    checked: Vec<String>,
}

impl FormValues {
    fn from(form: &HashMap<String, String>) -> FormValues {
        let get = |name: &str| form.get(name).cloned().unwrap_or_default();
        FormValues {
            kind: get("kind"),
            label: get("label"),
            latitude: get("latitude"),
            longitude: get("longitude"),
            checked: form
                .keys()
                .filter_map(|k| k.strip_prefix("proc."))
                .map(str::to_owned)
                .collect(),
        }
    }

    fn is_checked(&self, code: &str) -> bool {
        self.checked.iter().any(|c| c == code)
    }
}

#[derive(Template)]
#[template(path = "qr_placement.html")]
struct PlacementPage {
    chrome: Chrome,
    placement: Placement,
    unit: Unit,
    scan_url: String,
    qr_svg: String,
    coordinates: Option<String>,
    manage: bool,
}

#[derive(Deserialize)]
pub(super) struct UnitQuery {
    unit: Option<String>,
}

impl Chrome {
    /// The label of a place kind.
    pub fn place(&self, kind: &PlaceKind) -> &'static str {
        self.lang.t(&format!("place-{}", kind.as_str()))
    }
}

fn fail(lang: Lang) -> impl Fn(AppError) -> PageError {
    move |error| PageError { error, lang }
}

/// The unit asked for, or the actor's first unit.
pub(super) async fn chosen_unit(
    state: &AppState,
    actor: &Actor,
    param: Option<&str>,
    lang: Lang,
) -> Result<Unit, PageError> {
    let id = match param.map(str::trim).filter(|p| !p.is_empty()) {
        Some(text) => Uuid::parse_str(text).map_err(|_| PageError {
            error: AppError::NotFound,
            lang,
        })?,
        None => actor.grants.first().map(|g| g.unit_id).ok_or(PageError {
            error: AppError::Forbidden,
            lang,
        })?,
    };
    units::get(&state.db, id).await.map_err(fail(lang))
}

pub(super) async fn index(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = chosen_unit(&state, &actor, query.unit.as_deref(), lang).await?;
    let placements = actions::placements_under(&state.db, &actor, unit.id)
        .await
        .map_err(fail(lang))?;
    let manage = policy::allows(&state.db, &actor, Permission::ManagePlacements, unit.id)
        .await
        .map_err(fail(lang))?;
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    Ok(render(&IndexPage {
        chrome,
        unit,
        placements,
        manage,
    }))
}

async fn new_page(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    uri: &Uri,
    unit: Unit,
    form: HashMap<String, String>,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(headers);
    let guides = actions::guides(&state.db).await.map_err(fail(lang))?;
    let chrome = Chrome::for_request(state, headers, uri, Some(actor));
    let kinds = PlaceKind::ALL.iter().map(|k| k.as_str()).collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = NewPage {
        chrome,
        unit,
        kinds,
        guides,
        form: FormValues::from(&form),
        errors,
    };
    Ok((status, render(&page)).into_response())
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = chosen_unit(&state, &actor, query.unit.as_deref(), lang).await?;
    policy::require(&state.db, &actor, Permission::ManagePlacements, unit.id)
        .await
        .map_err(fail(lang))?;
    new_page(
        &state,
        &actor,
        &headers,
        &uri,
        unit,
        HashMap::new(),
        Vec::new(),
    )
    .await
}

fn coordinate(form: &HashMap<String, String>, name: &str) -> Result<Option<f64>, (String, String)> {
    match form
        .get(name)
        .map(|v| v.trim().replace(',', "."))
        .filter(|v| !v.is_empty())
    {
        None => Ok(None),
        Some(text) => text.parse::<f64>().map(Some).map_err(|_| {
            (
                name.to_owned(),
                "không phải số (ví dụ 21.0912) / not a number (e.g. 21.0912)".to_owned(),
            )
        }),
    }
}

pub(super) async fn create(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&actor, form.get("csrf").map_or("", String::as_str)) {
        return Err(PageError {
            error: AppError::Forbidden,
            lang,
        });
    }
    let unit = chosen_unit(
        &state,
        &actor,
        Some(form.get("unit").map_or("", String::as_str)),
        lang,
    )
    .await?;
    let mut errors = Vec::new();
    let latitude = coordinate(&form, "latitude")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let longitude = coordinate(&form, "longitude")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let mut procedures: Vec<String> = form
        .keys()
        .filter_map(|k| k.strip_prefix("proc."))
        .map(str::to_owned)
        .collect();
    procedures.sort();
    let input = NewPlacement {
        unit_id: unit.id,
        kind: form.get("kind").cloned().unwrap_or_default(),
        label: form.get("label").cloned().unwrap_or_default(),
        latitude,
        longitude,
        procedures,
    };
    if !errors.is_empty() {
        policy::require(&state.db, &actor, Permission::ManagePlacements, unit.id)
            .await
            .map_err(fail(lang))?;
        return new_page(&state, &actor, &headers, &uri, unit, form, errors).await;
    }
    match actions::create_placement(&state.db, &actor, input).await {
        Ok(placement) => {
            state.public.clear();
            Ok(Redirect::to(&format!("/qr/placements/{}", placement.id)).into_response())
        }
        Err(AppError::Invalid(problems)) => {
            let errors = crate::messages::field_errors(problems, lang);
            new_page(&state, &actor, &headers, &uri, unit, form, errors).await
        }
        Err(error) => Err(PageError { error, lang }),
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = Uuid::parse_str(&id).map_err(|_| PageError {
        error: AppError::NotFound,
        lang,
    })?;
    let placement = actions::placement(&state.db, &actor, id)
        .await
        .map_err(fail(lang))?;
    let settings = state.poster_settings(&headers);
    let qr_svg = actions::qr_svg(&state.db, &actor, id, &settings, 256)
        .await
        .map_err(fail(lang))?;
    let unit = units::get(&state.db, placement.unit_id)
        .await
        .map_err(fail(lang))?;
    let manage = policy::allows(&state.db, &actor, Permission::ManagePlacements, unit.id)
        .await
        .map_err(fail(lang))?;
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    let scan_url = settings.scan_url(&placement);
    let coordinates = placement
        .latitude
        .zip(placement.longitude)
        .map(|(lat, lon)| format!("{lat:.5}, {lon:.5}"));
    Ok(render(&PlacementPage {
        chrome,
        placement,
        unit,
        scan_url,
        qr_svg,
        coordinates,
        manage,
    }))
}

#[derive(Deserialize)]
pub(super) struct ActiveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    active: String,
}

pub(super) async fn set_active(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&actor, &form.csrf) {
        return Err(PageError {
            error: AppError::Forbidden,
            lang,
        });
    }
    let id = Uuid::parse_str(&id).map_err(|_| PageError {
        error: AppError::NotFound,
        lang,
    })?;
    actions::set_active(&state.db, &actor, id, form.active == "1")
        .await
        .map_err(fail(lang))?;
    state.public.clear();
    Ok(Redirect::to(&format!("/qr/placements/{id}")).into_response())
}
