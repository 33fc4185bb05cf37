//! Smart-village criteria ("tiêu chí thôn thông minh") and their evaluation.
//!
//! No national checklist exists: each province defines the content for each period (QĐ
//! 319/QĐ-TTg requires model communes to have a smart village, the province says what that
//! means). So a criteria set is data — a file a province imports, versioned — and this module
//! only knows the *kinds* of criterion and how to measure each from a village's roll-up
//! counters. A criterion whose data source has no rows is "no data", never passed.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::Date;

/// What a share is taken of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Households with the indicator ÷ households.
    Households,
    /// Adults with the indicator ÷ adults.
    Adults,
    /// Business households with the indicator ÷ business households (cashless payment at shops).
    BusinessHouseholds,
}

/// How a criterion is measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// Share of households (or adults) with an indicator ≥ `min_share` (counters `ind:<code>`
    /// over `households` or `adults`).
    IndicatorShare {
        /// Indicator code (`vneid_2`, `epayment`, …).
        indicator: String,
        /// Households or adults.
        basis: Basis,
        /// Threshold, 0–1.
        min_share: f64,
    },
    /// Assets of a kind (counter `asset:<kind>`) ≥ `min`, or ≥ `min` per 100 households.
    Assets {
        /// Asset kind (`camera`, `solar_light`, `wifi`, …).
        asset: String,
        /// Threshold.
        min: f64,
        /// Count per 100 households rather than in all.
        #[serde(default)]
        per_100_households: bool,
    },
    /// The village's digital team has at least `min` members.
    TeamMembers {
        /// Threshold.
        min: i64,
    },
    /// Households in a village group (counter `group:households`) ÷ households ≥ `min_share`.
    GroupCoverage {
        /// Threshold, 0–1.
        min_share: f64,
    },
    /// Active QR placements in the village ≥ `min`.
    QrPlacements {
        /// Threshold.
        min: i64,
    },
    /// Judged by a person: passes with an uploaded file approved by someone else.
    Manual {
        /// What the evidence should show.
        #[serde(default)]
        evidence_vi: String,
    },
}

/// One criterion of a set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable code within the set (`TC01`).
    pub code: String,
    /// Vietnamese label.
    pub label_vi: String,
    /// English label.
    pub label_en: String,
    /// How it is measured.
    #[serde(flatten)]
    pub rule: Rule,
}

/// A criteria set as a file: what a province imports and exports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriteriaFile {
    /// Its name ("Hà Nội smart village (demo)").
    pub name: String,
    /// The province's GSO code.
    pub province: String,
    /// First day it applies.
    pub valid_from: Date,
    /// Last day it applies (open when absent).
    #[serde(default)]
    pub valid_to: Option<Date>,
    /// The criteria, in display order.
    pub criteria: Vec<Criterion>,
}

/// Why a criteria set is refused (each with the criterion it concerns). Each problem is a
/// catalogue key (`criteria-set-empty`); people read [`CriteriaError::message`], logs the key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CriteriaError {
    /// A problem in one criterion: its code and the problem's key (which takes `{ $code }`).
    #[error("criterion {0}: {1}")]
    Criterion(String, &'static str),
    /// A problem with the set: the problem's key.
    #[error("{0}")]
    Set(&'static str),
}

impl CriteriaError {
    /// The refusal as a catalogue key with its arguments.
    pub fn message(&self) -> crate::Message {
        match self {
            CriteriaError::Criterion(code, key) => crate::Message::new(key, &[("code", code)]),
            CriteriaError::Set(key) => crate::Message::new(key, &[]),
        }
    }
}

impl CriteriaFile {
    /// Every problem of the set (empty when it is valid).
    pub fn problems(&self) -> Vec<CriteriaError> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() || self.name.chars().count() > 200 {
            out.push(CriteriaError::Set("criteria-set-name-invalid"));
        }
        if self.valid_to.is_some_and(|to| to < self.valid_from) {
            out.push(CriteriaError::Set("criteria-set-period-reversed"));
        }
        if self.criteria.is_empty() {
            out.push(CriteriaError::Set("criteria-set-empty"));
        }
        let mut seen = BTreeSet::new();
        for c in &self.criteria {
            let mut bad = |why| out.push(CriteriaError::Criterion(c.code.clone(), why));
            if c.code.trim().is_empty() || c.code.chars().count() > 20 {
                bad("criteria-criterion-code-length");
            }
            if !seen.insert(c.code.clone()) {
                bad("criteria-criterion-code-duplicate");
            }
            if c.label_vi.trim().is_empty() {
                bad("criteria-criterion-label-required");
            }
            let share_ok = |s: f64| (0.0..=1.0).contains(&s);
            match &c.rule {
                Rule::IndicatorShare {
                    indicator,
                    min_share,
                    ..
                } => {
                    if indicator.trim().is_empty() {
                        bad("criteria-criterion-indicator-required");
                    }
                    if !share_ok(*min_share) {
                        bad("criteria-criterion-share-range");
                    }
                }
                Rule::GroupCoverage { min_share } if !share_ok(*min_share) => {
                    bad("criteria-criterion-share-range");
                }
                Rule::Assets { asset, min, .. } => {
                    let ok = !asset.is_empty()
                        && asset.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
                    if !ok {
                        bad("criteria-criterion-asset-kind-invalid");
                    }
                    if !(min.is_finite() && *min >= 0.0) {
                        bad("criteria-criterion-min-negative");
                    }
                }
                Rule::TeamMembers { min } | Rule::QrPlacements { min } if *min < 0 => {
                    bad("criteria-criterion-min-negative");
                }
                _ => {}
            }
        }
        out
    }
}

