//! QR scans: written in groups by one writer, read through the daily roll-up.

use std::collections::BTreeMap;

use time::{Date, OffsetDateTime, UtcOffset};
use uuid::Uuid;

use super::under_unit;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// Rows per multi-row INSERT (3 parameters each: far below either database's limit).
const ROWS_PER_INSERT: usize = 200;

/// Scans of one placement on one day (Vietnam time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyScans {
    /// The placement.
    pub placement_id: Uuid,
    /// The day in Vietnam.
    pub day: Date,
    /// How many scans.
    pub scans: i64,
}

/// The day in Vietnam (UTC+7) of an instant.
fn vietnam_day(at: OffsetDateTime) -> Date {
    let offset = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    at.to_offset(offset).date()
}

/// Records a group of scans `(placement, time)` and adds them to the daily roll-up, inside the
/// caller's transaction.
pub async fn insert_scans(tx: &mut Tx, scans: &[(Uuid, OffsetDateTime)]) -> StoreResult<()> {
    for chunk in scans.chunks(ROWS_PER_INSERT) {
        let mut sql = String::from("INSERT INTO qr_scans (id, placement_id, scanned_at) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3));
        }
        // Only numbered placeholders are generated; every value is bound.
        on_tx!(tx, c => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for (placement_id, at) in chunk {
                query = query.bind(Uuid::now_v7()).bind(*placement_id).bind(*at);
            }
            query.execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
    }
    let mut per_day: BTreeMap<(Uuid, Date), i64> = BTreeMap::new();
    for (placement_id, at) in scans {
        *per_day
            .entry((*placement_id, vietnam_day(*at)))
            .or_default() += 1;
    }
    let upsert = "INSERT INTO qr_scan_daily (placement_id, day, scans) VALUES ($1, $2, $3) \
                  ON CONFLICT (placement_id, day) DO UPDATE SET scans = qr_scan_daily.scans + excluded.scans";
    for ((placement_id, day), n) in per_day {
        on_tx!(tx, c => sqlx::query(upsert).bind(placement_id).bind(day).bind(n).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Daily scans of every placement under a unit (as the tree stands on `date`), for days in
/// `from..=to`, ordered by day.
pub async fn daily_scans(
    ex: impl Into<Exec<'_>>,
    unit_id: Uuid,
    date: Date,
    from: Date,
    to: Date,
) -> StoreResult<Vec<DailyScans>> {
    let sql = concat!(
        "SELECT d.placement_id, d.day, d.scans FROM qr_scan_daily d \
         JOIN qr_placements p ON p.id = d.placement_id",
        under_unit!("$1", "$2"),
        " WHERE d.day >= $3 AND d.day <= $4 ORDER BY d.day, d.placement_id"
    );
    let rows: Vec<(Uuid, Date, i64)> = on_exec!(ex.into(), e => sqlx::query_as(sql)
        .bind(unit_id).bind(date).bind(from).bind(to).fetch_all(e).await)?;
    Ok(rows
        .into_iter()
        .map(|(placement_id, day, scans)| DailyScans {
            placement_id,
            day,
            scans,
        })
        .collect())
}

/// The last day each placement under a unit was scanned (placements never scanned are absent).
pub async fn last_scan_days(
    ex: impl Into<Exec<'_>>,
    unit_id: Uuid,
    date: Date,
) -> StoreResult<Vec<(Uuid, Date)>> {
    let sql = concat!(
        "SELECT d.placement_id, MAX(d.day) FROM qr_scan_daily d \
         JOIN qr_placements p ON p.id = d.placement_id",
        under_unit!("$1", "$2"),
        " GROUP BY d.placement_id"
    );
    let rows: Vec<(Uuid, Date)> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit_id).bind(date).fetch_all(e).await)?;
    Ok(rows)
}

/// Every scan ever recorded (the benchmark counts them after its run).
pub async fn count_scans(ex: impl Into<Exec<'_>>) -> StoreResult<i64> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM qr_scans";
    let (n,): (i64,) = on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_one(e).await)?;
    Ok(n)
}
