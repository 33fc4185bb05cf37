//! Bulk writes for loading many households at once (the demo, large imports): multi-row
//! INSERTs in batches inside the caller's transaction, instead of one statement per row.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::{HouseholdRow, VisitRow, search_key};
use crate::{StoreResult, Tx, on_tx};

/// Rows per INSERT: stays under SQLite's 32,766 bound parameters for the widest table.
const BATCH: usize = 1_000;

/// Inserts households.
pub async fn insert_households(tx: &mut Tx, rows: &[HouseholdRow]) -> StoreResult<()> {
    for chunk in rows.chunks(BATCH) {
        on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO households (id, unit_id, commune_id, code, hamlet, alley, house_number, \
                 head_name, representative_name, representative_phone, citizen_id, members, adults, \
                 business, consent_on, consent_purpose, notes, search_key, assigned_to, follow_up_on, \
                 last_visit_on, erased, created_at, updated_at) ",
            );
            // Strings are bound by reference: a million rows would otherwise copy every
            // cell once more before SQLite copies it again.
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.id).push_bind(r.unit_id).push_bind(r.commune_id).push_bind(r.code.as_str())
                    .push_bind(r.hamlet.as_str()).push_bind(r.alley.as_str()).push_bind(r.house_number.as_str())
                    .push_bind(r.head_name.as_str()).push_bind(r.representative_name.as_str())
                    .push_bind(r.representative_phone.as_deref()).push_bind(r.citizen_id.as_deref())
                    .push_bind(r.members).push_bind(r.adults).push_bind(r.business).push_bind(r.consent_on)
                    .push_bind(r.consent_purpose.as_str()).push_bind(r.notes.as_str()).push_bind(search_key(r))
                    .push_bind(r.assigned_to).push_bind(r.follow_up_on).push_bind(r.last_visit_on)
                    .push_bind(r.erased).push_bind(r.created_at).push_bind(r.updated_at);
            });
            q.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Sets current indicator values (household, indicator, value), replacing existing ones.
pub async fn upsert_values(tx: &mut Tx, values: &[(Uuid, String, i64)]) -> StoreResult<()> {
    for chunk in values.chunks(BATCH * 3) {
        on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO household_indicators (household_id, indicator, value) ");
            q.push_values(chunk, |mut b, (household, indicator, value)| {
                b.push_bind(*household).push_bind(indicator.clone()).push_bind(*value);
            });
            q.push(" ON CONFLICT (household_id, indicator) DO UPDATE SET value = excluded.value");
            q.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Appends visits.
pub async fn insert_visits(tx: &mut Tx, visits: &[VisitRow]) -> StoreResult<()> {
    for chunk in visits.chunks(BATCH) {
        on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO visits (id, household_id, unit_id, visited_on, visitor_id, visitor_label, \
                 observed, help_given, follow_up_on, notes, created_at) ",
            );
            q.push_values(chunk, |mut b, v| {
                b.push_bind(v.id).push_bind(v.household_id).push_bind(v.unit_id).push_bind(v.visited_on)
                    .push_bind(v.visitor_id).push_bind(v.visitor_label.clone()).push_bind(v.observed.clone())
                    .push_bind(v.help_given.clone()).push_bind(v.follow_up_on).push_bind(v.notes.clone())
                    .push_bind(v.created_at);
            });
            q.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Adds counter deltas collected in memory: one statement per (village, key).
pub async fn add_counters(tx: &mut Tx, deltas: &BTreeMap<(Uuid, String), i64>) -> StoreResult<()> {
    for ((unit, key), delta) in deltas {
        super::add_counter(tx, *unit, key, *delta).await?;
    }
    Ok(())
}
