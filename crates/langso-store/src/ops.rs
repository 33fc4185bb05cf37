//! Alerts to whoever runs the installation and the ledger of backups (migration 0035). An
//! alert is raised with an upsert against the partial unique index of open alerts, so any
//! number of nodes checking the same condition keep one open row, seen again at each check.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// One spell of a condition on one subject.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct AlertRow {
    /// Id.
    pub id: Uuid,
    /// `backup`, `disk`, `broker`, `database`, `outbox` or `certificate`.
    pub condition: String,
    /// A path, a file, a node, a broker's address; empty when there is only one.
    pub subject: String,
    /// First seen.
    pub opened_at: OffsetDateTime,
    /// Seen again at the latest check.
    pub last_seen_at: OffsetDateTime,
    /// Cleared.
    pub resolved_at: Option<OffsetDateTime>,
    /// The condition's first figure (see `langso_domain::ops::Facts`).
    pub figure: Option<i64>,
    /// Its second figure.
    pub figure_extra: Option<i64>,
    /// The technical cause, for the log and the operator's tools (never shown on a page).
    pub detail: Option<String>,
    /// The node that opened it.
    pub node: String,
}

const COLS: &str = "id, condition, subject, opened_at, last_seen_at, resolved_at, figure, \
                    figure_extra, detail, node";

/// Opens an alert for `row`'s condition and subject, or, when one is open already, marks it
/// seen at `row.last_seen_at` with `row`'s figures. Returns the open row and whether this call
/// opened it (so only the opener tells the admins).
pub async fn raise(tx: &mut Tx, row: &AlertRow) -> StoreResult<(AlertRow, bool)> {
    let sql = "INSERT INTO ops_alerts (id, condition, subject, opened_at, last_seen_at, \
               resolved_at, figure, figure_extra, detail, node) \
               VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $9) \
               ON CONFLICT (condition, subject) WHERE resolved_at IS NULL DO UPDATE SET \
               last_seen_at = excluded.last_seen_at, figure = excluded.figure, \
               figure_extra = excluded.figure_extra, detail = excluded.detail \
               RETURNING id, condition, subject, opened_at, last_seen_at, resolved_at, figure, \
               figure_extra, detail, node";
    let open: AlertRow = on_tx!(tx, c => sqlx::query_as(sql).bind(row.id).bind(&row.condition)
        .bind(&row.subject).bind(row.opened_at).bind(row.last_seen_at).bind(row.figure)
        .bind(row.figure_extra).bind(&row.detail).bind(&row.node).fetch_one(&mut *c).await)?;
    let opened = open.id == row.id;
    Ok((open, opened))
}

/// Writes an alert that is already over (a database outage a node kept in memory, recorded
/// when the database answered again).
pub async fn insert_resolved(tx: &mut Tx, row: &AlertRow) -> StoreResult<()> {
    let sql = "INSERT INTO ops_alerts (id, condition, subject, opened_at, last_seen_at, \
               resolved_at, figure, figure_extra, detail, node) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(&row.condition).bind(&row.subject)
        .bind(row.opened_at).bind(row.last_seen_at).bind(row.resolved_at).bind(row.figure)
        .bind(row.figure_extra).bind(&row.detail).bind(&row.node)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Resolves the open alert of `condition` on `subject`, if any; whether there was one.
pub async fn resolve(
    tx: &mut Tx,
    condition: &str,
    subject: &str,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let sql = "UPDATE ops_alerts SET resolved_at = $3 \
               WHERE condition = $1 AND subject = $2 AND resolved_at IS NULL";
    let done = on_tx!(tx, c => sqlx::query(sql).bind(condition).bind(subject).bind(at)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(done > 0)
}

/// The open alerts, oldest first.
pub async fn open_alerts(ex: impl Into<Exec<'_>>) -> StoreResult<Vec<AlertRow>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM ops_alerts WHERE resolved_at IS NULL ORDER BY opened_at, id"
    ));
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_all(e).await)?)
}

/// The open alerts and those opened since `since`, open ones first, then newest first; at
/// most `limit`.
pub async fn recent_alerts(
    ex: impl Into<Exec<'_>>,
    since: OffsetDateTime,
    limit: i64,
) -> StoreResult<Vec<AlertRow>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM ops_alerts WHERE resolved_at IS NULL OR opened_at >= $1 \
         ORDER BY CASE WHEN resolved_at IS NULL THEN 0 ELSE 1 END, id DESC LIMIT $2"
    ));
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(since).bind(limit).fetch_all(e).await)?)
}

/// One backup, taken on schedule or by hand.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct BackupRow {
    /// Id (UUIDv7: they sort by time).
    pub id: Uuid,
    /// Finished.
    pub taken_at: OffsetDateTime,
    /// `scheduled` or `manual`.
    pub kind: String,
    /// Written and checked.
    pub succeeded: bool,
    /// The file written (or meant to be).
    pub file: String,
    /// Why it failed.
    pub detail: Option<String>,
}

