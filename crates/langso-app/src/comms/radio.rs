//! The commune radio (đài truyền thanh): a commune's broadcast times, announcements put on them
//! with a priority, and the schedule a radio system or the announcer follows.
//!
//! The public schedule is public on purpose: what it lists is read aloud over loudspeakers in
//! the street, and each entry is an announcement already published in the village feeds. It
//! lists only published announcements (never one pending approval), carries no personal data,
//! and is bounded in time and length; a token would only make it harder for a radio system to
//! follow, and protect nothing.

use langso_domain::auth::Permission;
use langso_domain::radio::{Priority, Slot, upcoming};
use langso_domain::units::{Level, Unit};
use langso_store::Tx;
use langso_store::comms::{
    self as store, AnnouncementRow, BroadcastRow, SlotRow, from_millis, millis,
};
use langso_store::units as unit_store;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, Db, today};

/// How far ahead the composer offers broadcast times, in days.
pub const OFFER_DAYS: i64 = 14;
/// The most times one announcement may be read.
pub const MAX_READINGS: usize = 20;
/// The most entries a schedule shows.
pub const SCHEDULE_LIMIT: i64 = 200;

/// The commune whose radio serves `unit`: itself, or its commune ancestor; none above communes.
pub async fn commune_of(ex: &mut Tx, unit: Uuid) -> AppResult<Option<Unit>> {
    let Some(u) = unit_store::get(&mut *ex, unit).await? else {
        return Ok(None);
    };
    if u.kind.level() == Level::Commune {
        return Ok(Some(u));
    }
    Ok(unit_store::ancestors(&mut *ex, unit, today())
        .await?
        .into_iter()
        .find(|a| a.kind.level() == Level::Commune))
}

/// [`commune_of`] outside a transaction (a page's read).
pub async fn commune_serving(db: &Db, unit: Uuid) -> AppResult<Option<Unit>> {
    let Some(u) = unit_store::get(db, unit).await? else {
        return Ok(None);
    };
    if u.kind.level() == Level::Commune {
        return Ok(Some(u));
    }
    Ok(unit_store::ancestors(db, unit, today())
        .await?
        .into_iter()
        .find(|a| a.kind.level() == Level::Commune))
}

/// A commune's radio: its broadcast times and, ahead, the times an announcement may take.
#[derive(Clone, Debug)]
pub struct RadioView {
    /// The commune.
    pub commune: Unit,
    /// Its broadcast times.
    pub slots: Vec<SlotRow>,
    /// The next [`OFFER_DAYS`] days of them.
    pub upcoming: Vec<OffsetDateTime>,
    /// Its schedule from today on (every announcement not refused, officers' view).
    pub schedule: Vec<BroadcastRow>,
}

/// The radio of the commune serving `unit` (`ReadDashboard` there); `None` above communes.
pub async fn radio(db: &Db, actor: &Actor, unit: Uuid) -> AppResult<Option<RadioView>> {
    policy::require(db, actor, Permission::ReadDashboard, unit).await?;
    let Some(commune) = commune_serving(db, unit).await? else {
        return Ok(None);
    };
    let slots = store::slots_of(db, commune.id).await?;
    let now = OffsetDateTime::now_utc();
    let upcoming = upcoming(&as_slots(&slots), now, OFFER_DAYS, 100);
    let from = millis(now - Duration::days(1));
    let schedule = store::schedule(
        db,
        commune.id,
        from,
        from + 31 * 86_400_000,
        false,
        SCHEDULE_LIMIT,
    )
    .await?;
    Ok(Some(RadioView {
        commune,
        slots,
        upcoming,
        schedule,
    }))
}

fn as_slots(rows: &[SlotRow]) -> Vec<Slot> {
    rows.iter()
        .map(|s| Slot {
            weekday: u8::try_from(s.weekday).unwrap_or(1),
            minute: u16::try_from(s.minute).unwrap_or(0),
        })
        .collect()
}

