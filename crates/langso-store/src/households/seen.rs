//! Who saw what: the households named by an audit entry of an unmasked view, an unmasked
//! list or an export of personal data, one row per (entry, household), written in the
//! entry's transaction, so a household's "who looked at my data" is an index lookup.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// One time a household's personal data was seen or exported.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct SeenRow {
    /// The audit entry.
    pub audit_id: Uuid,
    /// When (UTC).
    pub at: OffsetDateTime,
    /// Who, as the audit log names them.
    pub actor_label: String,
    /// What: the audit action (`household.view_unmasked`, `household.export`, …).
    pub action: String,
}

/// Names `households` as seen by the audit entry `audit_id` (which `tx` has written).
/// Bounded batches: two parameters a row, 1,000 rows a statement.
pub async fn record_seen(tx: &mut Tx, audit_id: Uuid, households: &[Uuid]) -> StoreResult<()> {
    let mut unique = households.to_vec();
    unique.sort_unstable();
    unique.dedup();
    for chunk in unique.chunks(1_000) {
        on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO audit_households (audit_id, household_id) ");
            q.push_values(chunk, |mut b, h| {
                b.push_bind(audit_id).push_bind(*h);
            });
            q.build().persistent(false).execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// The times `household`'s data was seen, newest first.
pub async fn seen_of(
    ex: impl Into<Exec<'_>>,
    household: Uuid,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<SeenRow>> {
    let sql = "SELECT a.id AS audit_id, a.at, a.actor_label, a.action FROM audit_households s \
               JOIN audit_log a ON a.id = s.audit_id WHERE s.household_id = $1 \
               ORDER BY s.audit_id DESC LIMIT $2 OFFSET $3";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(household).bind(limit).bind(offset)
        .fetch_all(e).await)?,
    )
}

/// How many times `household`'s data was seen.
pub async fn seen_count(ex: impl Into<Exec<'_>>, household: Uuid) -> StoreResult<i64> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_households WHERE household_id = $1";
    let (n,): (i64,) =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(household).fetch_one(e).await)?;
    Ok(n)
}