/// The result of one criterion for one village.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Measured and at or above the threshold.
    Pass,
    /// Measured and below it.
    Fail,
    /// Nothing to measure from: never counts as passed.
    NoData,
}

/// One criterion measured for one village.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// The criterion's code.
    pub code: String,
    /// The measured value (a share 0–1, a count, a count per 100 households), if any.
    pub measured: Option<f64>,
    /// The threshold it is compared with.
    pub threshold: f64,
    /// Pass, fail or no data.
    pub verdict: Verdict,
}

/// What a village's evaluation reads: its counters and the few facts kept elsewhere.
#[derive(Clone, Debug, Default)]
pub struct VillageFacts {
    /// The village's roll-up counters (`households`, `adults`, `ind:…`, `asset:…`, `team:…`).
    pub counters: BTreeMap<String, i64>,
    /// Whether the teams register has any rows at all (else team criteria are "no data").
    pub teams_exist: bool,
    /// Active QR placements in the village, when the placements register has any rows.
    pub qr_placements: Option<i64>,
    /// Codes of manual criteria with approved evidence.
    pub approved_evidence: BTreeSet<String>,
}

fn verdict(measured: Option<f64>, threshold: f64) -> Verdict {
    match measured {
        None => Verdict::NoData,
        Some(m) if m + 1e-9 >= threshold => Verdict::Pass,
        Some(_) => Verdict::Fail,
    }
}

/// The counters judging villages against `criteria` reads: what [`evaluate`] looks up, and
/// `households` (shown beside every village). A province's dashboard reads only these for its
/// ~2,000 villages instead of every indicator each village holds.
pub fn counter_keys(criteria: &[Criterion]) -> Vec<String> {
    let mut keys = std::collections::BTreeSet::from(["households".to_owned()]);
    for criterion in criteria {
        match &criterion.rule {
            Rule::IndicatorShare {
                indicator, basis, ..
            } => {
                keys.insert(format!("ind:{indicator}"));
                keys.insert(
                    match basis {
                        Basis::Households => "households",
                        Basis::Adults => "adults",
                        Basis::BusinessHouseholds => "business",
                    }
                    .to_owned(),
                );
            }
            Rule::Assets { asset, .. } => {
                keys.insert(format!("asset:{asset}"));
            }
            Rule::TeamMembers { .. } => {
                keys.insert("team:members".to_owned());
            }
            Rule::GroupCoverage { .. } => {
                keys.insert("group:households".to_owned());
            }
            Rule::QrPlacements { .. } | Rule::Manual { .. } => {}
        }
    }
    keys.into_iter().collect()
}

