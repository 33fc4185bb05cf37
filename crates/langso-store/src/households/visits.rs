//! The visit ledger: append-only.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// One door-to-door visit.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct VisitRow {
    /// Id (UUIDv7; a phone may create it offline).
    pub id: Uuid,
    /// The household.
    pub household_id: Uuid,
    /// Its village at the time.
    pub unit_id: Uuid,
    /// The day of the visit.
    pub visited_on: Date,
    /// The team member.
    pub visitor_id: Option<Uuid>,
    /// As shown.
    pub visitor_label: String,
    /// Observed values as JSON `{"vneid_2": 2, …}`.
    pub observed: String,
    /// Help given, comma-separated codes.
    pub help_given: String,
    /// When to come back.
    pub follow_up_on: Option<Date>,
    /// Notes.
    pub notes: String,
    /// Recorded.
    pub created_at: OffsetDateTime,
}

/// A household's visits, newest first.
pub async fn visits_of(ex: impl Into<Exec<'_>>, household: Uuid) -> StoreResult<Vec<VisitRow>> {
    let sql = "SELECT id, household_id, unit_id, visited_on, visitor_id, visitor_label, observed, \
               help_given, follow_up_on, notes, created_at FROM visits WHERE household_id = $1 \
               ORDER BY visited_on DESC, id DESC";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(household).fetch_all(e).await)?)
}

/// Appends visits, skipping ids already in the ledger (phones retrying); returns the ids
/// that were new.
pub async fn insert_new_visits(tx: &mut Tx, visits: &[VisitRow]) -> StoreResult<Vec<Uuid>> {
    let mut inserted = Vec::with_capacity(visits.len());
    // Eleven parameters a row: well under SQLite's bound-parameter limit.
    for chunk in visits.chunks(1_000) {
        let ids: Vec<(Uuid,)> = on_tx!(tx, c => {
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
            q.push(" ON CONFLICT (id) DO NOTHING RETURNING id");
            q.build_query_as().persistent(false).fetch_all(&mut *c).await
        })?;
        inserted.extend(ids.into_iter().map(|(id,)| id));
    }
    Ok(inserted)
}

/// Locks the households a group of visits changes, before anything else is written: their
/// indicator values are read next and each change (and its counter delta) is computed from
/// them, so a second node writing visits to the same households waits here until this
/// transaction commits, then reads the values it left. Without the lock two nodes read the
/// same old value and both add their delta from it, and the village counters drift from the
/// households' values. Locks are taken in id order, so two writers never deadlock. On SQLite
/// this does nothing: `BEGIN IMMEDIATE` already lets one writer in at a time, across processes.
pub async fn lock_households(tx: &mut Tx, households: &[Uuid]) -> StoreResult<()> {
    let Tx::Postgres(transaction) = tx else {
        return Ok(());
    };
    let mut sorted = households.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    for chunk in sorted.chunks(1_000) {
        sqlx::query("SELECT id FROM households WHERE id = ANY($1) ORDER BY id FOR UPDATE")
            .bind(chunk)
            .fetch_all(&mut **transaction)
            .await?;
    }
    Ok(())
}

/// The households of visits already in the ledger, by visit id: (visit, household). A retried
/// visit id is a replay only for the same household; for another it is a conflict.
pub async fn households_of_visits(tx: &mut Tx, ids: &[Uuid]) -> StoreResult<Vec<(Uuid, Uuid)>> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(1_000) {
        let mut part: Vec<(Uuid, Uuid)> = on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new("SELECT id, household_id FROM visits WHERE id IN (");
            let mut list = q.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            q.push(")");
            q.build_query_as().persistent(false).fetch_all(&mut *c).await
        })?;
        rows.append(&mut part);
    }
    Ok(rows)
}

/// The current indicator values of several households: (household, indicator, value).
pub async fn values_of_households(
    tx: &mut Tx,
    households: &[Uuid],
) -> StoreResult<Vec<(Uuid, String, i64)>> {
    let mut rows = Vec::new();
    for chunk in households.chunks(1_000) {
        let mut part: Vec<(Uuid, String, i64)> = on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT household_id, indicator, value FROM household_indicators WHERE household_id IN (",
            );
            let mut list = q.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            q.push(")");
            q.build_query_as().persistent(false).fetch_all(&mut *c).await
        })?;
        rows.append(&mut part);
    }
    Ok(rows)
}

/// Marks never-visited households as visited (on `earliest`, a date no later than any of
/// their visits, which [`mark_visits`] then moves forward); returns those that were never
/// visited before. The condition sits in the UPDATE, so two writers racing on one household
/// count it once (PostgreSQL re-checks the row after the first commits; SQLite writers take
/// turns).
pub async fn mark_first_visits(
    tx: &mut Tx,
    households: &[Uuid],
    earliest: Date,
) -> StoreResult<Vec<Uuid>> {
    let mut first = Vec::new();
    for chunk in households.chunks(1_000) {
        let mut part: Vec<(Uuid,)> = on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new("UPDATE households SET last_visit_on = ");
            q.push_bind(earliest);
            q.push(" WHERE last_visit_on IS NULL AND id IN (");
            let mut list = q.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            q.push(") RETURNING id");
            q.build_query_as().persistent(false).fetch_all(&mut *c).await
        })?;
        first.extend(part.drain(..).map(|(id,)| id));
    }
    Ok(first)
}

/// A household's outcome of the visits written together: its latest visit day and the
/// follow-up asked for by the last of them.
#[derive(Clone, Copy, Debug)]
pub struct VisitMark {
    /// The household.
    pub household: Uuid,
    /// Its latest visit among those written.
    pub visited_on: Date,
    /// The follow-up the last of them asked for.
    pub follow_up_on: Option<Date>,
    /// How many visits were written: the household's version goes up by as many.
    pub visits: i64,
}

/// Records visits' outcomes on their households in one statement: the last visit moves
/// forward (never back), the follow-up is replaced, the version goes up by the number of
/// visits. One mark per household.
pub async fn mark_visits(tx: &mut Tx, marks: &[VisitMark]) -> StoreResult<()> {
    let now = OffsetDateTime::now_utc();
    for chunk in marks.chunks(1_000) {
        on_tx!(tx, c => {
            // VALUES columns are column1… in both dialects (SQLite takes no alias list).
            let mut q = sqlx::QueryBuilder::new(
                "UPDATE households SET last_visit_on = CASE WHEN households.last_visit_on IS NULL \
                 OR households.last_visit_on < v.column2 THEN v.column2 ELSE households.last_visit_on END, \
                 follow_up_on = v.column3, version = households.version + v.column4, updated_at = ",
            );
            q.push_bind(now);
            q.push(" FROM (");
            q.push_values(chunk, |mut b, m| {
                b.push_bind(m.household).push_bind(m.visited_on).push_bind(m.follow_up_on)
                    .push_bind(m.visits);
            });
            q.push(") AS v WHERE households.id = v.column1");
            q.build().persistent(false).execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Removes free-text notes from a household's visits (erasure); the observed values stay.
pub async fn erase_visit_notes(tx: &mut Tx, household: Uuid) -> StoreResult<()> {
    let sql = "UPDATE visits SET notes = '' WHERE household_id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(household).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}
