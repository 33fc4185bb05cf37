//! Bulk writes for loading many households at once (the demo, large imports): multi-row
//! INSERTs in batches inside the caller's transaction, instead of one statement per row.

use std::collections::HashMap;
use std::sync::Arc;

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{HouseholdRow, VisitRow, search_key};
use crate::script::{day, hex, json_rows, moment};
use crate::{Db, Script, StoreError, StoreResult, Tx, on_tx};

/// Rows per INSERT: stays under SQLite's 32,766 bound parameters for the widest table.
const BATCH: usize = 1_000;

/// The columns a multi-row households INSERT names, after its verb.
const HOUSEHOLD_COLUMNS: &str = " INTO households (id, unit_id, commune_id, code, hamlet, alley, \
    house_number, head_name, representative_name, representative_phone, citizen_id, members, \
    adults, business, consent_on, consent_purpose, notes, search_key, assigned_to, follow_up_on, \
    last_visit_on, erased, created_at, updated_at) ";

/// Households encoded into multi-row INSERTs, ready for [`insert_prepared`]. A bulk load
/// encodes the next batch (search keys folded, values moved into the statements' arguments)
/// on its own thread while the database writes the batch before, so the database's thread
/// does nothing but write.
pub struct PreparedHouseholds(Statements);

enum Statements {
    Sqlite(Vec<sqlx::QueryBuilder<sqlx::Sqlite>>),
    Postgres(Vec<sqlx::QueryBuilder<sqlx::Postgres>>),
}

/// The statements for `rows`, [`BATCH`] rows each, their text, time and date values put
/// through `$values` (a [`NativeValues`] or a [`SharedTexts`]).
macro_rules! households_statements {
    ($insert:expr, $rows:expr, $values:expr) => {{
        let values = &mut $values;
        let mut rows = $rows.into_iter().peekable();
        let mut statements = Vec::new();
        while rows.peek().is_some() {
            let mut q = sqlx::QueryBuilder::new($insert);
            q.push(HOUSEHOLD_COLUMNS);
            q.push_values(rows.by_ref().take(BATCH), |mut b, r: HouseholdRow| {
                let key = search_key(&r);
                b.push_bind(r.id)
                    .push_bind(r.unit_id)
                    .push_bind(r.commune_id)
                    .push_bind(values.text(r.code))
                    .push_bind(values.text(r.hamlet))
                    .push_bind(values.text(r.alley))
                    .push_bind(values.text(r.house_number))
                    .push_bind(values.text(r.head_name))
                    .push_bind(values.text(r.representative_name))
                    .push_bind(r.representative_phone.map(|t| values.text(t)))
                    .push_bind(r.citizen_id.map(|t| values.text(t)))
                    .push_bind(r.members)
                    .push_bind(r.adults)
                    .push_bind(r.business)
                    .push_bind(r.consent_on.map(|d| values.date(d)))
                    .push_bind(values.text(r.consent_purpose))
                    .push_bind(values.text(r.notes))
                    .push_bind(values.text(key))
                    .push_bind(r.assigned_to)
                    .push_bind(r.follow_up_on.map(|d| values.date(d)))
                    .push_bind(r.last_visit_on.map(|d| values.date(d)))
                    .push_bind(r.erased)
                    .push_bind(values.time(r.created_at))
                    .push_bind(values.time(r.updated_at));
            });
            statements.push(q);
        }
        statements
    }};
}

/// PostgreSQL's values: bound as they are (dates and times as their own types).
struct NativeValues;

impl NativeValues {
    fn text(&mut self, text: String) -> String {
        text
    }
    fn date(&mut self, date: Date) -> Date {
        date
    }
    fn time(&mut self, time: OffsetDateTime) -> OffsetDateTime {
        time
    }
}

