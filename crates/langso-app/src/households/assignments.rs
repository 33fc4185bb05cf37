//! Bulk assignment of households to team members, from the browser: a whole alley of a
//! village, or the households ticked on a list. The same rule and audit entry as assigning one
//! household ([`super::assign`]): the actor writes people's data on the unit (outside it: 404),
//! the member holds a role that visits each household's village, and every household changed
//! gets its `household.assign` entry, all in one transaction.

use std::collections::{BTreeMap, BTreeSet};

use langso_domain::auth::Permission;
use langso_domain::households::round::NaturalKey;
use langso_store::auth as auth_store;
use langso_store::households::{self as store, HouseholdRow};
use langso_store::units as unit_store;
use uuid::Uuid;

use super::round::{ROUND_PAGE, in_walking_order};
use super::visits::visits_in;
use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db, today};

/// The most households one request assigns (a large village's alley fits many times over).
pub const MAX_BULK: usize = 2000;

/// A team member who may be given households in a unit.
#[derive(Clone, Debug)]
pub struct Assignee {
    /// The user.
    pub id: Uuid,
    /// Their name as shown.
    pub name: String,
}

/// A household on the assignment list, with who has it now.
#[derive(Clone, Debug)]
pub struct AssignRow {
    /// The household, without personal numbers.
    pub row: HouseholdRow,
    /// The village's name.
    pub village: String,
    /// The member it is assigned to, by name.
    pub assignee: Option<String>,
}

/// One page of a unit's households for assigning.
#[derive(Clone, Debug)]
pub struct AssignView {
    /// The households of this page, in walking order.
    pub rows: Vec<AssignRow>,
    /// Households listed (all pages).
    pub total: usize,
    /// This page (from 1).
    pub page: usize,
    /// Pages.
    pub pages: usize,
    /// The unit's alleys, in natural order.
    pub alleys: Vec<String>,
    /// Who may be given them.
    pub members: Vec<Assignee>,
}

/// The users who hold a role that visits households in or under `unit` (enabled ones).
async fn assignees(db: &Db, unit: Uuid) -> AppResult<Vec<Assignee>> {
    let users: BTreeMap<Uuid, String> = auth_store::list_users(db)
        .await?
        .into_iter()
        .filter(|u| !u.disabled)
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut chosen = BTreeSet::new();
    for grant in auth_store::all_grants(db).await? {
        let role = langso_domain::auth::Role::parse(&grant.role).ok();
        if !users.contains_key(&grant.user_id)
            || !role.is_some_and(|r| r.allows(Permission::WritePeople))
            || chosen.contains(&grant.user_id)
        {
            continue;
        }
        if grant.unit_id == unit
            || unit_store::is_within(db, unit, grant.unit_id, today()).await?
            || unit_store::is_within(db, grant.unit_id, unit, today()).await?
        {
            chosen.insert(grant.user_id);
        }
    }
    let mut out: Vec<Assignee> = chosen
        .into_iter()
        .filter_map(|id| {
            users.get(&id).map(|name| Assignee {
                id,
                name: name.clone(),
            })
        })
        .collect();
    out.sort_by_cached_key(|a| NaturalKey::of(&a.name));
    Ok(out)
}

