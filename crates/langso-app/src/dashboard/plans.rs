//! Plans and their targets: an officer enters a plan (number and symbol, date, issuing unit,
//! title) and its yearly targets per indicator and unit, which the dashboard and the monthly
//! report then measure the unit against. Also the list of households whose values cannot be
//! true, so that the figures can be corrected at the source.

use langso_domain::auth::Permission;
use langso_store::dashboard::{self as store, PlanRow, TargetRow};
use langso_store::households as household_store;
use langso_store::units as unit_store;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{Change, record};
use crate::auth::{Actor, policy};
use crate::households::catalogue;
use crate::{AppError, AppResult, CellError, Db, today};

/// The most plans a unit's list shows.
const PLANS_SHOWN: i64 = 100;
/// The most impossible values a list shows (the first by household code).
const IMPOSSIBLE_SHOWN: i64 = 500;

/// A plan as entered.
#[derive(Clone, Debug, Default)]
pub struct PlanInput {
    /// The issuing unit.
    pub unit_id: Option<Uuid>,
    /// Number and symbol ("55/KH-UBND").
    pub number: String,
    /// Date of issue.
    pub issued_on: Option<Date>,
    /// Title.
    pub title: String,
}

/// A yearly target as entered.
#[derive(Clone, Debug, Default)]
pub struct TargetInput {
    /// The unit it is for (the issuing unit or one under it).
    pub unit_id: Option<Uuid>,
    /// The indicator's code.
    pub indicator: String,
    /// The year.
    pub year: i64,
    /// A percentage (0–100) for a share, or an average per household for a count.
    pub value: f64,
}

/// A plan with its targets.
#[derive(Clone, Debug)]
pub struct PlanView {
    /// The plan.
    pub plan: PlanRow,
    /// Its targets.
    pub targets: Vec<TargetRow>,
}

fn refused(field: &str, key: &'static str) -> CellError {
    CellError::keyed(0, field, key, &[])
}