/// SQLite's values, as the texts sqlx would bind for them; texts repeated across rows
/// (timestamps, dates, empty cells) are encoded once and shared. A batch is encoded on the checking thread and
/// freed on SQLite's: every separate allocation is a free across threads, which glibc's malloc
/// serialises on the allocating thread's arena. A `String` bound as it is costs two (its buffer
/// and sqlx's `Arc`), an `Arc<str>` one, a shared one none.
#[derive(Default)]
struct SharedTexts {
    empty: Option<Arc<str>>,
    dates: HashMap<Date, Arc<str>>,
    times: HashMap<OffsetDateTime, Arc<str>>,
}

impl SharedTexts {
    fn text(&mut self, text: String) -> Arc<str> {
        if text.is_empty() {
            return self.empty.get_or_insert_with(|| Arc::from("")).clone();
        }
        Arc::from(text)
    }
    fn date(&mut self, date: Date) -> Arc<str> {
        self.dates
            .entry(date)
            // As sqlx writes a `Date` to SQLite: `[year]-[month]-[day]`.
            .or_insert_with(|| {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                Arc::from(date.format(&format).unwrap_or_default())
            })
            .clone()
    }
    fn time(&mut self, time: OffsetDateTime) -> Arc<str> {
        self.times
            .entry(time)
            // As sqlx writes an `OffsetDateTime` to SQLite: RFC 3339.
            .or_insert_with(|| Arc::from(time.format(&Rfc3339).unwrap_or_default()))
            .clone()
    }
}

/// Encodes `rows` for the database behind `db` (see [`PreparedHouseholds`]). On SQLite a
/// constraint error keeps the rows of the failed statement inserted before it (`OR FAIL`, so
/// that SQLite keeps no statement journal in a bulk load); every caller rolls the transaction
/// back on an error.
pub fn prepare_households(db: &Db, rows: Vec<HouseholdRow>) -> PreparedHouseholds {
    prepare_for(matches!(db, Db::Sqlite(..)), rows)
}

fn prepare_for(sqlite: bool, rows: Vec<HouseholdRow>) -> PreparedHouseholds {
    PreparedHouseholds(if sqlite {
        Statements::Sqlite(households_statements!(
            "INSERT OR FAIL",
            rows,
            SharedTexts::default()
        ))
    } else {
        Statements::Postgres(households_statements!("INSERT", rows, NativeValues))
    })
}

/// Writes households encoded by [`prepare_households`] for this transaction's database.
pub async fn insert_prepared(tx: &mut Tx, prepared: PreparedHouseholds) -> StoreResult<()> {
    match (tx, prepared.0) {
        (Tx::Sqlite(transaction), Statements::Sqlite(statements)) => {
            let conn = transaction.conn().await?;
            for mut q in statements {
                q.build().persistent(false).execute(&mut *conn).await?;
            }
        }
        (Tx::Postgres(transaction), Statements::Postgres(statements)) => {
            for mut q in statements {
                q.build()
                    .persistent(false)
                    .execute(&mut **transaction)
                    .await?;
            }
        }
        _ => {
            return Err(StoreError::Corrupt(
                "households prepared for another database".into(),
            ));
        }
    }
    Ok(())
}

/// Inserts households (encoded here, then written; see [`prepare_households`]).
pub async fn insert_households(tx: &mut Tx, rows: &[HouseholdRow]) -> StoreResult<()> {
    let prepared = prepare_for(matches!(tx, Tx::Sqlite(..)), rows.to_vec());
    insert_prepared(tx, prepared).await
}

/// Sets current indicator values (household, indicator, value), replacing existing ones.
pub async fn upsert_values(tx: &mut Tx, values: &[(Uuid, String, i64)]) -> StoreResult<()> {
    let mut script = Script::for_tx(tx);
    queue_values(&mut script, values);
    script.run(tx).await
}

