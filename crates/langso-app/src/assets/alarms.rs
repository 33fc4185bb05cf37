//! Alarms: the offline detector (a device silent for more than twice its heartbeat interval
//! raises one alarm, cleared when it reports again), and people acknowledging and resolving
//! alarms, with who and when.

use std::time::Duration;

use langso_domain::assets::OPEN_ALARMS_KEY;
use langso_store::assets::{self as store, AlarmRow, ChangeRow};
use langso_store::households::{add_counter, counters_by_child, counters_under};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{HANDLE, READ};
use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, Db, today};

/// Declares silent every device past its deadline at `now`: one offline alarm each, a ledger
/// row, and the unit's open-alarm count. Safe to run on several nodes at once: each batch is
/// claimed with its rows locked, skipping rows another node holds
/// ([`store::claim_due_silent`]), and a device is declared silent by one conditional update
/// only. Returns how many were declared.
pub async fn detect_silent(db: &Db, now: OffsetDateTime) -> AppResult<usize> {
    let mut declared = 0;
    loop {
        // Read first, outside any transaction: most runs find nothing and take no lock.
        if store::due_silent(db, now, 1).await?.is_empty() {
            return Ok(declared);
        }
        let mut tx = db.begin().await?;
        let due = store::claim_due_silent(&mut tx, now, 500).await?;
        if due.is_empty() {
            return Ok(declared);
        }
        let mut changes = Vec::new();
        let mut per_unit: std::collections::HashMap<Uuid, i64> = Default::default();
        let mut round = 0;
        let mut notifier = crate::comms::notify::Notifier::default();
        for (asset, unit, online, fault) in due {
            if !store::mark_silent(&mut tx, asset, now).await? {
                continue;
            }
            let before = if !online {
                "down".to_owned()
            } else if let Some(f) = fault {
                format!("fault:{f}")
            } else {
                "ok".to_owned()
            };
            store::clear_open(&mut tx, asset, "offline", now).await?;
            let alarm = Uuid::now_v7();
            store::insert_alarm(&mut tx, alarm, asset, unit, "offline", "", now).await?;
            // h17c: the raise (not every silent tick) tells the unit's officers.
            crate::comms::notify::alarm_raised(
                &mut tx,
                &mut notifier,
                alarm,
                asset,
                "offline",
                "",
                now,
            )
            .await?;
            changes.push(ChangeRow {
                id: Uuid::now_v7(),
                asset_id: asset,
                at: now,
                old_status: Some(before),
                new_status: "silent".to_owned(),
            });
            *per_unit.entry(unit).or_insert(0) += 1;
            round += 1;
        }
        store::insert_changes(&mut tx, &changes).await?;
        for (unit, n) in per_unit {
            add_counter(&mut tx, unit, OPEN_ALARMS_KEY, n).await?;
        }
        tx.commit().await?;
        declared += round;
        if round == 0 {
            return Ok(declared);
        }
    }
}

/// Runs [`detect_silent`] every `every` until the returned handle is aborted.
pub fn start_detector(db: Db, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match detect_silent(&db, OffsetDateTime::now_utc()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(devices = n, "devices silent: offline alarms raised"),
                Err(error) => tracing::warn!(%error, "offline detector failed; will retry"),
            }
        }
    })
}

/// Alarms under a unit, newest first (only open ones when `open_only`).
pub async fn alarms_under(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    open_only: bool,
    limit: i64,
) -> AppResult<Vec<AlarmRow>> {
    policy::require(db, actor, READ, unit).await?;
    Ok(store::alarms_under(db, unit, today(), open_only, limit.clamp(1, 5_000)).await?)
}

/// One alarm.
pub async fn alarm(db: &Db, actor: &Actor, id: Uuid) -> AppResult<AlarmRow> {
    let found = store::alarm(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, READ, found.unit_id).await?;
    Ok(found)
}

/// Acknowledges an alarm: someone has seen it (the first acknowledgement is kept).
pub async fn acknowledge_alarm(db: &Db, actor: &Actor, id: Uuid) -> AppResult<AlarmRow> {
    let found = store::alarm(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, HANDLE, found.unit_id).await?;
    let mut tx = db.begin().await?;
    if store::acknowledge(&mut tx, id, OffsetDateTime::now_utc(), &actor.label).await? {
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "alarms.acknowledge",
                target_type: "alarm",
                target_id: id.to_string(),
                unit_id: Some(found.unit_id),
                summary: format!("{} {}", found.asset_code, found.kind),
            },
        )
        .await?;
    }
    tx.commit().await?;
    store::alarm(db, id).await?.ok_or(AppError::NotFound)
}

/// Resolves an alarm with a note of what was done; it stops counting as open.
pub async fn resolve_alarm(db: &Db, actor: &Actor, id: Uuid, note: &str) -> AppResult<AlarmRow> {
    let found = store::alarm(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, HANDLE, found.unit_id).await?;
    let note: String = note.trim().chars().take(500).collect();
    let mut tx = db.begin().await?;
    let now = OffsetDateTime::now_utc();
    match store::resolve(&mut tx, id, now, &actor.label, &note).await? {
        Some(was_open) => {
            if was_open {
                add_counter(&mut tx, found.unit_id, OPEN_ALARMS_KEY, -1).await?;
            }
            audit::record(
                &mut tx,
                actor,
                Change {
                    action: "alarms.resolve",
                    target_type: "alarm",
                    target_id: id.to_string(),
                    unit_id: Some(found.unit_id),
                    summary: format!("{} {}: {note}", found.asset_code, found.kind),
                },
            )
            .await?;
        }
        None => {
            return Err(AppError::refused_key("assets-alarm-already-resolved", &[]));
        }
    }
    tx.commit().await?;
    store::alarm(db, id).await?.ok_or(AppError::NotFound)
}

/// Per child unit of `unit`: (child id, open alarms, assets by kind), from the counters.
#[derive(Clone, Debug, Default)]
pub struct UnitAssetCounts {
    /// Open alarms.
    pub open_alarms: i64,
    /// `asset:<kind>` → count.
    pub assets: Vec<(String, i64)>,
}

/// The asset and alarm counters of a unit and of each of its children (one row per village
/// and key summed: nothing is recounted).
pub async fn counts(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
) -> AppResult<(UnitAssetCounts, Vec<(Uuid, UnitAssetCounts)>)> {
    policy::require(db, actor, READ, unit).await?;
    let fold = |rows: Vec<(String, i64)>| {
        let mut c = UnitAssetCounts::default();
        for (key, value) in rows {
            if key == OPEN_ALARMS_KEY {
                c.open_alarms = value;
            } else if key.starts_with("asset:") {
                c.assets.push((key, value));
            }
        }
        c
    };
    let total = fold(counters_under(db, unit, today()).await?);
    let mut children: std::collections::BTreeMap<Uuid, Vec<(String, i64)>> = Default::default();
    for (child, key, value) in counters_by_child(db, unit, today()).await? {
        children.entry(child).or_default().push((key, value));
    }
    Ok((
        total,
        children.into_iter().map(|(k, v)| (k, fold(v))).collect(),
    ))
}
