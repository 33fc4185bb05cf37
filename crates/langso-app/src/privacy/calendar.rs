//! Working days: weekends and public holidays skipped. Fixed holidays are shipped as data
//! (Labour Code 2019, art. 112: 1/1, 30/4, 1/5, 2/9); one on a Saturday or Sunday gives the
//! next working day off (art. 111). Tết, the Hùng Kings' day (lunar) and the day next to 2/9
//! change each year and are entered by an administrator as the government announces them.

use std::collections::BTreeSet;

use langso_store::privacy::calendar::{self as store};
pub use langso_store::privacy::calendar::{DeadlineRow, HolidayRow};
use time::{Date, Duration, Month, OffsetDateTime, Weekday};

use crate::{Actor, AppError, AppResult, Db};

/// The days off known for a span of years.
#[derive(Clone, Debug, Default)]
pub struct Calendar {
    off: BTreeSet<Date>,
}

fn weekend(day: Date) -> bool {
    matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
}

impl Calendar {
    /// From fixed holidays `(month, day)` for `years` and entered days off.
    pub fn new(
        fixed: &[(i64, i64)],
        years: std::ops::RangeInclusive<i32>,
        entered: &[Date],
    ) -> Calendar {
        let mut off: BTreeSet<Date> = entered.iter().copied().collect();
        for year in years {
            let mut on_weekend = Vec::new();
            for &(month, day) in fixed {
                let Some(date) = u8::try_from(month)
                    .ok()
                    .and_then(|m| Month::try_from(m).ok())
                    .and_then(|m| Date::from_calendar_date(year, m, u8::try_from(day).ok()?).ok())
                else {
                    continue;
                };
                off.insert(date);
                if weekend(date) {
                    on_weekend.push(date);
                }
            }
            for date in on_weekend {
                let mut next = date;
                while weekend(next) || off.contains(&next) {
                    next += Duration::days(1);
                }
                off.insert(next);
            }
        }
        Calendar { off }
    }

    /// Whether `day` is a working day.
    pub fn working(&self, day: Date) -> bool {
        !weekend(day) && !self.off.contains(&day)
    }

    /// The `n`-th working day after `received` (the day of receipt does not count).
    pub fn add_working_days(&self, received: Date, n: u32) -> Date {
        let mut day = received;
        let mut left = n;
        while left > 0 {
            day += Duration::days(1);
            if self.working(day) {
                left -= 1;
            }
        }
        day
    }
}

/// The calendar from the year of `from` to two years later, as stored.
pub async fn load(db: &Db, from: Date) -> AppResult<Calendar> {
    let fixed: Vec<(i64, i64)> = store::fixed_holidays(db)
        .await?
        .into_iter()
        .map(|(m, d, _)| (m, d))
        .collect();
    let to = Date::from_calendar_date(from.year() + 2, Month::December, 31).unwrap_or(from);
    let entered: Vec<Date> = store::holidays(db, from - Duration::days(1), to)
        .await?
        .into_iter()
        .map(|h| h.day)
        .collect();
    Ok(Calendar::new(
        &fixed,
        from.year()..=from.year() + 2,
        &entered,
    ))
}

/// Days off entered for `year`, and the fixed holidays (month, day, name); for the top
/// administrators.
pub async fn holidays(
    db: &Db,
    actor: &Actor,
    year: i32,
) -> AppResult<(Vec<HolidayRow>, Vec<(i64, i64, String)>)> {
    root_admin(db, actor).await?;
    let from = Date::from_calendar_date(year, Month::January, 1).map_err(|_| AppError::NotFound)?;
    let to = Date::from_calendar_date(year, Month::December, 31).map_err(|_| AppError::NotFound)?;
    Ok((
        store::holidays(db, from, to).await?,
        store::fixed_holidays(db).await?,
    ))
}

