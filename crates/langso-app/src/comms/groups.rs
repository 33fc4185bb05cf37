//! Village groups: the roster, memberships (one representative per household, from the
//! household page or in bulk) and coverage. Coverage is kept as counters in `unit_counters`
//! in the membership's own transaction: `group:count` on the group's unit and
//! `group:households` (households with at least one membership) on the household's village.

use langso_domain::auth::Permission;
use langso_domain::comms::Platform;
use langso_domain::units::Level;
use langso_store::comms::{self as store, CoverageRow, GroupRow, MemberRow};
use langso_store::households::{self as household_store, add_counter};
use langso_store::units as unit_store;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db, today};

/// A group as typed in a form or an API call.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct NewGroup {
    /// The unit (usually a village) whose households it gathers.
    pub unit_id: Option<Uuid>,
    /// zalo, facebook, telegram or other.
    pub platform: String,
    /// Name.
    pub name: String,
    /// Invitation link or group id.
    #[serde(default)]
    pub link: String,
    /// Administrators (names).
    #[serde(default)]
    pub admins: String,
}

/// What a bulk membership change did.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct MembershipReport {
    /// Households added.
    pub added: usize,
    /// Already in the group.
    pub already: usize,
}

fn required(field: &str) -> CellError {
    CellError::keyed(0, field, "comms-required", &[])
}

