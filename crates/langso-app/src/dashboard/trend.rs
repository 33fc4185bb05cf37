//! Each indicator's figure under a unit: its share of the right denominator (households,
//! adults, business households) or, for a count such as smartphones, its average per
//! household; its monthly trend from the monthly counters (the current value minus the moves
//! of the months after each month: at most one row per village, month and key); and the
//! target the nearest plan sets for it, with the gap to it.

use std::collections::BTreeMap;

use langso_domain::households::IndicatorKind;
use langso_domain::locale;
use langso_store::dashboard as plan_store;
use langso_store::households::{self as counter_store, month_of};
use time::Date;
use uuid::Uuid;

use crate::households::Indicator;
use crate::{AppResult, Db};

/// How many months a trend shows, the month of the day included.
pub const TREND_MONTHS: usize = 12;

/// What an indicator is counted over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Households (yes/no indicators, counts).
    Households,
    /// Adults of the households (how many adults have …).
    Adults,
    /// Business households (shops, production).
    Business,
}

impl Basis {
    /// The counter key of the denominator.
    pub fn key(self) -> &'static str {
        match self {
            Basis::Households => "households",
            Basis::Adults => "adults",
            Basis::Business => "business",
        }
    }

    /// The code used in pages and files.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Households => "households",
            Basis::Adults => "adults",
            Basis::Business => "business",
        }
    }

    /// An indicator's denominator.
    pub fn of(kind: IndicatorKind, business_only: bool) -> Basis {
        match (kind, business_only) {
            (_, true) => Basis::Business,
            (IndicatorKind::AdultCount, _) => Basis::Adults,
            _ => Basis::Households,
        }
    }
}

/// One month of an indicator: its numerator and denominator at the end of the month.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MonthFigure {
    /// `2024-12`.
    pub month: String,
    /// The numerator (adults with VNeID, households in the group, smartphones).
    pub part: i64,
    /// The denominator (adults, households, business households).
    pub whole: i64,
}

/// The target a plan sets for an indicator, and how far the unit is from it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Target {
    /// The plan's number and symbol.
    pub plan: String,
    /// The unit the target was set for (this unit or one above it).
    pub unit_id: Uuid,
    /// The year to reach it by.
    pub year: i64,
    /// A share 0–1, or an average per household for a count.
    pub value: f64,
    /// How many more adults, households or smartphones reach it (0 when reached).
    pub needed: i64,
}

/// The current figure of an indicator as a share (never above 1, never rounded up to 1) or as
/// an average for a count.
pub fn figure(kind: IndicatorKind, part: i64, whole: i64) -> f64 {
    match kind {
        IndicatorKind::Count if whole > 0 => part as f64 / whole as f64,
        IndicatorKind::Count => 0.0,
        _ => locale::share(part, whole),
    }
}

/// How many more reach `target` (a share or an average) of `whole`.
pub fn needed(target: f64, part: i64, whole: i64) -> i64 {
    let goal = (target * whole as f64 - 1e-9).ceil() as i64;
    (goal - part).max(0)
}

/// The months of a trend ending with the month of `date`, oldest first.
pub fn trend_months(date: Date) -> Vec<String> {
    let (mut year, mut month) = (date.year(), u8::from(date.month()));
    let mut out = Vec::with_capacity(TREND_MONTHS);
    for _ in 0..TREND_MONTHS {
        out.push(format!("{year:04}-{month:02}"));
        if month == 1 {
            year -= 1;
            month = 12;
        } else {
            month -= 1;
        }
    }
    out.reverse();
    out
}

/// Each key's value at the end of each month of the trend: `current` minus the moves of the
/// months after it.
pub async fn monthly_values(
    db: &Db,
    unit: Uuid,
    date: Date,
    current: &BTreeMap<String, i64>,
    rolled: bool,
) -> AppResult<(Vec<String>, BTreeMap<String, Vec<i64>>)> {
    let months = trend_months(date);
    let first = months.first().cloned().unwrap_or_else(|| month_of(date));
    let moves = if rolled {
        counter_store::rolled_monthly_moves(db, unit, &first).await?
    } else {
        counter_store::monthly_moves_under(db, unit, date, &first).await?
    };
    let mut values: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (key, now) in current
        .iter()
        .filter(|(k, _)| counter_store::tracked_monthly(k))
    {
        let series = months
            .iter()
            .map(|m| {
                let later: i64 = moves
                    .iter()
                    .filter(|(month, k, _)| k == key && month > m)
                    .map(|(_, _, v)| v)
                    .sum();
                now - later
            })
            .collect();
        values.insert(key.clone(), series);
    }
    Ok((months, values))
}

