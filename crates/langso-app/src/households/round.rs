//! "My round": the households assigned to the signed-in team member in walking order (village,
//! hamlet, alley, house — numbers as numbers), grouped by village and hamlet, with how many are
//! left this month, filtered and paged; the next household to visit after a saved visit; and
//! the printed round sheet for a team without phones.
//!
//! The order is the domain's [`RoundPlace`]; it is applied here on the rows the store returns,
//! the same on SQLite and PostgreSQL. A member's round is a few hundred households, read whole
//! so the counts and the next household are right whatever page is shown. Personal numbers are
//! never part of a round: they are dropped before anything leaves this module.

use std::collections::{BTreeMap, BTreeSet};

use langso_domain::auth::Permission;
use langso_domain::households::round::{NaturalKey, RoundPlace};
use langso_store::households::{self as store, HouseholdRow};
use langso_store::units as unit_store;
use time::Date;
use uuid::Uuid;

use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, Db, today};

/// Households on one page of a round.
pub const ROUND_PAGE: usize = 50;

/// The most households one printed sheet lists: past it, the asker picks a village or alley.
pub const SHEET_MAX: usize = 3000;

/// What the member asked to see.
#[derive(Clone, Debug, Default)]
pub struct RoundFilter {
    /// Only this village.
    pub village: Option<Uuid>,
    /// Only this alley (as written).
    pub alley: Option<String>,
    /// Only follow-ups that are due.
    pub overdue: bool,
    /// The page, from 1.
    pub page: usize,
}

/// A household on the round.
#[derive(Clone, Debug)]
pub struct RoundStop {
    /// The household, without personal numbers.
    pub row: HouseholdRow,
    /// Not visited yet this month.
    pub left: bool,
    /// Its follow-up day has come.
    pub overdue: bool,
}

/// The households of one hamlet of one village, in walking order.
#[derive(Clone, Debug)]
pub struct RoundGroup {
    /// The village's name.
    pub village: String,
    /// The hamlet as written (may be empty).
    pub hamlet: String,
    /// Its households.
    pub stops: Vec<RoundStop>,
}

/// One page of a member's round.
#[derive(Clone, Debug)]
pub struct RoundView {
    /// This page, by village and hamlet.
    pub groups: Vec<RoundGroup>,
    /// Households assigned to the member.
    pub assigned: usize,
    /// Of them, not visited yet this month.
    pub left: usize,
    /// Households the filter keeps.
    pub matching: usize,
    /// Of them, not visited yet this month.
    pub matching_left: usize,
    /// This page (from 1) and the number of pages.
    pub page: usize,
    /// Pages.
    pub pages: usize,
    /// The villages of the round (id, name), for the filter.
    pub villages: Vec<(Uuid, String)>,
    /// The alleys of the round (of the chosen village), for the filter.
    pub alleys: Vec<String>,
    /// The first day of the month counted as "this round".
    pub since: Date,
}

/// A household in walking order, with the name of its village.
pub(crate) struct Placed {
    pub(crate) village: String,
    pub(crate) row: HouseholdRow,
}

/// The first day of this month: visits since then count for this round.
pub fn round_start(today: Date) -> Date {
    today.replace_day(1).unwrap_or(today)
}

/// Sorts rows in walking order, naming their villages; rows the actor may not read are left
/// out, and personal numbers are dropped.
pub(crate) async fn in_walking_order(
    db: &Db,
    actor: &Actor,
    rows: Vec<HouseholdRow>,
) -> AppResult<Vec<Placed>> {
    let mut villages: BTreeMap<Uuid, Option<String>> = BTreeMap::new();
    for id in rows.iter().map(|r| r.unit_id).collect::<BTreeSet<_>>() {
        let name = if policy::allows(db, actor, Permission::ReadPeople, id).await? {
            unit_store::get(db, id).await?.map(|u| u.name)
        } else {
            None
        };
        villages.insert(id, name);
    }
    let mut placed: Vec<(NaturalKey, Uuid, RoundPlace, Placed)> = rows
        .into_iter()
        .filter_map(|mut row| {
            let village = villages.get(&row.unit_id).cloned().flatten()?;
            row.representative_phone = None;
            row.citizen_id = None;
            let place = RoundPlace::new(&row.hamlet, &row.alley, &row.house_number, &row.code);
            Some((
                NaturalKey::of(&village),
                row.unit_id,
                place,
                Placed { village, row },
            ))
        })
        .collect();
    placed.sort_by(|a, b| (&a.0, a.1, &a.2).cmp(&(&b.0, b.1, &b.2)));
    Ok(placed.into_iter().map(|(_, _, _, p)| p).collect())
}

fn is_left(row: &HouseholdRow, since: Date) -> bool {
    row.last_visit_on.is_none_or(|d| d < since)
}

fn is_overdue(row: &HouseholdRow, today: Date) -> bool {
    row.follow_up_on.is_some_and(|d| d <= today)
}

