//! The criteria sets: every version with its province and validity, one set with each
//! criterion and how it is measured in words, and the import of a set file by a province
//! officer (the export is the API's JSON download).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use langso_app::criteria::{self as actions, CriteriaSet};
use langso_app::{Actor, AppError, today};
use langso_domain::auth::Permission;
use langso_domain::criteria::{Basis, Rule};
use langso_domain::units::UnitKind;

use super::{Errors, amount, label, read_upload, share};
use crate::AppState;
use crate::html::render_form;
use crate::html::{Chrome, Page, PageError, render};
use crate::messages::Lang;

/// One set as listed: the set and its province's name.
struct SetRow {
    set: CriteriaSet,
    province: String,
}

#[derive(Template)]
#[template(path = "criteria_sets.html")]
struct SetsPage {
    chrome: Chrome,
    sets: Vec<SetRow>,
    import: bool,
    errors: Errors,
}

/// Whether the actor holds the programme right on a province (may import sets).
async fn on_a_province(state: &AppState, actor: &Actor) -> Result<bool, AppError> {
    if actor.is_system() {
        return Ok(true);
    }
    for root in actor.roots(Permission::ManageProgramme) {
        if langso_app::units::get(&state.db, root).await?.kind == UnitKind::Province {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The province's name (its code if it cannot be read).
async fn province_name(state: &AppState, set: &CriteriaSet) -> String {
    langso_app::units::get(&state.db, set.province_id)
        .await
        .map_or_else(|_| set.province_code.clone(), |unit| unit.name)
}

async fn sets_page(state: &AppState, page: &Page, errors: Errors) -> Result<Response, PageError> {
    let mut sets = Vec::new();
    for set in actions::list_sets(&state.db)
        .await
        .map_err(page.failing())?
    {
        let province = province_name(state, &set).await;
        sets.push(SetRow { set, province });
    }
    let import = on_a_province(state, &page.actor)
        .await
        .map_err(page.failing())?;
    let shown = SetsPage {
        chrome: page.chrome.clone(),
        sets,
        import,
        errors,
    };
    Ok(render_form(&shown, &shown.errors))
}

/// `/criteria`: every criteria set version, and the import form for province officers.
pub(super) async fn index(
    State(state): State<AppState>,
    page: Page,
) -> Result<Response, PageError> {
    sets_page(&state, &page, Vec::new()).await
}

/// POST `/criteria` (multipart): imports a set file as a new version for its province.
pub(super) async fn import(
    State(state): State<AppState>,
    page: Page,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let upload = read_upload(&page, multipart).await?;
    let result = match actions::import_json(&upload.file.bytes) {
        Ok(file) => actions::import_set(&state.db, &page.actor, &file).await,
        Err(error) => Err(error),
    };
    page.form_or_redirect(
        result,
        |set| format!("/criteria/{}", set.id),
        async |errors| sets_page(&state, &page, errors).await,
    )
    .await
}

/// One criterion as shown in a set: its name (the province's text) and its rule in words,
/// with what a manual criterion's evidence should show (also the province's text).
struct CriterionView {
    label: String,
    rule: String,
    evidence: String,
}

#[derive(Template)]
#[template(path = "criteria_set.html")]
struct SetPage {
    chrome: Chrome,
    set: CriteriaSet,
    province: String,
    criteria: Vec<CriterionView>,
}

/// How a rule reads, in the reader's language; `indicators` names the indicators.
fn describe(chrome: &Chrome, rule: &Rule, indicators: &HashMap<String, String>) -> String {
    match rule {
        Rule::IndicatorShare {
            indicator,
            basis,
            min_share,
        } => {
            let basis = match basis {
                Basis::Households => chrome.t("crit-basis-households"),
                Basis::Adults => chrome.t("crit-basis-adults"),
                Basis::BusinessHouseholds => chrome.t("crit-basis-business"),
            };
            let indicator = indicators
                .get(indicator)
                .map_or(chrome.t("crit-indicator-unknown"), String::as_str);
            format!("{indicator} ÷ {basis} ≥ {}", share(chrome, *min_share))
        }
        Rule::Assets {
            asset,
            min,
            per_100_households,
        } => {
            let per = if *per_100_households {
                chrome.t("crit-per-100")
            } else {
                ""
            };
            let kind = chrome.tk("asset-kind", asset);
            format!("{kind} ≥ {}{per}", amount(chrome, *min))
        }
        Rule::TeamMembers { min } => {
            format!("{} ≥ {}", chrome.t("crit-team-members"), chrome.count(*min))
        }
        Rule::GroupCoverage { min_share } => {
            format!(
                "{} ≥ {}",
                chrome.t("crit-group-coverage"),
                share(chrome, *min_share)
            )
        }
        Rule::QrPlacements { min } => format!("{} ≥ {}", chrome.t("crit-qr"), chrome.count(*min)),
        Rule::Manual { .. } => chrome.t("crit-manual").to_owned(),
    }
}

/// The indicators in force today by code, named in the reader's language.
pub(super) async fn indicator_names(
    state: &AppState,
    page: &Page,
) -> Result<HashMap<String, String>, PageError> {
    let catalogue = langso_app::households::catalogue(&state.db, today())
        .await
        .map_err(page.failing())?;
    Ok(catalogue
        .into_iter()
        .map(|i| {
            let name = match page.lang {
                Lang::En if !i.label_en.is_empty() => i.label_en,
                _ => i.label_vi,
            };
            (i.code, name)
        })
        .collect())
}

/// `/criteria/{id}`: one set version with its criteria, and the export link.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let set = actions::list_sets(&state.db)
        .await
        .map_err(page.failing())?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| page.not_found())?;
    let indicators = indicator_names(&state, &page).await?;
    let criteria = set
        .criteria
        .iter()
        .map(|c| CriterionView {
            label: label(c, page.lang),
            rule: describe(&page.chrome, &c.rule, &indicators),
            evidence: match &c.rule {
                Rule::Manual { evidence_vi } => evidence_vi.clone(),
                _ => String::new(),
            },
        })
        .collect();
    let province = province_name(&state, &set).await;
    Ok(render(&SetPage {
        chrome: page.chrome.clone(),
        set,
        province,
        criteria,
    }))
}
