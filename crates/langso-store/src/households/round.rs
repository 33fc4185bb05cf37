//! The reads behind a round and its printed sheet, and bulk assignment. The walking order is
//! the domain's natural order (`langso_domain::households::round`), applied by the caller on
//! these rows: SQL text order puts "Ngõ 10" before "Ngõ 2" on both databases.

use time::Date;
use uuid::Uuid;

use super::register::household_cols;
use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

pub use super::register::HouseholdRow;

/// Every household assigned to a team member (none erased), in no particular order.
pub async fn assigned_households(
    ex: impl Into<Exec<'_>>,
    user: Uuid,
) -> StoreResult<Vec<HouseholdRow>> {
    let sql = concat!(
        "SELECT ",
        household_cols!(),
        " FROM households h WHERE h.assigned_to = $1 AND NOT h.erased"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(user).fetch_all(e).await)?)
}

/// Every household under `root` (today's tree; none erased), optionally in one alley, in no
/// particular order. The caller has checked the actor's scope on `root`.
pub async fn households_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    today: Date,
    alley: Option<&str>,
) -> StoreResult<Vec<HouseholdRow>> {
    let sql = concat!(
        "SELECT ",
        household_cols!(),
        " FROM households h JOIN unit_closure c ON c.descendant_id = h.unit_id ",
        "WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND NOT h.erased AND (CAST($3 AS TEXT) IS NULL OR h.alley = $3)"
    );
    let alley = alley.map(str::to_owned);
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(today).bind(alley.clone())
        .fetch_all(e).await)?,
    )
}

/// Assigns many households to a team member (or nobody), in the caller's transaction.
pub async fn assign_many(tx: &mut Tx, households: &[Uuid], user: Option<Uuid>) -> StoreResult<()> {
    let sql = "UPDATE households SET assigned_to = $2 WHERE id = $1";
    for household in households {
        on_tx!(tx, c => sqlx::query(sql).bind(*household).bind(user).execute(&mut *c).await.map(|_| ()))?;
    }
    Ok(())
}
