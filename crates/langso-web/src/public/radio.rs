//! The commune radio's schedule for anyone to follow, no login: an iCalendar file (RFC 5545)
//! `/dai-truyen-thanh/{commune}/lich.ics` that a radio system or a phone calendar subscribes
//! to, and the same readings as an Atom feed `/dai-truyen-thanh/{commune}/lich.atom`.
//!
//! Public on purpose (see `langso_app::comms::radio`): what it lists is read aloud in the
//! street, and only announcements already published are on it. Both are bounded (200 readings,
//! yesterday to two weeks ahead, 4,000 characters of text a reading) and every text is made
//! safe for its format: escaped and folded for iCalendar, written by the XML writer for Atom.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use langso_app::AppError;
use langso_app::comms::{self as actions, BroadcastRow};
use langso_domain::markdown;
use langso_domain::public_text::{mask_personal_data, xml_safe};
use langso_domain::radio::{IcsEvent, Priority, ics_calendar};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::xml::XmlDoc;
use crate::AppState;
use crate::html::{PageError, Visitor};
use crate::messages::{self, Lang};

/// Minutes a reading is expected to take, for calendars that draw it.
const READING_MINUTES: i64 = 10;

/// The text of a reading as published: personal numbers masked, as in the village feeds.
fn spoken(row: &BroadcastRow) -> String {
    markdown::spoken(&mask_personal_data(&row.body))
}

/// `/dai-truyen-thanh/{commune}/lich.ics`.
pub(super) async fn ics(
    State(state): State<AppState>,
    Path(commune): Path<String>,
    headers: HeaderMap,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let (unit, rows) = actions::public_schedule(&state.db, &commune)
        .await
        .map_err(|error| visitor.fail(error))?;
    let base = state.poster_settings(&headers).public_url;
    let host = base
        .split("://")
        .nth(1)
        .unwrap_or("langso")
        .trim_end_matches('/');
    let events: Vec<IcsEvent> = rows
        .iter()
        .map(|row| IcsEvent {
            uid: format!("{}@{host}", row.id),
            start: actions::reading_time(row),
            minutes: READING_MINUTES,
            summary: row.title.clone(),
            description: spoken(row),
            url: actions::short_link(&base, &row.short_code),
            priority: Priority::parse(&row.priority).unwrap_or(Priority::Normal),
        })
        .collect();
    let name = messages::render(visitor.lang, "radio-feed-title", &[("commune", unit.name)]);
    let body = ics_calendar(&name, OffsetDateTime::now_utc(), &events);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=60"),
        ],
        body,
    )
        .into_response())
}

/// `/dai-truyen-thanh/{commune}/lich.atom`: one entry per reading, soonest first.
pub(super) async fn atom(
    State(state): State<AppState>,
    Path(commune): Path<String>,
    headers: HeaderMap,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let (unit, rows) = actions::public_schedule(&state.db, &commune)
        .await
        .map_err(|error| visitor.fail(error))?;
    let base = state.poster_settings(&headers).public_url;
    let xml = atom_document(&unit, &rows, &base, visitor.lang)
        .map_err(|e| visitor.fail(AppError::Internal(format!("atom: {e}"))))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=60"),
        ],
        xml,
    )
        .into_response())
}

fn atom_document(
    unit: &langso_domain::units::Unit,
    rows: &[BroadcastRow],
    base: &str,
    lang: Lang,
) -> std::io::Result<String> {
    let stamp = |at: OffsetDateTime| at.format(&Rfc3339).unwrap_or_default();
    let mut doc = XmlDoc::new()?;
    doc.open(
        "feed",
        &[
            ("xmlns", "http://www.w3.org/2005/Atom"),
            ("xml:lang", lang.code()),
        ],
    )?;
    doc.newline()?;
    doc.text("id", &format!("urn:uuid:{}", unit.id))?;
    let title = messages::render(lang, "radio-feed-title", &[("commune", unit.name.clone())]);
    doc.text("title", &title)?;
    doc.text("updated", &stamp(OffsetDateTime::now_utc()))?;
    let own = format!("{base}/dai-truyen-thanh/{}/lich.atom", unit.code);
    doc.empty(
        "link",
        &[
            ("rel", "self"),
            ("type", "application/atom+xml"),
            ("href", &own),
        ],
    )?;
    doc.open("author", &[])?;
    doc.text("name", &unit.name)?;
    doc.close("author")?;
    doc.text("generator", "Langso")?;
    doc.newline()?;
    for row in rows {
        let at = actions::reading_time(row);
        let priority = messages::render(lang, &format!("radio-priority-{}", row.priority), &[]);
        let when = langso_domain::locale::minute(at);
        doc.open("entry", &[])?;
        doc.text("id", &format!("urn:uuid:{}", row.id))?;
        doc.text(
            "title",
            &format!("{when} · {priority} · {}", xml_safe(&row.title)),
        )?;
        doc.text("updated", &stamp(at))?;
        doc.empty(
            "link",
            &[
                ("rel", "alternate"),
                ("type", "text/html"),
                ("href", &actions::short_link(base, &row.short_code)),
            ],
        )?;
        doc.empty("category", &[("term", &row.priority)])?;
        let text: String = spoken(row).chars().take(4000).collect();
        doc.text("content", &xml_safe(&text))?;
        doc.close("entry")?;
        doc.newline()?;
    }
    doc.close("feed")?;
    doc.newline()?;
    Ok(doc.finish())
}
