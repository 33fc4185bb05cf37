//! The programme dashboard for any unit in scope, computed live from the roll-up counters
//! (one summed row per key under the unit, one row per child and key), the recognition ledger
//! and the placements: DOMAIN.md's headline figures, progress over time, per-child bars,
//! indicator shares, and a map of villages coloured by status. A figure whose capability is
//! not built yet (groups, assets) reads as zero, not hidden.
//!
//! Counters are read from the pre-rolled-up `unit_rollups` when they follow the day's tree
//! (see `rollups`), else summed over the tree of the day: the figures are the same.
//!
//! "As of" a date the tree is the one in force that day (Huyện Đan Phượng and its 16 communes
//! on 2024-12-31); recognitions are those in force on the day and visits (`month:*` counters,
//! by the visit's date) stop at the day's month; the indicators and their denominators are
//! those at the end of the day's month (`trend`: today's counters minus the monthly moves
//! since); the other counters are the current values of the units of that tree, and the page
//! says so.
//!
//! Every village under the unit is judged against the criteria in force (one evaluation, which
//! the page's map reuses): the per-child bars show criteria met, and a recognised village that
//! fails a measured criterion is flagged. Each indicator carries the target of the nearest
//! plan (`plans`) and the gap to it.

mod charts;
mod national;
mod official;
mod plans;
mod report;
mod rollups;
mod trend;

pub use charts::{children_chart, indicator_chart, map_svg, months_chart};
pub use langso_store::dashboard::{PlanRow, TargetRow};
pub use national::{National, national};
pub use official::{
    Signing, body, letterhead, official_report_pdf, official_report_xlsx, place, report_units,
    written_date,
};
pub use plans::{
    ImpossibleValue, PlanInput, PlanView, TargetInput, create_plan, impossible_values, plan,
    plans_for, set_target,
};
pub use report::{monthly_report_pdf, monthly_report_xlsx, report_model};
pub use trend::{Basis, MonthFigure, TREND_MONTHS, Target, figure, needed, trend_months};

use std::collections::{BTreeMap, HashMap};

use langso_domain::auth::Permission;
use langso_domain::criteria::{RecognitionStep, Verdict, criteria_met, no_longer_meets};
use langso_domain::households::IndicatorKind;
use langso_store::criteria as criteria_store;
use langso_store::households as counter_store;
use langso_store::units as unit_store;
use time::Date;
use uuid::Uuid;

use crate::auth::{Actor, policy};
use crate::units::{UnitLabel, tell_apart};
use crate::{AppError, AppResult, Db};

/// The headline figures (DOMAIN.md, "The reference case").
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Figures {
    /// Commune-level digital teams.
    pub commune_teams: i64,
    /// Village-level teams (thôn, cụm dân cư, tổ dân phố).
    pub village_teams: i64,
    /// Team members.
    pub members: i64,
    /// Thôn and tổ dân phố.
    pub villages: i64,
    /// Of which recognised as smart villages on the day.
    pub recognised: i64,
    /// recognised ÷ villages.
    pub recognised_share: f64,
    /// Village groups (Zalo) run by the teams (counter `group:count`).
    pub groups: i64,
    /// Free public wifi points (`asset:wifi`).
    pub wifi_points: i64,
    /// Security cameras (`asset:camera`).
    pub cameras: i64,
    /// Solar street lights (`asset:solar_light`).
    pub solar_lights: i64,
    /// Procedures with at least one QR guide placed.
    pub procedures_with_qr: i64,
    /// Households registered.
    pub households: i64,
    /// Households visited door to door.
    pub visited: i64,
    /// visited ÷ households.
    pub coverage: f64,
    /// Trainings held.
    pub trainings: i64,
    /// Conferences held.
    pub conferences: i64,
    /// Billboards put up.
    pub billboards: i64,
    /// Loudspeaker broadcasts.
    pub broadcasts: i64,
    /// People reached by trainings and conferences.
    pub attendance: i64,
}

/// One child unit's figures, for the bars per commune (or per village).
#[derive(Clone, Debug, serde::Serialize)]
pub struct ChildFigures {
    /// The child.
    pub unit_id: Uuid,
    /// Its name, told apart from its namesakes' ("Thôn Hòa Bình (Hồng Hà cũ)"), worded the
    /// Vietnamese way; `label` holds the parts for wording it in another language.
    pub name: String,
    /// What tells it apart from the other children of the same name.
    pub label: UnitLabel,
    /// Households.
    pub households: i64,
    /// Visited.
    pub visited: i64,
    /// Thôn and tổ dân phố under it (1 or 0 for a village itself).
    pub villages: i64,
    /// Of which recognised.
    pub recognised: i64,
    /// Criteria passed, summed over its villages (a village's own count for a village).
    pub criteria_met: i64,
    /// Criteria judged, summed over its villages.
    pub criteria_judged: i64,
}

