//! The units domain in the web: the tree as of a date, search, and one unit's history and
//! lineage. Public: anyone may read the administrative map, signed in or not.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use langso_app::AppError;
use langso_app::units::LineageRecord;
use langso_app::units::{self as actions, Branch, SearchHit, UnitDetails};
use langso_domain::units::parse_date;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use crate::AppState;
use crate::html::{Chrome, PageError, Routes, Visitor, render};

/// The units screens.
pub(super) fn routes() -> Routes {
    Routes::new().get("/units", index).get("/units/{id}", show)
}

#[derive(Deserialize)]
pub(super) struct UnitsQuery {
    q: Option<String>,
    date: Option<String>,
}

#[derive(Template)]
#[template(path = "units.html")]
struct UnitsPage {
    chrome: Chrome,
    query: String,
    date_text: String,
    date_error: bool,
    date: Date,
    hits: Option<Vec<SearchHit>>,
    tree: Vec<Branch>,
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    chrome: Chrome,
    details: UnitDetails,
    in_force_today: bool,
    came_from: Vec<LineageRecord>,
    went_to: Vec<LineageRecord>,
    counts: Vec<(&'static str, i64)>,
}

/// Parses the `date` field: `(date, was it invalid)`; an invalid one falls back to today and is
/// flagged next to the field.
fn date_field(text: Option<&str>) -> (Option<Date>, bool) {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => (None, false),
        Some(text) => match parse_date(text) {
            Ok(date) => (Some(date), false),
            Err(_) => (None, true),
        },
    }
}

/// The tree, and the search results when something was asked.
async fn index(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<UnitsQuery>,
) -> Result<Response, PageError> {
    let fail = |error: AppError| visitor.fail(error);
    let (date, date_error) = date_field(query.date.as_deref());
    let shown_date = date.unwrap_or_else(langso_app::today);
    let text = query.q.clone().unwrap_or_default();
    let hits = match text.trim() {
        "" => None,
        q => Some(
            actions::search(&state.db, q, date, 50)
                .await
                .map_err(fail)?,
        ),
    };
    let tree = actions::tree(&state.db, None, shown_date, 3)
        .await
        .map_err(fail)?;
    Ok(render(&UnitsPage {
        chrome: visitor.chrome,
        query: text,
        date_text: query.date.unwrap_or_default(),
        date_error,
        date: shown_date,
        hits,
        tree,
    }))
}

/// One unit: what it is, where it came from and went, what it holds.
async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(query): Query<UnitsQuery>,
) -> Result<Response, PageError> {
    let lang = visitor.lang;
    let id = Uuid::parse_str(&id).map_err(|_| visitor.fail(AppError::NotFound))?;
    let (date, _) = date_field(query.date.as_deref());
    let details = actions::details(&state.db, id, date)
        .await
        .map_err(|error| visitor.fail(error))?;
    let in_force_today = details.unit.validity.contains(langso_app::today());
    let id = details.unit.id;
    let (came_from, went_to) = details
        .lineage
        .iter()
        .cloned()
        .partition::<Vec<_>, _>(|record| record.new.id == id);
    let counts = details
        .descendant_counts
        .iter()
        .map(|(kind, count)| (lang.t(&format!("kind-{kind}")), *count))
        .collect();
    Ok(render(&UnitPage {
        chrome: visitor.chrome,
        details,
        in_force_today,
        came_from,
        went_to,
        counts,
    }))
}

impl crate::html::Chrome {
    /// "12 units under it", the summary that opens a branch of the tree (the unit's own link
    /// stands before it: a link inside a summary would be a control inside a control).
    pub fn children(&self, count: usize) -> String {
        crate::messages::render(self.lang, "units-children", &[("count", count.to_string())])
    }
}
