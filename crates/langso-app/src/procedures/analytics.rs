//! Scan analytics under a unit: per placement, per procedure and per village over time, the
//! most scanned placements, and the placements nobody has scanned for 30 days.

use std::collections::HashMap;

use langso_domain::procedures::Placement;
use langso_store::procedures as store;
use time::{Date, Duration};
use uuid::Uuid;

use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, Db, today};
use langso_domain::auth::Permission;

/// Days without a scan after which a placement is listed as silent.
pub const SILENT_DAYS: i64 = 30;

/// One placement's scans over the period.
#[derive(Clone, Debug)]
pub struct PlacementStats {
    /// The placement.
    pub placement: Placement,
    /// The name of its unit, told apart from namesakes among the placements' units ("Thôn
    /// Hòa Bình (Hồng Hà cũ)"), worded the Vietnamese way.
    pub unit_name: String,
    /// The parts of that name, for wording it in the page's language.
    pub unit_label: crate::units::UnitLabel,
    /// Scans per day, aligned with [`ScanAnalytics::days`].
    pub daily: Vec<i64>,
    /// Scans in the period.
    pub total: i64,
    /// The last day it was scanned, ever.
    pub last_scan: Option<Date>,
}

/// A line of the chart: one procedure or one unit.
#[derive(Clone, Debug)]
pub struct SeriesStats {
    /// Procedure code or unit id as text.
    pub key: String,
    /// Procedure name or unit name.
    pub name: String,
    /// Scans per day, aligned with [`ScanAnalytics::days`].
    pub daily: Vec<i64>,
    /// Scans in the period.
    pub total: i64,
}

/// Everything the analytics page and API show for one unit and period.
#[derive(Clone, Debug)]
pub struct ScanAnalytics {
    /// The days of the period, oldest first (Vietnam dates).
    pub days: Vec<Date>,
    /// Every placement under the unit, most scanned first.
    pub placements: Vec<PlacementStats>,
    /// Scans of placements offering each procedure (a placement offering two procedures
    /// counts for both: a scan says where, not which guide was read).
    pub procedures: Vec<SeriesStats>,
    /// Scans per unit where the placements hang (usually villages), most scanned first.
    pub units: Vec<SeriesStats>,
    /// Active placements with no scan in the last [`SILENT_DAYS`] days.
    pub silent: Vec<PlacementStats>,
    /// All scans in the period.
    pub total: i64,
}

fn add(daily: &mut [i64], index: usize, n: i64) {
    if let Some(slot) = daily.get_mut(index) {
        *slot += n;
    }
}

/// Scan analytics for the placements under `unit_id` over the last `days` days (1–366).
pub async fn scan_analytics(
    db: &Db,
    actor: &Actor,
    unit_id: Uuid,
    days: i64,
) -> AppResult<ScanAnalytics> {
    policy::require(db, actor, Permission::ReadDashboard, unit_id).await?;
    if !(1..=366).contains(&days) {
        return Err(AppError::refused_key("procedures-days-range", &[]));
    }
    let today = today();
    langso_store::units::get(db, unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let from = today - Duration::days(days - 1);
    let dates: Vec<Date> = (0..days).map(|i| from + Duration::days(i)).collect();
    let placements = store::placements_under(db, unit_id, today).await?;
    let rows = store::daily_scans(db, unit_id, today, from, today).await?;
    let last: HashMap<Uuid, Date> = store::last_scan_days(db, unit_id, today)
        .await?
        .into_iter()
        .collect();
    let names: HashMap<String, String> = store::in_force(db, today)
        .await?
        .into_iter()
        .map(|v| (v.code.as_str().to_owned(), v.content.name_vi))
        .collect();
    // One read for every placement's unit; villages of the same name told apart.
    let unit_ids: Vec<Uuid> = placements.iter().map(|p| p.unit_id).collect();
    let labels = crate::units::labels_of(db, &unit_ids, today).await?;
    let index: HashMap<Uuid, usize> = placements
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();
    let mut stats: Vec<PlacementStats> = placements
        .into_iter()
        .map(|placement| PlacementStats {
            unit_name: labels.text_or(placement.unit_id, ""),
            unit_label: labels.label_or(placement.unit_id, ""),
            last_scan: last.get(&placement.id).copied(),
            daily: vec![0; dates.len()],
            total: 0,
            placement,
        })
        .collect();
    let mut total = 0;
    for row in rows {
        if let Some(stat) = index.get(&row.placement_id).and_then(|&i| stats.get_mut(i)) {
            let day = (row.day - from).whole_days() as usize;
            add(&mut stat.daily, day, row.scans);
            stat.total += row.scans;
            total += row.scans;
        }
    }
    let mut procedures: HashMap<String, SeriesStats> = HashMap::new();
    let mut units: HashMap<Uuid, SeriesStats> = HashMap::new();
    for stat in &stats {
        for code in &stat.placement.procedures {
            let series = procedures
                .entry(code.as_str().to_owned())
                .or_insert_with(|| SeriesStats {
                    key: code.as_str().to_owned(),
                    name: names
                        .get(code.as_str())
                        .cloned()
                        .unwrap_or_else(|| code.as_str().to_owned()),
                    daily: vec![0; dates.len()],
                    total: 0,
                });
            merge(series, stat);
        }
        let series = units
            .entry(stat.placement.unit_id)
            .or_insert_with(|| SeriesStats {
                key: stat.placement.unit_id.to_string(),
                name: stat.unit_name.clone(),
                daily: vec![0; dates.len()],
                total: 0,
            });
        merge(series, stat);
    }
    let silent_since = today - Duration::days(SILENT_DAYS);
    let silent = stats
        .iter()
        .filter(|s| s.placement.active && s.last_scan.is_none_or(|d| d <= silent_since))
        .cloned()
        .collect();
    stats.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then_with(|| a.placement.label.cmp(&b.placement.label))
    });
    let mut procedures: Vec<SeriesStats> = procedures.into_values().collect();
    procedures.sort_by(|a, b| a.key.cmp(&b.key));
    let mut units: Vec<SeriesStats> = units.into_values().collect();
    units.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then_with(|| langso_domain::locale::compare(&a.name, &b.name))
    });
    Ok(ScanAnalytics {
        days: dates,
        placements: stats,
        procedures,
        units,
        silent,
        total,
    })
}

fn merge(series: &mut SeriesStats, stat: &PlacementStats) {
    for (slot, n) in series.daily.iter_mut().zip(&stat.daily) {
        *slot += n;
    }
    series.total += stat.total;
}

/// How many procedures have at least one active QR placement under the unit today: the
/// dashboard's "procedures with QR" figure.
pub async fn procedures_with_qr(db: &Db, actor: &Actor, unit_id: Uuid) -> AppResult<i64> {
    policy::require(db, actor, Permission::ReadDashboard, unit_id).await?;
    Ok(store::procedures_with_qr(db, unit_id, today()).await?)
}
