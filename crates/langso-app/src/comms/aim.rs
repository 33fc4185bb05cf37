//! Aiming an announcement: the communes, villages and village groups it goes to (picked from a
//! list scoped to the author's unit), the channels chosen, and, at publication, one
//! `comm_messages` row per recipient per channel, keyed by announcement, channel and recipient
//! so that publishing twice cannot double a message. The delivery worker (not here) sends them.

use std::collections::BTreeMap;

use langso_domain::auth::Permission;
use langso_domain::markdown;
use langso_domain::units::Level;
use langso_store::Tx;
use langso_store::comms::{
    self as store, AnnouncementRow, ContactRow, MessageRow, QUEUED, TARGET_GROUP, TARGET_UNIT,
    WITHHELD, millis,
};
use langso_store::units as unit_store;
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db, today};

/// The channels an announcement may take: the public page and village feeds, webhooks, Zalo
/// ZNS and SMS to consenting households, e-mail to the officers of the targeted units, the copy
/// for Zalo groups (posted by hand), and the commune radio.
pub const CHANNELS: [&str; 7] = ["feed", "webhook", "zns", "sms", "email", "zalo", "radio"];

/// The most targets one announcement may name.
pub const MAX_TARGETS: usize = 200;

/// The most recipients one announcement reaches on one channel (a district's households): past
/// it, the announcement is refused rather than cut silently.
pub const MAX_RECIPIENTS: i64 = 50_000;

/// The prefix of a reason Langso wrote itself (shown in words by the pages), as opposed to a
/// provider's own text.
pub const OWN_REASON: &str = "langso:";

/// A reason of ours as stored: `langso:` and the catalogue key's tail (after `msg-reason-`),
/// with its arguments as a query (`langso:esms-rejected?status=4`), so each reader gets it
/// in their language; a provider's own text is stored as it came.
pub fn own_reason(key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = format!("{OWN_REASON}{key}");
    if !args.is_empty() {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in args {
            query.append_pair(name, &value.to_string());
        }
        out.push('?');
        out.push_str(&query.finish());
    }
    out
}

/// A stored reason of ours read back: its key's tail and arguments (None: a provider's text).
pub fn parse_own_reason(reason: &str) -> Option<(String, Vec<(String, String)>)> {
    let rest = reason.strip_prefix(OWN_REASON)?;
    let (key, query) = rest.split_once('?').unwrap_or((rest, ""));
    let args = form_urlencoded::parse(query.as_bytes())
        .take(10)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    Some((key.to_owned(), args))
}

/// A choice in the composer's list.
#[derive(Clone, Debug)]
pub struct TargetChoice {
    /// `unit:<id>` or `group:<id>`, the form's value.
    pub value: String,
    /// `commune`, `village` or `group`.
    pub kind: &'static str,
    /// The name, namesakes told apart.
    pub label: String,
    /// Chosen already.
    pub selected: bool,
}

/// Parses the form's `unit:<id>` / `group:<id>` values (duplicates dropped, at most
/// [`MAX_TARGETS`]).
pub fn parse_targets(raw: &[String]) -> Result<Vec<(String, Uuid)>, AppError> {
    let mut out: Vec<(String, Uuid)> = Vec::new();
    for value in raw.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let parsed = value.split_once(':').and_then(|(kind, id)| {
            let kind = [TARGET_UNIT, TARGET_GROUP]
                .into_iter()
                .find(|k| *k == kind)?;
            Some((kind.to_owned(), Uuid::parse_str(id).ok()?))
        });
        let Some(target) = parsed else {
            return Err(AppError::Invalid(vec![CellError::keyed(
                0,
                "targets",
                "ann-target-invalid",
                &[],
            )]));
        };
        if !out.contains(&target) {
            out.push(target);
        }
    }
    if out.len() > MAX_TARGETS {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "targets",
            "ann-targets-too-many",
            &[("limit", &MAX_TARGETS)],
        )]));
    }
    Ok(out)
}

/// Parses the channels ticked (unknown ones refused).
pub fn parse_channels(raw: &[String]) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for c in raw.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if !CHANNELS.contains(&c) {
            return Err(AppError::Invalid(vec![CellError::keyed(
                0,
                "channels",
                "ann-channel-invalid",
                &[],
            )]));
        }
        if !out.iter().any(|o: &String| o == c) {
            out.push(c.to_owned());
        }
    }
    Ok(out)
}

/// Checks that every target lies under `root` (communes and villages; groups by their unit):
/// an id outside answers "not found", as ids must not leak.
pub async fn check_targets(tx: &mut Tx, root: Uuid, targets: &[(String, Uuid)]) -> AppResult<()> {
    let date = today();
    for (kind, id) in targets {
        let unit = if kind == TARGET_GROUP {
            store::get_group(&mut *tx, *id).await?.map(|g| g.unit_id)
        } else {
            let unit = unit_store::get(&mut *tx, *id).await?;
            unit.filter(|u| matches!(u.kind.level(), Level::Commune | Level::Village))
                .map(|u| u.id)
        };
        let Some(unit) = unit else {
            return Err(AppError::NotFound);
        };
        if !unit_store::is_within(&mut *tx, unit, root, date).await? {
            return Err(AppError::NotFound);
        }
    }
    Ok(())
}

