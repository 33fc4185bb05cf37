//! Village groups and their members (one representative per household).

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// A group as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct GroupRow {
    /// Id.
    pub id: Uuid,
    /// The unit whose households it gathers (usually a village).
    pub unit_id: Uuid,
    /// zalo, facebook, telegram or other.
    pub platform: String,
    /// Its name in the app.
    pub name: String,
    /// Invitation link or group id.
    pub link: String,
    /// Who administers it (names, as the team writes them).
    pub admins: String,
    /// Households in it (kept with each membership change).
    pub members: i64,
    /// Created.
    pub created_at: OffsetDateTime,
}

/// A household in a group, as a roster shows it (the representative's name comes from the
/// household, so an erased household shows as erased).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberRow {
    /// Household id.
    pub household_id: Uuid,
    /// Household code.
    pub code: String,
    /// Its village.
    pub unit_id: Uuid,
    /// Representative.
    pub representative_name: String,
    /// Alley.
    pub alley: String,
    /// House number.
    pub house_number: String,
    /// Anonymised.
    pub erased: bool,
}

/// Adds a group.
pub async fn insert_group(tx: &mut Tx, row: &GroupRow) -> StoreResult<()> {
    let sql = "INSERT INTO comm_groups (id, unit_id, platform, name, link, admins, members, \
               created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.unit_id).bind(&row.platform)
        .bind(&row.name).bind(&row.link).bind(&row.admins).bind(row.members).bind(row.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Adds many groups at once (the demo).
pub async fn insert_groups(tx: &mut Tx, rows: &[GroupRow]) -> StoreResult<()> {
    for row in rows {
        insert_group(tx, row).await?;
    }
    Ok(())
}

const GROUP_COLS: &str =
    "g.id, g.unit_id, g.platform, g.name, g.link, g.admins, g.members, g.created_at";

/// A group by id (the caller checks scope on its unit).
pub async fn get_group(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<GroupRow>> {
    let sql = format!("SELECT {GROUP_COLS} FROM comm_groups g WHERE g.id = $1");
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(e).await)?,
    )
}

/// Groups whose unit lies under `root` on `date`, by unit and name.
pub async fn list_groups(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
) -> StoreResult<Vec<GroupRow>> {
    let sql = format!(
        "SELECT {GROUP_COLS} FROM comm_groups g JOIN unit_closure c ON c.descendant_id = g.unit_id \
         WHERE c.ancestor_id = $1 AND {} ORDER BY g.unit_id, g.name",
        covers!("c", "$2")
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(root).bind(date).fetch_all(e).await)?,
    )
}

/// The groups a household is in.
pub async fn groups_of_household(
    ex: impl Into<Exec<'_>>,
    household: Uuid,
) -> StoreResult<Vec<GroupRow>> {
    let sql = format!(
        "SELECT {GROUP_COLS} FROM comm_groups g JOIN comm_group_members m ON m.group_id = g.id \
         WHERE m.household_id = $1 ORDER BY g.name"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(household).fetch_all(e).await)?,
    )
}

