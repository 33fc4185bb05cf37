//! Evaluation: every village's criteria measured live from its own roll-up counters (one row
//! per village and key), so a visit or an import moves a village's status at once.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use langso_domain::criteria::{
    Outcome, RecognitionStep, VillageFacts, VillageStatus, evaluate, status,
};
use langso_domain::units::{Unit, UnitKind};
use langso_store::criteria as store;
use langso_store::units::{self as unit_store, TreeNode};
use time::Date;
use uuid::Uuid;

use super::sets::{CriteriaSet, province_of, set_for};
use crate::auth::Actor;
use crate::units::{Labels, UnitLabel};
use crate::{AppError, AppResult, Db};

/// One village judged against the set in force.
#[derive(Clone, Debug, serde::Serialize)]
pub struct VillageEvaluation {
    /// The village.
    pub unit_id: Uuid,
    /// Its code.
    pub code: String,
    /// Its name, told apart from namesakes among its siblings ("Thôn Hòa Bình (Hồng Hà cũ)"),
    /// worded the Vietnamese way.
    pub name: String,
    /// The parts of that name, for wording it in the page's language.
    pub label: UnitLabel,
    /// Its coordinates, for the map.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// Households registered.
    pub households: i64,
    /// The set it was judged against (none in force: every village is "not started").
    pub set_id: Option<Uuid>,
    /// Each criterion's measure.
    pub outcomes: Vec<Outcome>,
    /// Where it stands.
    pub status: VillageStatus,
    /// The latest recognition step in force on the day, if any.
    pub recognition: Option<String>,
}

/// Whether a unit is counted as a village for smart-village figures: thôn and tổ dân phố (the
/// source reports "101 = 100% of thôn and tổ dân phố"; clusters have teams but are not judged).
pub fn is_eligible(unit: &Unit) -> bool {
    matches!(unit.kind, UnitKind::Village | UnitKind::StreetGroup)
}

/// Every eligible village at or under `unit` on `date`, judged now.
pub async fn evaluate_under(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    date: Date,
) -> AppResult<Vec<VillageEvaluation>> {
    crate::dashboard::require_as_of(db, actor, unit, date).await?;
    let set = set_for(db, province_of(db, unit, date).await?, date).await?;
    judge(db, unit, date, set.as_ref()).await
}

/// [`evaluate_under`] over a tree the caller has read already (`unit_store::subtree` of depth
/// 6 and its labels): the dashboard reads a province's 2,000 villages once, not twice.
pub(crate) async fn evaluate_tree(
    db: &Db,
    unit: Uuid,
    date: Date,
    tree: &[TreeNode],
    labels: &Labels,
) -> AppResult<Vec<VillageEvaluation>> {
    let set = set_for(db, province_of(db, unit, date).await?, date).await?;
    judge_tree(db, unit, date, set.as_ref(), tree, labels).await
}

/// One village, judged now.
pub async fn evaluate_village(
    db: &Db,
    actor: &Actor,
    village: Uuid,
    date: Date,
) -> AppResult<VillageEvaluation> {
    let mut all = evaluate_under(db, actor, village, date).await?;
    match all.pop() {
        Some(one) if one.unit_id == village => Ok(one),
        _ => Err(AppError::NotFound),
    }
}

pub(crate) async fn judge(
    db: &Db,
    root: Uuid,
    date: Date,
    set: Option<&CriteriaSet>,
) -> AppResult<Vec<VillageEvaluation>> {
    let (tree, labels) = tokio::try_join!(
        async { Ok(unit_store::subtree(db, root, date, 6).await?) },
        crate::units::labels_under(db, root, date, 6),
    )?;
    judge_tree(db, root, date, set, &tree, &labels).await
}

async fn judge_tree(
    db: &Db,
    root: Uuid,
    date: Date,
    set: Option<&CriteriaSet>,
    tree: &[TreeNode],
    labels: &Labels,
) -> AppResult<Vec<VillageEvaluation>> {
    // The reads are independent: run them side by side on the pool (a province reads about
    // 2,000 villages in each).
    let evidence = async {
        match set {
            Some(set) => store::approved_under(db, set.id, root, date).await,
            None => Ok(Vec::new()),
        }
    };
    let keys = langso_domain::criteria::counter_keys(set.map_or(&[][..], |s| &s.criteria));
    let (own_counters, placements, teams_exist, approved, recognition) = tokio::try_join!(
        store::own_counters_under(db, root, date, &keys),
        store::placements_per_unit(db, root, date),
        langso_store::teams::any_team(db),
        evidence,
        store::recognition_under(db, root, date),
    )?;
    let villages: Vec<&Unit> = tree
        .iter()
        .map(|n| &n.unit)
        .filter(|u| is_eligible(u))
        .collect();
    if villages.is_empty() {
        return Ok(Vec::new());
    }
    // Four "Thôn Hòa Bình" under Xã Ô Diên: each named with its former commune. A village
    // judged alone is labelled among its siblings all the same.
    let own = match villages.as_slice() {
        [only] if only.id == root => crate::units::label_among_siblings(db, root, date).await?,
        _ => None,
    };
    let mut counters: HashMap<Uuid, BTreeMap<String, i64>> = HashMap::new();
    for (unit, key, value) in own_counters {
        counters.entry(unit).or_default().insert(key, value);
    }
    let placements: Option<HashMap<Uuid, i64>> = placements.map(|rows| rows.into_iter().collect());
    let mut evidence: HashMap<Uuid, BTreeSet<String>> = HashMap::new();
    for (unit, code) in approved {
        evidence.entry(unit).or_default().insert(code);
    }
    let recognition: HashMap<Uuid, String> = recognition.into_iter().collect();
    let mut out = Vec::with_capacity(villages.len());
    for village in villages {
        let facts = VillageFacts {
            counters: counters.remove(&village.id).unwrap_or_default(),
            teams_exist,
            qr_placements: placements
                .as_ref()
                .map(|p| p.get(&village.id).copied().unwrap_or(0)),
            approved_evidence: evidence.remove(&village.id).unwrap_or_default(),
        };
        let outcomes: Vec<Outcome> = set
            .map(|s| s.criteria.iter().map(|c| evaluate(c, &facts)).collect())
            .unwrap_or_default();
        let step = recognition.get(&village.id).cloned();
        let recognised =
            step.as_deref().and_then(RecognitionStep::parse) == Some(RecognitionStep::Recognised);
        let label = own
            .clone()
            .filter(|l| l.id == village.id)
            .unwrap_or_else(|| labels.label_or(village.id, &village.name));
        out.push(VillageEvaluation {
            unit_id: village.id,
            code: village.code.clone(),
            name: label.to_string(),
            label,
            latitude: village.latitude,
            longitude: village.longitude,
            households: facts.counters.get("households").copied().unwrap_or(0),
            set_id: set.map(|s| s.id),
            status: status(&outcomes, recognised),
            outcomes,
            recognition: step,
        });
    }
    Ok(out)
}
