//! What the reporter gets back: the status page's Atom feed (`/bao-hong/{token}/feed.atom`, one
//! entry per step, public notes included, so any feed reader follows the report at once), and
//! the answer to a fix (`/bao-hong/{token}/xac-nhan` confirms it, `/bao-hong/{token}/mo-lai`
//! reopens it with the reporter's words) within 14 days, refused after that with the reason.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::AppError;
use langso_app::faults::{self as actions, WorkOrder, WorkOrderStep};
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::xml::XmlDoc;
use crate::AppState;
use crate::html::{PageError, Visitor};
use crate::messages::{self, Lang};

/// `GET /bao-hong/{token}/feed.atom`: the report's steps as an Atom 1.0 feed.
pub(crate) async fn atom(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let (order, steps) = actions::follow(&state.db, &token)
        .await
        .map_err(|error| visitor.fail(error))?;
    let base = state.poster_settings(&headers).public_url;
    let xml = document(&order, &steps, &base, visitor.lang)
        .map_err(|e| visitor.fail(AppError::Internal(format!("atom: {e}"))))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            // The token is a secret: no shared cache keeps the feed.
            (header::CACHE_CONTROL, "private, max-age=60"),
        ],
        xml,
    )
        .into_response())
}

/// The Atom document of one report, newest step first.
fn document(
    order: &WorkOrder,
    steps: &[WorkOrderStep],
    base: &str,
    lang: Lang,
) -> std::io::Result<String> {
    let stamp = |at: OffsetDateTime| at.format(&Rfc3339).unwrap_or_default();
    let page = format!("{base}/bao-hong/{}", order.token);
    let mut doc = XmlDoc::new()?;
    doc.open(
        "feed",
        &[
            ("xmlns", "http://www.w3.org/2005/Atom"),
            ("xml:lang", lang.code()),
        ],
    )?;
    doc.newline()?;
    doc.text("id", &format!("urn:uuid:{}", order.id))?;
    doc.text("title", &messages::render(lang, "fault-feed-title", &[]))?;
    doc.text("updated", &stamp(order.updated_at))?;
    let own = format!("{page}/feed.atom");
    doc.empty(
        "link",
        &[
            ("rel", "self"),
            ("type", "application/atom+xml"),
            ("href", &own),
        ],
    )?;
    doc.empty(
        "link",
        &[("rel", "alternate"), ("type", "text/html"), ("href", &page)],
    )?;
    doc.open("author", &[])?;
    doc.text("name", "Langso")?;
    doc.close("author")?;
    doc.newline()?;
    for (n, step) in steps.iter().enumerate().rev() {
        doc.open("entry", &[])?;
        doc.text("id", &format!("urn:uuid:{}#{n}", order.id))?;
        doc.text("title", lang.t(&format!("work-{}", step.to_status)))?;
        doc.text("updated", &stamp(step.at))?;
        doc.empty(
            "link",
            &[("rel", "alternate"), ("type", "text/html"), ("href", &page)],
        )?;
        if !step.note.is_empty() {
            doc.text("content", &step.note)?;
        }
        doc.close("entry")?;
        doc.newline()?;
    }
    doc.close("feed")?;
    doc.newline()?;
    Ok(doc.finish())
}

/// The reporter's words when reopening.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ReopenForm {
    note: String,
}

/// `POST /bao-hong/{token}/xac-nhan`: the reporter confirms the fix; back to the status page.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let order = actions::updates::confirm_fix(&state.db, &token)
        .await
        .map_err(|error| visitor.fail(error))?;
    Ok(Redirect::to(&format!("/bao-hong/{}", order.token)).into_response())
}

/// `POST /bao-hong/{token}/mo-lai`: the reporter says the fault is still there.
pub(crate) async fn reopen(
    State(state): State<AppState>,
    Path(token): Path<String>,
    visitor: Visitor,
    Form(form): Form<ReopenForm>,
) -> Result<Response, PageError> {
    let order = actions::updates::reopen(&state.db, &token, &form.note)
        .await
        .map_err(|error| visitor.fail(error))?;
    Ok(Redirect::to(&format!("/bao-hong/{}", order.token)).into_response())
}