/// A village recognised as smart that no longer meets its criteria today.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Flagged {
    /// The village.
    pub unit_id: Uuid,
    /// Its name, told apart, worded the Vietnamese way.
    pub name: String,
    /// The parts of that name, for another language.
    pub label: UnitLabel,
    /// The codes of the criteria it fails.
    pub failing: Vec<String>,
    /// Criteria passed.
    pub met: usize,
    /// Criteria judged.
    pub judged: usize,
}

/// One indicator under the unit: a share of its denominator, or for a count (smartphones)
/// an average per household; its monthly trend and the target a plan sets.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Share {
    /// Code.
    pub code: String,
    /// Vietnamese label.
    pub label_vi: String,
    /// English label.
    pub label_en: String,
    /// What it is counted over.
    pub basis: Basis,
    /// A count shown as an average per household, not a share.
    pub average: bool,
    /// The numerator.
    pub part: i64,
    /// The denominator.
    pub whole: i64,
    /// part ÷ whole: a share 0–1 (never above 1, never 1 for unfinished work), or the
    /// average for a count (0 when nothing is counted).
    pub share: f64,
    /// The end of each month of the trend, oldest first (the day's month last).
    pub trend: Vec<MonthFigure>,
    /// The target of the nearest plan, if any.
    pub target: Option<Target>,
}

/// The dashboard of a unit on a day.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Dashboard {
    /// The unit.
    pub unit_id: Uuid,
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its ancestors' names on the day, root first.
    pub path: Vec<String>,
    /// The day.
    pub as_of: Date,
    /// The headline figures.
    pub figures: Figures,
    /// Visits per month (YYYY-MM), for progress over time.
    pub months: Vec<(String, i64)>,
    /// Each child's figures.
    pub children: Vec<ChildFigures>,
    /// Indicator shares.
    pub indicators: Vec<Share>,
    /// Whether the counters (teams, households, coverage, assets…) are those of the day asked
    /// for (today); otherwise they are today's, and only the tree, the recognitions and the
    /// visits per month are as of the day.
    pub counters_as_of: bool,
    /// Door-to-door visits recorded up to the end of the day's month (`month:*` counters).
    pub visits_to_month: i64,
    /// Villages recognised as smart that no longer meet their criteria today.
    pub flagged: Vec<Flagged>,
    /// Every village under the unit judged against the criteria (for the map and the list).
    #[serde(skip)]
    pub evaluations: Vec<crate::criteria::VillageEvaluation>,
}

/// Allows reading figures of `unit` as of `date`: the actor holds `ReadDashboard` on a unit
/// that contains it on that day (so a province officer reads the former district of 2024),
/// or today.
pub async fn require_as_of(db: &Db, actor: &Actor, unit: Uuid, date: Date) -> AppResult<()> {
    if actor.is_system() {
        return Ok(());
    }
    for root in actor.roots(Permission::ReadDashboard) {
        if root == unit || unit_store::is_within(db, unit, root, date).await? {
            return Ok(());
        }
    }
    policy::require(db, actor, Permission::ReadDashboard, unit).await
}