/// The composer's list: the communes and villages under `unit` and their groups, whose folded
/// name contains the folded `query`, chosen ones first and always shown; at most `limit`
/// others. Returns the list and how many matched in all.
pub async fn target_choices(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    query: &str,
    selected: &[(String, Uuid)],
    limit: usize,
) -> AppResult<(Vec<TargetChoice>, usize)> {
    policy::require(db, actor, Permission::WritePeople, unit).await?;
    let date = today();
    let folded = langso_domain::fold(query.trim());
    let nodes = unit_store::subtree(db, unit, date, 8).await?;
    let ids: Vec<Uuid> = nodes.iter().map(|n| n.unit.id).collect();
    let labels = crate::units::labels_of(db, &ids, date).await?;
    let mut all: Vec<TargetChoice> = Vec::new();
    for n in &nodes {
        let kind = match n.unit.kind.level() {
            Level::Commune => "commune",
            Level::Village => "village",
            _ => continue,
        };
        all.push(TargetChoice {
            value: format!("{TARGET_UNIT}:{}", n.unit.id),
            kind,
            label: labels.text_or(n.unit.id, &n.unit.name),
            selected: selected.contains(&(TARGET_UNIT.to_owned(), n.unit.id)),
        });
    }
    for g in store::list_groups(db, unit, date).await? {
        let village = labels.text_or(g.unit_id, "");
        all.push(TargetChoice {
            value: format!("{TARGET_GROUP}:{}", g.id),
            kind: "group",
            label: format!("{} ({village})", g.name),
            selected: selected.contains(&(TARGET_GROUP.to_owned(), g.id)),
        });
    }
    let (chosen, rest): (Vec<_>, Vec<_>) = all.into_iter().partition(|c| c.selected);
    let matching: Vec<TargetChoice> = rest
        .into_iter()
        .filter(|c| folded.is_empty() || langso_domain::fold(&c.label).contains(&folded))
        .collect();
    let total = matching.len();
    Ok((
        chosen
            .into_iter()
            .chain(matching.into_iter().take(limit))
            .collect(),
        total,
    ))
}

pub use langso_domain::channels::phone_84;

/// THE consent check for messages to households (ZNS, SMS): the households under `root` (in
/// `group` when given) whose representative has a phone and whose consent to be contacted
/// covers announcements today ([`crate::households::may_contact`], the consent record that a
/// withdrawal closes at once).
pub(crate) async fn consenting_households(
    tx: &mut Tx,
    root: Uuid,
    group: Option<Uuid>,
    indicator: Option<(&str, i64)>,
) -> AppResult<Vec<ContactRow>> {
    let rows =
        store::consenting_households(&mut *tx, root, group, today(), indicator, MAX_RECIPIENTS)
            .await?;
    let mut contactable = Vec::with_capacity(rows.len());
    for row in rows {
        if crate::households::may_contact(&mut *tx, row.household_id, "announcements").await? {
            contactable.push(row);
        }
    }
    Ok(contactable)
}

/// The officers of the targeted units who have an e-mail address: (user, label, address),
/// each once — the accounts responsible for a unit (as for fault reports) on it or above it.
pub(crate) async fn officer_emails(
    tx: &mut Tx,
    units: &[Uuid],
) -> AppResult<Vec<(Uuid, String, String)>> {
    let mut seen = std::collections::BTreeSet::new();
    let mut found = Vec::new();
    for unit in units {
        let people = langso_store::comms::recipients_for(
            &mut *tx,
            *unit,
            today(),
            super::notify::RESPONSIBLE,
        )
        .await?;
        for person in people {
            if let Some(email) = person.email.filter(|e| !e.is_empty())
                && seen.insert(person.id)
            {
                found.push((person.id, person.display_name, email));
            }
        }
    }
    Ok(found)
}

/// The short link as residents open it.
pub fn short_link(public_url: &str, code: &str) -> String {
    format!("{}/a/{code}", public_url.trim_end_matches('/'))
}

