//! The audit log in the web: filter, read, download as CSV.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use langso_app::audit::{self as actions, AuditQuery};
use langso_app::auth::policy;
use langso_domain::auth::Permission;
use langso_domain::units::parse_date;
use serde::Deserialize;
use time::OffsetDateTime;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::Authenticated;
use crate::html::PageError;
use crate::messages::Lang;

/// An entry as shown (time in Vietnam).
pub struct Entry {
    at: String,
    actor: String,
    action: String,
    target: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    entries: Vec<Entry>,
    action: String,
    from: String,
    to: String,
    export_href: String,
}

#[derive(Deserialize, Default)]
pub(super) struct Filter {
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

fn day(text: Option<&str>, plus_one: bool) -> Option<OffsetDateTime> {
    let date = parse_date(text?).ok()?;
    let date = if plus_one { date.next_day()? } else { date };
    Some(date.midnight().assume_offset(time::macros::offset!(+7)))
}

fn query(filter: &Filter) -> AuditQuery {
    AuditQuery {
        action: filter.action.clone(),
        from: day(filter.from.as_deref(), false),
        to: day(filter.to.as_deref(), true),
        limit: Some(500),
    }
}

/// An audit action in words (`faults.transition` → "Chuyển trạng thái phiếu sửa chữa"); an
/// action the catalogue does not name yet reads "Other action", never as its code.
pub(crate) fn action_name(action: &str, lang: Lang) -> String {
    let key = format!("audit-action-{}", action.replace(['.', '_'], "-"));
    let text = crate::messages::render(lang, &key, &[]);
    if text == key {
        crate::messages::render(lang, "audit-action-other", &[])
    } else {
        text
    }
}

pub(super) async fn index(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(filter): Query<Filter>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    policy::scope(&actor, Permission::ReadAudit).map_err(|error| PageError { error, lang })?;
    let rows = actions::list(&state.db, &actor, &query(&filter))
        .await
        .map_err(|error| PageError { error, lang })?;
    let entries = rows
        .into_iter()
        .map(|r| Entry {
            at: langso_domain::locale::minute(r.at),
            actor: r.actor_label,
            action: action_name(&r.action, lang),
            target: format!("{} {}", r.target_type, r.target_id),
            summary: r.summary,
        })
        .collect();
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    let export_href = format!("/audit/export?{}", uri.query().unwrap_or(""));
    Ok(render(&AuditPage {
        chrome,
        entries,
        action: filter.action.unwrap_or_default(),
        from: filter.from.unwrap_or_default(),
        to: filter.to.unwrap_or_default(),
        export_href,
    }))
}

pub(super) async fn export(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    Query(filter): Query<Filter>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let csv = actions::export_csv(&state.db, &actor, &query(&filter))
        .await
        .map_err(|error| PageError { error, lang })?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"nhat-ky-audit.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}
