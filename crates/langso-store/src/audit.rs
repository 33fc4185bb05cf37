//! The audit log: one row per state change, written in the same transaction as the change.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::script::{hex, json_rows, moment};
use crate::{Exec, Script, StoreResult, Tx, on_exec, on_tx};

/// One audit entry.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditRow {
    /// Id (UUIDv7: sorts by time).
    pub id: Uuid,
    /// When (UTC).
    pub at: OffsetDateTime,
    /// The user, when a user acted.
    pub actor_id: Option<Uuid>,
    /// Who acted, as shown ("login (Name)", "token: …", "cli", "demo").
    pub actor_label: String,
    /// What was done ("user.create", "units.reorganise", …).
    pub action: String,
    /// The kind of thing changed ("user", "unit", "household", …).
    pub target_type: String,
    /// Its id or code.
    pub target_id: String,
    /// The unit it belongs to, for scoping; `None` for global changes.
    pub unit_id: Option<Uuid>,
    /// Before/after summary with personal numbers masked.
    pub summary: String,
}

/// Writes an entry inside the change's transaction.
pub async fn record(tx: &mut Tx, entry: &AuditRow) -> StoreResult<()> {
    let sql = "INSERT INTO audit_log (id, at, actor_id, actor_label, action, target_type, target_id, \
               unit_id, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    on_tx!(tx, c => sqlx::query(sql).bind(entry.id).bind(entry.at).bind(entry.actor_id)
        .bind(&entry.actor_label).bind(&entry.action).bind(&entry.target_type)
        .bind(&entry.target_id).bind(entry.unit_id).bind(&entry.summary)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Writes many entries (a group of visits committed together) as statements of a script, one
/// per thousand entries.
pub fn queue_many(script: &mut Script, entries: &[AuditRow]) {
    if entries.is_empty() {
        return;
    }
    const INSERT: &str = "INSERT INTO audit_log (id, at, actor_id, actor_label, action, target_type, \
         target_id, unit_id, summary) ";
    if script.is_sqlite() {
        let rows: Vec<_> = entries
            .iter()
            .map(|e| {
                (
                    hex(&e.id),
                    moment(&e.at),
                    e.actor_id.as_ref().map(hex),
                    &e.actor_label,
                    &e.action,
                    &e.target_type,
                    &e.target_id,
                    e.unit_id.as_ref().map(hex),
                    &e.summary,
                )
            })
            .collect();
        script.push_sqlite(
            &format!(
                "{INSERT}SELECT unhex(value->>0), value->>1, unhex(value->>2), value->>3, \
                 value->>4, value->>5, value->>6, unhex(value->>7), value->>8 FROM json_each(?)"
            ),
            vec![json_rows(&rows)],
        );
        return;
    }
    // Nine parameters a row: well under PostgreSQL's bound-parameter limit.
    for chunk in entries.chunks(1_000) {
        let Some(q) = script.postgres() else { return };
        q.push(INSERT);
        q.push_values(chunk, |mut b, e| {
            b.push_bind(e.id)
                .push_bind(e.at)
                .push_bind(e.actor_id)
                .push_bind(e.actor_label.clone())
                .push_bind(e.action.clone())
                .push_bind(e.target_type.clone())
                .push_bind(e.target_id.clone())
                .push_bind(e.unit_id)
                .push_bind(e.summary.clone());
        });
    }
}

/// Filters for reading the log.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Only entries whose unit lies under this unit (today); `None`: every entry, including
    /// global ones (administrators only).
    pub scope: Option<Uuid>,
    /// Action prefix ("user." matches every user action).
    pub action: Option<String>,
    /// From this moment on.
    pub from: Option<OffsetDateTime>,
    /// Before this moment.
    pub to: Option<OffsetDateTime>,
    /// Newest first, at most this many.
    pub limit: i64,
}

/// Entries matching `filter`, newest first.
pub async fn list(
    ex: impl Into<Exec<'_>>,
    filter: &AuditFilter,
    today: Date,
) -> StoreResult<Vec<AuditRow>> {
    let action = filter.action.as_ref().map(|a| format!("{a}%"));
    let far_past = OffsetDateTime::UNIX_EPOCH;
    let far_future = OffsetDateTime::now_utc() + time::Duration::days(36_500);
    let from = filter.from.unwrap_or(far_past);
    let to = filter.to.unwrap_or(far_future);
    let rows = match filter.scope {
        None => {
            let sql = "SELECT id, at, actor_id, actor_label, action, target_type, target_id, unit_id, \
                       summary FROM audit_log a WHERE a.action LIKE $1 AND a.at >= $2 AND a.at < $3 \
                       ORDER BY a.id DESC LIMIT $4";
            on_exec!(ex.into(), e => sqlx::query_as(sql).bind(action.unwrap_or_else(|| "%".to_owned()))
                .bind(from).bind(to).bind(filter.limit).fetch_all(e).await)?
        }
        Some(scope) => {
            let sql = concat!(
                "SELECT id, at, actor_id, actor_label, action, target_type, target_id, unit_id, ",
                "summary FROM audit_log a WHERE a.action LIKE $1 AND a.at >= $2 AND a.at < $3 ",
                "AND EXISTS (SELECT 1 FROM unit_closure c WHERE c.ancestor_id = $5 ",
                "AND c.descendant_id = a.unit_id AND ",
                crate::units::covers!("c", "$6"),
                ") ORDER BY a.id DESC LIMIT $4"
            );
            on_exec!(ex.into(), e => sqlx::query_as(sql).bind(action.unwrap_or_else(|| "%".to_owned()))
                .bind(from).bind(to).bind(filter.limit).bind(scope).bind(today).fetch_all(e).await)?
        }
    };
    Ok(rows)
}
