//! The audit domain in the web: the log filtered by action and days, read as sentences
//! (actions and target kinds in words, times in Vietnam), and downloaded as CSV.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use langso_app::audit::{self as actions, AuditQuery};
use langso_app::auth::policy;
use langso_domain::auth::Permission;
use langso_domain::units::parse_date;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::AppState;
use crate::files::{Disposition, download};
use crate::html::{Chrome, Page, PageError, Routes, render, url_encode};
use crate::messages::Lang;

/// The audit screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/audit", index)
        .get("/audit/export", export)
}

/// The areas an action belongs to (the part of its name before the dot), offered as the
/// filter's choices so nobody types an action's code.
const AREAS: [&str; 19] = [
    "household",
    "user",
    "session",
    "token",
    "team",
    "outreach",
    "group",
    "announcement",
    "units",
    "criteria",
    "recognition",
    "procedures",
    "placements",
    "assets",
    "alarms",
    "faults",
    "webhook",
    "report",
    "audit",
];

/// An entry as shown.
struct Entry {
    at: OffsetDateTime,
    actor: String,
    action: String,
    target_kind: String,
    target: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    entries: Vec<Entry>,
    filter: Filter,
    /// (prefix, area in words, chosen) for the action filter.
    areas: Vec<(String, &'static str, bool)>,
    export_href: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Filter {
    action: String,
    from: String,
    to: String,
}

/// The start of a day in Vietnam (or of the next day, for an inclusive end).
fn day(text: &str, plus_one: bool) -> Option<OffsetDateTime> {
    let date = parse_date(text).ok()?;
    let date = if plus_one { date.next_day()? } else { date };
    Some(
        date.midnight()
            .assume_offset(langso_domain::locale::VIETNAM),
    )
}

fn query(filter: &Filter) -> AuditQuery {
    AuditQuery {
        action: Some(filter.action.trim().to_owned()).filter(|a| !a.is_empty()),
        from: day(&filter.from, false),
        to: day(&filter.to, true),
        limit: Some(500),
    }
}

/// `{prefix}-{code}` from the catalogue, or `{prefix}-other` for a code it does not name yet:
/// a person never reads the code itself.
fn words(lang: Lang, prefix: &str, code: &str) -> String {
    let key = format!("{prefix}-{}", code.replace(['.', '_'], "-"));
    let text = crate::messages::render(lang, &key, &[]);
    if text == key {
        crate::messages::render(lang, &format!("{prefix}-other"), &[])
    } else {
        text
    }
}

/// The log, filtered.
async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(filter): Query<Filter>,
) -> Result<Response, PageError> {
    policy::scope(&page.actor, Permission::ReadAudit).map_err(page.failing())?;
    let rows = actions::list(&state.db, &page.actor, &query(&filter))
        .await
        .map_err(page.failing())?;
    let entries = rows
        .into_iter()
        .map(|r| Entry {
            at: r.at,
            actor: r.actor_label,
            action: words(page.lang, "audit-action", &r.action),
            target_kind: words(page.lang, "audit-target", &r.target_type),
            target: r.target_id,
            summary: r.summary,
        })
        .collect();
    let export_href = format!(
        "/audit/export?action={}&from={}&to={}",
        url_encode(&filter.action),
        url_encode(&filter.from),
        url_encode(&filter.to)
    );
    let areas = AREAS
        .iter()
        .map(|area| {
            let prefix = format!("{area}.");
            let chosen = filter.action.trim() == prefix;
            let words = page.lang.t(&format!("audit-area-{area}"));
            (prefix, words, chosen)
        })
        .collect();
    Ok(render(&AuditPage {
        chrome: page.chrome,
        entries,
        filter,
        areas,
        export_href,
    }))
}

/// The filtered log as CSV.
async fn export(
    State(state): State<AppState>,
    page: Page,
    Query(filter): Query<Filter>,
) -> Result<Response, PageError> {
    let csv = actions::export_csv(&state.db, &page.actor, &query(&filter))
        .await
        .map_err(page.failing())?;
    Ok(download(
        Disposition::Attachment,
        "text/csv; charset=utf-8",
        "nhat-ky-audit.csv",
        csv,
    ))
}
