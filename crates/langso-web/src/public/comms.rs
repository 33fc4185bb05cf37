//! Residents' pages for communications, no login: a village's feed `/v/{village}/feed` and its
//! Atom feed `/v/{village}/feed.atom`, an announcement's short link `/a/{code}` (the open is
//! counted, nothing about the reader kept), and the how-to library `/huong-dan`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use langso_app::AppError;
use langso_app::comms::{self as actions, FeedItem, GUIDES, Guide, VillageFeed};
use langso_render::qr::{Correction, QrMatrix};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::xml::XmlDoc;
use crate::AppState;
use crate::html::{Chrome, PageError, Visitor};
use crate::messages::{self, Lang};

/// A feed entry as shown.
pub struct ItemView {
    id: String,
    title: String,
    body_html: String,
    category: String,
    link: Option<String>,
    short_path: Option<String>,
    published_at: OffsetDateTime,
}

#[derive(Template)]
#[template(path = "feed.html")]
struct FeedPage {
    chrome: Chrome,
    village: String,
    code: String,
    items: Vec<ItemView>,
}

#[derive(Template)]
#[template(path = "announcement_public.html")]
struct AnnouncementPage {
    chrome: Chrome,
    item: ItemView,
}

/// A guide as shown.
pub struct HowToView {
    slug: &'static str,
    title: &'static str,
    other_title: &'static str,
    summary: &'static str,
    steps: &'static [&'static str],
}

#[derive(Template)]
#[template(path = "howto_list.html")]
struct LibraryPage {
    chrome: Chrome,
    guides: Vec<HowToView>,
}

#[derive(Template)]
#[template(path = "howto.html")]
struct HowToPage {
    chrome: Chrome,
    g: HowToView,
    url: String,
    share_text: String,
    qr_svg: String,
}

fn item_view(item: &FeedItem) -> ItemView {
    ItemView {
        id: item.id.to_string(),
        title: item.title.clone(),
        body_html: item.body_html.clone(),
        category: item.category.clone(),
        link: item.link.clone(),
        short_path: item.short_code.as_ref().map(|c| format!("/a/{c}")),
        published_at: item.published_at,
    }
}

/// A template that failed, as this page's failure.
fn template_failed(visitor: &Visitor, error: impl std::fmt::Display) -> PageError {
    visitor.fail(AppError::Internal(format!("template: {error}")))
}

/// A page every reader of a language may share for a minute.
fn rendered(
    result: Result<String, askama::Error>,
    visitor: &Visitor,
) -> Result<Response, PageError> {
    let body = result.map_err(|e| template_failed(visitor, e))?;
    Ok((
        [
            (header::CACHE_CONTROL, "public, max-age=60"),
            (header::VARY, "Cookie"),
        ],
        Html(body),
    )
        .into_response())
}

/// `/v/{village}/feed`: the village's announcements and public events, newest first.
pub(super) async fn feed(
    State(state): State<AppState>,
    Path(village): Path<String>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let feed = actions::village_feed(&state.db, &village)
        .await
        .map_err(|error| visitor.fail(error))?;
    let page = FeedPage {
        chrome: visitor.chrome.clone(),
        village: feed.village.name.clone(),
        code: feed.village.code.clone(),
        items: feed.items.iter().map(item_view).collect(),
    };
    rendered(page.render(), &visitor)
}

