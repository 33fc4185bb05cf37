//! The breach register: an incident as recorded (what, when it happened and when it was
//! discovered, which units, how many people, which kinds of data, the measures taken), the
//! 72-hour clock from discovery, the notification drafted from the record as an
//! administrative document, and the follow-up. Held by the unit's administrators and officers
//! (`ManageAccounts`); outside their units an incident does not exist (404). Every write and
//! every draft produced is in the audit log.

use langso_domain::auth::Permission;
use langso_domain::locale::{VIETNAM, minute};
use langso_render::official::Letterhead;
use langso_render::report::{Cell, Report, Section, report_pdf_with};
use langso_store::privacy::breaches as store;
pub use langso_store::privacy::breaches::BreachRow;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use super::record::{DATA_KINDS, kind_label};
use crate::audit::{self, Change, record_alone};
use crate::auth::{Actor, policy};
use crate::dashboard::{Signing, body, place, report_units, written_date};
use crate::{AppError, AppResult, CellError, Db, today};

/// Hours from discovery to the notification the law asks for.
pub const NOTIFY_WITHIN_HOURS: i64 = 72;
/// Statuses an incident goes through; `draft` is an anomaly not yet looked at.
pub const STATUSES: [&str; 5] = ["draft", "open", "notified", "closed", "dismissed"];
/// The longest free text of a field.
pub const MAX_TEXT: usize = 2000;
/// The most people an incident may name (more than any country's population is a typo).
pub const MAX_PEOPLE: i64 = 200_000_000;

/// An incident as an officer writes it (form fields as typed).
#[derive(Clone, Debug, Default)]
pub struct BreachInput {
    /// The unit whose register holds it.
    pub unit_id: Uuid,
    /// What happened.
    pub what: String,
    /// When it happened, `YYYY-MM-DDTHH:MM` Vietnam time; empty when unknown.
    pub occurred_at: String,
    /// When it was discovered, same form.
    pub discovered_at: String,
    /// Which units it touched.
    pub units_affected: String,
    /// How many people.
    pub people: String,
    /// Data kinds (codes of [`DATA_KINDS`]).
    pub data_kinds: Vec<String>,
    /// Measures taken.
    pub measures: String,
}

/// The follow-up of an incident.
#[derive(Clone, Debug, Default)]
pub struct FollowUpInput {
    /// One of [`STATUSES`].
    pub status: String,
    /// `YYYY-MM-DD`; empty when not notified yet.
    pub notified_on: String,
    /// Actions taken since.
    pub actions: String,
}

/// Where the 72-hour clock stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clock {
    /// Discovery plus 72 hours.
    pub deadline: OffsetDateTime,
    /// Minutes left (negative: overdue by that much).
    pub minutes_left: i64,
    /// Notified (or closed, dismissed): the clock no longer runs.
    pub stopped: bool,
}

/// The clock of `row` at `now`.
pub fn clock(row: &BreachRow, now: OffsetDateTime) -> Clock {
    let deadline = row.discovered_at + Duration::hours(NOTIFY_WITHIN_HOURS);
    Clock {
        deadline,
        minutes_left: (deadline - now).whole_minutes(),
        stopped: row.notified_on.is_some()
            || matches!(row.status.as_str(), "notified" | "closed" | "dismissed"),
    }
}

/// `YYYY-MM-DDTHH:MM` (or with a space) in Vietnam time.
pub fn parse_local(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim().replace(' ', "T");
    let (d, t) = text.split_once('T')?;
    let date = parse_date(d)?;
    let (h, m) = t.split_once(':')?;
    let m = m.get(..2).unwrap_or(m);
    let time = time::Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(VIETNAM))
}

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

fn too_long(field: &str, text: &str, errors: &mut Vec<CellError>) {
    if text.chars().count() > MAX_TEXT {
        errors.push(CellError::keyed(
            0,
            field,
            "privacy-text-too-long",
            &[("chars", &MAX_TEXT)],
        ));
    }
}

