//! Survey progress of a unit (the actor's first by default): households visited, each
//! indicator's share, the same per child unit, per team member and per month.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use langso_app::AppError;
use langso_app::households::{self as actions, Progress};
use serde::Deserialize;

use crate::AppState;
use crate::html::{Chrome, Page, PageError, render};
use crate::messages::Lang;

/// The indicators shown per child unit (the whole list would not fit a phone).
const CHILD_COLUMNS: [&str; 3] = ["vneid_2", "epayment", "in_village_group"];

#[derive(Template)]
#[template(path = "progress.html")]
struct ProgressPage {
    chrome: Chrome,
    progress: Progress,
    lang_en: bool,
    /// Visits per month, the month as `mm/yyyy`.
    months: Vec<(String, i64)>,
}

impl ProgressPage {
    /// Whether the indicator `code` has a column in the child units' table.
    fn shown(&self, code: &str) -> bool {
        CHILD_COLUMNS.contains(&code)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct UnitQuery {
    unit: String,
}

/// `yyyy-mm` as `mm/yyyy`, as months are written in Vietnam.
fn month(text: &str) -> String {
    match text.split_once('-') {
        Some((year, month)) => format!("{month}/{year}"),
        None => text.to_owned(),
    }
}

/// The progress page.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = match query.unit.trim() {
        "" => page
            .actor
            .grants
            .first()
            .map(|g| g.unit_id)
            .ok_or_else(|| page.fail(AppError::Forbidden))?,
        text => page.id(text)?,
    };
    let progress = actions::progress(&state.db, &page.actor, unit)
        .await
        .map_err(page.failing())?;
    let months = progress
        .by_month
        .iter()
        .map(|(m, visits)| (month(m), *visits))
        .collect();
    Ok(render(&ProgressPage {
        lang_en: page.lang == Lang::En,
        chrome: page.chrome,
        progress,
        months,
    }))
}
