//! Notifications to the people who handle a unit's work: a new fault report and a raised alarm
//! reach the unit's responsible officers (administrators, officers and village heads whose
//! roles cover the unit: those who handle fault reports there; team members are told of their
//! follow-ups instead). Each is written as `comm_messages` rows (or digest items) in the
//! transaction of the change it tells of, following each person's preferences: their
//! channels, at once or in the morning digest, never before the end of their quiet hours.
//!
//! The texts are Vietnamese and written here: a message is composed in the write transaction,
//! before anyone reads it, and the catalogue of page texts lives in the web crate.

use std::collections::HashMap;

use langso_domain::notices::{Preferences, service_words};
use langso_store::comms::{self as store, DigestItemRow, MessageRow, RecipientRow, millis};
use langso_store::{StoreResult, Tx};
use time::OffsetDateTime;
use uuid::Uuid;

/// Roles told of a unit's fault reports and alarms.
pub const RESPONSIBLE: [&str; 3] = ["admin", "officer", "village_head"];

/// Something to tell people.
#[derive(Clone, Debug)]
pub struct Notice {
    /// `fault`, `alarm` or `follow_up`.
    pub kind: &'static str,
    /// The unit it is about (whose channel settings apply).
    pub unit_id: Uuid,
    /// The work order, alarm…
    pub source_id: Option<Uuid>,
    /// Subject line.
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// Where to read more (a path of the officers' pages).
    pub link: String,
    /// Goes even in quiet hours.
    pub emergency: bool,
}

/// A person's preferences from their stored row (or the defaults).
pub fn preferences_of(r: &RecipientRow) -> Preferences {
    let mut p = Preferences::default();
    if let Some(channels) = &r.channels {
        p.channels = channels
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
    }
    p.quiet_start = r.quiet_start.unwrap_or(p.quiet_start);
    p.quiet_end = r.quiet_end.unwrap_or(p.quiet_end);
    for (slot, stored) in [
        (&mut p.fault, &r.fault_mode),
        (&mut p.alarm, &r.alarm_mode),
        (&mut p.follow_up, &r.follow_up_mode),
    ] {
        if let Some(mode) = stored {
            slot.clone_from(mode);
        }
    }
    p
}

/// Tells one unit's news to its responsible people, with their recipients looked up once per
/// unit (a batch of alarms in one transaction asks once per unit).
#[derive(Default)]
pub struct Notifier {
    recipients: HashMap<Uuid, Vec<RecipientRow>>,
    /// Messages written so far.
    pub messages: usize,
}

impl Notifier {
    /// Tells `notice` to the responsible people of its unit; returns the messages written.
    pub async fn unit(
        &mut self,
        tx: &mut Tx,
        notice: &Notice,
        now: OffsetDateTime,
    ) -> StoreResult<usize> {
        let recipients = match self.recipients.entry(notice.unit_id) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => slot.insert(
                store::recipients_for(&mut *tx, notice.unit_id, crate::today(), RESPONSIBLE)
                    .await?,
            ),
        };
        let mut written = 0;
        for r in recipients.iter() {
            written += tell(tx, r, notice, now).await?;
        }
        self.messages += written;
        Ok(written)
    }
}

/// Tells one person: messages on each of their channels they have a contact for, a digest
/// item, or nothing, as their preference for the notice's kind says. Returns messages written.
pub async fn tell(
    tx: &mut Tx,
    r: &RecipientRow,
    notice: &Notice,
    now: OffsetDateTime,
) -> StoreResult<usize> {
    let prefs = preferences_of(r);
    match prefs.mode(notice.kind) {
        "off" => Ok(0),
        "digest" => {
            let item = DigestItemRow {
                id: Uuid::now_v7(),
                user_id: r.id,
                unit_id: notice.unit_id,
                kind: notice.kind.to_owned(),
                source_id: notice.source_id,
                title: notice.subject.clone(),
                body: format!("{} {}", notice.body, notice.link),
                created_at: now,
                digest_id: None,
            };
            store::insert_digest_item(tx, &item).await?;
            Ok(0)
        }
        _ => {
            let at = prefs.not_before(now, notice.emergency);
            let key = |channel: &str| match notice.source_id {
                Some(id) => format!("notification:{}:{id}:{}:{channel}", notice.kind, r.id),
                None => Uuid::now_v7().to_string(),
            };
            send(tx, r, &prefs, "notification", notice, at, now, key).await
        }
    }
}

