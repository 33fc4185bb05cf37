//! Announcements: written by a team, approved by an officer when they go beyond one village,
//! published at their time. Publishing writes, in one transaction, the feed rows of every
//! village reached and one outbox row per delivery channel, so a message is never published
//! without being queued, nor queued without being published.

use langso_domain::auth::Permission;
use langso_domain::comms::{Category, Status, parse_link, render_body};
use langso_domain::households::IndicatorKind;
use langso_domain::public_text::xml_safe;
use langso_domain::radio::Priority;
use langso_domain::units::Level;
use langso_store::Tx;
use langso_store::comms::{self as store, AnnouncementRow, AttemptRow, OutboxRow, millis};
use langso_store::units as unit_store;
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db, Message, today};

/// An announcement as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct NewAnnouncement {
    /// Root of the subtree it goes to.
    pub unit_id: Option<Uuid>,
    /// Title (1–200 characters).
    pub title: String,
    /// Body in the simple formatting (1–5,000 characters).
    pub body: String,
    /// guidance, procedure, security, emergency or event.
    pub category: String,
    /// `/huong-dan/{slug}` or `/thu-tuc/{code}`.
    #[serde(default)]
    pub link: String,
    /// Only households lacking this indicator (e.g. `vneid_2`: adults without VNeID level 2).
    #[serde(default)]
    pub indicator: Option<String>,
    /// When to publish (default: now).
    #[serde(default)]
    pub publish_at: Option<OffsetDateTime>,
    /// What it is aimed at, `unit:<id>` (a commune or village under `unit_id`) or
    /// `group:<id>` (a village group); none: all of `unit_id`.
    #[serde(default)]
    pub targets: Vec<String>,
    /// The channels chosen (see [`super::aim::CHANNELS`]); none: the feed and webhooks.
    #[serde(default)]
    pub channels: Vec<String>,
    /// For the radio: normal, priority or emergency.
    #[serde(default)]
    pub radio_priority: Option<String>,
    /// For the radio: the broadcast times chosen (Unix ms).
    #[serde(default)]
    pub radio_at: Vec<i64>,
    /// The public address the author reached the site at, for links in messages.
    #[serde(default)]
    pub public_url: String,
}

/// An announcement with what happened to it.
#[derive(Clone, Debug)]
pub struct AnnouncementView {
    /// The row.
    pub row: AnnouncementRow,
    /// The body rendered to safe HTML.
    pub body_html: String,
    /// Villages reached: (id, code, name, households targeted).
    pub villages: Vec<(Uuid, String, String, i64)>,
    /// One row per channel.
    pub channels: Vec<OutboxRow>,
    /// Every delivery attempt.
    pub attempts: Vec<AttemptRow>,
    /// Opens of its short link.
    pub opens: i64,
    /// Groups under its unit and their members: its reach.
    pub reach_groups: i64,
    /// Members of those groups.
    pub reach_members: i64,
}

/// A fresh short code for `/a/{code}`.
fn short_code() -> String {
    let bytes = Uuid::now_v7().into_bytes();
    let mut tail = [0u8; 8];
    tail.copy_from_slice(&bytes[8..16]);
    langso_domain::procedures::token_from_random(u64::from_be_bytes(tail))
}