/// The signed-in member's round, one page of it.
pub async fn round_page(db: &Db, actor: &Actor, filter: &RoundFilter) -> AppResult<RoundView> {
    let user = actor.user_id.ok_or(AppError::Forbidden)?;
    let (today, since) = (today(), round_start(today()));
    let all = in_walking_order(db, actor, store::assigned_households(db, user).await?).await?;
    let mut villages: Vec<(Uuid, String)> = Vec::new();
    let mut alleys: Vec<String> = Vec::new();
    for p in &all {
        if !villages.iter().any(|(id, _)| *id == p.row.unit_id) {
            villages.push((p.row.unit_id, p.village.clone()));
        }
        let in_village = filter.village.is_none_or(|v| v == p.row.unit_id);
        if in_village && !p.row.alley.is_empty() && !alleys.contains(&p.row.alley) {
            alleys.push(p.row.alley.clone());
        }
    }
    alleys.sort_by_key(|a| NaturalKey::of(a));
    let assigned = all.len();
    let left = all.iter().filter(|p| is_left(&p.row, since)).count();
    let kept: Vec<Placed> = all
        .into_iter()
        .filter(|p| filter.village.is_none_or(|v| v == p.row.unit_id))
        .filter(|p| filter.alley.as_ref().is_none_or(|a| *a == p.row.alley))
        .filter(|p| !filter.overdue || is_overdue(&p.row, today))
        .collect();
    let matching = kept.len();
    let matching_left = kept.iter().filter(|p| is_left(&p.row, since)).count();
    let pages = matching.div_ceil(ROUND_PAGE).max(1);
    let page = filter.page.clamp(1, pages);
    let mut groups: Vec<RoundGroup> = Vec::new();
    for p in kept
        .into_iter()
        .skip((page - 1) * ROUND_PAGE)
        .take(ROUND_PAGE)
    {
        let stop = RoundStop {
            left: is_left(&p.row, since),
            overdue: is_overdue(&p.row, today),
            row: p.row,
        };
        match groups.last_mut() {
            Some(g) if g.village == p.village && g.hamlet == stop.row.hamlet => g.stops.push(stop),
            _ => groups.push(RoundGroup {
                village: p.village,
                hamlet: stop.row.hamlet.clone(),
                stops: vec![stop],
            }),
        }
    }
    Ok(RoundView {
        groups,
        assigned,
        left,
        matching,
        matching_left,
        page,
        pages,
        villages,
        alleys,
        since,
    })
}

/// The household to visit after `after` on the actor's round: the next one in walking order
/// not visited yet this month, going round to the start; `None` when all are done.
pub async fn next_in_round(db: &Db, actor: &Actor, after: Uuid) -> AppResult<Option<HouseholdRow>> {
    let Some(user) = actor.user_id else {
        return Ok(None);
    };
    let since = round_start(today());
    let all = in_walking_order(db, actor, store::assigned_households(db, user).await?).await?;
    let start = all
        .iter()
        .position(|p| p.row.id == after)
        .map_or(0, |i| i + 1);
    Ok(all[start..]
        .iter()
        .chain(all[..start].iter())
        .find(|p| p.row.id != after && is_left(&p.row, since))
        .map(|p| p.row.clone()))
}

/// The households of one alley on a printed sheet.
#[derive(Clone, Debug)]
pub struct SheetAlley {
    /// The village's name.
    pub village: String,
    /// The alley as written (may be empty).
    pub alley: String,
    /// Its households in walking order.
    pub rows: Vec<HouseholdRow>,
}

/// A printed round: the households of `unit` (any unit the actor reads people in; 404
/// outside) or, without one, the actor's own round; optionally one alley; one list per alley.
pub async fn round_sheet(
    db: &Db,
    actor: &Actor,
    unit: Option<Uuid>,
    alley: Option<&str>,
) -> AppResult<Vec<SheetAlley>> {
    let rows = match unit {
        Some(unit) => {
            policy::require(db, actor, Permission::ReadPeople, unit).await?;
            store::households_under(db, unit, today(), alley).await?
        }
        None => {
            let user = actor.user_id.ok_or(AppError::Forbidden)?;
            let mut rows = store::assigned_households(db, user).await?;
            rows.retain(|r| alley.is_none_or(|a| a == r.alley));
            rows
        }
    };
    if rows.len() > SHEET_MAX {
        return Err(AppError::refused_key(
            "round-sheet-too-large",
            &[("count", &rows.len()), ("limit", &SHEET_MAX)],
        ));
    }
    let mut placed = in_walking_order(db, actor, rows).await?;
    // One list per alley: within a village, alleys in natural order, then walking order.
    placed.sort_by_cached_key(|p| {
        (
            NaturalKey::of(&p.village),
            p.row.unit_id,
            NaturalKey::of(&p.row.alley),
        )
    });
    let mut sheets: Vec<SheetAlley> = Vec::new();
    for p in placed {
        match sheets.last_mut() {
            Some(s)
                if s.village == p.village
                    && NaturalKey::of(&s.alley) == NaturalKey::of(&p.row.alley) =>
            {
                s.rows.push(p.row)
            }
            _ => sheets.push(SheetAlley {
                village: p.village,
                alley: p.row.alley.clone(),
                rows: vec![p.row],
            }),
        }
    }
    Ok(sheets)
}
