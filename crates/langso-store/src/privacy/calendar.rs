//! The working-day calendar: fixed public holidays (shipped), days off entered each year
//! (Tết, the Hùng Kings' day, the day next to 2/9), and deadlines per kind of request.

use time::{Date, OffsetDateTime};

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// A day off entered by an administrator.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct HolidayRow {
    /// The day.
    pub day: Date,
    /// What it is.
    pub name: String,
    /// Who entered it.
    pub entered_by: String,
    /// When.
    pub created_at: OffsetDateTime,
}

/// A deadline for one kind of request.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct DeadlineRow {
    /// `access`, `correction`, `erasure`, `withdrawal`, `objection`.
    pub kind: String,
    /// Working days after the day of receipt.
    pub working_days: i64,
    /// Set by a legal review (false: the shipped default).
    pub confirmed: bool,
    /// Who last set it.
    pub updated_by: String,
}

/// The fixed holidays: (month, day, name).
pub async fn fixed_holidays(ex: impl Into<Exec<'_>>) -> StoreResult<Vec<(i64, i64, String)>> {
    let sql = "SELECT month, day, name FROM privacy_fixed_holidays ORDER BY month, day";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_all(e).await)?)
}

/// Days off entered between `from` and `to` (inclusive).
pub async fn holidays(
    ex: impl Into<Exec<'_>>,
    from: Date,
    to: Date,
) -> StoreResult<Vec<HolidayRow>> {
    let sql = "SELECT day, name, entered_by, created_at FROM privacy_holidays \
               WHERE day >= $1 AND day <= $2 ORDER BY day";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(from).bind(to).fetch_all(e).await)?)
}

/// Enters (or renames) a day off.
pub async fn put_holiday(tx: &mut Tx, row: &HolidayRow) -> StoreResult<()> {
    let sql = "INSERT INTO privacy_holidays (day, name, entered_by, created_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (day) DO UPDATE SET name = $2, entered_by = $3";
    on_tx!(tx, c => sqlx::query(sql).bind(row.day).bind(&row.name).bind(&row.entered_by)
        .bind(row.created_at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Removes a day off; whether there was one.
pub async fn delete_holiday(tx: &mut Tx, day: Date) -> StoreResult<bool> {
    let sql = "DELETE FROM privacy_holidays WHERE day = $1";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(day).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// The deadlines, by kind.
pub async fn deadlines(ex: impl Into<Exec<'_>>) -> StoreResult<Vec<DeadlineRow>> {
    let sql = "SELECT kind, working_days, confirmed, updated_by FROM privacy_request_deadlines ORDER BY kind";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_all(e).await)?)
}

/// Sets one kind's deadline.
pub async fn set_deadline(tx: &mut Tx, row: &DeadlineRow) -> StoreResult<bool> {
    let sql = "UPDATE privacy_request_deadlines SET working_days = $2, confirmed = $3, updated_by = $4 \
               WHERE kind = $1";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(&row.kind).bind(row.working_days).bind(row.confirmed)
        .bind(&row.updated_by).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}
