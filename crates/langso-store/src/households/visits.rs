//! The visit ledger: append-only.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Exec, Script, StoreResult, Tx, in_script, on_exec, on_tx};

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

/// What a group of visits must know before it is written, read under the write lock (after
/// [`lock_households`]) in one statement.
#[derive(Clone, Debug, Default)]
pub struct VisitsBefore {
    /// Visits of the group already in the ledger: (visit, household). A retried visit id is
    /// a replay only for the same household; for another it is a conflict.
    pub recorded: Vec<(Uuid, Uuid)>,
    /// Each household's last visit day and follow-up: (household, last visit, follow-up).
    pub states: Vec<(Uuid, Option<Date>, Option<Date>)>,
    /// Each household's current indicator values: (household, indicator, value).
    pub values: Vec<(Uuid, String, i64)>,
}

/// Reads [`VisitsBefore`] for the visits `ids` of `households`: the households joined to their
/// values, and after them the visits already recorded, as rows of one shape. The text of a
/// small group is kept prepared (see [`crate::Script`]).
pub async fn before_visits(
    tx: &mut Tx,
    ids: &[Uuid],
    households: &[Uuid],
) -> StoreResult<VisitsBefore> {
    type Row = (
        Uuid,
        Option<Date>,
        Option<Date>,
        Option<String>,
        Option<i64>,
        Option<Uuid>,
    );
    let mut before = VisitsBefore::default();
    let mut seen = std::collections::BTreeSet::new();
    let parts = ids.len().max(households.len()).div_ceil(1_000);
    let keep = ids.len().max(households.len()) <= crate::SMALL_GROUP;
    for part in 0..parts {
        let slice = |list: &'_ [Uuid]| -> Vec<Uuid> {
            list.iter()
                .skip(part * 1_000)
                .take(1_000)
                .copied()
                .collect()
        };
        let (ids, households) = (slice(ids), slice(households));
        let rows: Vec<Row> = on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT h.id, h.last_visit_on, h.follow_up_on, v.indicator, v.value, \
                 CAST(NULL AS UUID) FROM households h \
                 LEFT JOIN household_indicators v ON v.household_id = h.id WHERE h.id IN (",
            );
            in_list(&mut q, &households);
            q.push(") UNION ALL SELECT household_id, NULL, NULL, NULL, NULL, id FROM visits WHERE id IN (");
            in_list(&mut q, &ids);
            q.push(")");
            q.build_query_as().persistent(keep).fetch_all(&mut *c).await
        })?;
        for (id, last, follow_up, indicator, value, visit) in rows {
            if let Some(visit) = visit {
                before.recorded.push((visit, id));
                continue;
            }
            if seen.insert(id) {
                before.states.push((id, last, follow_up));
            }
            if let (Some(indicator), Some(value)) = (indicator, value) {
                before.values.push((id, indicator, value));
            }
        }
    }
    Ok(before)
}

/// Pushes `ids` as a bound list (`NULL` when empty: `IN ()` is no SQL).
fn in_list<DB: sqlx::Database>(q: &mut sqlx::QueryBuilder<DB>, ids: &[Uuid])
where
    Uuid: for<'a> sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    if ids.is_empty() {
        q.push("NULL");
        return;
    }
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
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

/// Records visits' outcomes on their households, as statements of a script (one per
/// thousand households): the last visit moves forward (never back), the follow-up is
/// replaced, the version goes up by the number of visits. One mark per household.
pub fn queue_marks(script: &mut Script, marks: &[VisitMark]) {
    let now = OffsetDateTime::now_utc();
    for chunk in marks.chunks(1_000) {
        in_script!(script, q => {
            // VALUES columns are column1… in both dialects (SQLite takes no alias list).
            q.push(
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
        });
    }
}

/// Removes free-text notes from a household's visits (erasure); the observed values stay.
pub async fn erase_visit_notes(tx: &mut Tx, household: Uuid) -> StoreResult<()> {
    let sql = "UPDATE visits SET notes = '' WHERE household_id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(household).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}