/// Inside the publishing transaction: one message per recipient per chosen channel (ZNS and SMS
/// to consenting households, e-mail to officers), each once by its key. Returns how many were
/// written now.
pub(crate) async fn enqueue(
    tx: &mut Tx,
    row: &AnnouncementRow,
    channels: &[String],
    targets: &[(String, Uuid)],
    indicator: Option<(&str, i64)>,
    now: OffsetDateTime,
) -> AppResult<usize> {
    let phones: Vec<&str> = ["zns", "sms"]
        .into_iter()
        .filter(|c| channels.iter().any(|x| x == c))
        .collect();
    let email = channels.iter().any(|c| c == "email");
    if phones.is_empty() && !email {
        return Ok(0);
    }
    let base = store::public_url_of(&mut *tx, row.id).await?;
    let link = short_link(&base, &row.short_code);
    let unit_name = unit_store::get(&mut *tx, row.unit_id)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let date = langso_domain::locale::day(now.to_offset(langso_domain::locale::VIETNAM).date());
    let plain = markdown::plain(&row.body, &base);
    let mut roots: Vec<(Uuid, Option<Uuid>)> = Vec::new();
    for (kind, id) in targets {
        if kind == TARGET_GROUP {
            if let Some(g) = store::get_group(&mut *tx, *id).await? {
                roots.push((g.unit_id, Some(g.id)));
            }
        } else {
            roots.push((*id, None));
        }
    }
    if targets.is_empty() {
        roots.push((row.unit_id, None));
    }
    let mut written = 0;
    if !phones.is_empty() {
        let mut contacts: BTreeMap<Uuid, ContactRow> = BTreeMap::new();
        for (root, group) in roots.iter().copied() {
            for c in consenting_households(tx, root, group, indicator).await? {
                contacts.entry(c.household_id).or_insert(c);
            }
        }
        if contacts.len() as i64 > MAX_RECIPIENTS {
            return Err(AppError::refused_key(
                "ann-recipients-too-many",
                &[("limit", &MAX_RECIPIENTS)],
            ));
        }
        let sms = markdown::sms(&row.title, &row.body, &base, &link);
        let zns_body: String = plain.chars().take(400).collect();
        let data = json!({"title": row.title, "body": zns_body, "link": link, "unit": unit_name, "date": date});
        for channel in &phones {
            for c in contacts.values() {
                let address = phone_84(&c.phone);
                let mut message = message(
                    row,
                    channel,
                    "household",
                    c.household_id,
                    &c.representative_name,
                    now,
                );
                message.unit_id = c.commune_id;
                message.address = address.clone().unwrap_or_default();
                if address.is_none() {
                    message.status = WITHHELD.to_owned();
                    message.reason = Some(format!("{OWN_REASON}invalid-phone"));
                }
                if *channel == "zns" {
                    message.body = zns_body.clone();
                    message.template_data = Some(data.to_string());
                } else {
                    message.body = sms.clone();
                }
                if store::insert_message_once(tx, &message).await? {
                    written += 1;
                }
            }
        }
    }
    if email {
        let units: Vec<Uuid> = roots.iter().map(|(u, _)| *u).collect();
        let html = markdown::html(&row.body);
        for (user, label, address) in officer_emails(tx, &units).await? {
            let mut message = message(row, "email", "user", user, &label, now);
            message.address = address.trim().to_lowercase();
            message.body = format!("{plain}\n\n{link}");
            message.html = Some(format!("{html}<p><a href=\"{link}\">{link}</a></p>"));
            if store::insert_message_once(tx, &message).await? {
                written += 1;
            }
        }
    }
    Ok(written)
}

/// A queued message of an announcement to one recipient, its key natural.
fn message(
    row: &AnnouncementRow,
    channel: &str,
    kind: &str,
    recipient: Uuid,
    label: &str,
    now: OffsetDateTime,
) -> MessageRow {
    MessageRow {
        id: Uuid::now_v7(),
        unit_id: row.unit_id,
        source: "announcement".into(),
        source_id: Some(row.id),
        channel: channel.into(),
        recipient_kind: kind.into(),
        recipient_id: Some(recipient),
        recipient_label: label.into(),
        address: String::new(),
        subject: row.title.clone(),
        body: String::new(),
        html: None,
        template_id: None,
        template_data: None,
        idempotency_key: format!("announcement:{}:{channel}:{recipient}", row.id),
        status: QUEUED.into(),
        provider_ref: None,
        reason: None,
        attempts: 0,
        next_attempt_at: millis(now),
        claimed_by: None,
        claimed_until: None,
        sent_at: None,
        delivered_at: None,
        created_at: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_take_the_84_form() {
        assert_eq!(phone_84("0912 345 678").as_deref(), Some("84912345678"));
        assert_eq!(phone_84("+84 912.345.678").as_deref(), Some("84912345678"));
        assert_eq!(phone_84("84912345678").as_deref(), Some("84912345678"));
        assert_eq!(phone_84("0123"), None);
        assert_eq!(phone_84("12345678901"), None);
        assert_eq!(phone_84(""), None);
    }

    #[test]
    fn targets_and_channels_parse() {
        let id = Uuid::now_v7();
        let raw = vec![format!("unit:{id}"), format!("unit:{id}"), String::new()];
        assert_eq!(
            parse_targets(&raw).unwrap_or_default(),
            vec![("unit".to_owned(), id)]
        );
        assert!(parse_targets(&["house:1".to_owned()]).is_err());
        assert!(parse_targets(&vec![format!("unit:{id}"); 1]).is_ok());
        assert_eq!(
            parse_channels(&["sms".into(), "zns".into()])
                .unwrap_or_default()
                .len(),
            2
        );
        assert!(parse_channels(&["fax".into()]).is_err());
    }
}
