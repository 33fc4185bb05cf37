//! Households whose recorded values cannot be true (more adults with an indicator than the
//! household has adults, VNeID level 2 above level 1), under a unit in the reader's scope:
//! new values are refused at entry, these were entered before and are corrected by a visit.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use langso_app::households::catalogue;
use langso_app::today;
use langso_domain::units::Unit;
use serde::Deserialize;

use crate::AppState;
use crate::html::{Chrome, Page, PageError, render};
use crate::messages::{self, Lang};

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct UnitQuery {
    unit: String,
}

/// One impossible value as shown.
struct Line {
    household: String,
    code: String,
    indicator: String,
    why: String,
}

#[derive(Template)]
#[template(path = "impossible.html")]
struct ImpossiblePage {
    chrome: Chrome,
    unit: Unit,
    lines: Vec<Line>,
}

/// `/households/impossible?unit=`.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = named_unit(&state, &page, Some(query.unit.as_str())).await?;
    let fail = page.failing();
    let rows = langso_app::dashboard::impossible_values(&state.db, &page.actor, unit.id)
        .await
        .map_err(&fail)?;
    let indicators = catalogue(&state.db, today()).await.map_err(&fail)?;
    let lang = page.lang;
    let lines = rows
        .into_iter()
        .map(|r| {
            let indicator = indicators
                .iter()
                .find(|i| i.code == r.indicator)
                .map(|i| match lang {
                    Lang::En if !i.label_en.is_empty() => i.label_en.clone(),
                    _ => i.label_vi.clone(),
                })
                .unwrap_or_else(|| r.indicator.clone());
            let why = if r.value > r.adults {
                messages::render(
                    lang,
                    "impossible-above-adults",
                    &[
                        ("value", r.value.to_string()),
                        ("adults", r.adults.to_string()),
                    ],
                )
            } else {
                messages::render(
                    lang,
                    "households-vneid2-above-vneid1",
                    &[
                        ("level2", r.value.to_string()),
                        ("level1", r.vneid_1.to_string()),
                    ],
                )
            };
            Line {
                household: r.household_id.to_string(),
                code: r.code,
                indicator,
                why,
            }
        })
        .collect();
    Ok(render(&ImpossiblePage {
        chrome: page.chrome.clone(),
        unit,
        lines,
    }))
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