/// The targets for `unit` (or, failing that, the nearest unit above it in `path`, root first)
/// for the year of `date` or the first later year a plan names, by indicator.
pub async fn targets(
    db: &Db,
    unit: Uuid,
    path: &[Uuid],
    date: Date,
) -> AppResult<BTreeMap<String, (plan_store::TargetRow, String)>> {
    let mut units = vec![unit];
    units.extend(path.iter().rev());
    let rows = plan_store::targets_for(db, &units, i64::from(date.year())).await?;
    // The nearest unit first, then the earliest year, then the newest plan.
    type Rank = (usize, i64, std::cmp::Reverse<Date>);
    let mut best: BTreeMap<String, (Rank, plan_store::TargetRow, String)> = BTreeMap::new();
    for (row, issued, number) in rows {
        let nearness = units
            .iter()
            .position(|u| *u == row.unit_id)
            .unwrap_or(usize::MAX);
        let rank = (nearness, row.year, std::cmp::Reverse(issued));
        match best.get(&row.indicator) {
            Some((known, _, _)) if *known <= rank => {}
            _ => {
                best.insert(row.indicator.clone(), (rank, row, number));
            }
        }
    }
    Ok(best
        .into_iter()
        .map(|(k, (_, row, number))| (k, (row, number)))
        .collect())
}

/// The share of an indicator at the end of the day's month, its trend and its target, from
/// the unit's counters and their monthly moves.
pub(super) fn indicator_figures(
    indicator: &Indicator,
    counters: &BTreeMap<String, i64>,
    months: &[String],
    monthly: &BTreeMap<String, Vec<i64>>,
    target: Option<&(plan_store::TargetRow, String)>,
) -> (Basis, i64, i64, Vec<MonthFigure>, Option<Target>) {
    let basis = Basis::of(indicator.kind, indicator.business_only);
    let key = format!("ind:{}", indicator.code);
    let get = |k: &str| counters.get(k).copied().unwrap_or(0);
    let (part, whole) = (get(&key), get(basis.key()));
    let series = |k: &str, now: i64| {
        monthly
            .get(k)
            .cloned()
            .unwrap_or_else(|| vec![now; months.len()])
    };
    let (parts, wholes) = (series(&key, part), series(basis.key(), whole));
    // The figure is the one at the end of the day's month: today's counters for today, and
    // for a day in the past today's minus what moved since.
    let (part, whole) = (
        parts.last().copied().unwrap_or(part),
        wholes.last().copied().unwrap_or(whole),
    );
    let trend = months
        .iter()
        .zip(parts.iter().zip(wholes.iter()))
        .map(|(m, (p, w))| MonthFigure {
            month: m.clone(),
            part: *p,
            whole: *w,
        })
        .collect();
    let target = target.map(|(row, number)| Target {
        plan: number.clone(),
        unit_id: row.unit_id,
        year: row.year,
        value: row.target,
        needed: needed(row.target, part, whole),
    });
    (basis, part, whole, trend, target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_trend_has_twelve_months_ending_with_the_day() {
        let months = trend_months(date!(2025 - 03 - 15));
        assert_eq!(months.len(), TREND_MONTHS);
        assert_eq!(months.first().map(String::as_str), Some("2024-04"));
        assert_eq!(months.last().map(String::as_str), Some("2025-03"));
    }

    #[test]
    fn the_gap_counts_who_is_missing_and_never_below_zero() {
        assert_eq!(needed(0.9, 80, 100), 10);
        assert_eq!(needed(0.9, 95, 100), 0);
        assert_eq!(needed(0.9, 0, 3), 3);
        assert_eq!(figure(IndicatorKind::Count, 270, 100), 2.7);
        assert_eq!(figure(IndicatorKind::AdultCount, 18_250, 18_253), 0.999);
        assert_eq!(figure(IndicatorKind::AdultCount, 120, 100), 1.0);
    }
}
