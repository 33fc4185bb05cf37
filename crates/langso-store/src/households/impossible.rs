//! Households whose current values cannot be true: more adults with an indicator than the
//! household has adults, or more adults at VNeID level 2 than at level 1 (level 2 is an
//! upgrade of level 1). New values are refused at entry; these are the ones entered before.

use time::Date;
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, on_exec};

/// One impossible value: (household id, household code, village, indicator, value, adults,
/// VNeID level 1 value).
pub type ImpossibleRow = (Uuid, String, Uuid, String, i64, i64, i64);

/// The impossible values of households under `root` (tree of `date`), by household code, at
/// most `limit`.
pub async fn impossible_values_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
    limit: i64,
) -> StoreResult<Vec<ImpossibleRow>> {
    let sql = concat!(
        "SELECT h.id, h.code, h.unit_id, i.indicator, i.value, h.adults, ",
        "COALESCE(l1.value, CAST(0 AS BIGINT)) FROM households h ",
        "JOIN unit_closure c ON c.descendant_id = h.unit_id AND c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " JOIN household_indicators i ON i.household_id = h.id ",
        "LEFT JOIN household_indicators l1 ON l1.household_id = h.id AND l1.indicator = 'vneid_1' ",
        "WHERE h.erased = FALSE AND ((i.value > h.adults AND i.indicator IN ",
        "(SELECT d.code FROM indicator_defs d WHERE d.kind = 'adult_count')) ",
        "OR (i.indicator = 'vneid_2' AND i.value > COALESCE(l1.value, CAST(0 AS BIGINT)))) ",
        "ORDER BY h.code, i.indicator LIMIT $3"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).bind(limit).fetch_all(e).await)?,
    )
}
