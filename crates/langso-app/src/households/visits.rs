//! Door-to-door visits: the append-only ledger, the household's current values and the
//! village counters, all changed in one transaction; rounds and assignments.

use std::collections::BTreeMap;

use langso_domain::auth::Permission;
use langso_domain::households::HELP_KINDS;
use langso_store::auth as auth_store;
use langso_store::households::{self as store, HouseholdRow, VisitRow};
use langso_store::units as unit_store;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::catalogue::catalogue;
use super::register::masked;
use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db, today};

/// A visit as recorded on a phone.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct VisitInput {
    /// Set by a phone that creates the visit offline, so a retry is recognised.
    pub id: Option<Uuid>,
    /// The day of the visit (default today).
    pub visited_on: Option<Date>,
    /// Observed values by indicator code; indicators not named keep their value.
    #[serde(default)]
    pub values: BTreeMap<String, i64>,
    /// Help given (codes of `HELP_KINDS`).
    #[serde(default)]
    pub help: Vec<String>,
    /// When to come back.
    pub follow_up_on: Option<Date>,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// Records a visit: appends it, sets the household's values, moves the village counters and
/// writes the audit entry, in one transaction. A visit whose id was already recorded changes
/// nothing (the phone retried).
pub async fn record_visit(
    db: &Db,
    actor: &Actor,
    household: Uuid,
    input: &VisitInput,
) -> AppResult<VisitRow> {
    let row = store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::WritePeople, row.unit_id).await?;
    let today = today();
    let visited_on = input.visited_on.unwrap_or(today);
    let mut errors = Vec::new();
    if visited_on > today || visited_on.year() < 2000 {
        errors.push(CellError::new(
            0,
            "visited_on",
            "ngày thăm không hợp lệ / the visit date is not valid",
        ));
    }
    if input.follow_up_on.is_some_and(|f| f < visited_on) {
        errors.push(CellError::new(
            0,
            "follow_up_on",
            "hẹn lại phải sau ngày thăm / the follow-up must come after the visit",
        ));
    }
    let indicators = catalogue(db, visited_on.min(today)).await?;
    for (code, value) in &input.values {
        match indicators.iter().find(|i| &i.code == code) {
            None => errors.push(CellError::new(
                0,
                code,
                "chỉ số không xác định / unknown indicator",
            )),
            Some(i) if i.business_only && !row.business => {
                errors.push(CellError::new(
                    0,
                    code,
                    "chỉ dành cho hộ kinh doanh / only for business households",
                ));
            }
            Some(i) => {
                if let Err(e) = i.kind.check(*value, row.adults) {
                    errors.push(CellError::new(0, code, e.to_string()));
                }
            }
        }
    }
    for help in &input.help {
        if !HELP_KINDS.iter().any(|(code, _, _)| code == help) {
            errors.push(CellError::new(
                0,
                "help",
                format!("hỗ trợ không xác định / unknown help: {help}"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let visit = VisitRow {
        id: input.id.unwrap_or_else(Uuid::now_v7),
        household_id: row.id,
        unit_id: row.unit_id,
        visited_on,
        visitor_id: actor.user_id,
        visitor_label: actor.label.clone(),
        observed: serde_json::to_string(&input.values).unwrap_or_else(|_| "{}".to_owned()),
        help_given: input.help.join(","),
        follow_up_on: input.follow_up_on,
        notes: input.notes.trim().chars().take(1000).collect(),
        created_at: OffsetDateTime::now_utc(),
    };
    let mut tx = db.begin().await?;
    if !store::insert_visit(&mut tx, &visit).await? {
        return Ok(visit);
    }
    let current: BTreeMap<String, i64> = store::household_values(&mut tx, row.id)
        .await?
        .into_iter()
        .collect();
    let mut changes = Vec::new();
    for (code, value) in &input.values {
        let old = current.get(code).copied().unwrap_or(0);
        if old != *value || !current.contains_key(code) {
            store::set_value(&mut tx, row.id, code, *value).await?;
            store::add_counter(&mut tx, row.unit_id, &format!("ind:{code}"), value - old).await?;
            if old != *value {
                changes.push(format!("{code}: {old} → {value}"));
            }
        }
    }
    count_visit(&mut tx, &row, &visit).await?;
    store::mark_visited(&mut tx, row.id, visited_on, input.follow_up_on).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "household.visit",
            target_type: "household",
            target_id: row.code.clone(),
            unit_id: Some(row.unit_id),
            summary: format!(
                "{visited_on}; {}; help: {}",
                changes.join(", "),
                visit.help_given
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(visit)
}

/// The visit counters: households visited at least once, visits in all, per team member and
/// per month (progress over time).
async fn count_visit(
    tx: &mut langso_store::Tx,
    row: &HouseholdRow,
    visit: &VisitRow,
) -> AppResult<()> {
    if row.last_visit_on.is_none() {
        store::add_counter(tx, row.unit_id, "visited", 1).await?;
    }
    store::add_counter(tx, row.unit_id, "visits", 1).await?;
    if let Some(user) = visit.visitor_id {
        store::add_counter(tx, row.unit_id, &format!("visits:{user}"), 1).await?;
    }
    let month = format!(
        "month:{:04}-{:02}",
        visit.visited_on.year(),
        u8::from(visit.visited_on.month())
    );
    store::add_counter(tx, row.unit_id, &month, 1).await?;
    Ok(())
}

/// A household's visits, newest first.
pub async fn visits_of(db: &Db, actor: &Actor, household: Uuid) -> AppResult<Vec<VisitRow>> {
    let row = store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadPeople, row.unit_id).await?;
    Ok(store::visits_of(db, household).await?)
}

/// "My round": the households assigned to the actor, overdue follow-ups first, then those
/// never visited, then by alley and house number.
pub async fn my_round(db: &Db, actor: &Actor, limit: i64) -> AppResult<Vec<HouseholdRow>> {
    let user = actor.user_id.ok_or(AppError::Forbidden)?;
    let rows = store::round(db, user, today(), limit.clamp(1, 500)).await?;
    let mut visible = Vec::with_capacity(rows.len());
    for row in rows {
        if policy::allows(db, actor, Permission::ReadPeople, row.unit_id).await? {
            visible.push(masked(row, actor).0);
        }
    }
    Ok(visible)
}

/// Assigns a household to a team member who holds a role covering its village (or to nobody).
pub async fn assign(db: &Db, actor: &Actor, household: Uuid, user: Option<Uuid>) -> AppResult<()> {
    let row = store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::WritePeople, row.unit_id).await?;
    if let Some(user) = user {
        let mut covers = false;
        for grant in auth_store::grants_of(db, user).await? {
            let role = langso_domain::auth::Role::parse(&grant.role).ok();
            let writes = role.is_some_and(|r| r.allows(Permission::WritePeople));
            if writes
                && (grant.unit_id == row.unit_id
                    || unit_store::is_within(db, row.unit_id, grant.unit_id, today()).await?)
            {
                covers = true;
                break;
            }
        }
        if !covers {
            return Err(AppError::Invalid(vec![CellError::new(
                0,
                "user",
                "người này không phụ trách thôn của hộ / this person does not work in the household's village",
            )]));
        }
    }
    let mut tx = db.begin().await?;
    store::assign(&mut tx, household, user).await?;
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
    tx.commit().await?;
    Ok(())
}