/// `/v/{village}/feed.atom`: the same entries as an Atom 1.0 feed (RFC 4287), so any feed
/// reader, or a loudspeaker-radio script, can follow a village. Its title is in the reader's
/// language (Vietnamese for a reader that sends no language cookie, as feed readers do).
pub(super) async fn atom(
    State(state): State<AppState>,
    Path(village): Path<String>,
    headers: HeaderMap,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let feed = actions::village_feed(&state.db, &village)
        .await
        .map_err(|error| visitor.fail(error))?;
    let base = state.poster_settings(&headers).public_url;
    let xml = atom_document(&feed, &base, visitor.lang)
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

/// The Atom document of a village's feed, written by [`XmlDoc`] (every text made safe).
fn atom_document(feed: &VillageFeed, base: &str, lang: Lang) -> std::io::Result<String> {
    let stamp = |at: OffsetDateTime| at.format(&Rfc3339).unwrap_or_default();
    let updated = feed
        .items
        .iter()
        .map(|i| i.published_at)
        .max()
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let code = &feed.village.code;
    let mut doc = XmlDoc::new()?;
    doc.open(
        "feed",
        &[
            ("xmlns", "http://www.w3.org/2005/Atom"),
            ("xml:lang", lang.code()),
        ],
    )?;
    doc.newline()?;
    doc.text("id", &format!("urn:uuid:{}", feed.village.id))?;
    let title = messages::render(
        lang,
        "feed-atom-title",
        &[("village", feed.village.name.clone())],
    );
    doc.text("title", &title)?;
    doc.text("updated", &stamp(updated))?;
    let own = format!("{base}/v/{code}/feed.atom");
    let page = format!("{base}/v/{code}/feed");
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
    doc.text("name", &feed.village.name)?;
    doc.close("author")?;
    doc.text("generator", "Langso")?;
    doc.newline()?;
    for item in &feed.items {
        let href = match &item.short_code {
            Some(c) => format!("{base}/a/{c}"),
            None => format!("{base}/v/{code}/feed#e-{}", item.id),
        };
        doc.open("entry", &[])?;
        doc.text("id", &format!("urn:uuid:{}", item.id))?;
        doc.text("title", &item.title)?;
        doc.text("updated", &stamp(item.published_at))?;
        doc.text("published", &stamp(item.published_at))?;
        doc.empty(
            "link",
            &[("rel", "alternate"), ("type", "text/html"), ("href", &href)],
        )?;
        doc.empty("category", &[("term", &item.category)])?;
        doc.open("content", &[("type", "html")])?;
        doc.text_only(&item.body_html)?;
        doc.close("content")?;
        doc.close("entry")?;
        doc.newline()?;
    }
    doc.close("feed")?;
    doc.newline()?;
    Ok(doc.finish())
}

/// `/a/{code}`: an announcement's short link. Counts the open (a number per day) and shows it.
pub(super) async fn short_link(
    State(state): State<AppState>,
    Path(code): Path<String>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let row = actions::open_short_link(&state.db, &code)
        .await
        .map_err(|error| visitor.fail(error))?;
    let item = actions::announcement_entry(row);
    let page = AnnouncementPage {
        chrome: visitor.chrome.clone(),
        item: item_view(&item),
    };
    let body = page.render().map_err(|e| template_failed(&visitor, e))?;
    // Not cached: every open is counted.
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(body)).into_response())
}

fn howto(lang: Lang, g: &'static Guide) -> HowToView {
    let en = lang == Lang::En;
    HowToView {
        slug: g.slug,
        title: if en { g.title_en } else { g.title_vi },
        other_title: if en { g.title_vi } else { g.title_en },
        summary: if en { g.summary_en } else { g.summary_vi },
        steps: if en { g.steps_en } else { g.steps_vi },
    }
}

/// `/huong-dan`: the how-to library.
pub(super) async fn library(visitor: Visitor) -> Result<Response, PageError> {
    let page = LibraryPage {
        guides: GUIDES.iter().map(|g| howto(visitor.lang, g)).collect(),
        chrome: visitor.chrome.clone(),
    };
    rendered(page.render(), &visitor)
}

/// `/huong-dan/{slug}`: one guide, its QR code (to print or show from a phone) and a share
/// link that opens the phone's messaging app with the address filled in.
pub(super) async fn howto_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let guide = actions::guide(&slug).ok_or_else(|| visitor.fail(AppError::NotFound))?;
    let url = format!(
        "{}/huong-dan/{}",
        state.poster_settings(&headers).public_url,
        guide.slug
    );
    let qr_svg = QrMatrix::encode(&url, Correction::Medium)
        .map(|m| m.svg(200))
        .map_err(|e| visitor.fail(AppError::Internal(e.to_string())))?;
    let g = howto(visitor.lang, guide);
    let page = HowToPage {
        chrome: visitor.chrome.clone(),
        share_text: crate::html::url_encode(&format!("{} {url}", g.title)),
        g,
        url,
        qr_svg,
    };
    rendered(page.render(), &visitor)
}
