//! Who saw a household's personal data: every unmasked view, unmasked list and export
//! that showed it, by account, when and what, newest first, paged. For the commune's answer
//! to "who looked at my data": an actor with the audit right on the household's unit.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use langso_app::households::{self as actions, SEEN_PAGE, SeenLog};
use serde::Deserialize;

use crate::AppState;
use crate::html::{Chrome, Page, PageError, render};

#[derive(Template)]
#[template(path = "household_seen.html")]
struct SeenPage {
    chrome: Chrome,
    log: SeenLog,
    /// 1-based.
    page: i64,
    pages: i64,
}

impl SeenPage {
    /// What was done, in words: a view, a list, an export.
    fn what(&self, action: &str) -> &'static str {
        let kind = match action {
            "household.list_unmasked" | "household.round_unmasked" => "list",
            "household.export" => "export",
            "household.subject_export" => "subject",
            "household.consent_scan_view" => "scan",
            _ => "view",
        };
        self.chrome.tk("seen-what", kind)
    }
}

/// `?page=` (1-based).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SeenQuery {
    page: String,
}

/// GET `/households/{id}/seen`.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(query): Query<SeenQuery>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let number = query
        .page
        .trim()
        .parse::<i64>()
        .unwrap_or(1)
        .clamp(1, 100_000);
    let log = actions::seen_log(&state.db, &page.actor, id, number - 1)
        .await
        .map_err(page.failing())?;
    let pages = ((log.total + SEEN_PAGE - 1) / SEEN_PAGE).max(1);
    Ok(render(&SeenPage {
        chrome: page.chrome.clone(),
        log,
        page: number,
        pages,
    }))
}
