//! The data subject's rights (Law 91/2025/QH15): everything held on one household as JSON, and
//! erasure that anonymises the household but keeps the aggregate counts. Both are audited.

use langso_domain::auth::Permission;
use langso_store::audit::{self as audit_store, AuditFilter};
use langso_store::households as store;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, Db, today};

/// Everything held on one household, unmasked (the subject is entitled to it), as JSON. Needs
/// the export right on its village and the PII right; the export is audited.
pub async fn subject_export(db: &Db, actor: &Actor, id: Uuid) -> AppResult<Value> {
    let row = store::get_household(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ExportPeople, row.unit_id).await?;
    if !actor.pii {
        return Err(AppError::Forbidden);
    }
    let values: serde_json::Map<String, Value> = store::household_values(db, id)
        .await?
        .into_iter()
        .map(|(code, value)| (code, json!(value)))
        .collect();
    let visits: Vec<Value> = store::visits_of(db, id)
        .await?
        .into_iter()
        .map(|v| json!({
            "id": v.id, "visited_on": v.visited_on.to_string(), "visitor": v.visitor_label,
            "observed": serde_json::from_str::<Value>(&v.observed).unwrap_or(Value::Null),
            "help_given": v.help_given, "follow_up_on": v.follow_up_on.map(|d| d.to_string()), "notes": v.notes,
        }))
        .collect();
    let filter = AuditFilter {
        scope: Some(row.unit_id),
        action: Some("household.".into()),
        limit: 10_000,
        ..Default::default()
    };
    let history: Vec<Value> = audit_store::list(db, &filter, today())
        .await?
        .into_iter()
        .filter(|e| e.target_id == row.code)
        .map(|e| json!({"at": e.at.to_string(), "actor": e.actor_label, "action": e.action, "summary": e.summary}))
        .collect();
    // --- comms ---
    let groups: Vec<Value> = langso_store::comms::groups_of_household(db, id)
        .await?
        .into_iter()
        .map(|g| json!({"group": g.name, "platform": g.platform}))
        .collect();
    let export = json!({
        "household": {
            "id": row.id, "code": row.code, "hamlet": row.hamlet, "alley": row.alley,
            "house_number": row.house_number, "head_name": row.head_name,
            "representative_name": row.representative_name,
            "representative_phone": row.representative_phone, "citizen_id": row.citizen_id,
            "members": row.members, "adults": row.adults, "business": row.business,
            "consent_on": row.consent_on.map(|d| d.to_string()), "consent_purpose": row.consent_purpose,
            "notes": row.notes, "erased": row.erased,
        },
        "indicators": values,
        "visits": visits,
        "history": history,
        "groups": groups,
    });
    super::seen::record_seen(
        db,
        actor,
        Change {
            action: "household.subject_export",
            target_type: "household",
            target_id: row.code,
            unit_id: Some(row.unit_id),
            summary: "data-subject export (JSON)".to_owned(),
        },
        &[row.id],
    )
    .await?;
    Ok(export)
}

/// Anonymises a household at the subject's request: names, numbers, address details and notes
/// are removed; its indicator values and the village counters stay, so aggregates do not move.
pub async fn erase_household(db: &Db, actor: &Actor, id: Uuid) -> AppResult<()> {
    let row = store::get_household(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ExportPeople, row.unit_id).await?;
    let mut tx = db.begin().await?;
    erase_in(
        &mut tx,
        actor,
        row,
        "anonymised at the data subject's request; counts kept",
    )
    .await?;
    tx.commit().await?;
    crate::privacy::requests::note_in_ledger_file(db, id);
    Ok(())
}

/// Anonymises `row` inside `tx` (the caller checked the right), notes its id in the erasure
/// ledger and records `summary` in the audit log.
pub(crate) async fn erase_in(
    tx: &mut langso_store::Tx,
    actor: &Actor,
    mut row: store::HouseholdRow,
    summary: &str,
) -> AppResult<()> {
    let code = row.code.clone();
    let id = row.id;
    row.head_name = "(đã xóa / erased)".to_owned();
    row.representative_name = row.head_name.clone();
    row.representative_phone = None;
    row.citizen_id = None;
    row.house_number = String::new();
    row.notes = String::new();
    row.consent_purpose = String::new();
    row.erased = true;
    row.assigned_to = None;
    store::update_household(tx, &row).await?;
    store::erase_visit_notes(tx, id).await?;
    langso_store::privacy::requests::record_erasure(tx, id, None, time::OffsetDateTime::now_utc())
        .await?;
    audit::record(
        tx,
        actor,
        Change {
            action: "household.erase",
            target_type: "household",
            target_id: code,
            unit_id: Some(row.unit_id),
            summary: summary.to_owned(),
        },
    )
    .await?;
    Ok(())
}