/// Records a group in a unit the actor may write in.
pub async fn create_group(db: &Db, actor: &Actor, input: &NewGroup) -> AppResult<GroupRow> {
    let unit_id = input
        .unit_id
        .ok_or_else(|| AppError::Invalid(vec![required("unit_id")]))?;
    policy::require(db, actor, Permission::WritePeople, unit_id).await?;
    let mut errors = Vec::new();
    let platform = Platform::parse(&input.platform)
        .map_err(|e| errors.push(CellError::from_message(0, "platform", e.message())))
        .ok();
    let name: String = input.name.trim().chars().take(120).collect();
    if name.is_empty() {
        errors.push(required("name"));
    }
    let (Some(platform), true) = (platform, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let row = GroupRow {
        id: Uuid::now_v7(),
        unit_id,
        platform: platform.as_str().to_owned(),
        name,
        link: input.link.trim().chars().take(300).collect(),
        admins: input.admins.trim().chars().take(300).collect(),
        members: 0,
        created_at: OffsetDateTime::now_utc(),
    };
    let mut tx = db.begin().await?;
    store::insert_group(&mut tx, &row).await?;
    add_counter(&mut tx, unit_id, "group:count", 1).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "group.create",
            target_type: "group",
            target_id: row.id.to_string(),
            unit_id: Some(unit_id),
            summary: format!("{} {}", row.platform, row.name),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// A group, for someone who may read figures in its unit.
pub async fn group(db: &Db, actor: &Actor, id: Uuid) -> AppResult<GroupRow> {
    let row = store::get_group(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadDashboard, row.unit_id).await?;
    Ok(row)
}

/// The groups under `unit` (figures only: no people).
pub async fn list_groups(db: &Db, actor: &Actor, unit: Uuid) -> AppResult<Vec<GroupRow>> {
    policy::require(db, actor, Permission::ReadDashboard, unit).await?;
    Ok(store::list_groups(db, unit, today()).await?)
}

/// The roster of a group: its households' representatives (needs the people right).
pub async fn members(db: &Db, actor: &Actor, id: Uuid) -> AppResult<Vec<MemberRow>> {
    let row = store::get_group(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadPeople, row.unit_id).await?;
    Ok(store::members_of(db, id).await?)
}

/// The groups a household is in (for its page).
pub async fn groups_of_household(
    db: &Db,
    actor: &Actor,
    household: Uuid,
) -> AppResult<Vec<GroupRow>> {
    let row = household_store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadPeople, row.unit_id).await?;
    Ok(store::groups_of_household(db, household).await?)
}

/// Adds households to a group in one transaction: each must live under the group's unit and
/// not be erased. A household joining its first group counts once in its village's coverage.
pub async fn add_members(
    db: &Db,
    actor: &Actor,
    group_id: Uuid,
    households: &[Uuid],
) -> AppResult<MembershipReport> {
    let group = store::get_group(db, group_id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::WritePeople, group.unit_id).await?;
    let now = OffsetDateTime::now_utc();
    let mut report = MembershipReport::default();
    let mut errors = Vec::new();
    let mut tx = db.begin().await?;
    for (index, id) in households.iter().enumerate() {
        let Some(row) = household_store::get_household(&mut tx, *id).await? else {
            errors.push(CellError::keyed(
                index + 1,
                "household",
                "comms-not-found",
                &[],
            ));
            continue;
        };
        let inside = row.unit_id == group.unit_id
            || unit_store::is_within(&mut tx, row.unit_id, group.unit_id, today()).await?;
        if !inside {
            errors.push(CellError::keyed(
                index + 1,
                "household",
                "comms-household-outside-group",
                &[("code", &row.code)],
            ));
            continue;
        }
        if row.erased {
            errors.push(CellError::keyed(
                index + 1,
                "household",
                "comms-household-erased",
                &[("code", &row.code)],
            ));
            continue;
        }
        if store::add_member(&mut tx, group_id, row.id, now).await? {
            report.added += 1;
            if store::membership_count(&mut tx, row.id).await? == 1 {
                add_counter(&mut tx, row.unit_id, "group:households", 1).await?;
            }
        } else {
            report.already += 1;
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "group.members.add",
            target_type: "group",
            target_id: group_id.to_string(),
            unit_id: Some(group.unit_id),
            summary: format!("added={} already={}", report.added, report.already),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// Adds households by their codes (one per line, as typed or pasted from a list): codes are
/// looked up in the commune of the group's unit.
pub async fn add_members_by_codes(
    db: &Db,
    actor: &Actor,
    group_id: Uuid,
    codes: &str,
) -> AppResult<MembershipReport> {
    let group = store::get_group(db, group_id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::WritePeople, group.unit_id).await?;
    let mut chain = unit_store::ancestors(db, group.unit_id, today()).await?;
    if let Some(unit) = unit_store::get(db, group.unit_id).await? {
        chain.push(unit);
    }
    let commune = chain
        .iter()
        .rev()
        .find(|u| u.kind.level() == Level::Commune)
        .map(|u| u.id)
        .ok_or_else(|| AppError::refused_key("comms-group-needs-commune", &[]))?;
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for (index, code) in codes
        .split(['\n', ',', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .enumerate()
    {
        match household_store::household_by_code(db, commune, code).await? {
            Some(row) => ids.push(row.id),
            None => errors.push(CellError::keyed(
                index + 1,
                "codes",
                "comms-household-not-found",
                &[("code", &code)],
            )),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    add_members(db, actor, group_id, &ids).await
}

/// Takes a household out of a group; leaving its last group takes it out of its village's
/// coverage.
pub async fn remove_member(
    db: &Db,
    actor: &Actor,
    group_id: Uuid,
    household: Uuid,
) -> AppResult<()> {
    let group = store::get_group(db, group_id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::WritePeople, group.unit_id).await?;
    let row = household_store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    if !store::remove_member(&mut tx, group_id, household).await? {
        return Err(AppError::NotFound);
    }
    if store::membership_count(&mut tx, household).await? == 0 {
        add_counter(&mut tx, row.unit_id, "group:households", -1).await?;
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "group.members.remove",
            target_type: "group",
            target_id: group_id.to_string(),
            unit_id: Some(group.unit_id),
            summary: format!("household {}", row.code),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Coverage per village under `unit`, from the counters; villages of the same name told
/// apart ("Thôn Hòa Bình (Hồng Hà cũ)").
pub async fn coverage(db: &Db, actor: &Actor, unit: Uuid) -> AppResult<Vec<CoverageRow>> {
    policy::require(db, actor, Permission::ReadDashboard, unit).await?;
    let mut rows = store::coverage(db, unit, today()).await?;
    let labels = crate::units::labels_under(db, unit, today(), 6).await?;
    for row in &mut rows {
        row.name = labels.text_or(row.unit_id, &row.name);
    }
    Ok(rows)
}

/// Households under `unit` in no group, for follow-up (needs the people right).
pub async fn uncovered(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    limit: i64,
) -> AppResult<Vec<MemberRow>> {
    uncovered_page(db, actor, unit, limit, 0).await
}

/// [`uncovered`] a page at a time: `limit` households after the first `offset`, in the same
/// order (village, alley, house number), for a list a phone can hold.
pub async fn uncovered_page(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<MemberRow>> {
    policy::require(db, actor, Permission::ReadPeople, unit).await?;
    Ok(store::uncovered(db, unit, today(), limit.clamp(1, 5000), offset.max(0)).await?)
}

/// Inside a household's move to another village: its coverage mark moves with it, so the
/// `group:households` counters stay equal to the roster.
pub(crate) async fn household_moved(
    tx: &mut langso_store::Tx,
    household: Uuid,
    from: Uuid,
    to: Uuid,
) -> AppResult<()> {
    if from != to && store::membership_count(&mut *tx, household).await? > 0 {
        add_counter(tx, from, "group:households", -1).await?;
        add_counter(tx, to, "group:households", 1).await?;
    }
    Ok(())
}

/// Groups a household could join: those of its village and of the units above it (that the
/// actor may see), less those it is already in.
pub async fn joinable_groups(db: &Db, actor: &Actor, household: Uuid) -> AppResult<Vec<GroupRow>> {
    let row = household_store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadPeople, row.unit_id).await?;
    let joined = store::groups_of_household(db, household).await?;
    let mut units: Vec<Uuid> = unit_store::ancestors(db, row.unit_id, today())
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    units.push(row.unit_id);
    let mut out = Vec::new();
    for unit in units {
        if !policy::allows(db, actor, Permission::ReadPeople, unit).await? {
            continue;
        }
        out.extend(
            store::list_groups(db, unit, today())
                .await?
                .into_iter()
                .filter(|g| g.unit_id == unit && !joined.iter().any(|j| j.id == g.id)),
        );
    }
    Ok(out)
}
