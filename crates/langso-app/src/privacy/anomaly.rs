//! The access-anomaly check: an account that, in one Vietnam day, sees or exports people's
//! personal numbers unmasked for more than `people` people AND more than `factor` times its
//! 30-day daily average opens a DRAFT incident in the breach register, and the administrators
//! whose roles cover the incident's unit are told. Read from the audit log's unmasked-view and
//! export entries. Once per account per day whatever the number of nodes: the draft is written
//! against a unique (account, day) index, and only the node that wrote it tells anyone.

use std::time::Duration as StdDuration;

use langso_domain::auth::Role;
use langso_domain::locale::{VIETNAM, day as format_day};
use langso_store::privacy::anomaly::{self as store, ExposureRow};
use langso_store::privacy::breaches::{self as breaches, BreachRow};
use time::{Duration, OffsetDateTime, Time};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::Actor;
use crate::comms::notify::{Notice, tell};
use crate::{AppError, AppResult, CellError, Db, today};

/// The shipped thresholds: five times the 30-day daily average, and over 200 people.
pub const DEFAULT_FACTOR: i64 = 5;
/// See [`DEFAULT_FACTOR`].
pub const DEFAULT_PEOPLE: i64 = 200;
/// Days of the baseline.
pub const BASELINE_DAYS: i64 = 30;

/// The thresholds in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thresholds {
    /// Times the 30-day daily average.
    pub factor: i64,
    /// People in a day.
    pub people: i64,
}

/// The thresholds as an administrator set them, or the shipped defaults.
pub async fn thresholds(db: &Db) -> AppResult<Thresholds> {
    Ok(Thresholds {
        factor: breaches::setting(db, "anomaly_factor")
            .await?
            .unwrap_or(DEFAULT_FACTOR),
        people: breaches::setting(db, "anomaly_people")
            .await?
            .unwrap_or(DEFAULT_PEOPLE),
    })
}

/// Whether `actor` administers a unit at the top of the tree: the thresholds apply to the
/// whole installation, so only they change them.
pub async fn is_root_admin(db: &Db, actor: &Actor) -> AppResult<bool> {
    if actor.is_system() {
        return Ok(true);
    }
    let roots = langso_store::units::roots(db, today()).await?;
    Ok(actor
        .grants
        .iter()
        .any(|g| g.role == Role::Admin && roots.iter().any(|u| u.id == g.unit_id)))
}

