//! Who saw what (h21a): every unmasked view, unmasked list and export of households' personal
//! data is an audit entry that names the households it showed, one row each in
//! `audit_households`, written in the entry's transaction; the commune (an actor with the
//! audit right on the household's unit) reads a household's list, by account, when and what.

use langso_domain::auth::Permission;
use langso_store::households::{self as store, SeenRow};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::policy;
use crate::{Actor, AppError, AppResult, Db};

/// The rows a page of the log shows.
pub const SEEN_PAGE: i64 = 50;

/// Records `change` (an unmasked view, list or export) naming `households`, in one
/// transaction: the entry and the households it showed.
pub(crate) async fn record_seen(
    db: &Db,
    actor: &Actor,
    change: Change<'_>,
    households: &[Uuid],
) -> AppResult<()> {
    let entry = audit::entry(actor, change);
    let mut tx = db.begin().await?;
    langso_store::audit::record(&mut tx, &entry).await?;
    store::record_seen(&mut tx, entry.id, households).await?;
    tx.commit().await?;
    Ok(())
}

/// One page of who saw a household's personal data, newest first, and how many in all.
pub async fn seen_log(
    db: &Db,
    actor: &Actor,
    household: Uuid,
    page: i64,
) -> AppResult<(Vec<SeenRow>, i64)> {
    let row = store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadAudit, row.unit_id).await?;
    let page = page.clamp(0, 100_000);
    let rows = store::seen_of(db, household, SEEN_PAGE, page * SEEN_PAGE).await?;
    let total = store::seen_count(db, household).await?;
    Ok((rows, total))
}
