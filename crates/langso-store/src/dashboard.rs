//! Plans (kế hoạch) and their yearly targets per indicator and unit: targets are data, read
//! by the dashboard and the monthly report to show the gap to them.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// A plan as issued.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PlanRow {
    /// Id (UUIDv7).
    pub id: Uuid,
    /// The issuing unit.
    pub unit_id: Uuid,
    /// Number and symbol ("55/KH-UBND").
    pub number: String,
    /// Date of issue.
    pub issued_on: Date,
    /// Title.
    pub title: String,
    /// Who entered it.
    pub created_by: String,
    /// When.
    pub created_at: OffsetDateTime,
}

/// One yearly target of a plan.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TargetRow {
    /// The plan.
    pub plan_id: Uuid,
    /// The unit the target is for.
    pub unit_id: Uuid,
    /// The indicator's code.
    pub indicator: String,
    /// The year to reach it by (end of year).
    pub year: i64,
    /// A share 0–1 of the indicator's denominator, or an average per household for a count.
    pub target: f64,
}

/// Adds a plan.
pub async fn insert_plan(tx: &mut Tx, p: &PlanRow) -> StoreResult<()> {
    let sql = "INSERT INTO plans (id, unit_id, number, issued_on, title, created_by, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    on_tx!(tx, c => sqlx::query(sql).bind(p.id).bind(p.unit_id).bind(&p.number).bind(p.issued_on)
        .bind(&p.title).bind(&p.created_by).bind(p.created_at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Sets a plan's target (replacing the one for the same unit, indicator and year).
pub async fn upsert_target(tx: &mut Tx, t: &TargetRow) -> StoreResult<()> {
    let sql = "INSERT INTO plan_targets (plan_id, unit_id, indicator, year, target) \
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT (plan_id, unit_id, indicator, year) \
               DO UPDATE SET target = excluded.target";
    on_tx!(tx, c => sqlx::query(sql).bind(t.plan_id).bind(t.unit_id).bind(&t.indicator)
        .bind(t.year).bind(t.target).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A plan by id.
pub async fn get_plan(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<PlanRow>> {
    let sql = "SELECT id, unit_id, number, issued_on, title, created_by, created_at FROM plans WHERE id = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// A plan with the same number issued by the same unit.
pub async fn plan_by_number(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    number: &str,
) -> StoreResult<Option<PlanRow>> {
    let sql = "SELECT id, unit_id, number, issued_on, title, created_by, created_at FROM plans \
               WHERE unit_id = $1 AND number = $2";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit).bind(number).fetch_optional(e).await)?,
    )
}

/// The plans issued by any of `units`, newest first (at most `limit`).
pub async fn plans_of(
    ex: impl Into<Exec<'_>>,
    units: &[Uuid],
    limit: i64,
) -> StoreResult<Vec<PlanRow>> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    Ok(on_exec!(ex.into(), e => {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT id, unit_id, number, issued_on, title, created_by, created_at FROM plans WHERE unit_id IN (",
        );
        let mut list = q.separated(", ");
        for unit in units {
            list.push_bind(*unit);
        }
        q.push(") ORDER BY issued_on DESC, number LIMIT ");
        q.push_bind(limit);
        q.build_query_as().persistent(false).fetch_all(e).await
    })?)
}

/// A plan's targets, by unit, indicator and year.
pub async fn targets_of_plan(ex: impl Into<Exec<'_>>, plan: Uuid) -> StoreResult<Vec<TargetRow>> {
    let sql = "SELECT plan_id, unit_id, indicator, year, target FROM plan_targets WHERE plan_id = $1 \
               ORDER BY unit_id, indicator, year";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(plan).fetch_all(e).await)?)
}

/// Targets set for any of `units` for `year` or later, with their plan's date of issue and
/// number: (target, issued_on, number).
pub async fn targets_for(
    ex: impl Into<Exec<'_>>,
    units: &[Uuid],
    year: i64,
) -> StoreResult<Vec<(TargetRow, Date, String)>> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid, Uuid, String, i64, f64, Date, String)> = on_exec!(ex.into(), e => {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT t.plan_id, t.unit_id, t.indicator, t.year, t.target, p.issued_on, p.number FROM plan_targets t \
             JOIN plans p ON p.id = t.plan_id WHERE t.year >= ",
        );
        q.push_bind(year);
        q.push(" AND t.unit_id IN (");
        let mut list = q.separated(", ");
        for unit in units {
            list.push_bind(*unit);
        }
        q.push(")");
        q.build_query_as().persistent(false).fetch_all(e).await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(plan_id, unit_id, indicator, year, target, issued, number)| {
                (
                    TargetRow {
                        plan_id,
                        unit_id,
                        indicator,
                        year,
                        target,
                    },
                    issued,
                    number,
                )
            },
        )
        .collect())
}