/// Sets the thresholds (form fields as typed; factor 1–1000, people 1–1,000,000). Anyone but
/// an administrator of the top of the tree is answered "not found". Audited.
pub async fn set_thresholds(
    db: &Db,
    actor: &Actor,
    factor: &str,
    people: &str,
) -> AppResult<Thresholds> {
    if !is_root_admin(db, actor).await? {
        return Err(AppError::NotFound);
    }
    let mut errors = Vec::new();
    let mut number = |field: &str, text: &str, max: i64| match text.trim().parse::<i64>() {
        Ok(n) if (1..=max).contains(&n) => n,
        _ => {
            errors.push(CellError::keyed(
                0,
                field,
                "privacy-threshold-invalid",
                &[("max", &max)],
            ));
            0
        }
    };
    let t = Thresholds {
        factor: number("factor", factor, 1000),
        people: number("threshold_people", people, 1_000_000),
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    breaches::set_setting(&mut tx, "anomaly_factor", t.factor).await?;
    breaches::set_setting(&mut tx, "anomaly_people", t.people).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "privacy.anomaly_settings",
            target_type: "settings",
            target_id: "anomaly".to_owned(),
            unit_id: None,
            summary: format!("factor={} people={}", t.factor, t.people),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}

/// How many people's numbers an audit entry showed, as its writer recorded it: one household
/// for a single view or a subject's export, the count of a list, the rows of an unmasked
/// export, the names of a team's member list.
pub fn people_in(row: &ExposureRow) -> i64 {
    let leading = |text: &str| {
        text.split_whitespace()
            .next()
            .and_then(|n| n.parse::<i64>().ok())
    };
    match row.action.as_str() {
        "household.list_unmasked" => leading(&row.target_id).unwrap_or(1),
        "household.export" => {
            let words: Vec<&str> = row.summary.split_whitespace().collect();
            if words.contains(&"masked=true") {
                return 0;
            }
            words
                .iter()
                .find_map(|w| w.strip_prefix("rows=").and_then(|n| n.parse().ok()))
                .unwrap_or(0)
        }
        "team.members_unmasked" => {
            i64::try_from(row.summary.split(", ").filter(|n| !n.is_empty()).count()).unwrap_or(0)
        }
        _ => 1,
    }
}

/// Checks the Vietnam day of `now` so far; returns how many drafts this call opened.
pub async fn check_anomalies(db: &Db, now: OffsetDateTime) -> AppResult<usize> {
    let t = thresholds(db).await?;
    let day = now.to_offset(VIETNAM).date();
    let start = day.with_time(Time::MIDNIGHT).assume_offset(VIETNAM);
    let end = start + Duration::days(1);
    let since = start - Duration::days(BASELINE_DAYS);
    let mut opened = 0;
    for account in store::accounts_between(db, start, end).await? {
        let rows = store::exposures_of(db, account, since, end).await?;
        let (today_rows, before): (Vec<&ExposureRow>, Vec<&ExposureRow>) =
            rows.iter().partition(|r| r.at >= start);
        let seen: i64 = today_rows.iter().map(|r| people_in(r)).sum();
        let baseline: i64 = before.iter().map(|r| people_in(r)).sum();
        // Over the threshold of people AND over `factor` times the daily average, compared in
        // whole numbers: seen > factor × baseline / 30.
        if seen <= t.people || seen * BASELINE_DAYS <= t.factor * baseline {
            continue;
        }
        let Some(last) = today_rows.last() else {
            continue;
        };
        let unit = match busiest_unit(&today_rows) {
            Some(unit) => Some(unit),
            None => store::unit_of_account(db, account).await?,
        };
        let Some(unit) = unit else {
            continue;
        };
        let average = baseline as f64 / BASELINE_DAYS as f64;
        let what = format!(
            "Truy cập bất thường: tài khoản {} đã xem hoặc xuất số cá nhân đầy đủ của {seen} người \
             trong ngày {} ({} lượt), mức trung bình 30 ngày trước là {average:.1} người/ngày. \
             Cần xác minh.",
            last.actor_label,
            format_day(day),
            today_rows.len()
        );
        if open_draft(db, account, day, unit, what, seen, now).await? {
            opened += 1;
        }
    }
    Ok(opened)
}

/// The unit most of the day's entries name.
fn busiest_unit(rows: &[&ExposureRow]) -> Option<Uuid> {
    let mut counts: std::collections::BTreeMap<Uuid, usize> = Default::default();
    for unit in rows.iter().filter_map(|r| r.unit_id) {
        *counts.entry(unit).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(u, _)| u)
}

async fn open_draft(
    db: &Db,
    account: Uuid,
    day: time::Date,
    unit: Uuid,
    what: String,
    people: i64,
    now: OffsetDateTime,
) -> AppResult<bool> {
    let row = BreachRow {
        id: Uuid::now_v7(),
        unit_id: unit,
        status: "draft".to_owned(),
        what,
        occurred_at: None,
        discovered_at: now,
        units_affected: String::new(),
        people,
        data_kinds: "households,phones,citizen_ids".to_owned(),
        measures: String::new(),
        notified_on: None,
        actions: String::new(),
        anomaly_user_id: Some(account),
        anomaly_day: Some(day),
        created_by: "anomaly".to_owned(),
        created_at: now,
        updated_at: now,
    };
    let mut tx = db.begin().await?;
    if !breaches::insert(&mut tx, &row).await? {
        return Ok(false);
    }
    audit::record(
        &mut tx,
        &Actor::system("anomaly"),
        Change {
            action: "privacy.anomaly",
            target_type: "breach",
            target_id: row.id.to_string(),
            unit_id: Some(unit),
            summary: format!("account={account} people={people}"),
        },
    )
    .await?;
    let notice = Notice {
        kind: "alarm",
        unit_id: unit,
        source_id: Some(row.id),
        subject: format!(
            "Truy cập dữ liệu cá nhân bất thường ngày {}",
            format_day(day)
        ),
        body: row.what.clone(),
        link: format!("/privacy/breaches/{}", row.id),
        emergency: false,
    };
    let admins =
        langso_store::comms::recipients_for(&mut tx, unit, today(), ["admin", "admin", "admin"])
            .await?;
    for admin in &admins {
        tell(&mut tx, admin, &notice, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Runs [`check_anomalies`] every `every` until the returned handle is aborted.
pub fn start_anomaly_check(db: Db, every: StdDuration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match check_anomalies(&db, OffsetDateTime::now_utc()).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(drafts = n, "access anomalies opened draft incidents"),
                Err(error) => tracing::warn!(%error, "access anomaly check failed"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, target: &str, summary: &str) -> ExposureRow {
        ExposureRow {
            actor_id: Uuid::nil(),
            actor_label: String::new(),
            at: OffsetDateTime::UNIX_EPOCH,
            action: action.to_owned(),
            target_id: target.to_owned(),
            summary: summary.to_owned(),
            unit_id: None,
        }
    }

    #[test]
    fn people_are_counted_as_each_entry_recorded_them() {
        assert_eq!(
            people_in(&entry("household.view_unmasked", "HB-001", "")),
            1
        );
        assert_eq!(
            people_in(&entry("household.list_unmasked", "12 households", "a, b")),
            12
        );
        let export = entry(
            "household.export",
            "09817",
            "format=csv rows=40 masked=false",
        );
        assert_eq!(people_in(&export), 40);
        let masked = entry(
            "household.export",
            "09817",
            "format=csv rows=40 masked=true",
        );
        assert_eq!(people_in(&masked), 0);
        assert_eq!(
            people_in(&entry("team.members_unmasked", "x", "An, Bình, Chi")),
            3
        );
    }
}
