//! Managing webhook endpoints from their page: switching one off and reading its attempts.

use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

use super::AttemptRow;

/// Stops an endpoint receiving new messages; messages already queued for it still go out, so
/// nothing in flight is lost. Returns whether it was active.
pub async fn deactivate_webhook(tx: &mut Tx, id: Uuid) -> StoreResult<bool> {
    let sql = "UPDATE webhooks SET active = FALSE WHERE id = $1 AND active";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// The latest delivery attempts to an endpoint, newest first, at most `limit`.
pub async fn webhook_attempts(
    ex: impl Into<Exec<'_>>,
    webhook: Uuid,
    limit: i64,
) -> StoreResult<Vec<AttemptRow>> {
    let sql = "SELECT t.id, t.outbox_id, t.at, t.worker, t.status_code, t.error, t.duration_ms \
               FROM comm_attempts t JOIN comm_outbox o ON o.id = t.outbox_id \
               WHERE o.webhook_id = $1 ORDER BY t.at DESC, t.id DESC LIMIT $2";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(webhook).bind(limit).fetch_all(e).await)?)
}
