//! The visit ledger: append-only.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::script::{day, hex, json_rows, moment};
use crate::{Exec, Script, StoreResult, Tx, on_exec, on_tx};

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
    /// The credential generation, read by the same statement (absent only when it found no
    /// row): the writer checks against it the API tokens its visits came with.
    pub generation: Option<i64>,
}

/// Reads [`VisitsBefore`] for the visits `ids` of `households`: the households joined to their
/// values, and after them the visits already recorded, as rows of one shape.
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
        Option<i64>,
    );
    const COLUMNS: &str = "SELECT h.id, h.last_visit_on, h.follow_up_on, v.indicator, v.value, \
         CAST(NULL AS UUID), (SELECT value FROM credential_generation WHERE id = 1) \
         FROM households h \
         LEFT JOIN household_indicators v ON v.household_id = h.id WHERE h.id IN ";
    const RECORDED: &str = " UNION ALL SELECT household_id, NULL, NULL, NULL, NULL, id, \
         (SELECT value FROM credential_generation WHERE id = 1) FROM visits WHERE id IN ";
    // One fixed text on either database, kept prepared: the ids go as one array each.
    let rows: Vec<Row> = match tx {
        Tx::Sqlite(transaction) => {
            let list = |ids: &[Uuid]| json_rows(&ids.iter().map(hex).collect::<Vec<_>>());
            // Usually the transaction's first statement: its BEGIN goes in the same text.
            let sql = format!(
                "{}{COLUMNS}(SELECT unhex(value) FROM json_each($1)){RECORDED}\
                 (SELECT unhex(value) FROM json_each($2))",
                transaction.begin_prefix()
            );
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(list(households))
                .bind(list(ids))
                .fetch_all(transaction.conn().await?)
                .await?
        }
        Tx::Postgres(transaction) => {
            let sql = format!(
                "{COLUMNS}(SELECT UNNEST($1::uuid[])){RECORDED}(SELECT UNNEST($2::uuid[]))"
            );
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(households)
                .bind(ids)
                .fetch_all(&mut **transaction)
                .await?
        }
    };
    let mut before = VisitsBefore::default();
    let mut seen = std::collections::BTreeSet::new();
    for (id, last, follow_up, indicator, value, visit, generation) in rows {
        before.generation = Some(generation.unwrap_or(0));
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
    Ok(before)
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
    if marks.is_empty() {
        return;
    }
    let now = OffsetDateTime::now_utc();
    const SET: &str = "UPDATE households SET last_visit_on = CASE WHEN households.last_visit_on IS NULL \
         OR households.last_visit_on < v.column2 THEN v.column2 ELSE households.last_visit_on END, \
         follow_up_on = v.column3, version = households.version + v.column4, updated_at = ";
    if script.is_sqlite() {
        let rows: Vec<_> = marks
            .iter()
            .map(|m| {
                (
                    hex(&m.household),
                    day(&m.visited_on),
                    m.follow_up_on.as_ref().map(day),
                    m.visits,
                )
            })
            .collect();
        script.push_sqlite(
            &format!(
                "{SET}? FROM (SELECT unhex(value->>0) AS column1, value->>1 AS column2, \
                 value->>2 AS column3, value->>3 AS column4 FROM json_each(?)) AS v \
                 WHERE households.id = v.column1"
            ),
            vec![moment(&now), json_rows(&rows)],
        );
        return;
    }
    for chunk in marks.chunks(1_000) {
        let Some(q) = script.postgres() else { return };
        // VALUES columns are column1… in PostgreSQL.
        q.push(SET);
        q.push_bind(now);
        q.push(" FROM (");
        q.push_values(chunk, |mut b, m| {
            b.push_bind(m.household)
                .push_bind(m.visited_on)
                .push_bind(m.follow_up_on)
                .push_bind(m.visits);
        });
        q.push(") AS v WHERE households.id = v.column1");
    }
}

/// Removes free-text notes from a household's visits (erasure); the observed values stay.
pub async fn erase_visit_notes(tx: &mut Tx, household: Uuid) -> StoreResult<()> {
    let sql = "UPDATE visits SET notes = '' WHERE household_id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(household).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}
