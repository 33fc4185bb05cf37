//! Progress of the door-to-door survey, read from the counters (never by scanning households).

use langso_domain::auth::Permission;
use langso_domain::households::IndicatorKind;
use langso_store::households as store;
use langso_store::units as unit_store;
use std::collections::BTreeMap;
use uuid::Uuid;

use super::catalogue::catalogue;
use crate::auth::{Actor, policy};
use crate::{AppResult, Db, today};

/// One indicator's share.
#[derive(Clone, Debug, serde::Serialize)]
pub struct IndicatorShare {
    /// Code.
    pub code: String,
    /// Vietnamese label.
    pub label_vi: String,
    /// English label.
    pub label_en: String,
    /// Adults (or households) that have it.
    pub numerator: i64,
    /// Adults (or households, or business households) counted.
    pub denominator: i64,
    /// numerator ÷ denominator, 0 when nothing is counted: a share (never above 1), or for
    /// a count (smartphones) the average per household.
    pub share: f64,
    /// What the denominator counts: `households`, `adults` or `business`.
    pub basis: &'static str,
    /// A count, shown as an average per household rather than a share.
    pub average: bool,
}

/// Survey progress for a unit and for each unit under it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Progress {
    /// The unit.
    pub unit_id: Uuid,
    /// Its name; a child's told apart from its namesakes ("Thôn Hòa Bình (Hồng Hà cũ)").
    pub name: String,
    /// Households registered.
    pub households: i64,
    /// Adults in them.
    pub adults: i64,
    /// Households visited at least once.
    pub visited: i64,
    /// visited ÷ households.
    pub visited_share: f64,
    /// Each indicator's share.
    pub indicators: Vec<IndicatorShare>,
    /// Visits per team member (label, visits).
    pub by_member: Vec<(String, i64)>,
    /// Visits per month (YYYY-MM, visits).
    pub by_month: Vec<(String, i64)>,
    /// The same figures for each child unit.
    pub children: Vec<Progress>,
}

fn share(numerator: i64, denominator: i64) -> f64 {
    langso_domain::locale::share(numerator, denominator)
}

/// Progress under `unit` for an actor allowed to read its dashboard.
pub async fn progress(db: &Db, actor: &Actor, unit: Uuid) -> AppResult<Progress> {
    policy::require(db, actor, Permission::ReadDashboard, unit).await?;
    let today = today();
    let indicators = catalogue(db, today).await?;
    let name = unit_store::get(db, unit)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let counters: BTreeMap<String, i64> = store::counters_under(db, unit, today)
        .await?
        .into_iter()
        .collect();
    let mut top = figures(unit, name, &counters, &indicators);
    let mut members = Vec::new();
    for (key, value) in &counters {
        if let Some(user) = key
            .strip_prefix("visits:")
            .and_then(|id| Uuid::parse_str(id).ok())
        {
            let label = langso_store::auth::get_user(db, user).await?.map_or_else(
                || user.to_string(),
                |u| format!("{} ({})", u.display_name, u.login),
            );
            members.push((label, *value));
        }
    }
    members.sort_by_key(|(_, visits)| std::cmp::Reverse(*visits));
    top.by_member = members;
    let children = unit_store::children(db, unit, today).await?;
    // Children of the same name ("Thôn Hòa Bình" ×4 in Xã Ô Diên) told apart.
    let labels = crate::units::labels_under(db, unit, today, 1).await?;
    let by_child = store::counters_by_child(db, unit, today).await?;
    for child in children {
        let counters: BTreeMap<String, i64> = by_child
            .iter()
            .filter(|(id, _, _)| *id == child.id)
            .map(|(_, key, value)| (key.clone(), *value))
            .collect();
        top.children.push(figures(
            child.id,
            labels.text_or(child.id, &child.name),
            &counters,
            &indicators,
        ));
    }
    Ok(top)
}

fn figures(
    unit_id: Uuid,
    name: String,
    counters: &BTreeMap<String, i64>,
    indicators: &[super::Indicator],
) -> Progress {
    let get = |key: &str| counters.get(key).copied().unwrap_or(0);
    let (households, adults, business, visited) = (
        get("households"),
        get("adults"),
        get("business"),
        get("visited"),
    );
    let shares = indicators
        .iter()
        .map(|i| {
            let numerator = get(&format!("ind:{}", i.code));
            let denominator = match (i.kind, i.business_only) {
                (_, true) => business,
                (IndicatorKind::AdultCount, _) => adults,
                (IndicatorKind::Count, _) => households,
                _ => households,
            };
            IndicatorShare {
                code: i.code.clone(),
                label_vi: i.label_vi.clone(),
                label_en: i.label_en.clone(),
                numerator,
                denominator,
                share: if i.kind == IndicatorKind::Count {
                    if denominator > 0 {
                        numerator as f64 / denominator as f64
                    } else {
                        0.0
                    }
                } else {
                    share(numerator, denominator)
                },
                basis: crate::dashboard::Basis::of(i.kind, i.business_only).as_str(),
                average: i.kind == IndicatorKind::Count,
            }
        })
        .collect();
    let by_month = counters
        .iter()
        .filter_map(|(key, value)| key.strip_prefix("month:").map(|m| (m.to_owned(), *value)))
        .collect();
    Progress {
        unit_id,
        name,
        households,
        adults,
        visited,
        visited_share: share(visited, households),
        indicators: shares,
        by_member: Vec::new(),
        by_month,
        children: Vec::new(),
    }
}
