//! Plans and their targets for officers: the plans issued by a unit or the units above it,
//! a form to enter one (number and symbol, date, title), and on a plan's page its yearly
//! targets per indicator and unit with a form to set one. The dashboard and the monthly
//! report then show the gap to them.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use langso_app::auth::policy;
use langso_app::dashboard::{self as actions, PlanInput, PlanRow, PlanView, TargetInput};
use langso_app::households::{Indicator, catalogue};
use langso_app::{AppError, CellError, today};
use langso_domain::auth::Permission;
use langso_domain::households::IndicatorKind;
use langso_domain::units::{Unit, parse_date};
use serde::Deserialize;

use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, render_form};
use crate::messages::Lang;

type Errors = Vec<(String, String)>;

/// `?unit=<id>`.
#[derive(Deserialize)]
pub(super) struct UnitQuery {
    unit: Option<String>,
}

/// The form to enter a plan, as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PlanForm {
    unit: String,
    number: String,
    issued_on: String,
    title: String,
}

/// The form to set a target, as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TargetForm {
    unit: String,
    indicator: String,
    year: String,
    value: String,
}

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    chrome: Chrome,
    unit: Unit,
    plans: Vec<PlanRow>,
    write: bool,
    form: PlanForm,
    errors: Errors,
}

/// A target as shown: unit name, indicator label, year, target worded.
struct TargetLine {
    unit: String,
    indicator: String,
    year: i64,
    value: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    chrome: Chrome,
    plan: PlanRow,
    issuer: String,
    targets: Vec<TargetLine>,
    /// (id, name) of the units a target may be set for: the issuer and the units under it.
    units: Vec<(String, String)>,
    /// (code, label, unit of the value: "%" or an average's word).
    indicators: Vec<(String, String, bool)>,
    write: bool,
    form: TargetForm,
    errors: Errors,
}

fn label(lang: Lang, i: &Indicator) -> String {
    match lang {
        Lang::En if !i.label_en.is_empty() => i.label_en.clone(),
        _ => i.label_vi.clone(),
    }
}

async fn plans_page(
    state: &AppState,
    page: &Page,
    unit: Unit,
    form: PlanForm,
    errors: Errors,
) -> Result<Response, PageError> {
    let plans = actions::plans_for(&state.db, &page.actor, unit.id)
        .await
        .map_err(page.failing())?;
    let write = policy::allows(&state.db, &page.actor, Permission::ManageProgramme, unit.id)
        .await
        .map_err(page.failing())?;
    let shown = PlansPage {
        chrome: page.chrome.clone(),
        unit,
        plans,
        write,
        form,
        errors,
    };
    Ok(render_form(&shown, &shown.errors))
}

/// `/plans?unit=`: the plans issued by the unit or above it, and the form to enter one.
pub(super) async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = named_unit(&state, &page, query.unit.as_deref()).await?;
    plans_page(&state, &page, unit, PlanForm::default(), Vec::new()).await
}

/// POST `/plans`: enters a plan.
pub(super) async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<PlanForm>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(&form.unit)).await?;
    let issued_on = parse_date(form.issued_on.trim()).ok();
    let input = PlanInput {
        unit_id: Some(unit.id),
        number: form.number.clone(),
        issued_on,
        title: form.title.clone(),
    };
    let result = actions::create_plan(&state.db, &page.actor, &input).await;
    page.form_or_redirect(
        result,
        |plan| format!("/plans/{}", plan.id),
        async |errors| plans_page(&state, &page, unit, form, errors).await,
    )
    .await
}

async fn plan_page(
    state: &AppState,
    page: &Page,
    view: PlanView,
    form: TargetForm,
    errors: Errors,
) -> Result<Response, PageError> {
    let (db, lang) = (&state.db, page.lang);
    let fail = page.failing();
    let indicators = catalogue(db, today()).await.map_err(&fail)?;
    let issuer = langso_app::units::get(db, view.plan.unit_id)
        .await
        .map_err(&fail)?;
    let mut units = vec![(issuer.id.to_string(), issuer.name.clone())];
    for child in langso_app::units::children(db, issuer.id, today())
        .await
        .map_err(&fail)?
    {
        units.push((child.id.to_string(), child.name));
    }
    let name_of = |id: uuid::Uuid| {
        units
            .iter()
            .find(|(u, _)| *u == id.to_string())
            .map(|(_, n)| n.clone())
    };
    let mut targets = Vec::new();
    for t in &view.targets {
        let unit = match name_of(t.unit_id) {
            Some(name) => name,
            None => {
                langso_app::units::get(db, t.unit_id)
                    .await
                    .map_err(&fail)?
                    .name
            }
        };
        let indicator = indicators.iter().find(|i| i.code == t.indicator);
        let value = match indicator {
            Some(i) if i.kind == IndicatorKind::Count => crate::messages::render(
                lang,
                "dashboard-average",
                &[(
                    "value",
                    langso_domain::locale::decimal(t.target, 1, lang.number_style()),
                )],
            ),
            _ => page
                .chrome
                .percent((t.target * 1000.0).round() as i64, 1000),
        };
        targets.push(TargetLine {
            unit,
            indicator: indicator
                .map(|i| label(lang, i))
                .unwrap_or_else(|| t.indicator.clone()),
            year: t.year,
            value,
        });
    }
    let write = policy::allows(db, &page.actor, Permission::ManageProgramme, issuer.id)
        .await
        .map_err(&fail)?;
    let shown = PlanPage {
        chrome: page.chrome.clone(),
        issuer: issuer.name,
        plan: view.plan,
        targets,
        units,
        indicators: indicators
            .iter()
            .map(|i| {
                (
                    i.code.clone(),
                    label(lang, i),
                    i.kind == IndicatorKind::Count,
                )
            })
            .collect(),
        write,
        form,
        errors,
    };
    Ok(render_form(&shown, &shown.errors))
}

/// `/plans/{id}`: a plan, its targets and the form to set one.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let view = actions::plan(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let form = TargetForm {
        year: (today().year() + 1).to_string(),
        ..TargetForm::default()
    };
    plan_page(&state, &page, view, form, Vec::new()).await
}

/// POST `/plans/{id}/targets`: sets a yearly target.
pub(super) async fn set_target(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<TargetForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let view = actions::plan(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let number = |field: &str, text: &str| {
        text.trim()
            .replace(',', ".")
            .parse::<f64>()
            .map_err(|_| CellError::keyed(0, field, "plans-target-not-number", &[]))
    };
    let parsed = (
        number("year", &form.year),
        number("value", &form.value),
        uuid::Uuid::parse_str(form.unit.trim()).ok(),
    );
    let result = match parsed {
        (Ok(year), Ok(value), unit) => {
            let input = TargetInput {
                unit_id: unit,
                indicator: form.indicator.trim().to_owned(),
                year: year as i64,
                value,
            };
            actions::set_target(&state.db, &page.actor, id, &input).await
        }
        (Err(e), _, _) | (_, Err(e), _) => Err(AppError::Invalid(vec![e])),
    };
    page.form_or_redirect(
        result,
        |_| format!("/plans/{id}"),
        async |errors| plan_page(&state, &page, view, form, errors).await,
    )
    .await
}

/// The unit a link names by id or by code (`?unit=09817`), else the reader's first.
async fn named_unit(state: &AppState, page: &Page, text: Option<&str>) -> Result<Unit, PageError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => {
            let id = langso_app::units::resolve(&state.db, Some(text), today())
                .await
                .map_err(page.failing())?;
            langso_app::units::get(&state.db, id)
                .await
                .map_err(page.failing())
        }
        None => page.unit(state, None).await,
    }
}
