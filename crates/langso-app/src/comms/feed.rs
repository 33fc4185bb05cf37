//! A village's public feed: the announcements that reached it, and public outreach events.

use langso_domain::comms::render_body;
use langso_domain::units::{Level, Unit};
use langso_store::comms as store;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{AppError, AppResult, Db, today};

/// One entry of a feed.
#[derive(Clone, Debug)]
pub struct FeedItem {
    /// Stable id (the announcement's or the event's).
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// Body as safe HTML.
    pub body_html: String,
    /// Category (`event` for outreach events).
    pub category: String,
    /// A guide or procedure it points to.
    pub link: Option<String>,
    /// The short link code (announcements only).
    pub short_code: Option<String>,
    /// Published.
    pub published_at: OffsetDateTime,
}

/// A village and its feed, newest first.
#[derive(Clone, Debug)]
pub struct VillageFeed {
    /// The village.
    pub village: Unit,
    /// The entries.
    pub items: Vec<FeedItem>,
}

/// The public feed of the village with `code` (today's units): up to 50 entries.
pub async fn village_feed(db: &Db, code: &str) -> AppResult<VillageFeed> {
    let village = langso_store::units::by_code(db, code, today())
        .await?
        .filter(|u| u.kind.level() == Level::Village)
        .ok_or(AppError::NotFound)?;
    let mut items: Vec<FeedItem> = store::village_feed(db, village.id, 50)
        .await?
        .into_iter()
        .map(|a| FeedItem {
            id: a.id,
            body_html: render_body(&a.body),
            title: a.title,
            category: a.category,
            link: a.link,
            short_code: Some(a.short_code),
            published_at: a.published_at.unwrap_or(a.created_at),
        })
        .collect();
    items.extend(public_events(db, village.id).await?);
    items.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
    items.truncate(50);
    Ok(VillageFeed { village, items })
}

/// Public outreach events of the village (and the units above it) as feed entries.
///
/// The outreach events table belongs to the outreach domain (issue 5), which is built in
/// parallel: until it lands this returns nothing. Joining it means reading the public events
/// whose unit is the village or one of its ancestors and mapping each to a [`FeedItem`] with
/// category `event`; nothing else in the feed changes.
pub async fn public_events(_db: &Db, _village: Uuid) -> AppResult<Vec<FeedItem>> {
    Ok(Vec::new())
}
