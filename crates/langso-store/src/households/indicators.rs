//! The versioned indicator catalogue and each household's current values.

use time::Date;
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// One version of an indicator.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct IndicatorRow {
    /// Stable code.
    pub code: String,
    /// Version (1, 2, …).
    pub version: i64,
    /// yes_no, adult_count, count or level.
    pub kind: String,
    /// Vietnamese label.
    pub label_vi: String,
    /// English label.
    pub label_en: String,
    /// Vietnamese help.
    pub help_vi: String,
    /// English help.
    pub help_en: String,
    /// Only for business households.
    pub business_only: bool,
    /// Display order.
    pub position: i64,
    /// In force from.
    pub valid_from: Date,
}

/// Adds a version of an indicator.
pub async fn insert_indicator(tx: &mut Tx, row: &IndicatorRow) -> StoreResult<()> {
    let sql = "INSERT INTO indicator_defs (code, version, kind, label_vi, label_en, help_vi, help_en, \
               business_only, position, valid_from) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    on_tx!(tx, c => sqlx::query(sql).bind(&row.code).bind(row.version).bind(&row.kind)
        .bind(&row.label_vi).bind(&row.label_en).bind(&row.help_vi).bind(&row.help_en)
        .bind(row.business_only).bind(row.position).bind(row.valid_from)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The version of each indicator in force on `date`, in display order.
pub async fn indicators_on(ex: impl Into<Exec<'_>>, date: Date) -> StoreResult<Vec<IndicatorRow>> {
    let sql = "SELECT d.code, d.version, d.kind, d.label_vi, d.label_en, d.help_vi, d.help_en, \
               d.business_only, d.position, d.valid_from FROM indicator_defs d WHERE d.valid_from <= $1 \
               AND d.version = (SELECT MAX(x.version) FROM indicator_defs x WHERE x.code = d.code \
               AND x.valid_from <= $1) ORDER BY d.position, d.code";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(date).fetch_all(e).await)?)
}

/// A household's current values.
pub async fn household_values(
    ex: impl Into<Exec<'_>>,
    household: Uuid,
) -> StoreResult<Vec<(String, i64)>> {
    let sql = "SELECT indicator, value FROM household_indicators WHERE household_id = $1 ORDER BY indicator";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(household).fetch_all(e).await)?)
}