/// Writes one message per chosen channel the person has a contact for.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn send(
    tx: &mut Tx,
    r: &RecipientRow,
    prefs: &Preferences,
    source: &str,
    notice: &Notice,
    at: OffsetDateTime,
    now: OffsetDateTime,
    key: impl Fn(&str) -> String,
) -> StoreResult<usize> {
    let mut written = 0;
    for channel in &prefs.channels {
        let address = match channel.as_str() {
            "email" => r.email.clone(),
            "sms" | "zns" => r.phone.clone(),
            _ => None,
        };
        let Some(address) = address.filter(|a| !a.is_empty()) else {
            continue;
        };
        let text = format!("{}\n{}", notice.body, notice.link);
        let row = MessageRow {
            id: Uuid::now_v7(),
            unit_id: notice.unit_id,
            source: source.to_owned(),
            source_id: notice.source_id,
            channel: channel.clone(),
            recipient_kind: "user".to_owned(),
            recipient_id: Some(r.id),
            recipient_label: r.display_name.clone(),
            address,
            subject: notice.subject.clone(),
            body: text.clone(),
            html: (channel == "email").then(|| html_of(&notice.subject, &text)),
            template_id: None,
            template_data: (channel == "zns").then(|| {
                serde_json::json!({"title": notice.subject, "body": notice.body,
                    "link": notice.link})
                .to_string()
            }),
            idempotency_key: key(channel),
            status: store::QUEUED.to_owned(),
            provider_ref: None,
            reason: None,
            attempts: 0,
            next_attempt_at: millis(at),
            claimed_by: None,
            claimed_until: None,
            sent_at: None,
            delivered_at: None,
            created_at: now,
        };
        store::insert_message(tx, &row).await?;
        written += 1;
    }
    Ok(written)
}

/// The e-mail's HTML: the text, escaped, a paragraph per line.
pub(crate) fn html_of(subject: &str, text: &str) -> String {
    use langso_domain::comms::escape;
    let paragraphs: String = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("<p>{}</p>", escape(l)))
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body>{paragraphs}</body></html>",
        escape(subject)
    )
}

/// The notice of a new fault report.
pub fn fault_notice(order: &langso_store::faults::WorkOrderRow, unit: Uuid) -> Notice {
    let place = if order.address.is_empty() {
        String::new()
    } else {
        format!(" tại {}", order.address)
    };
    let what: String = order.description.chars().take(300).collect();
    Notice {
        kind: "fault",
        unit_id: unit,
        source_id: Some(order.id),
        subject: format!(
            "Phản ánh mới: {}{place}",
            service_words(&order.service_code)
        ),
        body: format!(
            "Người dân phản ánh {}{place}. {what}",
            service_words(&order.service_code)
        )
        .trim()
        .to_owned(),
        link: format!("/work-orders/{}", order.id),
        emergency: false,
    }
}

/// The notice of a raised alarm on an asset.
pub fn alarm_notice(
    alarm: Uuid,
    asset: &langso_store::assets::AssetRow,
    kind: &str,
    code: &str,
) -> Notice {
    let what = if kind == "offline" {
        "mất kết nối".to_owned()
    } else {
        format!("báo lỗi {code}")
    };
    Notice {
        kind: "alarm",
        unit_id: asset.unit_id,
        source_id: Some(alarm),
        subject: format!("Cảnh báo: {} {what}", asset.code),
        body: format!("Thiết bị {} ({}) {what}.", asset.code, asset.name),
        link: format!("/assets/{}", asset.id),
        emergency: false,
    }
}

/// Tells the responsible people of an alarm just raised (called on the raise only, never on a
/// heartbeat that leaves an alarm open).
pub async fn alarm_raised(
    tx: &mut Tx,
    notifier: &mut Notifier,
    alarm: Uuid,
    asset: Uuid,
    kind: &str,
    code: &str,
    now: OffsetDateTime,
) -> StoreResult<usize> {
    let Some(asset) = langso_store::assets::asset(&mut *tx, asset).await? else {
        return Ok(0);
    };
    notifier
        .unit(tx, &alarm_notice(alarm, &asset, kind, code), now)
        .await
}
