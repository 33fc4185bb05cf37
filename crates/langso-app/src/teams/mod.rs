//! Digital teams (Tổ CNSCĐ), their members, and trainings and outreach events.
//!
//! Creating a team, adding a member or recording an event needs `ManageProgramme` on the
//! unit; every write moves the unit's roll-up counters (`team:count`, `team:commune` /
//! `team:village`, `team:members`, `outreach:<kind>`, `outreach:attendance`) and records its
//! audit entry in the same transaction, so dashboards never count teams by scanning them.
//! Member lists are people's data (`ReadPeople`); phones are masked without the PII right.

use langso_domain::auth::{Permission, mask_personal};
use langso_domain::households::normalise_phone;
use langso_domain::teams::{
    Affiliation, MemberRole, OutreachKind, TeamLevel, check_attendance, outreach_key, required_text,
};
use langso_domain::units::Level;
use langso_store::households::add_counter;
use langso_store::teams as store;
pub use langso_store::teams::{MemberRow, OutreachRow, TeamRow};
use langso_store::units as unit_store;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db, today};

/// A team to set up.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct TeamInput {
    /// The commune or village-level unit.
    pub unit_id: Uuid,
    /// Its name (default "Tổ công nghệ số cộng đồng <unit>").
    #[serde(default)]
    pub name: String,
    /// The commune's decision number ("125/QĐ-UBND").
    pub decision_number: String,
    /// The decision's date.
    pub decision_date: Date,
}

/// A member to add.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct MemberInput {
    /// Full name.
    pub full_name: String,
    /// `leader`, `deputy`, `member`.
    pub role: String,
    /// `youth_union`, `womens_union`, `party_cell`, `police`, `teacher`, `other`.
    pub affiliation: String,
    /// Contact phone (optional).
    #[serde(default)]
    pub phone: String,
    /// Joined on (default today).
    pub joined_on: Option<Date>,
}

/// A training or outreach event to record.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct OutreachInput {
    /// The unit that held it.
    pub unit_id: Uuid,
    /// `training`, `conference`, `billboard`, `loudspeaker`.
    pub kind: String,
    /// The day.
    pub held_on: Date,
    /// The topic.
    pub topic: String,
    /// People reached.
    #[serde(default)]
    pub attendance: i64,
    /// Show it on the village's public feed.
    #[serde(default)]
    pub public: bool,
}

/// A team with its member count, for lists.
#[derive(Clone, Debug)]
pub struct TeamSummary {
    /// The team.
    pub team: TeamRow,
    /// Current members.
    pub members: i64,
    /// Its unit's name.
    pub unit_name: String,
}

/// A team and its members (phones masked unless the actor holds the PII right).
#[derive(Clone, Debug)]
pub struct TeamView {
    /// The team.
    pub team: TeamRow,
    /// Its unit's name.
    pub unit_name: String,
    /// Members, leaders first.
    pub members: Vec<MemberRow>,
    /// Whether phones are masked.
    pub masked: bool,
}

fn field<T, E: Into<crate::Message>>(
    problems: &mut Vec<CellError>,
    name: &str,
    result: Result<T, E>,
) -> Option<T> {
    result
        .map_err(|e| problems.push(CellError::from_message(0, name, e.into())))
        .ok()
}

