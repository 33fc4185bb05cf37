//! A village's public feed: the announcements that reached it, and public outreach events.

use langso_domain::comms::render_body;
use langso_domain::public_text::mask_personal_data;
use langso_domain::teams::OutreachKind;
use langso_domain::units::{Level, Unit};
use langso_store::comms as store;
use time::{OffsetDateTime, UtcOffset};
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
        .map(announcement_entry)
        .collect();
    items.extend(public_events(db, village.id).await?);
    items.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
    items.truncate(50);
    Ok(VillageFeed { village, items })
}

/// A published announcement as the public reads it (the village feed, its Atom feed, the
/// short link): phone numbers, e-mail addresses and ID numbers in its title and body masked,
/// since anyone may read and copy a public page.
pub fn announcement_entry(a: store::AnnouncementRow) -> FeedItem {
    FeedItem {
        id: a.id,
        body_html: render_body(&mask_personal_data(&a.body)),
        title: mask_personal_data(&a.title),
        category: a.category,
        link: a.link,
        short_code: Some(a.short_code),
        published_at: a.published_at.unwrap_or(a.created_at),
    }
}

/// Public outreach events of the village (and the units above it) as feed entries, up to 50.
///
/// An event has a day, not an instant: it is dated at the start of that day in Vietnam (UTC+7)
/// so it sorts among announcements by the day it was held. The entry links to nothing; its
/// body says who held it, what kind it was and how many people it reached.
pub async fn public_events(db: &Db, village: Uuid) -> AppResult<Vec<FeedItem>> {
    let rows = store::public_events_for_village(db, village, today(), 50).await?;
    Ok(rows
        .into_iter()
        .map(|e| {
            let kind = OutreachKind::parse(&e.kind)
                .map(|k| k.label_vi().to_owned())
                .unwrap_or_else(|_| e.kind.clone());
            let body = format!(
                "{kind} – {} – {}: {} người tham dự.",
                e.unit_name, e.held_on, e.attendance
            );
            FeedItem {
                id: e.id,
                title: mask_personal_data(&e.topic),
                body_html: render_body(&mask_personal_data(&body)),
                category: "event".to_owned(),
                link: None,
                short_code: None,
                published_at: e.held_on.midnight().assume_offset(VIETNAM),
            }
        })
        .collect())
}

/// Vietnam's offset (no daylight saving).
const VIETNAM: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};