/// The dashboard of `unit` as of `date` (`ReadDashboard` on the unit, then or now).
pub async fn dashboard(db: &Db, actor: &Actor, unit: Uuid, date: Date) -> AppResult<Dashboard> {
    require_as_of(db, actor, unit, date).await?;
    let this = unit_store::get(db, unit).await?.ok_or(AppError::NotFound)?;
    // Counters come pre-rolled-up per unit when the roll-ups follow the day's tree (one row
    // per key for a province instead of one per village and key), else summed over that tree.
    let rolled = rollups::ready(db, date).await?;
    let counters = async {
        if rolled {
            counter_store::rolled_up(db, unit).await
        } else {
            counter_store::counters_under(db, unit, date).await
        }
    };
    let coverage = async {
        if rolled {
            counter_store::rolled_up_coverage_by_child(db, unit, date).await
        } else {
            criteria_store::coverage_by_child(db, unit, date).await
        }
    };
    // The reads are independent: run them side by side on the pool.
    let (path, counters, tree, recognition, coverage, qr, labels) = tokio::try_join!(
        unit_store::ancestors(db, unit, date),
        counters,
        unit_store::subtree(db, unit, date, 6),
        criteria_store::recognition_under(db, unit, date),
        coverage,
        langso_store::procedures::procedures_with_qr(db, unit, date),
        unit_store::label_rows_under(db, unit, date, 6),
    )?;
    // Units with the same name under one parent (four "Thôn Hòa Bình" under Xã Ô Diên) told
    // apart; read to the villages once, for the children here and the villages judged below.
    let labels = tell_apart(labels, |row| row.parent_id);
    let path_units = path;
    let path: Vec<String> = path_units.iter().map(|u| u.name.clone()).collect();
    let counters: BTreeMap<String, i64> = counters.into_iter().collect();
    let get = |key: &str| counters.get(key).copied().unwrap_or(0);
    // The tree on the day: which village sits under which child.
    let mut top_of: HashMap<Uuid, Uuid> = HashMap::new();
    let mut children = Vec::new();
    for node in &tree {
        let id = node.unit.id;
        if node.depth == 1 {
            top_of.insert(id, id);
            let label = labels.label_or(id, &node.unit.name);
            children.push(ChildFigures {
                unit_id: id,
                name: label.to_string(),
                label,
                households: 0,
                visited: 0,
                villages: 0,
                recognised: 0,
                criteria_met: 0,
                criteria_judged: 0,
            });
        } else if node.depth > 1
            && let Some(top) = node.parent_id.and_then(|p| top_of.get(&p).copied())
        {
            top_of.insert(id, top);
        }
    }
    let recognised: HashMap<Uuid, bool> = recognition
        .into_iter()
        .map(|(id, status)| {
            (
                id,
                RecognitionStep::parse(&status) == Some(RecognitionStep::Recognised),
            )
        })
        .collect();
    let index: HashMap<Uuid, usize> = children
        .iter()
        .enumerate()
        .map(|(i, c)| (c.unit_id, i))
        .collect();
    let (mut villages, mut smart) = (0, 0);
    for node in tree
        .iter()
        .filter(|n| crate::criteria::is_eligible(&n.unit))
    {
        let is_smart = recognised.get(&node.unit.id).copied().unwrap_or(false);
        villages += 1;
        smart += i64::from(is_smart);
        if let Some(child) = top_of.get(&node.unit.id).and_then(|t| index.get(t)) {
            children[*child].villages += 1;
            children[*child].recognised += i64::from(is_smart);
        }
    }
    for (child, key, value) in coverage {
        if let Some(i) = index.get(&child) {
            match key.as_str() {
                "households" => children[*i].households = value,
                "visited" => children[*i].visited = value,
                _ => {}
            }
        }
    }
    // Each village judged against the criteria in force: the map, the per-village bars
    // (criteria met differ between villages where coverage does not) and the flags.
    let evaluations = crate::criteria::evaluate_tree(db, unit, date, &tree, &labels).await?;
    let mut flagged = Vec::new();
    for v in &evaluations {
        let (met, judged) = (criteria_met(&v.outcomes), v.outcomes.len());
        let top = if v.unit_id == unit {
            None
        } else {
            top_of.get(&v.unit_id).and_then(|t| index.get(t)).copied()
        };
        if let Some(i) = top {
            children[i].criteria_met += met as i64;
            children[i].criteria_judged += judged as i64;
        }
        let recognised = recognised.get(&v.unit_id).copied().unwrap_or(false);
        if no_longer_meets(&v.outcomes, recognised) {
            flagged.push(Flagged {
                unit_id: v.unit_id,
                name: v.name.clone(),
                label: v.label.clone(),
                failing: v
                    .outcomes
                    .iter()
                    .filter(|o| o.verdict == Verdict::Fail)
                    .map(|o| o.code.clone())
                    .collect(),
                met,
                judged,
            });
        }
    }
    langso_domain::locale::sort_by_name(&mut flagged, |f| f.name.as_str());
    let (trend_months, monthly) = trend::monthly_values(db, unit, date, &counters, rolled).await?;
    let path_ids: Vec<Uuid> = path_units.iter().map(|u| u.id).collect();
    let targets = trend::targets(db, unit, &path_ids, date).await?;
    let indicators = crate::households::catalogue(db, date.min(crate::today()))
        .await?
        .into_iter()
        .map(|i| {
            let (basis, part, whole, trend, target) = trend::indicator_figures(
                &i,
                &counters,
                &trend_months,
                &monthly,
                targets.get(&i.code),
            );
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
    // Visits are counted per month of the visit's date: "as of" a day they stop at its month.
    let through = format!("{:04}-{:02}", date.year(), u8::from(date.month()));
    let months: Vec<(String, i64)> = counters
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("month:").map(|m| (m.to_owned(), *v)))
        .filter(|(m, _)| *m <= through)
        .collect();
    let visits_to_month = months.iter().map(|(_, v)| v).sum();
    let figures = Figures {
        commune_teams: get("team:commune"),
        village_teams: get("team:village"),
        members: get("team:members"),
        villages,
        recognised: smart,
        recognised_share: langso_domain::locale::share(smart, villages),
        groups: get("group:count"),
        wifi_points: get("asset:wifi"),
        cameras: get("asset:camera"),
        solar_lights: get("asset:solar_light"),
        procedures_with_qr: qr,
        households: get("households"),
        visited: get("visited"),
        coverage: langso_domain::locale::share(get("visited"), get("households")),
        trainings: get("outreach:training"),
        conferences: get("outreach:conference"),
        billboards: get("outreach:billboard"),
        broadcasts: get("outreach:loudspeaker"),
        attendance: get("outreach:attendance"),
    };
    // Child units read in the Vietnamese alphabet (Đan Phượng after Dương Liễu, not after Z).
    langso_domain::locale::sort_by_name(&mut children, |child| child.name.as_str());
    Ok(Dashboard {
        unit_id: this.id,
        code: this.code,
        name: this.name,
        path,
        as_of: date,
        figures,
        months,
        children,
        indicators,
        counters_as_of: date == crate::today(),
        visits_to_month,
        flagged,
        evaluations,
    })
}
