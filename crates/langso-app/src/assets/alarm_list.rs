//! The open alarms of a unit a page at a time, grouped by the village they were raised in and
//! their kind, each with the asset's name and kind of place; and acknowledging a selection of
//! them at once (a commune with a hundred lights down after a storm acknowledges them in one
//! go, each alarm checked against the officer's scope and audited).

use langso_store::assets::{self as store, AlarmPlaceRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{HANDLE, READ};
use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::units::UnitLabel;
use crate::{AppError, AppResult, Db, today};

/// The most alarms one bulk acknowledgement takes (a page's worth and more).
pub const MAX_BULK_ACKNOWLEDGE: usize = 500;

/// One open alarm with its village told apart from others of the same name.
#[derive(Clone, Debug)]
pub struct PlacedAlarm {
    /// The alarm, the asset's name and kind of place.
    pub row: AlarmPlaceRow,
    /// The village (the unit the alarm was raised in).
    pub village: UnitLabel,
}

/// One page of open alarms.
#[derive(Clone, Debug)]
pub struct AlarmPage {
    /// Open alarms under the unit, in all.
    pub total: i64,
    /// This page's, by village, then kind, newest first.
    pub alarms: Vec<PlacedAlarm>,
}

/// Open alarms under `unit`, `per_page` from `offset`, by village and kind.
pub async fn open_alarms_page(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    offset: i64,
    per_page: i64,
) -> AppResult<AlarmPage> {
    policy::require(db, actor, READ, unit).await?;
    let day = today();
    let total = store::count_open_under(db, unit, day).await?;
    let rows =
        store::open_alarms_by_place(db, unit, day, offset.max(0), per_page.clamp(1, 500)).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.alarm.unit_id).collect();
    let labels = crate::units::labels_of(db, &ids, day).await?;
    let alarms = rows
        .into_iter()
        .map(|row| PlacedAlarm {
            village: labels.label_or(row.alarm.unit_id, &row.unit_name),
            row,
        })
        .collect();
    Ok(AlarmPage { total, alarms })
}

/// Acknowledges every alarm of `ids` in one transaction (the first acknowledgement of each is
/// kept), each audited; refused whole, nothing written, when one lies outside what the actor
/// may handle. Returns how many were newly acknowledged.
pub async fn acknowledge_alarms(db: &Db, actor: &Actor, ids: &[Uuid]) -> AppResult<usize> {
    if ids.is_empty() {
        return Err(AppError::refused_key("alarms-none-chosen", &[]));
    }
    if ids.len() > MAX_BULK_ACKNOWLEDGE {
        return Err(AppError::refused_key(
            "alarms-too-many-chosen",
            &[("limit", &MAX_BULK_ACKNOWLEDGE)],
        ));
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut found = Vec::with_capacity(ids.len());
    for id in &ids {
        let alarm = store::alarm(db, *id).await?.ok_or(AppError::NotFound)?;
        policy::require(db, actor, HANDLE, alarm.unit_id).await?;
        found.push(alarm);
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = db.begin().await?;
    let mut acknowledged = 0;
    for alarm in &found {
        if store::acknowledge(&mut tx, alarm.id, now, &actor.label).await? {
            acknowledged += 1;
            audit::record(
                &mut tx,
                actor,
                Change {
                    action: "alarms.acknowledge",
                    target_type: "alarm",
                    target_id: alarm.id.to_string(),
                    unit_id: Some(alarm.unit_id),
                    summary: format!("{} {} (bulk)", alarm.asset_code, alarm.kind),
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(acknowledged)
}
