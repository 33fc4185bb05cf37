//! The nation's dashboard, for whoever may read every province (`ReadDashboard` everywhere):
//! the provinces side by side and their sum. The tree has no unit above the provinces, so
//! this is not `dashboard` of a unit: it reads each province's pre-summed roll-up rows (one
//! row per key), counts its villages and reads its recognitions and monthly moves, and never
//! judges the nation's 63,600 villages one by one. Judging (the map, criteria met per child,
//! flags) stays on each province's dashboard, where a reader goes from here.

use std::collections::BTreeMap;

use langso_domain::auth::Permission;
use langso_domain::criteria::RecognitionStep;
use langso_domain::households::IndicatorKind;
use langso_store::criteria as criteria_store;
use langso_store::households as counter_store;
use langso_store::units as unit_store;
use time::Date;
use uuid::Uuid;

use super::trend::{self, figure};
use super::{ChildFigures, Figures, Share, rollups};
use crate::auth::{Actor, policy};
use crate::units::UnitLabel;
use crate::{AppError, AppResult, Db};

/// The nation on a day.
#[derive(Clone, Debug, serde::Serialize)]
pub struct National {
    /// The day.
    pub as_of: Date,
    /// The headline figures, summed over the provinces.
    pub figures: Figures,
    /// Visits per month (YYYY-MM) up to the day's month.
    pub months: Vec<(String, i64)>,
    /// Each province's figures (criteria are judged on its own dashboard: 0 here).
    pub provinces: Vec<ChildFigures>,
    /// Indicator shares over the nation (no plan sets a national target yet).
    pub indicators: Vec<Share>,
}

/// The nation's dashboard as of `date`: only for an actor whose `ReadDashboard` reaches
/// every unit (else `Forbidden`).
pub async fn national(db: &Db, actor: &Actor, date: Date) -> AppResult<National> {
    if policy::scope(actor, Permission::ReadDashboard)? != policy::Scope::All {
        return Err(AppError::Forbidden);
    }
    let rolled = rollups::ready(db, date).await?;
    let roots = unit_store::roots(db, date).await?;
    let mut total: BTreeMap<String, i64> = BTreeMap::new();
    let mut series: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut trend_months = trend::trend_months(date);
    let mut provinces = Vec::with_capacity(roots.len());
    // Each province's reads are independent: run them side by side on the pool (34 provinces
    // one after another cost 34 round trips per read).
    let mut reads = tokio::task::JoinSet::new();
    for root in roots {
        let db = db.clone();
        reads.spawn(async move {
            let read = province(&db, root.id, date, rolled).await;
            (root, read)
        });
    }
    let mut read = Vec::with_capacity(reads.len());
    while let Some(done) = reads.join_next().await {
        let (root, figures) = done.map_err(|e| AppError::Internal(e.to_string()))?;
        read.push((root, figures?));
    }
    for (root, (counters, villages, recognised, (months, monthly))) in read {
        trend_months = months;
        for (key, values) in monthly {
            let sum = series.entry(key).or_insert_with(|| vec![0; values.len()]);
            for (s, v) in sum.iter_mut().zip(values) {
                *s += v;
            }
        }
        let get = |key: &str| counters.get(key).copied().unwrap_or(0);
        provinces.push(ChildFigures {
            unit_id: root.id,
            name: root.name.clone(),
            label: UnitLabel::plain(root.id, root.name.clone()),
            households: get("households"),
            visited: get("visited"),
            villages,
            recognised,
            criteria_met: 0,
            criteria_judged: 0,
        });
        for (key, value) in counters {
            *total.entry(key).or_default() += value;
        }
    }
    langso_domain::locale::sort_by_name(&mut provinces, |p| p.name.as_str());
    let get = |key: &str| total.get(key).copied().unwrap_or(0);
    let villages: i64 = provinces.iter().map(|p| p.villages).sum();
    let recognised: i64 = provinces.iter().map(|p| p.recognised).sum();
    let indicators = crate::households::catalogue(db, date.min(crate::today()))
        .await?
        .into_iter()
        .map(|i| {
            let (basis, part, whole, trend, target) =
                trend::indicator_figures(&i, &total, &trend_months, &series, None);
            Share {
                share: figure(i.kind, part, whole),
                average: i.kind == IndicatorKind::Count,
                basis,
                part,
                whole,
                trend,
                target,
                code: i.code,
                label_vi: i.label_vi,
                label_en: i.label_en,
            }
        })
        .collect();
    let through = format!("{:04}-{:02}", date.year(), u8::from(date.month()));
    let months: Vec<(String, i64)> = total
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("month:").map(|m| (m.to_owned(), *v)))
        .filter(|(m, _)| *m <= through)
        .collect();
    let figures = Figures {
        commune_teams: get("team:commune"),
        village_teams: get("team:village"),
        members: get("team:members"),
        villages,
        recognised,
        recognised_share: langso_domain::locale::share(recognised, villages),
        groups: get("group:count"),
        wifi_points: get("asset:wifi"),
        cameras: get("asset:camera"),
        solar_lights: get("asset:solar_light"),
        procedures_with_qr: langso_store::procedures::procedures_with_qr_anywhere(db).await?,
        households: get("households"),
        visited: get("visited"),
        coverage: langso_domain::locale::share(get("visited"), get("households")),
        trainings: get("outreach:training"),
        conferences: get("outreach:conference"),
        billboards: get("outreach:billboard"),
        broadcasts: get("outreach:loudspeaker"),
        attendance: get("outreach:attendance"),
    };
    Ok(National {
        as_of: date,
        figures,
        months,
        provinces,
        indicators,
    })
}

/// One province's reads: its counters, villages, recognised villages and monthly trend.
type ProvinceRead = (
    BTreeMap<String, i64>,
    i64,
    i64,
    (Vec<String>, BTreeMap<String, Vec<i64>>),
);

async fn province(db: &Db, root: Uuid, date: Date, rolled: bool) -> AppResult<ProvinceRead> {
    let counters = async {
        if rolled {
            counter_store::rolled_up(db, root).await
        } else {
            counter_store::counters_under(db, root, date).await
        }
    };
    let villages = async {
        if rolled {
            counter_store::rolled_villages(db, root).await
        } else {
            unit_store::villages_under(db, root, date).await
        }
    };
    let (counters, villages, recognition) = tokio::try_join!(
        counters,
        villages,
        criteria_store::recognition_under(db, root, date),
    )?;
    let counters: BTreeMap<String, i64> = counters.into_iter().collect();
    let monthly = trend::monthly_values(db, root, date, &counters, rolled).await?;
    let recognised = recognition
        .iter()
        .filter(|(_, s)| RecognitionStep::parse(s) == Some(RecognitionStep::Recognised))
        .count() as i64;
    Ok((counters, villages, recognised, monthly))
}
