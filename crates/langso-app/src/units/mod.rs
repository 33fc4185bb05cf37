//! Administrative units: browse the tree as of any date, search it, follow lineage, import
//! units and apply reorganisations.

mod import;
mod labels;
mod lineage_file;
mod picker;
mod reorganise;

pub use import::{ImportReport, import_units_csv};
pub use labels::{
    Labels, UnitLabel, label_among_siblings, labels_of, labels_under, short_name, tell_apart,
};
pub use langso_store::units::{LineageRecord, ParentPeriod, UnitRef};
pub use lineage_file::plan_from_lineage_csv;
pub use picker::{PickerOption, example_village, pick, picker_options};
pub use reorganise::{
    PlanLine, PlanMove, ReorganisationPlan, ReorganisationReport, move_unit, reorganise,
};

use langso_domain::text::{fold, search_rank};
use langso_domain::units::Unit;
use langso_store::units::{self as store, TreeNode};
use time::Date;
use uuid::Uuid;

use crate::{AppError, AppResult, Db, today};

/// A search result: the unit and the chain of units above it, so that two "Xã Liên Minh"
/// can be told apart.
#[derive(Clone, Debug)]
pub struct SearchHit {
    /// The unit found.
    pub unit: Unit,
    /// Its ancestors (root first) on the last day it was in force, or today.
    pub ancestors: Vec<Unit>,
}

/// Searches units by name (accent-, case- and đ-insensitive) or exact code. With `date`, only
/// units in force that day. Names typed with diacritics rank exact matches first.
pub async fn search(
    db: &Db,
    query: &str,
    date: Option<Date>,
    limit: usize,
) -> AppResult<Vec<SearchHit>> {
    let folded = fold(query);
    if folded.is_empty() {
        return Ok(Vec::new());
    }
    let candidates = store::search_candidates(db, &folded, query.trim(), date, 500).await?;
    let mut ranked: Vec<(u32, Unit)> = candidates
        .into_iter()
        .filter_map(|unit| {
            let rank = if unit.code == query.trim() {
                Some(0)
            } else {
                search_rank(&unit.name, query)
            };
            rank.map(|rank| (rank, unit))
        })
        .collect();
    ranked.sort_by(|(ra, a), (rb, b)| {
        ra.cmp(rb)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| b.validity.from.cmp(&a.validity.from))
    });
    ranked.truncate(limit);
    let mut hits = Vec::with_capacity(ranked.len());
    for (_, unit) in ranked {
        let day = date.unwrap_or_else(|| reference_day(&unit));
        let ancestors = store::ancestors(db, unit.id, day).await?;
        hits.push(SearchHit { unit, ancestors });
    }
    Ok(hits)
}

/// The day to show a unit's surroundings on: today while it is in force, else its last day
/// (or its first, for a unit that has not started yet).
pub fn reference_day(unit: &Unit) -> Date {
    let today = today();
    if unit.validity.contains(today) {
        today
    } else if unit.validity.from > today {
        unit.validity.from
    } else {
        unit.validity.to.unwrap_or(today)
    }
}

/// A node of the tree as shown: a unit and the units under it.
#[derive(Clone, Debug)]
pub struct Branch {
    /// The unit.
    pub unit: Unit,
    /// Its children on the asked date (empty past the asked depth).
    pub children: Vec<Branch>,
}

/// The tree on `date`: under `root`, or under every province; `depth` levels below the root.
pub async fn tree(db: &Db, root: Option<Uuid>, date: Date, depth: u8) -> AppResult<Vec<Branch>> {
    let roots = match root {
        Some(id) => {
            let unit = store::get(db, id).await?.ok_or(AppError::NotFound)?;
            if !unit.validity.contains(date) {
                return Ok(Vec::new());
            }
            vec![unit]
        }
        None => store::roots(db, date).await?,
    };
    let mut branches = Vec::with_capacity(roots.len());
    for unit in roots {
        let nodes = store::subtree(db, unit.id, date, i64::from(depth)).await?;
        branches.push(assemble(unit.id, nodes));
    }
    Ok(branches.into_iter().flatten().collect())
}