/// Installation-wide settings (the calendar, deadlines, retention rules) are for the
/// administrators of a unit at the top of the tree (and the command line); others get 404.
pub(crate) async fn root_admin(db: &Db, actor: &Actor) -> AppResult<()> {
    if actor.is_system() {
        return Ok(());
    }
    let top = langso_store::ops::top_units(db, crate::today()).await?;
    let admin = actor
        .grants
        .iter()
        .any(|g| g.role == langso_domain::auth::Role::Admin && top.contains(&g.unit_id));
    if admin {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Enters a day off (administrators); audited.
pub async fn enter_holiday(db: &Db, actor: &Actor, day: Date, name: &str) -> AppResult<()> {
    root_admin(db, actor).await?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(AppError::refused_key(
            "privacy-holiday-name",
            &[("max", &120)],
        ));
    }
    let mut tx = db.begin().await?;
    store::put_holiday(
        &mut tx,
        &HolidayRow {
            day,
            name: name.to_owned(),
            entered_by: actor.label.clone(),
            created_at: OffsetDateTime::now_utc(),
        },
    )
    .await?;
    crate::audit::record(
        &mut tx,
        actor,
        crate::audit::Change {
            action: "privacy.holiday",
            target_type: "holiday",
            target_id: day.to_string(),
            unit_id: None,
            summary: format!("day off entered: {name}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes an entered day off (administrators); audited.
pub async fn remove_holiday(db: &Db, actor: &Actor, day: Date) -> AppResult<()> {
    root_admin(db, actor).await?;
    let mut tx = db.begin().await?;
    if !store::delete_holiday(&mut tx, day).await? {
        return Err(AppError::NotFound);
    }
    crate::audit::record(
        &mut tx,
        actor,
        crate::audit::Change {
            action: "privacy.holiday",
            target_type: "holiday",
            target_id: day.to_string(),
            unit_id: None,
            summary: "day off removed".to_owned(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The deadlines per kind of request.
pub async fn deadlines(db: &Db) -> AppResult<Vec<DeadlineRow>> {
    Ok(store::deadlines(db).await?)
}

/// Sets a kind's deadline in working days (1 to 60) and whether a legal review confirmed it
/// (administrators); audited. Open requests keep the deadline they were given.
pub async fn set_deadline(
    db: &Db,
    actor: &Actor,
    kind: &str,
    working_days: i64,
    confirmed: bool,
) -> AppResult<()> {
    root_admin(db, actor).await?;
    if !(1..=60).contains(&working_days) {
        return Err(AppError::refused_key(
            "privacy-deadline-range",
            &[("max", &60)],
        ));
    }
    let mut tx = db.begin().await?;
    let row = DeadlineRow {
        kind: kind.to_owned(),
        working_days,
        confirmed,
        updated_by: actor.label.clone(),
    };
    if !store::set_deadline(&mut tx, &row).await? {
        return Err(AppError::NotFound);
    }
    crate::audit::record(
        &mut tx,
        actor,
        crate::audit::Change {
            action: "privacy.deadline",
            target_type: "request_kind",
            target_id: kind.to_owned(),
            unit_id: None,
            summary: format!("{working_days} working days, confirmed: {confirmed}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    const FIXED: [(i64, i64); 4] = [(1, 1), (4, 30), (5, 1), (9, 2)];

    #[test]
    fn a_friday_request_skips_the_weekend_and_the_holidays() {
        // Friday 24/4/2026; Monday 27/4 is the Hùng Kings' day off (10/3 lunar fell on a
        // Sunday), 30/4 and 1/5 are fixed holidays.
        let cal = Calendar::new(&FIXED, 2026..=2026, &[date!(2026 - 04 - 27)]);
        assert_eq!(date!(2026 - 04 - 24).weekday(), Weekday::Friday);
        assert_eq!(
            cal.add_working_days(date!(2026 - 04 - 24), 2),
            date!(2026 - 04 - 29)
        );
        assert_eq!(
            cal.add_working_days(date!(2026 - 04 - 24), 3),
            date!(2026 - 05 - 04)
        );
        assert_eq!(
            cal.add_working_days(date!(2026 - 04 - 24), 10),
            date!(2026 - 05 - 13)
        );
    }

    #[test]
    fn a_fixed_holiday_on_a_weekend_gives_the_next_working_day() {
        // 2/9/2028 is a Saturday: Monday 4/9 is off.
        let cal = Calendar::new(&FIXED, 2028..=2028, &[]);
        assert!(!cal.working(date!(2028 - 09 - 04)));
        assert!(cal.working(date!(2028 - 09 - 05)));
        // 1/1/2028 is a Saturday: Monday 3/1 is off.
        assert!(!cal.working(date!(2028 - 01 - 03)));
    }
}