/// Writes an announcement. One for a single village needs no approval; one beyond a village
/// waits for an officer unless its author may approve there. When its time has come and it is
/// approved, it is published in the same transaction.
pub async fn create_announcement(
    db: &Db,
    actor: &Actor,
    input: &NewAnnouncement,
) -> AppResult<AnnouncementRow> {
    let unit_id = input.unit_id.ok_or_else(|| {
        AppError::Invalid(vec![CellError::keyed(0, "unit_id", "comms-required", &[])])
    })?;
    policy::require(db, actor, Permission::WritePeople, unit_id).await?;
    let unit = unit_store::get(db, unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let mut fail =
        |field: &str, message: Message| errors.push(CellError::from_message(0, field, message));
    // Control characters would break the village's Atom feed (and NUL, PostgreSQL): replaced.
    let title = xml_safe(input.title.trim()).into_owned();
    if title.is_empty() || title.chars().count() > 200 {
        fail("title", Message::new("comms-title-length", &[]));
    }
    let body = xml_safe(input.body.trim()).into_owned();
    if body.is_empty() || body.chars().count() > 5000 {
        fail("body", Message::new("comms-body-length", &[]));
    }
    let category = Category::parse(&input.category)
        .map_err(|e| fail("category", e.message()))
        .ok();
    let link = parse_link(&input.link)
        .map_err(|e| fail("link", e.message()))
        .ok()
        .flatten();
    let indicator = input
        .indicator
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(str::to_owned);
    if let Some(code) = &indicator
        && indicator_target(db, code).await?.is_none()
    {
        errors.push(CellError::keyed(
            0,
            "indicator",
            "comms-indicator-unknown",
            &[("code", code)],
        ));
    }
    if let Some(link) = &link
        && !link_exists(db, link).await?
    {
        errors.push(CellError::keyed(
            0,
            "link",
            "comms-link-target-not-found",
            &[],
        ));
    }
    let targets = super::aim::parse_targets(&input.targets)
        .map_err(|e| merge(&mut errors, e))
        .ok();
    let channels = super::aim::parse_channels(&input.channels)
        .map_err(|e| merge(&mut errors, e))
        .ok();
    let radio = input.radio_priority.as_deref().unwrap_or("normal");
    let priority = Priority::parse(radio).or_else(|| {
        errors.push(CellError::keyed(
            0,
            "radio_priority",
            "radio-priority-invalid",
            &[],
        ));
        None
    });
    let (Some(category), Some(targets), Some(channels), Some(priority)) = (
        category.filter(|_| errors.is_empty()),
        targets,
        channels,
        priority,
    ) else {
        return Err(AppError::Invalid(errors));
    };
    let now = OffsetDateTime::now_utc();
    let needs_approval = unit.kind.level() != Level::Village;
    let approves = policy::allows(db, actor, Permission::ApproveAnnouncements, unit_id).await?;
    let status = if needs_approval && !approves {
        Status::Pending
    } else {
        Status::Scheduled
    };
    let row = AnnouncementRow {
        id: Uuid::now_v7(),
        unit_id,
        title,
        body,
        category: category.as_str().to_owned(),
        link,
        indicator,
        status: status.as_str().to_owned(),
        publish_at: millis(input.publish_at.unwrap_or(now)),
        short_code: short_code(),
        created_by: actor.user_id,
        created_label: actor.label.clone(),
        approved_label: (needs_approval && approves).then(|| actor.label.clone()),
        approved_at: (needs_approval && approves).then_some(now),
        published_at: None,
        villages: 0,
        households: 0,
        created_at: now,
    };
    let mut tx = db.begin().await?;
    store::insert_announcement(&mut tx, &row).await?;
    super::aim::check_targets(&mut tx, unit_id, &targets).await?;
    store::insert_targets(&mut tx, row.id, &targets).await?;
    store::insert_channels(&mut tx, row.id, &channels).await?;
    store::set_public_url(&mut tx, row.id, input.public_url.trim()).await?;
    if channels.iter().any(|c| c == "radio") {
        super::radio::schedule_readings(
            &mut tx,
            &row,
            priority,
            &input.radio_at,
            &actor.label,
            now,
        )
        .await?;
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "announcement.create",
            target_type: "announcement",
            target_id: row.id.to_string(),
            unit_id: Some(unit_id),
            summary: format!("{} [{}] {}", row.status, row.category, row.title),
        },
    )
    .await?;
    if status == Status::Scheduled && row.publish_at <= millis(now) {
        publish_in(&mut tx, row.id, now).await?;
    }
    tx.commit().await?;
    store::get_announcement(db, row.id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Adds an input error's fields to `errors` (other failures are kept as a general one).
fn merge(errors: &mut Vec<CellError>, error: AppError) {
    match error {
        AppError::Invalid(more) => errors.extend(more),
        _ => errors.push(CellError::keyed(0, "", "comms-required", &[])),
    }
}

/// Whether a link names a guide of the library or a procedure in the catalogue.
async fn link_exists(db: &Db, link: &str) -> AppResult<bool> {
    if let Some(slug) = link.strip_prefix("/huong-dan/") {
        return Ok(super::guides::guide(slug).is_some());
    }
    if let Some(code) = link.strip_prefix("/thu-tuc/") {
        return match crate::procedures::guide(db, code).await {
            Ok(_) => Ok(true),
            Err(AppError::NotFound) => Ok(false),
            Err(e) => Err(e),
        };
    }
    Ok(false)
}

/// The value a household must reach for an indicator not to be "lacking": -1 for "every
/// adult" (the store compares with the household's adults). `None` for an unknown code.
async fn indicator_target(db: &Db, code: &str) -> AppResult<Option<i64>> {
    let catalogue = crate::households::catalogue(db, today()).await?;
    Ok(catalogue
        .iter()
        .find(|i| i.code == code)
        .map(|i| match i.kind {
            IndicatorKind::AdultCount => -1,
            IndicatorKind::Level => 2,
            IndicatorKind::YesNo | IndicatorKind::Count => 1,
        }))
}

/// Approves (or refuses) a pending announcement; an approved one whose time has come is
/// published in the same transaction.
pub async fn decide(db: &Db, actor: &Actor, id: Uuid, approve: bool) -> AppResult<AnnouncementRow> {
    let row = store::get_announcement(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ApproveAnnouncements, row.unit_id).await?;
    let now = OffsetDateTime::now_utc();
    let status = if approve {
        Status::Scheduled
    } else {
        Status::Rejected
    };
    let mut tx = db.begin().await?;
    if !store::decide(&mut tx, id, status.as_str(), &actor.label, now).await? {
        return Err(AppError::refused_key("comms-announcement-not-pending", &[]));
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: if approve {
                "announcement.approve"
            } else {
                "announcement.reject"
            },
            target_type: "announcement",
            target_id: id.to_string(),
            unit_id: Some(row.unit_id),
            summary: row.title.clone(),
        },
    )
    .await?;
    if approve && row.publish_at <= millis(now) {
        publish_in(&mut tx, id, now).await?;
    }
    tx.commit().await?;
    store::get_announcement(db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Publishes every scheduled announcement whose time has come (the worker calls this); each
/// in its own transaction, and each only once even with several nodes.
pub async fn publish_due(db: &Db) -> AppResult<usize> {
    let now = OffsetDateTime::now_utc();
    let mut published = 0;
    for id in store::due_announcements(db, millis(now), 50).await? {
        let mut tx = db.begin().await?;
        if publish_in(&mut tx, id, now).await? {
            published += 1;
        }
        tx.commit().await?;
    }
    Ok(published)
}

/// Inside `tx`: marks the announcement published (only if still scheduled), writes its feed
/// rows and its outbox rows. False when someone else published it first.
async fn publish_in(tx: &mut Tx, id: Uuid, now: OffsetDateTime) -> AppResult<bool> {
    let Some(row) = store::get_announcement(&mut *tx, id).await? else {
        return Ok(false);
    };
    let date = today();
    let villages: Vec<(Uuid, String, i64)> = {
        let nodes = unit_store::subtree(&mut *tx, row.unit_id, date, 8).await?;
        let villages: Vec<(Uuid, String)> = nodes
            .into_iter()
            .filter(|n| n.unit.kind.level() == Level::Village)
            .map(|n| (n.unit.id, n.unit.code))
            .collect();
        match &row.indicator {
            None => {
                let counts = store::coverage(&mut *tx, row.unit_id, date).await?;
                villages
                    .into_iter()
                    .map(|(id, code)| {
                        let n = counts
                            .iter()
                            .find(|c| c.unit_id == id)
                            .map_or(0, |c| c.households);
                        (id, code, n)
                    })
                    .collect()
            }
            Some(code) => {
                let target = indicator_target_tx(tx, code).await?;
                let lacking =
                    store::lacking_indicator(&mut *tx, row.unit_id, date, code, target).await?;
                villages
                    .into_iter()
                    .filter_map(|(id, code)| {
                        lacking
                            .iter()
                            .find(|(v, _)| *v == id)
                            .map(|(_, n)| (id, code, *n))
                    })
                    .filter(|(_, _, n)| *n > 0)
                    .collect()
            }
        }
    };
    let targets = store::targets_of(&mut *tx, id).await?;
    let villages = if targets.is_empty() {
        villages
    } else {
        let aimed = aimed_villages(tx, &targets, date).await?;
        villages
            .into_iter()
            .filter(|(v, ..)| aimed.contains(v))
            .collect()
    };
    let channels = store::channels_of(&mut *tx, id).await?;
    let chosen = |c: &str| channels.is_empty() || channels.iter().any(|x| x == c);
    let households: i64 = villages.iter().map(|(_, _, n)| n).sum();
    if !store::mark_published(tx, id, now, villages.len() as i64, households).await? {
        return Ok(false);
    }
    let indicator = match &row.indicator {
        Some(code) => Some((code.as_str(), indicator_target_tx(tx, code).await?)),
        None => None,
    };
    super::aim::enqueue(tx, &row, &channels, &targets, indicator, now).await?;
    let unit_code = unit_store::get(&mut *tx, row.unit_id)
        .await?
        .map(|u| u.code)
        .unwrap_or_default();
    if chosen("feed") {
        let feed: Vec<(Uuid, i64)> = villages.iter().map(|(id, _, n)| (*id, *n)).collect();
        store::insert_feed_rows(tx, id, &feed, millis(now)).await?;
        // The feed is delivered by this very transaction.
        store::insert_outbox(
            tx,
            &OutboxRow {
                id: Uuid::now_v7(),
                announcement_id: id,
                channel: "feed".into(),
                webhook_id: None,
                idempotency_key: format!("{id}:feed"),
                payload: String::new(),
                status: "delivered".into(),
                attempts: 0,
                next_attempt_at: millis(now),
                claimed_by: None,
                claimed_until: None,
                delivered_at: Some(now),
                last_error: None,
                created_at: now,
            },
        )
        .await?;
    }
    let hooks = if chosen("webhook") {
        store::webhooks_for(&mut *tx, row.unit_id, date).await?
    } else {
        Vec::new()
    };
    for hook in hooks {
        let key = format!("{id}:{}", hook.id);
        let payload = json!({
            "idempotency_key": key,
            "announcement": {
                "id": id,
                "title": row.title,
                "body": row.body,
                "body_html": render_body(&row.body),
                "category": row.category,
                "link": row.link,
                "unit_code": unit_code,
                "published_at": now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                "short_path": format!("/a/{}", row.short_code),
                "indicator": row.indicator,
                "households": households,
                "villages": villages.iter().map(|(_, code, n)| json!({"code": code, "households": n})).collect::<Vec<_>>(),
            }
        });
        store::insert_outbox(
            tx,
            &OutboxRow {
                id: Uuid::now_v7(),
                announcement_id: id,
                channel: "webhook".into(),
                webhook_id: Some(hook.id),
                idempotency_key: key,
                payload: payload.to_string(),
                status: "pending".into(),
                attempts: 0,
                next_attempt_at: millis(now),
                claimed_by: None,
                claimed_until: None,
                delivered_at: None,
                last_error: None,
                created_at: now,
            },
        )
        .await?;
    }
    Ok(true)
}

/// The villages an announcement's targets reach: those under each unit, each group's village.
async fn aimed_villages(
    tx: &mut Tx,
    targets: &[(String, Uuid)],
    date: time::Date,
) -> AppResult<Vec<Uuid>> {
    let mut out = Vec::new();
    for (kind, target) in targets {
        let root = if kind == langso_store::comms::TARGET_GROUP {
            match store::get_group(&mut *tx, *target).await? {
                Some(g) => g.unit_id,
                None => continue,
            }
        } else {
            *target
        };
        for n in unit_store::subtree(&mut *tx, root, date, 8).await? {
            if n.unit.kind.level() == Level::Village {
                out.push(n.unit.id);
            }
        }
    }
    Ok(out)
}

async fn indicator_target_tx(tx: &mut Tx, code: &str) -> AppResult<i64> {
    let defs = langso_store::households::indicators_on(&mut *tx, today()).await?;
    Ok(defs
        .iter()
        .find(|d| d.code == code)
        .and_then(|d| IndicatorKind::parse(&d.kind))
        .map_or(1, |kind| match kind {
            IndicatorKind::AdultCount => -1,
            IndicatorKind::Level => 2,
            IndicatorKind::YesNo | IndicatorKind::Count => 1,
        }))
}

/// One announcement with its villages, channels, attempts, opens and reach.
pub async fn announcement(db: &Db, actor: &Actor, id: Uuid) -> AppResult<AnnouncementView> {
    let row = store::get_announcement(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadDashboard, row.unit_id).await?;
    let (reach_groups, reach_members) = store::reach_under(db, row.unit_id, today()).await?;
    // The villages reached, namesakes told apart ("Thôn Hòa Bình (Hồng Hà cũ)").
    let mut villages = store::feed_villages(db, id).await?;
    let ids: Vec<Uuid> = villages.iter().map(|(id, ..)| *id).collect();
    let labels = crate::units::labels_of(db, &ids, today()).await?;
    for (id, _, name, _) in &mut villages {
        *name = labels.text_or(*id, name);
    }
    Ok(AnnouncementView {
        body_html: render_body(&row.body),
        villages,
        channels: store::outbox_of(db, id).await?,
        attempts: store::attempts_of(db, id).await?,
        opens: store::opens(db, id).await?,
        reach_groups,
        reach_members,
        row,
    })
}

/// Announcements to units under `unit`, newest first.
pub async fn list_announcements(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    limit: i64,
) -> AppResult<Vec<AnnouncementRow>> {
    policy::require(db, actor, Permission::ReadDashboard, unit).await?;
    Ok(store::list_announcements(db, unit, today(), limit.clamp(1, 500)).await?)
}

/// A resident opens the short link: counted (a number per day, nothing about the reader) and
/// the published announcement returned. Unpublished ones are not found.
pub async fn open_short_link(db: &Db, code: &str) -> AppResult<AnnouncementRow> {
    if !langso_domain::procedures::is_token(code) {
        return Err(AppError::NotFound);
    }
    let row = store::announcement_by_code(db, code)
        .await?
        .filter(|r| r.status == Status::Published.as_str())
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    store::count_open(&mut tx, row.id, today()).await?;
    tx.commit().await?;
    Ok(row)
}
