//! The audit log: written with every change, read and exported within scope.

use langso_domain::auth::Permission;
use langso_domain::public_text::csv_safe_cell;
use langso_store::Tx;
use langso_store::audit::{self as store, AuditFilter, AuditRow};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Actor;
use crate::auth::policy::{self, Scope};
use crate::{AppResult, Db, today};

/// A change to record.
pub struct Change<'a> {
    /// What was done: `domain.verb` ("user.create", "units.reorganise").
    pub action: &'a str,
    /// The kind of thing changed.
    pub target_type: &'a str,
    /// Its id or code.
    pub target_id: String,
    /// The unit it belongs to, for scoping; `None` for global changes.
    pub unit_id: Option<Uuid>,
    /// Before/after, with personal numbers already masked.
    pub summary: String,
}

/// Records `change` by `actor` inside the change's own transaction.
pub async fn record(tx: &mut Tx, actor: &Actor, change: Change<'_>) -> AppResult<()> {
    store::record(tx, &entry(actor, change)).await?;
    Ok(())
}

/// The log entry for `change` by `actor`, for writers that record many at once.
pub fn entry(actor: &Actor, change: Change<'_>) -> AuditRow {
    AuditRow {
        id: Uuid::now_v7(),
        at: OffsetDateTime::now_utc(),
        actor_id: actor.user_id,
        actor_label: actor.label.clone(),
        action: change.action.to_owned(),
        target_type: change.target_type.to_owned(),
        target_id: change.target_id,
        unit_id: change.unit_id,
        summary: change.summary,
    }
}

/// Records a change that is its own transaction (an export, an unmasked view).
pub async fn record_alone(db: &Db, actor: &Actor, change: Change<'_>) -> AppResult<()> {
    let mut tx = db.begin().await?;
    record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(())
}

/// What to read from the log.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    /// Action prefix.
    pub action: Option<String>,
    /// From this moment.
    pub from: Option<OffsetDateTime>,
    /// Before this moment.
    pub to: Option<OffsetDateTime>,
    /// At most this many (default 200, at most 10,000).
    pub limit: Option<i64>,
}

/// Entries the actor may read, newest first. Administrators also see global entries (those
/// with no unit); others see entries of units under their roles.
pub async fn list(db: &Db, actor: &Actor, query: &AuditQuery) -> AppResult<Vec<AuditRow>> {
    let limit = query.limit.unwrap_or(200).clamp(1, 10_000);
    let base = AuditFilter {
        scope: None,
        action: query.action.clone().filter(|a| !a.trim().is_empty()),
        from: query.from,
        to: query.to,
        limit,
    };
    let roots = match policy::scope(actor, Permission::ReadAudit)? {
        Scope::All => return Ok(store::list(db, &base, today()).await?),
        Scope::Under(roots) => roots,
    };
    let mut rows = Vec::new();
    if actor.is_admin() {
        rows.extend(
            store::list(db, &base, today())
                .await?
                .into_iter()
                .filter(|r| r.unit_id.is_none()),
        );
    }
    for root in roots {
        let filter = AuditFilter {
            scope: Some(root),
            ..base.clone()
        };
        rows.extend(store::list(db, &filter, today()).await?);
    }
    rows.sort_by_key(|row| std::cmp::Reverse(row.id));
    rows.dedup_by(|a, b| a.id == b.id);
    rows.truncate(usize::try_from(limit).unwrap_or(200));
    Ok(rows)
}

/// The entries as CSV (UTF-8 with a BOM, for Excel), and the export itself recorded.
pub async fn export_csv(db: &Db, actor: &Actor, query: &AuditQuery) -> AppResult<Vec<u8>> {
    let rows = list(
        db,
        actor,
        &AuditQuery {
            limit: Some(10_000),
            ..query.clone()
        },
    )
    .await?;
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let header = [
            "thời điểm (UTC)",
            "người thực hiện",
            "hành động",
            "đối tượng",
            "mã đối tượng",
            "đơn vị",
            "tóm tắt",
        ];
        writer
            .write_record(header)
            .map_err(|e| crate::AppError::Internal(e.to_string()))?;
        for row in &rows {
            let at = row
                .at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
            let unit = row.unit_id.map(|u| u.to_string()).unwrap_or_default();
            // Labels and summaries hold what people typed: shown, never run, by a spreadsheet.
            let record = [
                at.as_str(),
                &row.actor_label,
                &row.action,
                &row.target_type,
                &row.target_id,
                &unit,
                &row.summary,
            ]
            .map(csv_safe_cell);
            writer
                .write_record(record.iter().map(|c| c.as_bytes()))
                .map_err(|e| crate::AppError::Internal(e.to_string()))?;
        }
        writer
            .flush()
            .map_err(|e| crate::AppError::Internal(e.to_string()))?;
    }
    record_alone(
        db,
        actor,
        Change {
            action: "audit.export",
            target_type: "audit_log",
            target_id: format!("{} entries", rows.len()),
            unit_id: actor.grants.first().map(|g| g.unit_id),
            summary: format!(
                "action={:?} from={:?} to={:?}",
                query.action, query.from, query.to
            ),
        },
    )
    .await?;
    Ok(out)
}
