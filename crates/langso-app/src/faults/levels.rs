//! Service levels: each category of report has a response time and a repair time per province
//! (data in `fault_service_levels`, a default row for provinces without their own). A new
//! order takes its due times from them; an order still new past its response time, or open
//! past its repair time, is overdue; the dashboard and the monthly report count, per commune,
//! the share of the month's due orders fixed on time.

use langso_domain::faults::{ServiceLevel, WorkStatus, overdue};
use langso_store::faults::levels::{self as store, LevelRow};
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use super::WorkOrder;
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db, today};

/// The level of a category where `unit` lies (its province's row, else the default; a
/// category without any row gets [`ServiceLevel::FALLBACK`]).
pub async fn level_for(db: &Db, unit: Option<Uuid>, service_code: &str) -> AppResult<ServiceLevel> {
    Ok(store::level_for(db, unit, service_code)
        .await?
        .map_or(ServiceLevel::FALLBACK, |row| ServiceLevel {
            response_hours: row.response_hours,
            repair_hours: row.repair_hours,
        }))
}

/// The levels of a province (`None`: the defaults), by category; public (Open311 states each
/// category's response time to every client).
pub async fn levels(db: &Db, province: Option<Uuid>) -> AppResult<Vec<LevelRow>> {
    Ok(store::levels(db, province).await?)
}

/// Sets a category's level for a province (or the default): the province's administrators'
/// decision, audited. Hours must lie between 1 and a year, the response within the repair.
pub async fn set_level(
    db: &Db,
    actor: &Actor,
    province: Option<Uuid>,
    service_code: &str,
    level: ServiceLevel,
) -> AppResult<()> {
    match province {
        Some(unit) => {
            policy::require(
                db,
                actor,
                langso_domain::auth::Permission::ManageProgramme,
                unit,
            )
            .await?
        }
        None if actor.is_admin() => {}
        None => return Err(AppError::Forbidden),
    }
    let hours = 1..=24 * 366;
    if !hours.contains(&level.response_hours)
        || !hours.contains(&level.repair_hours)
        || level.response_hours > level.repair_hours
    {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "response_hours",
            "faults-level-hours",
            &[],
        )]));
    }
    let row = LevelRow {
        province_id: province,
        service_code: service_code.to_owned(),
        response_hours: level.response_hours,
        repair_hours: level.repair_hours,
    };
    let mut tx = db.begin().await?;
    store::set_level(&mut tx, &row, OffsetDateTime::now_utc()).await?;
    crate::audit::record(
        &mut tx,
        actor,
        crate::audit::Change {
            action: "faults.service_level",
            target_type: "service_level",
            target_id: service_code.to_owned(),
            unit_id: province,
            summary: format!("{}h / {}h", level.response_hours, level.repair_hours),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether an order is overdue now.
pub fn is_overdue(order: &WorkOrder) -> bool {
    WorkStatus::parse(&order.status).is_some_and(|status| {
        overdue(
            status,
            order.respond_by,
            order.due_at,
            OffsetDateTime::now_utc(),
        )
    })
}

/// The orders under a unit overdue now, the longest overdue first.
pub async fn overdue_orders(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    limit: i64,
) -> AppResult<Vec<WorkOrder>> {
    policy::require(db, actor, crate::assets::READ, unit).await?;
    let now = OffsetDateTime::now_utc();
    Ok(store::overdue_under(db, unit, today(), now, limit.clamp(1, 5000)).await?)
}

/// How many orders under a unit are overdue now.
pub async fn overdue_count(db: &Db, actor: &Actor, unit: Uuid) -> AppResult<i64> {
    policy::require(db, actor, crate::assets::READ, unit).await?;
    let now = OffsetDateTime::now_utc();
    Ok(store::count_overdue_under(db, unit, today(), now).await?)
}

/// One commune's orders due in the month: how many were fixed on time, how many late (of
/// which still open), and the on-time share.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct OnTime {
    /// The commune.
    pub unit_id: Uuid,
    /// Its name.
    pub name: String,
    /// Fixed by the due time.
    pub on_time: i64,
    /// Fixed after it, or open past it.
    pub late: i64,
    /// Of the late, still open.
    pub open_overdue: i64,
}

impl OnTime {
    /// on time ÷ (on time + late); 0 when nothing was due.
    pub fn share(&self) -> f64 {
        let all = self.on_time + self.late;
        if all == 0 {
            0.0
        } else {
            self.on_time as f64 / all as f64
        }
    }
}

/// Per commune under a unit, the orders due in the month of `date` (Vietnam time): fixed on
/// time, late, still open past due.
pub async fn on_time_by_commune(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    date: Date,
) -> AppResult<Vec<OnTime>> {
    policy::require(db, actor, crate::assets::READ, unit).await?;
    let (from, to) = month_bounds(date);
    let rows =
        store::on_time_by_commune(db, unit, date, from, to, OffsetDateTime::now_utc()).await?;
    Ok(rows
        .into_iter()
        .map(|r| OnTime {
            unit_id: r.unit_id,
            name: r.name,
            on_time: r.on_time,
            late: r.late,
            open_overdue: r.open_overdue,
        })
        .collect())
}

/// The month of `date` in Vietnam time, as UTC instants `[first day 00:00, next first day)`.
fn month_bounds(date: Date) -> (OffsetDateTime, OffsetDateTime) {
    let vietnam = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let first = date.replace_day(1).unwrap_or(date);
    let next = first
        .checked_add(Duration::days(32))
        .and_then(|d| d.replace_day(1).ok())
        .unwrap_or(first);
    let at = |d: Date| d.with_time(Time::MIDNIGHT).assume_offset(vietnam);
    (at(first), at(next))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn a_month_runs_from_its_first_vietnamese_midnight() {
        let (from, to) = month_bounds(date!(2026 - 12 - 06));
        assert_eq!(from, datetime!(2026-11-30 17:00 UTC));
        assert_eq!(to, datetime!(2026-12-31 17:00 UTC));
        let (_, to) = month_bounds(date!(2026 - 02 - 28));
        assert_eq!(to, datetime!(2026-02-28 17:00 UTC));
    }
}
