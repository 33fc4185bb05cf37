//! Officers' QR pages: the placements of a unit, adding one, one placement with its QR code,
//! downloads and the take-down switch.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::auth::policy;
use langso_app::procedures::{self as actions, NewPlacement, PlaceKind, Placement};
use langso_app::{AppError, AppResult, CellError, units};
use langso_domain::auth::Permission;
use langso_domain::units::Unit;
use serde::Deserialize;
use uuid::Uuid;

use super::{named, names};
use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, render};

#[derive(Template)]
#[template(path = "qr_index.html")]
struct IndexPage {
    chrome: Chrome,
    unit: Unit,
    /// Each placement with the names of its procedures.
    placements: Vec<(Placement, Vec<String>)>,
    manage: bool,
}

#[derive(Template)]
#[template(path = "qr_new.html")]
struct NewPage {
    chrome: Chrome,
    unit: Unit,
    kinds: Vec<&'static str>,
    /// (code, name) of every guide in force.
    guides: Vec<(String, String)>,
    form: PlacementForm,
    errors: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "qr_placement.html")]
struct PlacementPage {
    chrome: Chrome,
    placement: Placement,
    /// (code, name) of its procedures, in poster order.
    procedures: Vec<(String, String)>,
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

/// The new-placement form as typed, shown again beside its errors. Each offered procedure is
/// a checkbox named `proc.<code>`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PlacementForm {
    unit: String,
    kind: String,
    label: String,
    latitude: String,
    longitude: String,
    #[serde(flatten)]
    others: HashMap<String, String>,
}

impl PlacementForm {
    /// The codes ticked, sorted.
    fn procedures(&self) -> Vec<String> {
        let mut codes: Vec<String> = self
            .others
            .keys()
            .filter_map(|k| k.strip_prefix("proc."))
            .map(str::to_owned)
            .collect();
        codes.sort();
        codes
    }

    fn is_checked(&self, code: &str) -> bool {
        self.others.contains_key(&format!("proc.{code}"))
    }

    /// The placement described, or every coordinate that is not a number.
    fn placement(&self, unit_id: Uuid) -> AppResult<NewPlacement> {
        let mut problems = Vec::new();
        let mut coordinate = |name: &str, text: &str| {
            let text = text.trim().replace(',', ".");
            if text.is_empty() {
                return None;
            }
            text.parse::<f64>()
                .map_err(|_| problems.push(CellError::keyed(0, name, "qr-not-a-number", &[])))
                .ok()
        };
        let latitude = coordinate("latitude", &self.latitude);
        let longitude = coordinate("longitude", &self.longitude);
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        Ok(NewPlacement {
            unit_id,
            kind: self.kind.clone(),
            label: self.label.clone(),
            latitude,
            longitude,
            procedures: self.procedures(),
        })
    }
}

/// `GET /qr?unit=`: the placements under a unit.
pub(super) async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    let placements = actions::placements_under(&state.db, &page.actor, unit.id)
        .await
        .map_err(page.failing())?;
    let manage = policy::allows(
        &state.db,
        &page.actor,
        Permission::ManagePlacements,
        unit.id,
    )
    .await
    .map_err(page.failing())?;
    let names = names(&state, &page).await?;
    let placements = placements
        .into_iter()
        .map(|p| {
            let named = p.procedures.iter().map(|c| named(&names, c)).collect();
            (p, named)
        })
        .collect();
    Ok(render(&IndexPage {
        chrome: page.chrome,
        unit,
        placements,
        manage,
    }))
}

/// The new-placement form, with `errors` (422) or without (200).
async fn new_page(
    state: &AppState,
    page: &Page,
    unit: Unit,
    form: PlacementForm,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let mut guides: Vec<(String, String)> = names(state, page).await?.into_iter().collect();
    guides.sort();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let new = NewPage {
        chrome: page.chrome.clone(),
        unit,
        kinds: PlaceKind::ALL.iter().map(|k| k.as_str()).collect(),
        guides,
        form,
        errors,
    };
    Ok((status, render(&new)).into_response())
}

/// `GET /qr/new?unit=`.
pub(super) async fn new_form(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    policy::require(
        &state.db,
        &page.actor,
        Permission::ManagePlacements,
        unit.id,
    )
    .await
    .map_err(page.failing())?;
    new_page(&state, &page, unit, PlacementForm::default(), Vec::new()).await
}

/// `POST /qr/new`: records the placement and shows it, or the form with what to fix.
pub(super) async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<PlacementForm>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(&form.unit)).await?;
    let result = match form.placement(unit.id) {
        Ok(input) => actions::create_placement(&state.db, &page.actor, input).await,
        Err(refused) => {
            // Only someone who may add placements sees the form again.
            policy::require(
                &state.db,
                &page.actor,
                Permission::ManagePlacements,
                unit.id,
            )
            .await
            .map_err(page.failing())?;
            Err(refused)
        }
    };
    if result.is_ok() {
        state.public.clear();
    }
    page.form_or_redirect(
        result,
        |placement| format!("/qr/placements/{}", placement.id),
        async |errors| new_page(&state, &page, unit, form, errors).await,
    )
    .await
}

/// `GET /qr/placements/{id}`: one placement with its QR code. The request's host names the
/// scan address when no public address is configured.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let placement = actions::placement(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let settings = state.poster_settings(&headers);
    let qr_svg = actions::qr_svg(&state.db, &page.actor, id, &settings, 256)
        .await
        .map_err(page.failing())?;
    let unit = units::get(&state.db, placement.unit_id)
        .await
        .map_err(page.failing())?;
    let manage = policy::allows(
        &state.db,
        &page.actor,
        Permission::ManagePlacements,
        unit.id,
    )
    .await
    .map_err(page.failing())?;
    let names = names(&state, &page).await?;
    let procedures = placement
        .procedures
        .iter()
        .map(|c| (c.to_string(), named(&names, c)))
        .collect();
    let scan_url = settings.scan_url(&placement);
    let coordinates = placement
        .latitude
        .zip(placement.longitude)
        .map(|(lat, lon)| format!("{lat:.5}, {lon:.5}"));
    Ok(render(&PlacementPage {
        chrome: page.chrome,
        placement,
        procedures,
        unit,
        scan_url,
        qr_svg,
        coordinates,
        manage,
    }))
}

/// The take-down switch: `active` is `1` to put the poster back, anything else to take it down.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ActiveForm {
    active: String,
}

/// `POST /qr/placements/{id}/active`.
pub(super) async fn set_active(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    actions::set_active(&state.db, &page.actor, id, form.active == "1")
        .await
        .map_err(page.failing())?;
    state.public.clear();
    Ok(Redirect::to(&format!("/qr/placements/{id}")).into_response())
}