/// The households of `unit` (optionally one alley) to assign, a page at a time; 404 outside
/// the units where the actor writes people's data.
pub async fn assignment_list(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    alley: Option<&str>,
    page: usize,
) -> AppResult<AssignView> {
    policy::require(db, actor, Permission::WritePeople, unit).await?;
    let members = assignees(db, unit).await?;
    let all = store::households_under(db, unit, today(), None).await?;
    let mut alleys: Vec<String> = all
        .iter()
        .map(|r| r.alley.clone())
        .filter(|a| !a.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    alleys.sort_by_cached_key(|a| NaturalKey::of(a));
    let kept: Vec<HouseholdRow> = all
        .into_iter()
        .filter(|r| alley.is_none_or(|a| a == r.alley))
        .collect();
    let placed = in_walking_order(db, actor, kept).await?;
    let total = placed.len();
    let pages = total.div_ceil(ROUND_PAGE).max(1);
    let page = page.clamp(1, pages);
    let mut names: BTreeMap<Uuid, String> =
        members.iter().map(|m| (m.id, m.name.clone())).collect();
    let mut rows = Vec::new();
    for p in placed
        .into_iter()
        .skip((page - 1) * ROUND_PAGE)
        .take(ROUND_PAGE)
    {
        let assignee = match p.row.assigned_to {
            Some(id) if !names.contains_key(&id) => {
                let name = auth_store::get_user(db, id).await?.map(|u| u.display_name);
                names.insert(id, name.clone().unwrap_or_default());
                name
            }
            Some(id) => names.get(&id).cloned(),
            None => None,
        };
        rows.push(AssignRow {
            row: p.row,
            village: p.village,
            assignee,
        });
    }
    Ok(AssignView {
        rows,
        total,
        page,
        pages,
        alleys,
        members,
    })
}

/// Assigns the households `ids` (all in or under `unit`) to `user`, or to nobody; answers
/// how many were assigned.
pub async fn assign_households(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    ids: &[Uuid],
    user: Option<Uuid>,
) -> AppResult<usize> {
    policy::require(db, actor, Permission::WritePeople, unit).await?;
    if ids.is_empty() {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "household",
            "round-assign-none",
            &[],
        )]));
    }
    if ids.len() > MAX_BULK {
        return Err(AppError::refused_key(
            "round-assign-too-many",
            &[("count", &ids.len()), ("limit", &MAX_BULK)],
        ));
    }
    let mut rows = Vec::with_capacity(ids.len());
    let mut checked: BTreeMap<Uuid, bool> = BTreeMap::new();
    for id in ids.iter().collect::<BTreeSet<_>>() {
        let row = store::get_household(db, *id)
            .await?
            .filter(|r| !r.erased)
            .ok_or(AppError::NotFound)?;
        let visits = match checked.get(&row.unit_id) {
            Some(visits) => *visits,
            None => {
                let inside = row.unit_id == unit
                    || unit_store::is_within(db, row.unit_id, unit, today()).await?;
                if !inside {
                    return Err(AppError::NotFound);
                }
                let visits = match user {
                    Some(user) => visits_in(db, user, row.unit_id).await?,
                    None => true,
                };
                checked.insert(row.unit_id, visits);
                visits
            }
        };
        if !visits {
            return Err(AppError::Invalid(vec![CellError::keyed(
                0,
                "user",
                "households-visitor-not-in-village",
                &[],
            )]));
        }
        rows.push(row);
    }
    write(db, actor, &rows, user).await?;
    Ok(rows.len())
}

/// Assigns every household of `alley` in `village` to `user` (or to nobody).
pub async fn assign_alley(
    db: &Db,
    actor: &Actor,
    village: Uuid,
    alley: &str,
    user: Option<Uuid>,
) -> AppResult<usize> {
    policy::require(db, actor, Permission::WritePeople, village).await?;
    let ids: Vec<Uuid> = store::households_under(db, village, today(), Some(alley))
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    if ids.is_empty() {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "alley",
            "round-assign-alley-empty",
            &[],
        )]));
    }
    assign_households(db, actor, village, &ids, user).await
}

/// Writes the assignments and their audit entries in one transaction.
async fn write(db: &Db, actor: &Actor, rows: &[HouseholdRow], user: Option<Uuid>) -> AppResult<()> {
    let mut tx = db.begin().await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    store::assign_many(&mut tx, &ids, user).await?;
    for row in rows {
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "household.assign",
                target_type: "household",
                target_id: row.code.clone(),
                unit_id: Some(row.unit_id),
                summary: format!("assigned_to: {:?} → {:?}", row.assigned_to, user),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