/// Enters a plan issued by a unit the actor runs the programme of (`ManageProgramme`).
pub async fn create_plan(db: &Db, actor: &Actor, input: &PlanInput) -> AppResult<PlanRow> {
    let unit = input
        .unit_id
        .ok_or_else(|| AppError::Invalid(vec![refused("unit_id", "plans-unit-required")]))?;
    policy::require(db, actor, Permission::ManageProgramme, unit).await?;
    let (number, title) = (input.number.trim(), input.title.trim());
    let mut errors = Vec::new();
    if number.is_empty() || number.chars().count() > 50 {
        errors.push(refused("number", "plans-number-invalid"));
    }
    if title.is_empty() || title.chars().count() > 300 {
        errors.push(refused("title", "plans-title-invalid"));
    }
    let issued_on = match input.issued_on {
        Some(d) if d <= today() && d.year() >= 2000 => Some(d),
        _ => {
            errors.push(refused("issued_on", "plans-issued-on-invalid"));
            None
        }
    };
    if errors.is_empty() && store::plan_by_number(db, unit, number).await?.is_some() {
        errors.push(refused("number", "plans-number-taken"));
    }
    let Some(issued_on) = issued_on.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let row = PlanRow {
        id: Uuid::now_v7(),
        unit_id: unit,
        number: number.to_owned(),
        issued_on,
        title: title.to_owned(),
        created_by: actor.label.clone(),
        created_at: OffsetDateTime::now_utc(),
    };
    let mut tx = db.begin().await?;
    store::insert_plan(&mut tx, &row).await?;
    record(
        &mut tx,
        actor,
        Change {
            action: "plan.create",
            target_type: "plan",
            target_id: row.number.clone(),
            unit_id: Some(unit),
            summary: row.title.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Sets a yearly target of a plan, for its issuing unit or a unit under it.
pub async fn set_target(
    db: &Db,
    actor: &Actor,
    plan: Uuid,
    input: &TargetInput,
) -> AppResult<TargetRow> {
    let found = store::get_plan(db, plan).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ManageProgramme, found.unit_id).await?;
    let unit = input.unit_id.unwrap_or(found.unit_id);
    let mut errors = Vec::new();
    if unit != found.unit_id
        && !unit_store::is_within(db, unit, found.unit_id, found.issued_on).await?
        && !unit_store::is_within(db, unit, found.unit_id, today()).await?
    {
        errors.push(refused("unit_id", "plans-target-unit-outside"));
    }
    let indicator = catalogue(db, today())
        .await?
        .into_iter()
        .find(|i| i.code == input.indicator);
    let target = match &indicator {
        None => {
            errors.push(refused("indicator", "plans-target-indicator-unknown"));
            0.0
        }
        Some(i) if i.kind == langso_domain::households::IndicatorKind::Count => {
            if !(0.0..=50.0).contains(&input.value) || !input.value.is_finite() {
                errors.push(refused("value", "plans-target-average-invalid"));
            }
            input.value
        }
        Some(_) => {
            if !(0.0..=100.0).contains(&input.value) || !input.value.is_finite() {
                errors.push(refused("value", "plans-target-percent-invalid"));
            }
            input.value / 100.0
        }
    };
    if !(i64::from(found.issued_on.year())..=2100).contains(&input.year) {
        errors.push(refused("year", "plans-target-year-invalid"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let row = TargetRow {
        plan_id: plan,
        unit_id: unit,
        indicator: input.indicator.clone(),
        year: input.year,
        target,
    };
    let mut tx = db.begin().await?;
    store::upsert_target(&mut tx, &row).await?;
    record(
        &mut tx,
        actor,
        Change {
            action: "plan.target",
            target_type: "plan",
            target_id: found.number.clone(),
            unit_id: Some(unit),
            summary: format!("{} {}: {}", row.indicator, row.year, input.value),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// The plans issued by `unit` or the units above it (`ReadDashboard` on the unit).
pub async fn plans_for(db: &Db, actor: &Actor, unit: Uuid) -> AppResult<Vec<PlanRow>> {
    policy::require(db, actor, Permission::ReadDashboard, unit).await?;
    let mut units = vec![unit];
    units.extend(
        unit_store::ancestors(db, unit, today())
            .await?
            .into_iter()
            .map(|u| u.id),
    );
    Ok(store::plans_of(db, &units, PLANS_SHOWN).await?)
}

/// A plan with its targets (`ReadDashboard` on its issuing unit).
pub async fn plan(db: &Db, actor: &Actor, id: Uuid) -> AppResult<PlanView> {
    let plan = store::get_plan(db, id).await?.ok_or(AppError::NotFound)?;
    crate::dashboard::require_as_of(db, actor, plan.unit_id, plan.issued_on).await?;
    let targets = store::targets_of_plan(db, id).await?;
    Ok(PlanView { plan, targets })
}

/// A household value that cannot be true.
#[derive(Clone, Debug)]
pub struct ImpossibleValue {
    /// The household.
    pub household_id: Uuid,
    /// Its code.
    pub code: String,
    /// Its village.
    pub unit_id: Uuid,
    /// The indicator.
    pub indicator: String,
    /// The value recorded.
    pub value: i64,
    /// The household's adults.
    pub adults: i64,
    /// Its adults with VNeID level 1 (for level 2 above it).
    pub vneid_1: i64,
}

/// The households under `unit` whose values cannot be true (`ReadPeople` on the unit), the
/// first [`IMPOSSIBLE_SHOWN`] by household code.
pub async fn impossible_values(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
) -> AppResult<Vec<ImpossibleValue>> {
    policy::require(db, actor, Permission::ReadPeople, unit).await?;
    let rows =
        household_store::impossible_values_under(db, unit, today(), IMPOSSIBLE_SHOWN).await?;
    Ok(rows
        .into_iter()
        .map(
            |(household_id, code, unit_id, indicator, value, adults, vneid_1)| ImpossibleValue {
                household_id,
                code,
                unit_id,
                indicator,
                value,
                adults,
                vneid_1,
            },
        )
        .collect())
}
