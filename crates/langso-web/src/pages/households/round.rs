//! "My round" (the signed-in member's households in walking order, by village and hamlet,
//! filtered by village, alley or due follow-ups, fifty a page) and the printed round sheet
//! (one A4 list per alley with blank columns for the indicators in force, for a team that
//! works on paper). Filters and pages are plain GET links: no JavaScript needed.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use langso_app::households::{self as actions, RoundFilter, RoundView, SheetAlley};
use langso_app::today;
use serde::Deserialize;
use uuid::Uuid;

use super::label;
use crate::AppState;
use crate::html::{Chrome, Page, PageError, render};

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    chrome: Chrome,
    view: RoundView,
    query: RoundQuery,
    left_line: String,
}

#[derive(Template)]
#[template(path = "round_sheet.html")]
struct SheetPage {
    chrome: Chrome,
    sheets: Vec<SheetAlley>,
    /// The indicators in force, in the reader's language: one blank column each.
    columns: Vec<String>,
}

/// The round's filters, as GET parameters.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct RoundQuery {
    village: String,
    alley: String,
    overdue: String,
    page: String,
}

impl RoundQuery {
    fn village_id(&self) -> Option<Uuid> {
        Uuid::parse_str(self.village.trim()).ok()
    }

    fn overdue(&self) -> bool {
        !self.overdue.trim().is_empty()
    }

    /// This page's address with another page number, filters kept.
    fn link(&self, page: usize) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [("village", &self.village), ("alley", &self.alley)] {
            if !value.trim().is_empty() {
                query.append_pair(name, value.trim());
            }
        }
        if self.overdue() {
            query.append_pair("overdue", "1");
        }
        query.append_pair("page", &page.to_string());
        format!("/round?{}", query.finish())
    }

    /// The sheet of this round, filtered by alley as the round is.
    fn sheet_link(&self) -> String {
        match self.alley.trim() {
            "" => "/round/sheet".to_owned(),
            alley => format!(
                "/round/sheet?{}",
                form_urlencoded::Serializer::new(String::new())
                    .append_pair("alley", alley)
                    .finish()
            ),
        }
    }
}

/// The signed-in member's round, one page of it.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<RoundQuery>,
) -> Result<Response, PageError> {
    let filter = RoundFilter {
        village: query.village_id(),
        alley: Some(query.alley.trim().to_owned()).filter(|a| !a.is_empty()),
        overdue: query.overdue(),
        page: query.page.trim().parse().unwrap_or(1),
    };
    let view = actions::round_page(&state.db, &page.actor, &filter)
        .await
        .map_err(page.failing())?;
    let left_line = crate::messages::render(
        page.lang,
        "round-left",
        &[
            ("left", page.chrome.count(view.matching_left as i64)),
            ("total", page.chrome.count(view.matching as i64)),
            ("since", page.chrome.day(view.since)),
        ],
    );
    Ok(render(&RoundPage {
        chrome: page.chrome,
        view,
        query,
        left_line,
    }))
}

/// What a sheet lists: a unit's households (by id) or the reader's own round, one alley or all.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SheetQuery {
    unit: String,
    alley: String,
}

/// The printed round sheet.
pub(super) async fn sheet(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<SheetQuery>,
) -> Result<Response, PageError> {
    let unit = match query.unit.trim() {
        "" => None,
        text => Some(page.id(text)?),
    };
    let alley = Some(query.alley.trim()).filter(|a| !a.is_empty());
    let sheets = actions::round_sheet(&state.db, &page.actor, unit, alley)
        .await
        .map_err(page.failing())?;
    let columns = actions::catalogue(&state.db, today())
        .await
        .map_err(page.failing())?
        .iter()
        .map(|i| label(page.lang, i).0)
        .collect();
    Ok(render(&SheetPage {
        chrome: page.chrome,
        sheets,
        columns,
    }))
}
