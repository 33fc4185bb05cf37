//! Announcements: the list under a unit, and one announcement with its villages, delivery per
//! channel and per recipient (from the messages and the webhook outbox), opens, reach, the
//! officer's decision, the Zalo-group copy with the groups it was posted in, and its readings
//! on the commune radio with the announcer's script. Writing one is [`super::compose`].

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::auth::policy;
use langso_app::comms::{
    self as actions, AnnouncementRow, AnnouncementView, BroadcastRow, Deliveries, MessageRow,
    OWN_REASON, ZaloGroup,
};
use langso_domain::auth::Permission;
use langso_domain::units::Unit;
use serde::Deserialize;
use time::OffsetDateTime;

use super::UnitQuery;
use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, Routes, render};

/// The announcement screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/announcements", announcements)
        .get("/announcements/{id}", show)
        .post("/announcements/{id}/decision", decide)
        .post("/announcements/{id}/zalo/{group}", zalo_posted)
        .get("/announcements/{id}/radio-script", script)
        .get("/announcements/{id}/zalo-card.png", card)
}

/// An officer's decision: `approve=1` approves, anything else refuses.
#[derive(Deserialize, Default)]
#[serde(default)]
struct DecisionForm {
    approve: String,
}

#[derive(Template)]
#[template(path = "announcements.html")]
struct AnnouncementsPage {
    chrome: Chrome,
    unit: Unit,
    rows: Vec<AnnouncementRow>,
    write: bool,
}

#[derive(Template)]
#[template(path = "announcement.html")]
struct AnnouncementPage {
    chrome: Chrome,
    view: AnnouncementView,
    unit: Unit,
    approve: bool,
    publish_at: OffsetDateTime,
    /// The narrowing indicator's label in the page's language.
    indicator: Option<String>,
    /// Its messages per channel and this page of recipients.
    deliveries: Deliveries,
    /// The Zalo groups it may be posted in.
    groups: Vec<ZaloGroup>,
    /// The text to paste in them.
    zalo_text: String,
    /// Its short link, in full.
    short_link: String,
    /// Its readings on the commune radio.
    readings: Vec<BroadcastRow>,
    /// May mark Zalo posts.
    write: bool,
}

impl AnnouncementPage {
    /// A recipient's status in words.
    fn status_text(&self, m: &MessageRow) -> &'static str {
        self.chrome.tk("msg-status", &m.status)
    }

    /// A reason in words: ours by its key and arguments, a provider's as it sent it.
    fn reason_text(&self, m: &MessageRow) -> String {
        let reason = m.reason.as_deref();
        if let Some((key, args)) = reason.and_then(langso_app::comms::parse_own_reason) {
            let key = format!("msg-reason-{key}");
            let args: Vec<(&str, String)> =
                args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            return crate::messages::render(self.chrome.lang, &key, &args);
        }
        match reason {
            // Withheld by the consent ledger or the notifications, which store their own codes.
            Some(r) if r == langso_app::households::WITHDRAWN_REASON || r == "address-invalid" => {
                self.chrome.tk("msg-reason", r).to_owned()
            }
            Some(r) => r.to_owned(),
            None => String::new(),
        }
    }

    /// The reason is the provider's own text (shown as it came, not translated).
    fn reason_is_provider(&self, m: &MessageRow) -> bool {
        m.reason.as_deref().is_some_and(|r| {
            !r.starts_with(OWN_REASON)
                && r != langso_app::households::WITHDRAWN_REASON
                && r != "address-invalid"
        })
    }

    /// A reading's time.
    fn reading_at(&self, b: &BroadcastRow) -> String {
        self.chrome.minute(actions::reading_time(b))
    }
}

/// `?page=` of the recipients.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    page: Option<i64>,
}

/// `/announcements?unit=`.
async fn announcements(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    let rows = actions::list_announcements(&state.db, &page.actor, unit.id, 200)
        .await
        .map_err(page.failing())?;
    let write = policy::allows(&state.db, &page.actor, Permission::WritePeople, unit.id)
        .await
        .map_err(page.failing())?;
    Ok(render(&AnnouncementsPage {
        chrome: page.chrome,
        unit,
        rows,
        write,
    }))
}