/// Adds a household to a group; false when it was already in it (nothing changes then).
pub async fn add_member(
    tx: &mut Tx,
    group: Uuid,
    household: Uuid,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let sql = "INSERT INTO comm_group_members (group_id, household_id, added_at) VALUES ($1, $2, $3) \
               ON CONFLICT (group_id, household_id) DO NOTHING";
    let added = on_tx!(tx, c => sqlx::query(sql).bind(group).bind(household).bind(at)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    if added > 0 {
        bump_members(tx, group, 1).await?;
    }
    Ok(added > 0)
}

/// Takes a household out of a group; false when it was not in it.
pub async fn remove_member(tx: &mut Tx, group: Uuid, household: Uuid) -> StoreResult<bool> {
    let sql = "DELETE FROM comm_group_members WHERE group_id = $1 AND household_id = $2";
    let removed = on_tx!(tx, c => sqlx::query(sql).bind(group).bind(household)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    if removed > 0 {
        bump_members(tx, group, -1).await?;
    }
    Ok(removed > 0)
}

async fn bump_members(tx: &mut Tx, group: Uuid, delta: i64) -> StoreResult<()> {
    let sql = "UPDATE comm_groups SET members = members + $2 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(group).bind(delta).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Inserts memberships in bulk without checks (the demo: the caller keeps the counters).
pub async fn insert_members(
    tx: &mut Tx,
    rows: &[(Uuid, Uuid)],
    at: OffsetDateTime,
) -> StoreResult<()> {
    for chunk in rows.chunks(300) {
        let mut sql = String::from(
            "INSERT INTO comm_group_members (group_id, household_id, added_at) VALUES ",
        );
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3));
        }
        on_tx!(tx, c => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for (group, household) in chunk {
                query = query.bind(*group).bind(*household).bind(at);
            }
            query.execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Sets a group's member count (the demo, after a bulk insert).
pub async fn set_members(tx: &mut Tx, group: Uuid, members: i64) -> StoreResult<()> {
    let sql = "UPDATE comm_groups SET members = $2 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(group).bind(members).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// In how many groups a household is.
pub async fn membership_count(ex: impl Into<Exec<'_>>, household: Uuid) -> StoreResult<i64> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM comm_group_members WHERE household_id = $1";
    let (n,): (i64,) =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(household).fetch_one(e).await)?;
    Ok(n)
}

/// The roster of a group.
pub async fn members_of(ex: impl Into<Exec<'_>>, group: Uuid) -> StoreResult<Vec<MemberRow>> {
    let sql = "SELECT h.id AS household_id, h.code, h.unit_id, h.representative_name, h.alley, \
               h.house_number, h.erased FROM comm_group_members m \
               JOIN households h ON h.id = m.household_id WHERE m.group_id = $1 \
               ORDER BY h.alley, h.house_number, h.code";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(group).fetch_all(e).await)?)
}

/// Households under `root` that are in no group (erased ones left out: nobody can follow
/// them up), by village, alley and house number.
pub async fn uncovered(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<MemberRow>> {
    let sql = format!(
        "SELECT h.id AS household_id, h.code, h.unit_id, h.representative_name, h.alley, \
         h.house_number, h.erased FROM households h JOIN unit_closure c ON c.descendant_id = h.unit_id \
         WHERE c.ancestor_id = $1 AND {} AND NOT h.erased AND NOT EXISTS \
         (SELECT 1 FROM comm_group_members m WHERE m.household_id = h.id) \
         ORDER BY h.unit_id, h.alley, h.house_number, h.code LIMIT $3 OFFSET $4",
        covers!("c", "$2")
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(root).bind(date).bind(limit).bind(offset).fetch_all(e).await)?,
    )
}

/// Coverage of one village, read from the counters.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CoverageRow {
    /// The village.
    pub unit_id: Uuid,
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Households (counter `households`).
    pub households: i64,
    /// Households with at least one membership (counter `group:households`).
    pub covered: i64,
    /// Groups whose unit is the village (counter `group:count`).
    pub groups: i64,
}

/// Coverage of every unit under `root` that holds households, from `unit_counters` (one row
/// per village: no scan of households).
pub async fn coverage(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
) -> StoreResult<Vec<CoverageRow>> {
    let sql = format!(
        "SELECT u.id AS unit_id, u.code, u.name, h.value AS households, \
         COALESCE(g.value, 0) AS covered, COALESCE(n.value, 0) AS groups \
         FROM unit_closure c JOIN units u ON u.id = c.descendant_id \
         JOIN unit_counters h ON h.unit_id = u.id AND h.key = 'households' \
         LEFT JOIN unit_counters g ON g.unit_id = u.id AND g.key = 'group:households' \
         LEFT JOIN unit_counters n ON n.unit_id = u.id AND n.key = 'group:count' \
         WHERE c.ancestor_id = $1 AND {} ORDER BY u.code",
        covers!("c", "$2")
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(root).bind(date).fetch_all(e).await)?,
    )
}

/// Groups and memberships under `root`: the reach of an announcement there.
pub async fn reach_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
) -> StoreResult<(i64, i64)> {
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(g.members), 0) AS BIGINT) \
         FROM comm_groups g JOIN unit_closure c ON c.descendant_id = g.unit_id \
         WHERE c.ancestor_id = $1 AND {}",
        covers!("c", "$2")
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(root).bind(date).fetch_one(e).await)?,
    )
}