/// Sets up a unit's team. One team per unit; the unit must be a commune or a village-level
/// unit in force on the decision's date.
pub async fn create_team(db: &Db, actor: &Actor, input: &TeamInput) -> AppResult<TeamRow> {
    let unit = unit_store::get(db, input.unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ManageProgramme, unit.id).await?;
    let mut problems = Vec::new();
    let level = match unit.kind.level() {
        Level::Commune => Some(TeamLevel::Commune),
        Level::Village => Some(TeamLevel::Village),
        _ => {
            problems.push(CellError::keyed(0, "unit_id", "teams-unit-level", &[]));
            None
        }
    };
    // A team decided in 2022 for a commune merged in 2025 is still its history: the unit
    // must exist on the decision's date, not necessarily today.
    if !unit.validity.contains(input.decision_date) {
        problems.push(CellError::keyed(
            0,
            "unit_id",
            "teams-unit-not-in-force",
            &[],
        ));
    }
    let name = if input.name.trim().is_empty() {
        format!("Tổ công nghệ số cộng đồng {}", unit.name)
    } else {
        input.name.clone()
    };
    let name = field(&mut problems, "name", required_text(&name, 200));
    let decision = field(
        &mut problems,
        "decision_number",
        required_text(&input.decision_number, 60),
    );
    if input.decision_date > today() || input.decision_date.year() < 2000 {
        problems.push(CellError::keyed(
            0,
            "decision_date",
            "teams-decision-date-invalid",
            &[],
        ));
    }
    let mut tx = db.begin().await?;
    if store::team_of_unit(&mut tx, unit.id).await?.is_some() {
        problems.push(CellError::keyed(0, "unit_id", "teams-unit-has-team", &[]));
    }
    let (Some(level), Some(name), Some(decision_number)) = (level, name, decision) else {
        return Err(AppError::Invalid(problems));
    };
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let team = TeamRow {
        id: Uuid::now_v7(),
        unit_id: unit.id,
        level: level.as_str().to_owned(),
        name,
        decision_number,
        decision_date: input.decision_date,
        created_at: OffsetDateTime::now_utc(),
    };
    store::insert_team(&mut tx, &team).await?;
    add_counter(&mut tx, unit.id, "team:count", 1).await?;
    add_counter(&mut tx, unit.id, &format!("team:{}", level.as_str()), 1).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "team.create",
            target_type: "team",
            target_id: team.id.to_string(),
            unit_id: Some(unit.id),
            summary: format!(
                "{} ({}, {} {})",
                team.name, team.level, team.decision_number, team.decision_date
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(team)
}

/// Adds a member to a team.
pub async fn add_member(
    db: &Db,
    actor: &Actor,
    team_id: Uuid,
    input: &MemberInput,
) -> AppResult<MemberRow> {
    let team = store::get_team(db, team_id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ManageProgramme, team.unit_id).await?;
    let mut problems = Vec::new();
    let full_name = field(
        &mut problems,
        "full_name",
        required_text(&input.full_name, 120),
    );
    let role = field(&mut problems, "role", MemberRole::parse(&input.role));
    let affiliation = field(
        &mut problems,
        "affiliation",
        Affiliation::parse(&input.affiliation),
    );
    let phone = if input.phone.trim().is_empty() {
        Some(None)
    } else {
        field(&mut problems, "phone", normalise_phone(&input.phone)).map(Some)
    };
    let joined_on = input.joined_on.unwrap_or_else(today);
    if joined_on > today() {
        problems.push(CellError::keyed(
            0,
            "joined_on",
            "teams-joined-on-invalid",
            &[],
        ));
    }
    let (Some(full_name), Some(role), Some(affiliation), Some(phone)) =
        (full_name, role, affiliation, phone)
    else {
        return Err(AppError::Invalid(problems));
    };
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let member = MemberRow {
        id: Uuid::now_v7(),
        team_id: team.id,
        unit_id: team.unit_id,
        full_name,
        role: role.as_str().to_owned(),
        affiliation: affiliation.as_str().to_owned(),
        phone,
        joined_on,
        left_on: None,
        created_at: OffsetDateTime::now_utc(),
    };
    let mut tx = db.begin().await?;
    store::insert_member(&mut tx, &member).await?;
    add_counter(&mut tx, team.unit_id, "team:members", 1).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "team.member_add",
            target_type: "team",
            target_id: team.id.to_string(),
            unit_id: Some(team.unit_id),
            summary: format!(
                "{} ({}, {}, {})",
                member.full_name,
                member.role,
                member.affiliation,
                member
                    .phone
                    .as_deref()
                    .map(mask_personal)
                    .unwrap_or_default()
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(masked_member(member, actor))
}

fn masked_member(mut member: MemberRow, actor: &Actor) -> MemberRow {
    if !actor.pii {
        member.phone = member.phone.as_deref().map(mask_personal);
    }
    member
}

/// Teams at or under a unit, with member counts (figures, not people: `ReadDashboard`).
pub async fn list_teams(db: &Db, actor: &Actor, unit: Uuid) -> AppResult<Vec<TeamSummary>> {
    policy::require(db, actor, Permission::ReadDashboard, unit).await?;
    let rows = store::teams_under(db, unit, today()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (team, members) in rows {
        let unit_name = unit_store::get(db, team.unit_id)
            .await?
            .map(|u| u.name)
            .unwrap_or_default();
        out.push(TeamSummary {
            team,
            members,
            unit_name,
        });
    }
    Ok(out)
}

/// One team with its members (`ReadPeople` on its unit).
pub async fn team(db: &Db, actor: &Actor, team_id: Uuid) -> AppResult<TeamView> {
    let team = store::get_team(db, team_id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadPeople, team.unit_id).await?;
    let members: Vec<MemberRow> = store::members_of(db, team.id)
        .await?
        .into_iter()
        .map(|m| masked_member(m, actor))
        .collect();
    audit_unmasked_members(db, actor, &team, &members).await?;
    let unit_name = unit_store::get(db, team.unit_id)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    Ok(TeamView {
        team,
        unit_name,
        members,
        masked: !actor.pii,
    })
}

/// Records in the audit log a member list shown with phones unmasked, as a household list is:
/// one entry per list, naming the members whose numbers were shown.
async fn audit_unmasked_members(
    db: &Db,
    actor: &Actor,
    team: &TeamRow,
    members: &[MemberRow],
) -> AppResult<()> {
    if !actor.pii || actor.is_system() {
        return Ok(());
    }
    let shown: Vec<&str> = members
        .iter()
        .filter(|m| m.phone.is_some())
        .map(|m| m.full_name.as_str())
        .collect();
    if shown.is_empty() {
        return Ok(());
    }
    audit::record_alone(
        db,
        actor,
        Change {
            action: "team.members_unmasked",
            target_type: "team",
            target_id: team.id.to_string(),
            unit_id: Some(team.unit_id),
            summary: shown.join(", "),
        },
    )
    .await
}

/// Records a training or outreach event.
pub async fn record_outreach(
    db: &Db,
    actor: &Actor,
    input: &OutreachInput,
) -> AppResult<OutreachRow> {
    let unit = unit_store::get(db, input.unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ManageProgramme, unit.id).await?;
    let mut problems = Vec::new();
    let kind = field(&mut problems, "kind", OutreachKind::parse(&input.kind));
    let topic = field(&mut problems, "topic", required_text(&input.topic, 300));
    let attendance = field(
        &mut problems,
        "attendance",
        check_attendance(input.attendance),
    );
    if input.held_on > today() || input.held_on.year() < 2000 {
        problems.push(CellError::keyed(0, "held_on", "teams-date-invalid", &[]));
    }
    let (Some(kind), Some(topic), Some(attendance)) = (kind, topic, attendance) else {
        return Err(AppError::Invalid(problems));
    };
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let event = OutreachRow {
        id: Uuid::now_v7(),
        unit_id: unit.id,
        kind: kind.as_str().to_owned(),
        held_on: input.held_on,
        topic,
        attendance,
        public: input.public,
        created_at: OffsetDateTime::now_utc(),
    };
    let mut tx = db.begin().await?;
    store::insert_outreach(&mut tx, &event).await?;
    add_counter(&mut tx, unit.id, &outreach_key(kind), 1).await?;
    add_counter(&mut tx, unit.id, "outreach:attendance", attendance).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "outreach.record",
            target_type: "outreach",
            target_id: event.id.to_string(),
            unit_id: Some(unit.id),
            summary: format!(
                "{} {} \"{}\" ({} người)",
                event.kind, event.held_on, event.topic, event.attendance
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}

/// Outreach events at or under a unit between two days (inclusive), newest first.
pub async fn list_outreach(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    from: Date,
    to: Date,
) -> AppResult<Vec<OutreachRow>> {
    policy::require(db, actor, Permission::ReadDashboard, unit).await?;
    Ok(store::outreach_under(db, unit, today(), from, to).await?)
}