/// Adds a broadcast time to a commune (`WritePeople` there; a unit that is not a commune is
/// refused).
pub async fn add_slot(
    db: &Db,
    actor: &Actor,
    commune: Uuid,
    weekday: &str,
    time: &str,
) -> AppResult<()> {
    policy::require(db, actor, Permission::WritePeople, commune).await?;
    let slot = Slot::parse(weekday, time).ok_or_else(|| {
        AppError::Invalid(vec![crate::CellError::keyed(
            0,
            "time",
            "radio-slot-invalid",
            &[],
        )])
    })?;
    let unit = unit_store::get(db, commune)
        .await?
        .ok_or(AppError::NotFound)?;
    if unit.kind.level() != Level::Commune {
        return Err(AppError::refused_key("radio-no-commune", &[]));
    }
    let mut tx = db.begin().await?;
    let row = SlotRow {
        id: Uuid::now_v7(),
        commune_id: commune,
        weekday: i64::from(slot.weekday),
        minute: i64::from(slot.minute),
        created_at: OffsetDateTime::now_utc(),
    };
    if store::insert_slot(&mut tx, &row).await? {
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "radio.slot_add",
                target_type: "unit",
                target_id: commune.to_string(),
                unit_id: Some(commune),
                summary: format!("{} {}", slot.weekday, slot.time_text()),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes a broadcast time (`WritePeople` on its commune).
pub async fn remove_slot(db: &Db, actor: &Actor, slot: Uuid) -> AppResult<Uuid> {
    let row = store::get_slot(db, slot).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::WritePeople, row.commune_id).await?;
    let mut tx = db.begin().await?;
    if !store::delete_slot(&mut tx, row.commune_id, slot).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "radio.slot_remove",
            target_type: "unit",
            target_id: row.commune_id.to_string(),
            unit_id: Some(row.commune_id),
            summary: format!("{} {}", row.weekday, row.minute),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row.commune_id)
}

/// Inside the writing transaction: puts an announcement on the radio of the commune serving
/// its unit at `times` (Unix ms; at most [`MAX_READINGS`], none in the past nor beyond 60
/// days). An emergency with no time chosen is read at its publication.
pub(crate) async fn schedule_readings(
    tx: &mut Tx,
    row: &AnnouncementRow,
    priority: Priority,
    times: &[i64],
    label: &str,
    now: OffsetDateTime,
) -> AppResult<usize> {
    let (announcement, publish_at) = (row.id, row.publish_at);
    let Some(commune) = commune_of(tx, row.unit_id).await? else {
        return Err(AppError::refused_key("radio-no-commune", &[]));
    };
    let earliest = millis(now - Duration::hours(1));
    let latest = millis(now + Duration::days(60));
    let mut times: Vec<i64> = times.to_vec();
    if times.is_empty() && priority == Priority::Emergency {
        times.push(publish_at.max(millis(now)));
    }
    if times.is_empty() {
        return Err(AppError::Invalid(vec![crate::CellError::keyed(
            0,
            "radio_at",
            "radio-time-required",
            &[],
        )]));
    }
    if times.len() > MAX_READINGS || times.iter().any(|t| *t < earliest || *t > latest) {
        return Err(AppError::Invalid(vec![crate::CellError::keyed(
            0,
            "radio_at",
            "radio-time-invalid",
            &[("limit", &MAX_READINGS)],
        )]));
    }
    let mut n = 0;
    for at in times {
        let rank = priority.rank();
        if store::insert_broadcast(
            tx,
            announcement,
            commune.id,
            (priority.as_str(), rank),
            at,
            label,
            now,
        )
        .await?
        {
            n += 1;
        }
    }
    Ok(n)
}

/// The public schedule of a commune's radio, by its code: published announcements from
/// yesterday to [`OFFER_DAYS`] days ahead, emergency first within a time.
pub async fn public_schedule(db: &Db, commune_code: &str) -> AppResult<(Unit, Vec<BroadcastRow>)> {
    let commune = unit_store::by_code(db, commune_code, today())
        .await?
        .filter(|u| u.kind.level() == Level::Commune)
        .ok_or(AppError::NotFound)?;
    let now = OffsetDateTime::now_utc();
    let from = millis(now - Duration::days(1));
    let to = millis(now + Duration::days(OFFER_DAYS + 1));
    let rows = store::schedule(db, commune.id, from, to, true, SCHEDULE_LIMIT).await?;
    Ok((commune, rows))
}

/// The readings of one announcement (`ReadDashboard` on its unit), for its page and the
/// announcer's script.
pub async fn readings(db: &Db, actor: &Actor, announcement: Uuid) -> AppResult<Vec<BroadcastRow>> {
    let row = store::get_announcement(db, announcement)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadDashboard, row.unit_id).await?;
    Ok(store::broadcasts_of(db, announcement).await?)
}

/// The instant of a stored reading.
pub fn reading_time(row: &BroadcastRow) -> OffsetDateTime {
    from_millis(row.starts_at)
}
