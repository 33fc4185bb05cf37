//! Who saw what: every unmasked view, unmasked list and export of households' personal
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

/// One page of who saw a household's personal data.
#[derive(Clone, Debug)]
pub struct SeenLog {
    /// The household's id.
    pub household: Uuid,
    /// Its head's name (the page names the household without its numbers, so reading the
    /// log is not itself a view of them).
    pub head_name: String,
    /// The page's rows, newest first.
    pub rows: Vec<SeenRow>,
    /// How many rows in all.
    pub total: i64,
}

/// Page `page` (0-based) of who saw a household's personal data, for an actor with the audit
/// right on its unit (outside the actor's units: not found).
pub async fn seen_log(db: &Db, actor: &Actor, household: Uuid, page: i64) -> AppResult<SeenLog> {
    let row = store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadAudit, row.unit_id).await?;
    let page = page.clamp(0, 100_000);
    Ok(SeenLog {
        household: row.id,
        head_name: row.head_name,
        rows: store::seen_of(db, household, SEEN_PAGE, page * SEEN_PAGE).await?,
        total: store::seen_count(db, household).await?,
    })
}
