//! Operator alerts in the web: the list of open and recent alerts for the installation's root
//! admins (the banner on every page is the toolkit's, `html::alerts`).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use time::OffsetDateTime;

use crate::AppState;
use crate::html::alerts::describe;
use crate::html::{Chrome, Page, PageError, Routes, render};

/// The alerts screen.
pub(super) fn routes() -> Routes {
    Routes::new().get("/admin/alerts", index)
}

/// An alert as listed.
struct Row {
    text: String,
    opened_at: OffsetDateTime,
    last_seen_at: OffsetDateTime,
    resolved_at: Option<OffsetDateTime>,
}

#[derive(Template)]
#[template(path = "ops_alerts.html")]
struct AlertsPage {
    chrome: Chrome,
    open: Vec<Row>,
    past: Vec<Row>,
    last_backup: Option<OffsetDateTime>,
}

async fn index(page: Page, State(state): State<AppState>) -> Result<Response, PageError> {
    let listed = langso_app::ops::alerts_page(&state.db, &state.ops, &page.actor)
        .await
        .map_err(page.failing())?;
    let (open, past): (Vec<Row>, Vec<Row>) = listed
        .alerts
        .iter()
        .map(|alert| Row {
            text: describe(page.lang, alert),
            opened_at: alert.opened_at,
            last_seen_at: alert.last_seen_at,
            resolved_at: alert.resolved_at,
        })
        .partition(|row| row.resolved_at.is_none());
    Ok(render(&AlertsPage {
        chrome: page.chrome,
        open,
        past,
        last_backup: listed.last_backup,
    }))
}