/// An instant stored as Unix milliseconds.
fn from_millis(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `/announcements/{id}?page=`: the announcement, its villages, delivery per channel and per
/// recipient, the Zalo copy, its radio readings, opens and reach.
async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    page: Page,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let view = actions::announcement(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let unit = langso_app::units::get(&state.db, view.row.unit_id)
        .await
        .map_err(page.failing())?;
    let approve = view.row.status == "pending"
        && policy::allows(
            &state.db,
            &page.actor,
            Permission::ApproveAnnouncements,
            unit.id,
        )
        .await
        .map_err(page.failing())?;
    let write = policy::allows(&state.db, &page.actor, Permission::WritePeople, unit.id)
        .await
        .map_err(page.failing())?;
    let indicator = match &view.row.indicator {
        Some(code) => super::compose::indicators(&state, &page)
            .await?
            .into_iter()
            .find(|(known, _)| known == code)
            .map(|(_, label)| label),
        None => None,
    };
    let deliveries = actions::deliveries(&state.db, &page.actor, id, query.page.unwrap_or(1))
        .await
        .map_err(page.failing())?;
    let groups = actions::zalo_groups(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let readings = actions::readings(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let base = state.poster_settings(&headers).public_url;
    let short_link = actions::short_link(&base, &view.row.short_code);
    let day = langso_domain::locale::day(
        view.row
            .published_at
            .unwrap_or_else(|| from_millis(view.row.publish_at))
            .to_offset(langso_domain::locale::VIETNAM)
            .date(),
    );
    let zalo_text = langso_domain::markdown::zalo(
        &unit.name,
        &day,
        &view.row.title,
        &view.row.body,
        &base,
        &short_link,
    );
    Ok(render(&AnnouncementPage {
        chrome: page.chrome,
        publish_at: from_millis(view.row.publish_at),
        view,
        unit,
        approve,
        indicator,
        deliveries,
        groups,
        zalo_text,
        short_link,
        readings,
        write,
    }))
}

/// POST `/announcements/{id}/decision`: an officer approves (`approve=1`) or refuses.
async fn decide(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    actions::decide(&state.db, &page.actor, id, form.approve == "1")
        .await
        .map_err(page.failing())?;
    state.public.clear();
    Ok(Redirect::to(&format!("/announcements/{id}")).into_response())
}

/// The Zalo-post mark's form: only its CSRF token.
#[derive(Deserialize, Default)]
#[serde(default)]
struct EmptyForm {}

/// POST `/announcements/{id}/zalo/{group}`: the officer posted the copy in that group.
async fn zalo_posted(
    State(state): State<AppState>,
    page: Page,
    Path((id, group)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let group = page.id(&group)?;
    actions::mark_posted(&state.db, &page.actor, id, group)
        .await
        .map_err(page.failing())?;
    Ok(Redirect::to(&format!("/announcements/{id}#zalo")).into_response())
}

#[derive(Template)]
#[template(path = "radio_script.html")]
struct ScriptPage {
    chrome: Chrome,
    row: AnnouncementRow,
    unit: Unit,
    text: String,
    readings: Vec<(String, String)>,
}

/// `/announcements/{id}/radio-script`: the announcer's page, A4, the text as read aloud with
/// its date, times and priority.
async fn script(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let view = actions::announcement(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let readings = actions::readings(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let unit = langso_app::units::get(&state.db, view.row.unit_id)
        .await
        .map_err(page.failing())?;
    let readings = readings
        .iter()
        .map(|b| {
            (
                page.chrome.minute(actions::reading_time(b)),
                page.chrome.tk("radio-priority", &b.priority).to_owned(),
            )
        })
        .collect();
    Ok(render(&ScriptPage {
        text: langso_domain::markdown::spoken(&view.row.body),
        chrome: page.chrome,
        row: view.row,
        unit,
        readings,
    }))
}

/// `/announcements/{id}/zalo-card.png`: the image card to share in Zalo groups (the unit, the
/// date, the title and a QR code of the short link).
async fn card(
    State(state): State<AppState>,
    headers: HeaderMap,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let view = actions::announcement(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let unit = langso_app::units::get(&state.db, view.row.unit_id)
        .await
        .map_err(page.failing())?;
    let base = state.poster_settings(&headers).public_url;
    let link = actions::short_link(&base, &view.row.short_code);
    let day = langso_domain::locale::day(
        view.row
            .published_at
            .unwrap_or_else(|| from_millis(view.row.publish_at))
            .to_offset(langso_domain::locale::VIETNAM)
            .date(),
    );
    let png = langso_render::card::card_png(&langso_render::card::Card {
        unit: &unit.name,
        date: &day,
        title: &view.row.title,
        link: &link,
        scan_hint: page.chrome.t("zalo-card-scan"),
    })
    .map_err(|e| page.fail(langso_app::AppError::Internal(format!("card: {e}"))))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "image/png"),
            (axum::http::header::CACHE_CONTROL, "private, max-age=300"),
        ],
        png,
    )
        .into_response())
}
