//! One household: its register facts, its current indicator values and its visits, every
//! indicator and help named in words (never a code or the stored JSON).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use langso_app::households::{self as actions, HouseholdRow, HouseholdView, Indicator, VisitRow};
use langso_app::today;

use super::{help_name, label};
use crate::AppState;
use crate::html::{Chrome, Page, PageError, render};
use crate::messages::Lang;

#[derive(Template)]
#[template(path = "household.html")]
struct HouseholdPage {
    chrome: Chrome,
    view: HouseholdView,
    values: Vec<(String, i64)>,
    visits: Vec<VisitLine>,
    /// After a saved visit: the words saying so, and the next household of the round.
    saved: Option<String>,
    next: Option<HouseholdRow>,
}

/// `?saved=<day>`: the page is the answer to a visit just saved on that day.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct ShowQuery {
    saved: String,
}

/// One visit as a person reads it.
struct VisitLine {
    visited_on: time::Date,
    visitor: String,
    observed: Vec<(String, i64)>,
    help: Vec<&'static str>,
    notes: String,
}

impl VisitLine {
    /// The visit's observed values named from the indicator catalogue and its help from the
    /// message catalogue; a code either no longer holds is left out rather than shown raw.
    fn new(row: VisitRow, indicators: &[Indicator], lang: Lang) -> Self {
        let values: BTreeMap<String, i64> = serde_json::from_str(&row.observed).unwrap_or_default();
        let observed = indicators
            .iter()
            .filter_map(|i| values.get(&i.code).map(|v| (label(lang, i).0, *v)))
            .collect();
        let help = row
            .help_given
            .split(',')
            .filter_map(|code| help_name(lang, code))
            .collect();
        VisitLine {
            visited_on: row.visited_on,
            visitor: row.visitor_label,
            observed,
            help,
            notes: row.notes,
        }
    }
}

/// The household page.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let saved_on = langso_domain::units::parse_date(query.saved.trim()).ok();
    let next = match saved_on {
        Some(_) => actions::next_in_round(&state.db, &page.actor, id)
            .await
            .map_err(page.failing())?,
        None => None,
    };
    let saved = saved_on.map(|day| {
        crate::messages::render(page.lang, "round-saved", &[("day", page.chrome.day(day))])
    });
    let view = actions::get_household(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let visits = actions::visits_of(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let indicators = actions::catalogue(&state.db, today())
        .await
        .map_err(page.failing())?;
    let values = indicators
        .iter()
        .filter(|i| !i.business_only || view.row.business)
        .map(|i| {
            let value = view.values.iter().find(|(c, _)| *c == i.code);
            (label(page.lang, i).0, value.map_or(0, |(_, v)| *v))
        })
        .collect();
    let visits = visits
        .into_iter()
        .map(|row| VisitLine::new(row, &indicators, page.lang))
        .collect();
    Ok(render(&HouseholdPage {
        chrome: page.chrome,
        view,
        values,
        visits,
        saved,
        next,
    }))
}