/// Records a backup.
pub async fn insert_backup(tx: &mut Tx, row: &BackupRow) -> StoreResult<()> {
    let sql = "INSERT INTO ops_backups (id, taken_at, kind, succeeded, file, detail) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.taken_at).bind(&row.kind)
        .bind(row.succeeded).bind(&row.file).bind(&row.detail)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// The latest successful backup.
pub async fn last_backup(ex: impl Into<Exec<'_>>) -> StoreResult<Option<BackupRow>> {
    let sql = "SELECT id, taken_at, kind, succeeded, file, detail FROM ops_backups \
               WHERE succeeded = $1 ORDER BY id DESC LIMIT 1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(true).fetch_optional(e).await)?)
}

/// How an outbox is doing at `now_ms`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxHealth {
    /// When the oldest message still to send became due (Unix ms), if any is due.
    pub oldest_due_ms: Option<i64>,
    /// Messages given up on whose last attempt was at or after the window's start.
    pub failed: i64,
}

/// The webhook outbox (`comm_outbox`, webhook rows): due rows are pending ones whose time has
/// come and claimed ones whose lease ran out; failed ones counted since `since_ms`.
pub async fn webhook_outbox_health(
    ex: impl Into<Exec<'_>>,
    now_ms: i64,
    since_ms: i64,
) -> StoreResult<OutboxHealth> {
    let sql = "SELECT CAST(MIN(CASE WHEN (status = 'pending' AND next_attempt_at <= $1) \
               OR (status = 'sending' AND claimed_until < $1) THEN next_attempt_at END) AS BIGINT), \
               CAST(COUNT(CASE WHEN status = 'failed' AND next_attempt_at >= $2 THEN 1 END) AS BIGINT) \
               FROM comm_outbox WHERE channel = 'webhook' AND status IN ('pending', 'sending', 'failed')";
    let (oldest_due_ms, failed): (Option<i64>, i64) = on_exec!(ex.into(), e =>
        sqlx::query_as(sql).bind(now_ms).bind(since_ms).fetch_one(e).await)?;
    Ok(OutboxHealth {
        oldest_due_ms,
        failed,
    })
}

/// The messages to people (`comm_messages`), read as [`webhook_outbox_health`] reads webhooks.
pub async fn message_outbox_health(
    ex: impl Into<Exec<'_>>,
    now_ms: i64,
    since_ms: i64,
) -> StoreResult<OutboxHealth> {
    let sql = "SELECT CAST(MIN(CASE WHEN (status = 'queued' AND next_attempt_at <= $1) \
               OR (status = 'sending' AND claimed_until < $1) THEN next_attempt_at END) AS BIGINT), \
               CAST(COUNT(CASE WHEN status = 'failed' AND next_attempt_at >= $2 THEN 1 END) AS BIGINT) \
               FROM comm_messages WHERE status IN ('queued', 'sending', 'failed')";
    let (oldest_due_ms, failed): (Option<i64>, i64) = on_exec!(ex.into(), e =>
        sqlx::query_as(sql).bind(now_ms).bind(since_ms).fetch_one(e).await)?;
    Ok(OutboxHealth {
        oldest_due_ms,
        failed,
    })
}

/// The units at the top of the tree on `date` (no parent): their admins run the installation.
pub async fn top_units(ex: impl Into<Exec<'_>>, date: Date) -> StoreResult<Vec<Uuid>> {
    let sql = concat!(
        "SELECT u.id FROM units u WHERE ",
        covers!("u", "$1"),
        " AND NOT EXISTS (SELECT 1 FROM unit_parents p WHERE p.unit_id = u.id AND ",
        covers!("p", "$1"),
        ") ORDER BY u.id"
    );
    let rows: Vec<(Uuid,)> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(date).fetch_all(e).await)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// An administrator of a unit at the top of the tree: who alerts are for.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct RootAdmin {
    /// The user.
    pub user_id: Uuid,
    /// Their name as shown.
    pub display_name: String,
    /// The top unit they administer (the unit whose channel settings apply to their e-mail).
    pub unit_id: Uuid,
}

/// The enabled users holding the admin role on a unit at the top of the tree on `date`.
pub async fn root_admins(ex: impl Into<Exec<'_>>, date: Date) -> StoreResult<Vec<RootAdmin>> {
    let sql = concat!(
        "SELECT u.id AS user_id, u.display_name, g.unit_id FROM role_grants g \
         JOIN users u ON u.id = g.user_id WHERE g.role = 'admin' AND NOT u.disabled \
         AND NOT EXISTS (SELECT 1 FROM unit_parents p WHERE p.unit_id = g.unit_id AND ",
        covers!("p", "$1"),
        ") ORDER BY u.id, g.unit_id"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(date).fetch_all(e).await)?)
}
