//! Retention: which rows of each kind of personal data are past their period, counted (dry
//! run) or anonymised/deleted (real run) through the same condition, so the two agree.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// A kind of personal data the rules know: where it lives and what each action does.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    /// The rule's key.
    pub kind: &'static str,
    /// The table.
    pub table: &'static str,
    /// The timestamp column the period counts from.
    pub at: &'static str,
    /// What makes a row still hold personal data (so a row anonymised once is not counted
    /// again).
    pub personal: &'static str,
    /// The `SET` clause that anonymises, when anonymising is possible.
    pub anonymise: Option<&'static str>,
    /// Whether rows may be deleted (never for the audit log, nor where counts depend on rows).
    pub delete: bool,
}

/// Every kind, in the order pages show them.
pub const KINDS: [Kind; 8] = [
    Kind {
        kind: "visit_notes",
        table: "visits",
        at: "created_at",
        personal: "notes <> ''",
        anonymise: Some("notes = ''"),
        delete: false,
    },
    Kind {
        kind: "fault_reporters",
        table: "work_orders",
        at: "updated_at",
        personal: "reporter <> ''",
        anonymise: Some("reporter = ''"),
        delete: false,
    },
    Kind {
        kind: "fault_followers",
        table: "work_order_followers",
        at: "created_at",
        personal: "contact <> ''",
        anonymise: None,
        delete: true,
    },
    Kind {
        kind: "fault_notifications",
        table: "comm_notifications",
        at: "created_at",
        personal: "contact <> '' AND status <> 'pending'",
        anonymise: Some("contact = '', recipient = ''"),
        delete: false,
    },
    Kind {
        kind: "message_addresses",
        table: "comm_messages",
        at: "created_at",
        personal: "address <> '' AND status NOT IN ('queued', 'sending')",
        anonymise: Some("address = '', recipient_label = ''"),
        delete: false,
    },
    Kind {
        kind: "qr_scans",
        table: "qr_scans",
        at: "scanned_at",
        personal: "1 = 1",
        anonymise: None,
        delete: true,
    },
    Kind {
        kind: "login_failures",
        table: "login_failures",
        at: "at",
        personal: "1 = 1",
        anonymise: None,
        delete: true,
    },
    Kind {
        kind: "audit_names",
        table: "audit_log",
        at: "at",
        personal: "actor_label <> '(ẩn danh)'",
        anonymise: Some("actor_label = '(ẩn danh)'"),
        delete: false,
    },
];

/// The kind named `kind`.
pub fn kind(kind: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// A rule as stored.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct RuleRow {
    /// The kind of data.
    pub kind: String,
    /// Kept this many days.
    pub days: i64,
    /// `anonymise` or `delete`.
    pub action: String,
    /// Who last changed it.
    pub updated_by: String,
}

/// The rules.
pub async fn rules(ex: impl Into<Exec<'_>>) -> StoreResult<Vec<RuleRow>> {
    let sql = "SELECT kind, days, action, updated_by FROM privacy_retention_rules ORDER BY kind";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_all(e).await)?)
}

/// Changes a rule's period and action.
pub async fn set_rule(tx: &mut Tx, rule: &RuleRow) -> StoreResult<bool> {
    let sql = "UPDATE privacy_retention_rules SET days = $2, action = $3, updated_by = $4 WHERE kind = $1";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(&rule.kind).bind(rule.days).bind(&rule.action)
        .bind(&rule.updated_by).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

fn expired(k: &Kind) -> String {
    format!("{} < $1 AND {}", k.at, k.personal)
}

/// How many rows of `k` are older than `cutoff` and still hold personal data.
pub async fn count_expired(
    ex: impl Into<Exec<'_>>,
    k: &Kind,
    cutoff: OffsetDateTime,
) -> StoreResult<i64> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM {} WHERE {}",
        k.table,
        expired(k)
    ));
    Ok(on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(cutoff).fetch_one(e).await)?)
}

/// Up to `limit` of those rows: (id, the moment the period counts from), oldest first.
pub async fn sample_expired(
    ex: impl Into<Exec<'_>>,
    k: &Kind,
    cutoff: OffsetDateTime,
    limit: i64,
) -> StoreResult<Vec<(Uuid, OffsetDateTime)>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT id, {at} FROM {} WHERE {} ORDER BY {at}, id LIMIT $2",
        k.table,
        expired(k),
        at = k.at
    ));
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(cutoff).bind(limit).fetch_all(e).await)?)
}

/// Anonymises (or deletes, when `delete`) those rows; returns how many. Refuses an action the
/// kind does not allow by doing nothing (the app checks before).
pub async fn apply_expired(
    tx: &mut Tx,
    k: &Kind,
    delete: bool,
    cutoff: OffsetDateTime,
) -> StoreResult<u64> {
    let sql = match (delete, k.anonymise) {
        (true, _) if k.delete => format!("DELETE FROM {} WHERE {}", k.table, expired(k)),
        (false, Some(set)) => format!("UPDATE {} SET {set} WHERE {}", k.table, expired(k)),
        _ => return Ok(0),
    };
    let sql = sqlx::AssertSqlSafe(sql);
    Ok(
        on_tx!(tx, c => sqlx::query(sql).bind(cutoff).execute(&mut *c).await.map(|r| r.rows_affected()))?,
    )
}

/// A run (or dry run) of the rules.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct RunRow {
    /// Id.
    pub id: Uuid,
    /// Started.
    pub started_at: OffsetDateTime,
    /// The node that ran it.
    pub node: String,
    /// Who ran it (the job, or an administrator's dry run).
    pub actor_label: String,
    /// Nothing was changed.
    pub dry: bool,
    /// Rows counted in all.
    pub items: i64,
}

/// One rule's count in a run.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct CountRow {
    /// The run.
    pub run_id: Uuid,
    /// The kind of data.
    pub kind: String,
    /// `anonymise` or `delete`.
    pub action: String,
    /// Rows older than this.
    pub cutoff: OffsetDateTime,
    /// How many.
    pub items: i64,
}

/// Records a run and its counts.
pub async fn insert_run(tx: &mut Tx, run: &RunRow, counts: &[CountRow]) -> StoreResult<()> {
    let sql = "INSERT INTO privacy_retention_runs (id, started_at, node, actor_label, dry, items) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, c => sqlx::query(sql).bind(run.id).bind(run.started_at).bind(&run.node)
        .bind(&run.actor_label).bind(run.dry).bind(run.items).execute(&mut *c).await.map(|_| ()))?;
    let sql = "INSERT INTO privacy_retention_counts (run_id, kind, action, cutoff, items) \
               VALUES ($1, $2, $3, $4, $5)";
    for count in counts {
        on_tx!(tx, c => sqlx::query(sql).bind(count.run_id).bind(&count.kind).bind(&count.action)
            .bind(count.cutoff).bind(count.items).execute(&mut *c).await.map(|_| ()))?;
    }
    Ok(())
}

/// The latest runs, newest first.
pub async fn runs(ex: impl Into<Exec<'_>>, limit: i64) -> StoreResult<Vec<RunRow>> {
    let sql = "SELECT id, started_at, node, actor_label, dry, items FROM privacy_retention_runs \
               ORDER BY started_at DESC, id DESC LIMIT $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(limit).fetch_all(e).await)?)
}

/// A run's counts.
pub async fn counts(ex: impl Into<Exec<'_>>, run: Uuid) -> StoreResult<Vec<CountRow>> {
    let sql = "SELECT run_id, kind, action, cutoff, items FROM privacy_retention_counts \
               WHERE run_id = $1 ORDER BY kind";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(run).fetch_all(e).await)?)
}
