//! What became of an announcement, truthfully: its messages counted per channel and status and
//! listed per recipient (names and addresses masked as the viewer's rights say), and the Zalo
//! groups an officer posted its copy in.

use langso_domain::auth::{Permission, mask_personal};
use langso_domain::comms::Platform;
use langso_store::comms::{self as store, GroupRow, MessageRow, TARGET_GROUP};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, Db, today};

/// Recipients shown on one page.
pub const PAGE_SIZE: i64 = 50;

/// An announcement's messages.
#[derive(Clone, Debug)]
pub struct Deliveries {
    /// Per channel, its (status, count), channels in a fixed order.
    pub per_channel: Vec<(String, Vec<(String, i64)>)>,
    /// This page's messages, masked for the viewer.
    pub rows: Vec<MessageRow>,
    /// Messages in all.
    pub total: i64,
    /// This page (1-based) and how many there are.
    pub page: i64,
    /// Pages.
    pub pages: i64,
    /// The channels chosen (empty: feed and webhooks, as before channels were chosen).
    pub channels: Vec<String>,
    /// What it is aimed at: (kind, label); empty: its whole unit.
    pub targets: Vec<(String, String)>,
}

/// "Nguyễn Văn An" → "N. V. A.": a recipient for a viewer who may see figures, not people.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An announcement's messages, page `page` of its recipients (`ReadDashboard` on its unit;
/// names shown with `ReadPeople`, numbers and addresses unmasked with the PII right).
pub async fn deliveries(db: &Db, actor: &Actor, id: Uuid, page: i64) -> AppResult<Deliveries> {
    let row = store::get_announcement(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadDashboard, row.unit_id).await?;
    let people = policy::allows(db, actor, Permission::ReadPeople, row.unit_id).await?;
    let counts = store::message_counts_of(db, "announcement", id).await?;
    let total: i64 = counts.iter().map(|(_, _, n)| n).sum();
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let mut per_channel: Vec<(String, Vec<(String, i64)>)> = Vec::new();
    for channel in super::aim::CHANNELS {
        let of: Vec<(String, i64)> = counts
            .iter()
            .filter(|(c, ..)| c == channel)
            .map(|(_, s, n)| (s.clone(), *n))
            .collect();
        if !of.is_empty() {
            per_channel.push((channel.to_owned(), of));
        }
    }
    let mut rows =
        store::messages_page(db, "announcement", id, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    for m in &mut rows {
        if !people {
            m.recipient_label = initials(&m.recipient_label);
        }
        if !actor.pii {
            m.address = mask_personal(&m.address);
        }
        // The body and template data carry nothing the page shows; kept off it.
        m.template_data = None;
        m.html = None;
    }
    let mut targets = Vec::new();
    for (kind, target) in store::targets_of(db, id).await? {
        let label = if kind == TARGET_GROUP {
            store::get_group(db, target).await?.map(|g| g.name)
        } else {
            let labels = crate::units::labels_of(db, &[target], today()).await?;
            Some(labels.text_or(target, ""))
        };
        targets.push((kind, label.unwrap_or_default()));
    }
    Ok(Deliveries {
        per_channel,
        rows,
        total,
        page,
        pages,
        channels: store::channels_of(db, id).await?,
        targets,
    })
}

/// A Zalo group an announcement may be posted in, and whether it was.
#[derive(Clone, Debug)]
pub struct ZaloGroup {
    /// The group (its member count is the roster's, untouched by posting).
    pub group: GroupRow,
    /// When and by whom it was posted there.
    pub posted: Option<(OffsetDateTime, String)>,
}

/// The Zalo groups under an announcement's targets (or its unit), with the posts marked.
pub async fn zalo_groups(db: &Db, actor: &Actor, id: Uuid) -> AppResult<Vec<ZaloGroup>> {
    let row = store::get_announcement(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadDashboard, row.unit_id).await?;
    let targets = store::targets_of(db, id).await?;
    let mut groups: Vec<GroupRow> = Vec::new();
    if targets.is_empty() {
        groups = store::list_groups(db, row.unit_id, today()).await?;
    }
    for (kind, target) in targets {
        if kind == TARGET_GROUP {
            groups.extend(store::get_group(db, target).await?);
        } else {
            groups.extend(store::list_groups(db, target, today()).await?);
        }
    }
    groups.retain(|g| g.platform == Platform::Zalo.as_str());
    groups.sort_by_key(|g| g.id);
    groups.dedup_by_key(|g| g.id);
    groups.truncate(500);
    let posts = store::group_posts_of(db, id).await?;
    Ok(groups
        .into_iter()
        .map(|group| ZaloGroup {
            posted: posts
                .iter()
                .find(|(g, ..)| *g == group.id)
                .map(|(_, at, by)| (*at, by.clone())),
            group,
        })
        .collect())
}

/// Marks an announcement posted in one of its Zalo groups (`WritePeople` on the group's unit,
/// which lies under the announcement's): a mark only; the group's members stay as they are.
pub async fn mark_posted(db: &Db, actor: &Actor, id: Uuid, group: Uuid) -> AppResult<()> {
    let row = store::get_announcement(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let g = store::get_group(db, group)
        .await?
        .ok_or(AppError::NotFound)?;
    if !langso_store::units::is_within(db, g.unit_id, row.unit_id, today()).await? {
        return Err(AppError::NotFound);
    }
    policy::require(db, actor, Permission::WritePeople, g.unit_id).await?;
    if row.status != langso_domain::comms::Status::Published.as_str() {
        return Err(AppError::refused_key("ann-not-published-yet", &[]));
    }
    let mut tx = db.begin().await?;
    if store::mark_group_post(&mut tx, id, group, OffsetDateTime::now_utc(), &actor.label).await? {
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "announcement.zalo_posted",
                target_type: "announcement",
                target_id: id.to_string(),
                unit_id: Some(g.unit_id),
                summary: g.name.clone(),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn initials_hide_the_name() {
        assert_eq!(super::initials("Nguyễn Văn An"), "N. V. A.");
        assert_eq!(super::initials(""), "");
    }
}