/// [`upsert_values`] as statements of a script.
pub fn queue_values(script: &mut Script, values: &[(Uuid, String, i64)]) {
    if values.is_empty() {
        return;
    }
    if script.is_sqlite() {
        let rows: Vec<(String, &str, i64)> = values
            .iter()
            .map(|(household, code, value)| (hex(household), code.as_str(), *value))
            .collect();
        // `WHERE true` tells SQLite the ON CONFLICT belongs to the INSERT, not a join.
        script.push_sqlite(
            "INSERT INTO household_indicators (household_id, indicator, value) \
             SELECT unhex(value->>0), value->>1, value->>2 FROM json_each(?) WHERE true \
             ON CONFLICT (household_id, indicator) DO UPDATE SET value = excluded.value",
            vec![json_rows(&rows)],
        );
        return;
    }
    for chunk in values.chunks(BATCH * 3) {
        let Some(q) = script.postgres() else { return };
        q.push("INSERT INTO household_indicators (household_id, indicator, value) ");
        q.push_values(chunk, |mut b, (household, indicator, value)| {
            b.push_bind(*household)
                .push_bind(indicator.clone())
                .push_bind(*value);
        });
        q.push(" ON CONFLICT (household_id, indicator) DO UPDATE SET value = excluded.value");
    }
}

/// Appends visits.
pub async fn insert_visits(tx: &mut Tx, visits: &[VisitRow]) -> StoreResult<()> {
    let mut script = Script::for_tx(tx);
    queue_visits(&mut script, visits);
    script.run(tx).await
}

/// [`insert_visits`] as statements of a script. An id already in the ledger fails the
/// script (the caller reads which are there first: see [`super::before_visits`]).
pub fn queue_visits(script: &mut Script, visits: &[VisitRow]) {
    if visits.is_empty() {
        return;
    }
    if script.is_sqlite() {
        let rows: Vec<_> = visits
            .iter()
            .map(|v| {
                (
                    hex(&v.id),
                    hex(&v.household_id),
                    hex(&v.unit_id),
                    day(&v.visited_on),
                    v.visitor_id.as_ref().map(hex),
                    &v.visitor_label,
                    &v.observed,
                    &v.help_given,
                    v.follow_up_on.as_ref().map(day),
                    &v.notes,
                    moment(&v.created_at),
                )
            })
            .collect();
        script.push_sqlite(
            "INSERT INTO visits (id, household_id, unit_id, visited_on, visitor_id, visitor_label, \
             observed, help_given, follow_up_on, notes, created_at) \
             SELECT unhex(value->>0), unhex(value->>1), unhex(value->>2), value->>3, \
             unhex(value->>4), value->>5, value->>6, value->>7, value->>8, value->>9, value->>10 \
             FROM json_each(?)",
            vec![json_rows(&rows)],
        );
        return;
    }
    // Eleven parameters a row: well under PostgreSQL's bound-parameter limit.
    for chunk in visits.chunks(BATCH) {
        let Some(q) = script.postgres() else { return };
        q.push(
            "INSERT INTO visits (id, household_id, unit_id, visited_on, visitor_id, visitor_label, \
             observed, help_given, follow_up_on, notes, created_at) ",
        );
        q.push_values(chunk, |mut b, v| {
            b.push_bind(v.id)
                .push_bind(v.household_id)
                .push_bind(v.unit_id)
                .push_bind(v.visited_on)
                .push_bind(v.visitor_id)
                .push_bind(v.visitor_label.clone())
                .push_bind(v.observed.clone())
                .push_bind(v.help_given.clone())
                .push_bind(v.follow_up_on)
                .push_bind(v.notes.clone())
                .push_bind(v.created_at);
        });
    }
}

/// Whether every one of `units` exists: a bulk load on a connection without foreign-key
/// enforcement ([`crate::Db::begin_bulk_load`]) checks the units its rows point at with this,
/// inside its transaction, before it commits.
pub async fn check_units_exist(tx: &mut Tx, units: &[Uuid]) -> StoreResult<bool> {
    for chunk in units.chunks(BATCH) {
        let found: i64 = on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new("SELECT COUNT(*) FROM units WHERE id IN (");
            let mut ids = q.separated(", ");
            for unit in chunk {
                ids.push_bind(*unit);
            }
            q.push(")");
            q.build_query_scalar().persistent(false).fetch_one(&mut *c).await
        })?;
        if usize::try_from(found).ok() != Some(chunk.len()) {
            return Ok(false);
        }
    }
    Ok(true)
}