/// Checks an incident's fields; every refused field is named.
fn checked(input: &BreachInput, now: OffsetDateTime) -> AppResult<BreachRow> {
    let mut errors = Vec::new();
    let what = input.what.trim();
    if what.is_empty() {
        errors.push(CellError::keyed(0, "what", "privacy-field-required", &[]));
    }
    for (field, text) in [
        ("what", &input.what),
        ("units_affected", &input.units_affected),
        ("measures", &input.measures),
    ] {
        too_long(field, text, &mut errors);
    }
    let discovered = parse_local(&input.discovered_at);
    let bad_time = |field| CellError::keyed(0, field, "privacy-time-invalid", &[]);
    match discovered {
        None => errors.push(bad_time("discovered_at")),
        Some(at) if at > now + Duration::minutes(5) => errors.push(bad_time("discovered_at")),
        Some(_) => {}
    }
    let occurred = if input.occurred_at.trim().is_empty() {
        None
    } else {
        let at = parse_local(&input.occurred_at);
        match (at, discovered) {
            (Some(at), Some(d)) if at <= d => {}
            _ => errors.push(bad_time("occurred_at")),
        }
        at
    };
    let people = input.people.trim().replace(['.', ' '], "");
    let people = match people.parse::<i64>() {
        Ok(n) if (0..=MAX_PEOPLE).contains(&n) => n,
        _ if people.is_empty() => 0,
        _ => {
            errors.push(CellError::keyed(0, "people", "privacy-people-invalid", &[]));
            0
        }
    };
    let mut kinds = Vec::new();
    for kind in &input.data_kinds {
        if !DATA_KINDS.iter().any(|(code, _)| code == kind) {
            errors.push(CellError::keyed(
                0,
                "data_kinds",
                "privacy-kind-unknown",
                &[],
            ));
        } else if !kinds.contains(kind) {
            kinds.push(kind.clone());
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(BreachRow {
        id: Uuid::now_v7(),
        unit_id: input.unit_id,
        status: "open".to_owned(),
        what: what.to_owned(),
        occurred_at: occurred,
        discovered_at: discovered.unwrap_or(now),
        units_affected: input.units_affected.trim().to_owned(),
        people,
        data_kinds: kinds.join(","),
        measures: input.measures.trim().to_owned(),
        notified_on: None,
        actions: String::new(),
        anomaly_user_id: None,
        anomaly_day: None,
        created_by: String::new(),
        created_at: now,
        updated_at: now,
    })
}

/// Records an incident in `input.unit_id`'s register (audited).
pub async fn record_breach(db: &Db, actor: &Actor, input: &BreachInput) -> AppResult<BreachRow> {
    policy::require(db, actor, Permission::ManageAccounts, input.unit_id).await?;
    let now = OffsetDateTime::now_utc();
    let mut row = checked(input, now)?;
    row.created_by = actor.label.clone();
    let mut tx = db.begin().await?;
    store::insert(&mut tx, &row).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "privacy.breach_record",
            target_type: "breach",
            target_id: row.id.to_string(),
            unit_id: Some(row.unit_id),
            summary: format!("people={} kinds={}", row.people, row.data_kinds),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// The incidents of `unit` and the units under it, newest discovery first.
pub async fn list_breaches(db: &Db, actor: &Actor, unit: Uuid) -> AppResult<Vec<BreachRow>> {
    policy::require(db, actor, Permission::ManageAccounts, unit).await?;
    Ok(store::list_under(db, unit, today(), 500).await?)
}

/// One incident, if the actor holds its unit's register.
pub async fn get_breach(db: &Db, actor: &Actor, id: Uuid) -> AppResult<BreachRow> {
    let row = store::get(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ManageAccounts, row.unit_id).await?;
    Ok(row)
}

/// Writes the follow-up: status, when the authority was notified, actions (audited).
pub async fn follow_up(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    input: &FollowUpInput,
) -> AppResult<BreachRow> {
    let row = get_breach(db, actor, id).await?;
    let mut errors = Vec::new();
    if !STATUSES.contains(&input.status.as_str()) {
        errors.push(CellError::keyed(0, "status", "privacy-status-invalid", &[]));
    }
    let notified_on = if input.notified_on.trim().is_empty() {
        None
    } else {
        let day = parse_date(&input.notified_on)
            .filter(|d| *d <= today() && *d >= row.discovered_at.to_offset(VIETNAM).date());
        if day.is_none() {
            errors.push(CellError::keyed(
                0,
                "notified_on",
                "privacy-date-invalid",
                &[],
            ));
        }
        day
    };
    too_long("actions", &input.actions, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let now = OffsetDateTime::now_utc();
    let actions = input.actions.trim();
    let mut tx = db.begin().await?;
    store::follow_up(&mut tx, id, &input.status, notified_on, actions, now).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "privacy.breach_follow_up",
            target_type: "breach",
            target_id: id.to_string(),
            unit_id: Some(row.unit_id),
            summary: format!("{} -> {}", row.status, input.status),
        },
    )
    .await?;
    tx.commit().await?;
    get_breach(db, actor, id).await
}

/// The data kinds of an incident in words.
pub fn kinds_in_words(row: &BreachRow) -> String {
    row.data_kinds
        .split(',')
        .filter(|k| !k.is_empty())
        .map(kind_label)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The notification draft as a report model: the record's facts in the order the authority
/// reads them, the deadline first.
pub fn notice_model(row: &BreachRow, unit_name: &str) -> Report {
    let c = clock(row, OffsetDateTime::now_utc());
    let text = |t: &str| Cell::Text(t.to_owned());
    let line = |label: &str, value: String| vec![text(label), Cell::Text(value)];
    let or_unknown = |t: &str| {
        if t.trim().is_empty() {
            "Chưa xác định".to_owned()
        } else {
            t.to_owned()
        }
    };
    let rows = vec![
        line("Đơn vị kiểm soát dữ liệu", unit_name.to_owned()),
        line("Sự việc", row.what.clone()),
        line(
            "Thời điểm xảy ra",
            row.occurred_at
                .map_or_else(|| "Chưa xác định".to_owned(), minute),
        ),
        line("Thời điểm phát hiện", minute(row.discovered_at)),
        line(
            "Hạn thông báo (72 giờ kể từ khi phát hiện)",
            minute(c.deadline),
        ),
        line(
            "Đơn vị, địa bàn bị ảnh hưởng",
            or_unknown(&row.units_affected),
        ),
        line(
            "Số người bị ảnh hưởng (ước tính)",
            langso_render::report::group_thousands(row.people),
        ),
        line(
            "Loại dữ liệu cá nhân liên quan",
            or_unknown(&kinds_in_words(row)),
        ),
        line("Biện pháp đã thực hiện", or_unknown(&row.measures)),
        line("Biện pháp tiếp theo", or_unknown(&row.actions)),
    ];
    Report {
        title: "Thông báo vi phạm quy định bảo vệ dữ liệu cá nhân".to_owned(),
        subtitle: vec![
            "Kính gửi: Cơ quan chuyên trách bảo vệ dữ liệu cá nhân (Bộ Công an).".to_owned(),
            "Căn cứ Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15, đơn vị thông báo vi phạm như sau:"
                .to_owned(),
        ],
        sections: vec![Section {
            title: "Nội dung vi phạm".to_owned(),
            headers: vec!["Nội dung".to_owned(), "Thông tin".to_owned()],
            rows,
        }],
        charts: Vec::new(),
    }
}

/// The notification of an incident drafted as an A4 PDF administrative document, under the
/// unit's letterhead, for the officer to number, sign and send (audited).
pub async fn notice_pdf(db: &Db, actor: &Actor, id: Uuid, signing: &Signing) -> AppResult<Vec<u8>> {
    signing.check()?;
    let row = get_breach(db, actor, id).await?;
    let (unit, parent) = report_units(db, row.unit_id, today()).await?;
    let mut signing = signing.clone();
    if signing.recipients.iter().all(|r| r.trim().is_empty()) {
        signing.recipients = notice_signing(&unit, parent.as_ref()).recipients;
    }
    let head = letterhead(
        &unit,
        parent.as_ref(),
        &signing,
        "CV-UBND",
        "",
        "V/v thông báo vi phạm quy định bảo vệ dữ liệu cá nhân",
    );
    let bytes = report_pdf_with(&notice_model(&row, &unit.name), Some(&head))?;
    record_alone(
        db,
        actor,
        Change {
            action: "privacy.breach_notice",
            target_type: "breach",
            target_id: row.id.to_string(),
            unit_id: Some(row.unit_id),
            summary: "pdf".to_owned(),
        },
    )
    .await?;
    Ok(bytes)
}

/// The defaults of a notification: addressed first to the authority that receives breach
/// notifications, then the unit above (for its information), then the archive.
pub fn notice_signing(
    unit: &langso_domain::units::Unit,
    parent: Option<&langso_domain::units::Unit>,
) -> Signing {
    let mut signing = Signing::defaults(unit, parent);
    signing.recipients.insert(
        0,
        "Cơ quan chuyên trách bảo vệ dữ liệu cá nhân (Bộ Công an)".to_owned(),
    );
    signing
}

/// The frame of a privacy document of `unit`: number symbol `symbol`, kind `kind` (empty for
/// an official letter, which has none), summary `summary`; the signer from `signing` or the
/// defaults of the unit's level.
pub fn letterhead(
    unit: &langso_domain::units::Unit,
    parent: Option<&langso_domain::units::Unit>,
    signing: &Signing,
    symbol: &str,
    kind: &str,
    summary: &str,
) -> Letterhead {
    let defaults = Signing::defaults(unit, parent);
    let or = |given: &str, default: &str| {
        if given.trim().is_empty() {
            default.to_owned()
        } else {
            given.trim().to_owned()
        }
    };
    let number = signing.number.trim();
    let recipients: Vec<String> = signing
        .recipients
        .iter()
        .map(|r| r.trim().trim_start_matches('-').trim().to_owned())
        .filter(|r| !r.is_empty())
        .collect();
    let recipients = if recipients.is_empty() {
        defaults.recipients
    } else {
        recipients
    };
    let last = recipients.len().saturating_sub(1);
    let village = unit.kind.level() == langso_domain::units::Level::Village;
    let seat = if village {
        parent.unwrap_or(unit)
    } else {
        unit
    };
    Letterhead {
        superior: parent.map_or_else(String::new, |p| body(&p.name, p.kind.level())),
        issuer: body(&unit.name, unit.kind.level()),
        number: format!(
            "Số: {}/{symbol}",
            if number.is_empty() { "      " } else { number }
        ),
        place_date: format!("{}, {}", place(&seat.name), written_date(today())),
        kind: kind.to_owned(),
        summary: summary.to_owned(),
        recipients: recipients
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let r = r.trim_end_matches([';', '.']);
                format!("- {r}{}", if i == last { "." } else { ";" })
            })
            .collect(),
        capacity: or(&signing.capacity, &defaults.capacity),
        signer_title: or(&signing.signer_title, &defaults.signer_title),
        signer_name: signing.signer_name.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_parse_as_vietnam_time() {
        let at = parse_local("2026-12-05T14:30").unwrap();
        assert_eq!(minute(at), "05/12/2026 14:30");
        assert_eq!(at.to_offset(time::UtcOffset::UTC).hour(), 7);
        assert!(parse_local("2026-13-05T14:30").is_none());
        assert!(parse_local("hôm qua").is_none());
        assert_eq!(
            parse_local("2026-12-05 08:05"),
            parse_local("2026-12-05T08:05")
        );
    }

    #[test]
    fn the_clock_runs_72_hours_from_discovery_and_stops_once_notified() {
        let mut row = checked(
            &BreachInput {
                what: "Lộ danh sách hộ".into(),
                discovered_at: "2026-12-05T14:30".into(),
                people: "1.250".into(),
                data_kinds: vec!["phones".into(), "phones".into()],
                ..BreachInput::default()
            },
            parse_local("2026-12-06T00:00").unwrap(),
        )
        .unwrap();
        assert_eq!(row.people, 1250);
        assert_eq!(row.data_kinds, "phones");
        let now = parse_local("2026-12-07T14:30").unwrap();
        let c = clock(&row, now);
        assert_eq!(minute(c.deadline), "08/12/2026 14:30");
        assert_eq!(c.minutes_left, 24 * 60);
        assert!(!c.stopped);
        assert_eq!(
            clock(&row, parse_local("2026-12-08T15:00").unwrap()).minutes_left,
            -30
        );
        row.notified_on = Some(time::macros::date!(2026 - 12 - 07));
        assert!(clock(&row, now).stopped);
    }

    #[test]
    fn refused_fields_are_named() {
        let refused = checked(
            &BreachInput {
                occurred_at: "2026-12-06T10:00".into(),
                discovered_at: "2026-12-05T10:00".into(),
                people: "nhiều".into(),
                data_kinds: vec!["passwords".into()],
                ..BreachInput::default()
            },
            parse_local("2026-12-07T00:00").unwrap(),
        );
        let Err(AppError::Invalid(errors)) = refused else {
            panic!("refused");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(fields, ["what", "occurred_at", "people", "data_kinds"]);
    }
}
