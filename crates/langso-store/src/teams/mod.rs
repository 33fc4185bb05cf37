//! Digital teams, their members and outreach events. Scoped reads take a unit and return only
//! rows under it (through `unit_closure` on a date).

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// A team as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TeamRow {
    /// Id.
    pub id: Uuid,
    /// The commune or village it works in (one team per unit).
    pub unit_id: Uuid,
    /// `commune` or `village`.
    pub level: String,
    /// Its name.
    pub name: String,
    /// The commune's decision setting it up.
    pub decision_number: String,
    /// That decision's date.
    pub decision_date: Date,
    /// When recorded.
    pub created_at: OffsetDateTime,
}

/// A member as stored (the phone is personal data: mask it before showing).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberRow {
    /// Id.
    pub id: Uuid,
    /// The team.
    pub team_id: Uuid,
    /// The team's unit (for scoping without a join).
    pub unit_id: Uuid,
    /// Full name.
    pub full_name: String,
    /// `leader`, `deputy`, `member`.
    pub role: String,
    /// `youth_union`, `womens_union`, …
    pub affiliation: String,
    /// Contact phone.
    pub phone: Option<String>,
    /// Joined on.
    pub joined_on: Date,
    /// Left on (still a member when absent).
    pub left_on: Option<Date>,
    /// When recorded.
    pub created_at: OffsetDateTime,
}

/// A training or outreach event as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutreachRow {
    /// Id.
    pub id: Uuid,
    /// The unit that held it.
    pub unit_id: Uuid,
    /// `training`, `conference`, `billboard`, `loudspeaker`.
    pub kind: String,
    /// The day.
    pub held_on: Date,
    /// The topic.
    pub topic: String,
    /// People reached.
    pub attendance: i64,
    /// Shown on the village's public feed.
    pub public: bool,
    /// When recorded.
    pub created_at: OffsetDateTime,
}

/// Records a team.
pub async fn insert_team(tx: &mut Tx, t: &TeamRow) -> StoreResult<()> {
    let sql = "INSERT INTO teams (id, unit_id, level, name, decision_number, decision_date, \
               created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    on_tx!(tx, c => sqlx::query(sql).bind(t.id).bind(t.unit_id).bind(&t.level).bind(&t.name)
        .bind(&t.decision_number).bind(t.decision_date).bind(t.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

macro_rules! team_cols {
    () => {
        "t.id, t.unit_id, t.level, t.name, t.decision_number, t.decision_date, t.created_at"
    };
}

/// One team.
pub async fn get_team(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<TeamRow>> {
    let sql = concat!("SELECT ", team_cols!(), " FROM teams t WHERE t.id = $1");
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// The team of a unit, if it has one.
pub async fn team_of_unit(ex: impl Into<Exec<'_>>, unit: Uuid) -> StoreResult<Option<TeamRow>> {
    let sql = concat!(
        "SELECT ",
        team_cols!(),
        " FROM teams t WHERE t.unit_id = $1"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit).fetch_optional(e).await)?)
}

/// Every team at or under `root` on `date`, with its current member count, by name.
pub async fn teams_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
) -> StoreResult<Vec<(TeamRow, i64)>> {
    let sql = concat!(
        "SELECT ",
        team_cols!(),
        ", CAST((SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id \
         AND m.left_on IS NULL) AS BIGINT) AS members FROM teams t JOIN unit_closure c \
         ON c.descendant_id = t.unit_id WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " ORDER BY t.level, t.name"
    );
    #[derive(sqlx::FromRow)]
    struct WithCount {
        #[sqlx(flatten)]
        team: TeamRow,
        members: i64,
    }
    let rows: Vec<WithCount> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).fetch_all(e).await)?;
    Ok(rows.into_iter().map(|r| (r.team, r.members)).collect())
}

/// Whether any team exists at all (criteria about teams are "no data" before the first).
pub async fn any_team(ex: impl Into<Exec<'_>>) -> StoreResult<bool> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 AS one FROM teams LIMIT 1) x";
    let n: i64 = on_exec!(ex.into(), e => sqlx::query_scalar(sql).fetch_one(e).await)?;
    Ok(n > 0)
}

/// Records a member.
pub async fn insert_member(tx: &mut Tx, m: &MemberRow) -> StoreResult<()> {
    let sql = "INSERT INTO team_members (id, team_id, unit_id, full_name, role, affiliation, \
               phone, joined_on, left_on, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    on_tx!(tx, c => sqlx::query(sql).bind(m.id).bind(m.team_id).bind(m.unit_id)
        .bind(&m.full_name).bind(&m.role).bind(&m.affiliation).bind(&m.phone)
        .bind(m.joined_on).bind(m.left_on).bind(m.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Many members at once (the demo), 100 rows per statement.
pub async fn insert_members(tx: &mut Tx, members: &[MemberRow]) -> StoreResult<()> {
    for chunk in members.chunks(100) {
        on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO team_members (id, team_id, unit_id, full_name, role, affiliation, \
                 phone, joined_on, left_on, created_at) ",
            );
            q.push_values(chunk, |mut b, m| {
                b.push_bind(m.id).push_bind(m.team_id).push_bind(m.unit_id)
                    .push_bind(m.full_name.clone()).push_bind(m.role.clone())
                    .push_bind(m.affiliation.clone()).push_bind(m.phone.clone())
                    .push_bind(m.joined_on).push_bind(m.left_on).push_bind(m.created_at);
            });
            q.build().persistent(false).execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// A team's members (current and former), leaders first.
pub async fn members_of(ex: impl Into<Exec<'_>>, team: Uuid) -> StoreResult<Vec<MemberRow>> {
    let sql = "SELECT id, team_id, unit_id, full_name, role, affiliation, phone, joined_on, \
               left_on, created_at FROM team_members WHERE team_id = $1 \
               ORDER BY CASE role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END, full_name";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(team).fetch_all(e).await)?)
}

/// Records an outreach event.
pub async fn insert_outreach(tx: &mut Tx, o: &OutreachRow) -> StoreResult<()> {
    let sql = "INSERT INTO outreach_events (id, unit_id, kind, held_on, topic, attendance, \
               public, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_tx!(tx, c => sqlx::query(sql).bind(o.id).bind(o.unit_id).bind(&o.kind).bind(o.held_on)
        .bind(&o.topic).bind(o.attendance).bind(o.public).bind(o.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Outreach events at or under `root` (tree as of `date`) held between `from` and `to`
/// inclusive, newest first.
pub async fn outreach_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
    from: Date,
    to: Date,
) -> StoreResult<Vec<OutreachRow>> {
    let sql = concat!(
        "SELECT o.id, o.unit_id, o.kind, o.held_on, o.topic, o.attendance, o.public, o.created_at \
         FROM outreach_events o JOIN unit_closure c ON c.descendant_id = o.unit_id \
         WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND o.held_on >= $3 AND o.held_on <= $4 ORDER BY o.held_on DESC, o.id"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).bind(from).bind(to)
        .fetch_all(e).await)?,
    )
}