/// Measures one criterion.
pub fn evaluate(criterion: &Criterion, facts: &VillageFacts) -> Outcome {
    let get = |key: &str| facts.counters.get(key).copied();
    let ratio = |n: Option<i64>, d: Option<i64>| match (n, d) {
        (Some(n), Some(d)) if d > 0 => Some(n as f64 / d as f64),
        (None, Some(d)) if d > 0 => Some(0.0),
        _ => None,
    };
    let (measured, threshold) = match &criterion.rule {
        Rule::IndicatorShare {
            indicator,
            basis,
            min_share,
        } => {
            let denominator = match basis {
                Basis::Households => get("households"),
                Basis::Adults => get("adults"),
                Basis::BusinessHouseholds => get("business"),
            };
            (
                ratio(get(&format!("ind:{indicator}")), denominator),
                *min_share,
            )
        }
        Rule::Assets {
            asset,
            min,
            per_100_households,
        } => {
            let count = get(&format!("asset:{asset}"));
            let measured = if *per_100_households {
                match (count, get("households")) {
                    (Some(c), Some(h)) if h > 0 => Some(c as f64 * 100.0 / h as f64),
                    _ => None,
                }
            } else {
                count.map(|c| c as f64)
            };
            (measured, *min)
        }
        Rule::TeamMembers { min } => {
            let measured = facts
                .teams_exist
                .then(|| get("team:members").unwrap_or(0) as f64);
            (measured, *min as f64)
        }
        Rule::GroupCoverage { min_share } => {
            let covered = get("group:households");
            let measured = covered.and_then(|_| ratio(covered, get("households")));
            (measured, *min_share)
        }
        Rule::QrPlacements { min } => (facts.qr_placements.map(|n| n as f64), *min as f64),
        Rule::Manual { .. } => {
            let approved = facts.approved_evidence.contains(&criterion.code);
            (approved.then_some(1.0), 1.0)
        }
    };
    Outcome {
        code: criterion.code.clone(),
        measured,
        threshold,
        verdict: verdict(measured, threshold),
    }
}

/// Where a village stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VillageStatus {
    /// Nothing measured yet.
    NotStarted,
    /// Some criteria measured, not all passed.
    InProgress,
    /// Every criterion passed; waiting for recognition.
    MeetsCriteria,
    /// Recognised by the province (decision in force).
    Recognised,
}

impl VillageStatus {
    /// Every status, in order.
    pub const ALL: [VillageStatus; 4] = [
        VillageStatus::NotStarted,
        VillageStatus::InProgress,
        VillageStatus::MeetsCriteria,
        VillageStatus::Recognised,
    ];

    /// The code used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            VillageStatus::NotStarted => "not_started",
            VillageStatus::InProgress => "in_progress",
            VillageStatus::MeetsCriteria => "meets_criteria",
            VillageStatus::Recognised => "recognised",
        }
    }

    /// The colour on maps and charts.
    pub fn colour(self) -> &'static str {
        match self {
            VillageStatus::NotStarted => "#b1b4b6",
            VillageStatus::InProgress => "#f47738",
            VillageStatus::MeetsCriteria => "#5694ca",
            VillageStatus::Recognised => "#00703c",
        }
    }
}

/// A village's status from its outcomes and whether a recognition is in force.
pub fn status(outcomes: &[Outcome], recognised: bool) -> VillageStatus {
    if recognised {
        VillageStatus::Recognised
    } else if !outcomes.is_empty() && outcomes.iter().all(|o| o.verdict == Verdict::Pass) {
        VillageStatus::MeetsCriteria
    } else if outcomes.iter().any(|o| o.verdict != Verdict::NoData) {
        VillageStatus::InProgress
    } else {
        VillageStatus::NotStarted
    }
}

/// Whether a recognised village no longer meets its criteria: recognised, and at least one
/// criterion measured below its threshold today (a criterion with nothing to measure is not
/// proof of failing). Such a village is flagged wherever its recognition is counted.
pub fn no_longer_meets(outcomes: &[Outcome], recognised: bool) -> bool {
    recognised && outcomes.iter().any(|o| o.verdict == Verdict::Fail)
}

/// How many criteria a village passes.
pub fn criteria_met(outcomes: &[Outcome]) -> usize {
    outcomes
        .iter()
        .filter(|o| o.verdict == Verdict::Pass)
        .count()
}

/// A step of recognition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecognitionStep {
    /// The commune proposes the village.
    Proposed,
    /// The province recognises it, with a decision.
    Recognised,
    /// The province revokes the recognition.
    Revoked,
}

impl RecognitionStep {
    /// The code in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            RecognitionStep::Proposed => "proposed",
            RecognitionStep::Recognised => "recognised",
            RecognitionStep::Revoked => "revoked",
        }
    }

    /// Parses the database code.
    pub fn parse(text: &str) -> Option<RecognitionStep> {
        [
            RecognitionStep::Proposed,
            RecognitionStep::Recognised,
            RecognitionStep::Revoked,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Whether this step may follow `last` (the latest step so far, if any).
    pub fn may_follow(self, last: Option<RecognitionStep>) -> bool {
        use RecognitionStep::*;
        matches!(
            (last, self),
            (None | Some(Revoked), Proposed)
                | (Some(Proposed), Recognised)
                | (Some(Recognised), Revoked)
        )
    }
}

#[cfg(test)]
mod tests;