/// Builds nested branches from the flat, depth-ordered subtree rows.
fn assemble(root: Uuid, nodes: Vec<TreeNode>) -> Option<Branch> {
    let mut by_parent: std::collections::HashMap<Uuid, Vec<Unit>> =
        std::collections::HashMap::new();
    let mut root_unit = None;
    for node in nodes {
        if node.unit.id == root {
            root_unit = Some(node.unit);
        } else if let Some(parent) = node.parent_id {
            by_parent.entry(parent).or_default().push(node.unit);
        }
    }
    fn grow(unit: Unit, by_parent: &mut std::collections::HashMap<Uuid, Vec<Unit>>) -> Branch {
        let children = by_parent
            .remove(&unit.id)
            .unwrap_or_default()
            .into_iter()
            .map(|child| grow(child, by_parent))
            .collect();
        Branch { unit, children }
    }
    root_unit.map(|unit| grow(unit, &mut by_parent))
}

/// Everything a unit's page shows.
#[derive(Clone, Debug)]
pub struct UnitDetails {
    /// The unit.
    pub unit: Unit,
    /// The day the surroundings are shown for.
    pub date: Date,
    /// Ancestors on that day, root first.
    pub ancestors: Vec<Unit>,
    /// Children on that day.
    pub children: Vec<Unit>,
    /// Units under it on that day, counted by kind.
    pub descendant_counts: Vec<(String, i64)>,
    /// Every parent it has had.
    pub parents: Vec<ParentPeriod>,
    /// Where it came from and where it went.
    pub lineage: Vec<LineageRecord>,
    /// Other units that held the same code in other periods.
    pub same_code: Vec<Unit>,
}

/// A unit with its surroundings on `date` (default: [`reference_day`]) and its whole history.
pub async fn details(db: &Db, id: Uuid, date: Option<Date>) -> AppResult<UnitDetails> {
    let unit = store::get(db, id).await?.ok_or(AppError::NotFound)?;
    let date = date.unwrap_or_else(|| reference_day(&unit));
    let same_code = store::holders_of_code(db, &unit.code)
        .await?
        .into_iter()
        .filter(|other| other.id != unit.id && other.kind.level() == unit.kind.level())
        .collect();
    Ok(UnitDetails {
        ancestors: store::ancestors(db, id, date).await?,
        children: store::children(db, id, date).await?,
        descendant_counts: store::count_descendants_by_kind(db, id, date).await?,
        parents: store::parent_history(db, id).await?,
        lineage: store::lineage(db, id).await?,
        same_code,
        unit,
        date,
    })
}

/// A unit by id.
pub async fn get(db: &Db, id: Uuid) -> AppResult<Unit> {
    store::get(db, id).await?.ok_or(AppError::NotFound)
}

/// The unit holding `code` on `date`.
pub async fn by_code(db: &Db, code: &str, date: Date) -> AppResult<Unit> {
    store::by_code(db, code.trim(), date)
        .await?
        .ok_or(AppError::NotFound)
}

/// The unit named by an id or a GSO code on `date` (the `unit` of a dashboard or report
/// query); refused by key when nothing is named.
pub async fn resolve(db: &Db, text: Option<&str>, date: Date) -> AppResult<Uuid> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Err(AppError::Invalid(vec![crate::CellError::keyed(
            0,
            "unit",
            "units-unit-required",
            &[],
        )]));
    };
    if let Ok(id) = Uuid::parse_str(text) {
        return Ok(id);
    }
    Ok(by_code(db, text, date).await?.id)
}

/// The children of a unit on `date`.
pub async fn children(db: &Db, id: Uuid, date: Date) -> AppResult<Vec<Unit>> {
    store::get(db, id).await?.ok_or(AppError::NotFound)?;
    Ok(store::children(db, id, date).await?)
}

/// The lineage records naming a unit.
pub async fn lineage(db: &Db, id: Uuid) -> AppResult<Vec<LineageRecord>> {
    store::get(db, id).await?.ok_or(AppError::NotFound)?;
    Ok(store::lineage(db, id).await?)
}
