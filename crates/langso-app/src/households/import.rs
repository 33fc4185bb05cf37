//! Importing the household register from the files offices already keep (CSV or XLSX).
//!
//! One pass over the file, streamed: each row is parsed and checked, and (unless this is a dry
//! run) handed in batches to a writer task that inserts them with multi-row INSERTs inside one
//! transaction while the next batch is being checked; counters are summed in memory
//! and written once at the end. Any bad cell anywhere means the transaction is rolled back and
//! every bad cell is reported by row and column, so the commit is all-or-nothing. Rows whose
//! household code already exists in the commune update that household, and only if something
//! changed: importing the same file twice writes nothing the second time (no counter drift, no
//! audit entry).

use std::collections::{BTreeMap, HashMap};

use langso_domain::auth::Permission;
use langso_store::households::{self as store, HouseholdRow};
use uuid::Uuid;

use super::columns::{Column, Layout, column_of_field};
pub use super::import_target::resolve_unit;
use super::import_target::{Target, target};
use super::import_writer::{self, Write, same, send};
use super::limits::MAX_REPORTED_ERRORS;
use super::register::{HouseholdInput, adult_counting, fewer_adults, validate};
use super::seen_codes::SeenCodes;
use super::sheet::{Cell, Rows, cell_bool, cell_date, cell_integer};
use crate::audit::{self, Change};
use crate::auth::Actor;
use crate::auth::policy;
use crate::progress::Progress;
use crate::{AppError, AppResult, CellError, Db};

/// What an import did (or, in a dry run, would do).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ImportReport {
    /// The unit imported into.
    pub unit_name: String,
    /// Data rows read.
    pub rows: usize,
    /// New households.
    pub created: usize,
    /// Existing households (same code in the commune) changed.
    pub updated: usize,
    /// Existing households already as in the file.
    pub unchanged: usize,
    /// Nothing was written.
    pub dry_run: bool,
    /// Columns of the file that were not recognised (ignored).
    pub ignored_columns: Vec<String>,
    /// Totals rows ("Tổng cộng") left out, by row number.
    pub totals_skipped: Vec<usize>,
    /// The encoding a CSV file was converted from, when it was not UTF-8.
    pub converted_from: Option<String>,
}

/// The state of one import pass.
struct Pass<'a> {
    target: &'a Target,
    layout: Layout,
    existing: HashMap<String, HouseholdRow>,
    /// Codes read so far, with the first row each appeared on.
    seen: SeenCodes,
    errors: Vec<CellError>,
    /// Bad cells past [`MAX_REPORTED_ERRORS`], counted only.
    errors_dropped: usize,
    /// The first row holding a masked number ("091*****78"): the file is an export made
    /// without the right to see personal numbers, refused whole with one message.
    masked: Option<usize>,
    report: ImportReport,
    created: Vec<HouseholdRow>,
    counters: BTreeMap<(Uuid, String), i64>,
}

const BATCH: usize = 1_000;
/// SQLite's page cache for the import's connection, in MB: a million households fill four
/// indexes, and each page evicted early is written to the WAL again when it is next touched.
/// With the codes table (~35 MB at a million rows) this keeps a million-row import under the
/// 200 MB DESIGN.md allows.
pub const IMPORT_CACHE_MB: u32 = 64;
/// Codes the table of codes seen is sized for up front; a longer file grows it.
const SEEN_PRESIZE_LIMIT: u64 = 2_000_000;

impl Pass<'_> {
    /// Keeps the first [`MAX_REPORTED_ERRORS`] bad cells; counts the rest.
    fn add_errors(&mut self, errors: &mut Vec<CellError>) {
        let room = MAX_REPORTED_ERRORS.saturating_sub(self.errors.len());
        self.errors_dropped += errors.len().saturating_sub(room);
        errors.truncate(room);
        self.errors.append(errors);
    }

    /// Checks one row; returns what to write: a new household, or (old, new) for an update.
    fn row(&mut self, row: usize, cells: &[Cell]) -> Option<(Option<HouseholdRow>, HouseholdRow)> {
        let layout = &self.layout;
        let mut bad = Vec::new();
        let code_cell = layout
            .cell(cells, Column::Code)
            .map(Cell::text)
            .unwrap_or_default();
        let masked = [Column::Phone, Column::CitizenId]
            .into_iter()
            .filter_map(|column| layout.cell(cells, column))
            .any(|cell| matches!(cell, Cell::Text(t) if t.contains('*')));
        if masked {
            self.masked.get_or_insert(row);
            return None;
        }
        let old = self.existing.get(code_cell.trim());
        // Columns the file does not have keep what the register holds.
        let mut input = match old {
            Some(old) => HouseholdInput {
                unit_id: Some(old.unit_id),
                code: code_cell.clone(),
                hamlet: old.hamlet.clone(),
                alley: old.alley.clone(),
                house_number: old.house_number.clone(),
                head_name: old.head_name.clone(),
                representative_name: old.representative_name.clone(),
                representative_phone: old.representative_phone.clone().unwrap_or_default(),
                citizen_id: old.citizen_id.clone().unwrap_or_default(),
                members: old.members,
                adults: old.adults,
                business: old.business,
                consent_on: old.consent_on,
                consent_purpose: old.consent_purpose.clone(),
                notes: old.notes.clone(),
            },
            None => HouseholdInput {
                code: code_cell.clone(),
                ..Default::default()
            },
        };
        let text = |column| layout.cell(cells, column).map(Cell::text);
        if let Some(value) = text(Column::Hamlet) {
            input.hamlet = value;
        }
        if let Some(value) = text(Column::Alley) {
            input.alley = value;
        }
        if let Some(value) = text(Column::HouseNumber) {
            input.house_number = value;
        }
        if let Some(value) = text(Column::HeadName) {
            input.head_name = value;
        }
        if let Some(value) = text(Column::Representative) {
            input.representative_name = value;
        }
        if let Some(value) = text(Column::Phone) {
            input.representative_phone = value;
        }
        if let Some(value) = text(Column::CitizenId) {
            input.citizen_id = match layout.cell(cells, Column::CitizenId) {
                // Excel dropped the leading zeros of a number typed without a quote.
                Some(Cell::Number(_))
                    if value.len() < 12 && value.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    format!("{value:0>12}")
                }
                _ => value,
            };
        }
        if let Some(value) = text(Column::ConsentPurpose) {
            input.consent_purpose = value;
        }
        if let Some(value) = text(Column::Notes) {
            input.notes = value;
        }
        for (column, slot) in [
            (Column::Members, &mut input.members),
            (Column::Adults, &mut input.adults),
        ] {
            match layout.cell(cells, column) {
                None => {}
                Some(cell) if cell.is_blank() && column == Column::Adults => *slot = -1,
                Some(cell) => match cell_integer(cell) {
                    Some(n) => *slot = n,
                    None => bad.push(CellError::keyed(
                        row,
                        layout.header(column),
                        "households-cell-not-whole-number",
                        &[("value", &cell.text())],
                    )),
                },
            }
        }
        if input.adults < 0 || (old.is_none() && !layout.index.contains_key(&Column::Adults)) {
            // No adults figure: every member counts as an adult until a visit says otherwise.
            input.adults = input.members;
        }
        if let Some(cell) = layout.cell(cells, Column::Business) {
            match cell_bool(cell) {
                Some(b) => input.business = b,
                None => bad.push(CellError::keyed(
                    row,
                    layout.header(Column::Business),
                    "households-cell-not-yes",
                    &[("value", &cell.text())],
                )),
            }
        }
        if let Some(cell) = layout.cell(cells, Column::ConsentOn) {
            if cell.is_blank() {
                input.consent_on = None;
            } else {
                match cell_date(cell) {
                    Some(d) => input.consent_on = Some(d),
                    None => bad.push(CellError::keyed(
                        row,
                        layout.header(Column::ConsentOn),
                        "households-cell-not-date",
                        &[("value", &cell.text())],
                    )),
                }
            }
        }
        // The village.
        let by_code = layout
            .cell(cells, Column::VillageCode)
            .filter(|c| !c.is_blank());
        let (village_cell, village_header) = match by_code {
            Some(cell) => (Some(cell), layout.header(Column::VillageCode)),
            None => (
                layout.cell(cells, Column::Village),
                layout.header(Column::Village),
            ),
        };
        let village = match (village_cell, self.target.only_village) {
            (Some(cell), only) if !cell.is_blank() => {
                let named = cell.text();
                match self.target.villages_named(&named) {
                    [id] => Some(*id),
                    [] => {
                        let key = match only {
                            Some(_) => "households-village-not-this",
                            None => "households-village-not-in-commune",
                        };
                        bad.push(CellError::keyed(
                            row,
                            village_header,
                            key,
                            &[("named", &named), ("unit", &self.target.unit.name)],
                        ));
                        None
                    }
                    // Two villages of that name: a household already in one of them stays.
                    ids => match old.filter(|o| ids.contains(&o.unit_id)) {
                        Some(old) => Some(old.unit_id),
                        None => {
                            bad.push(CellError::keyed(
                                row,
                                village_header,
                                "households-village-ambiguous",
                                &[("named", &named), ("count", &ids.len())],
                            ));
                            None
                        }
                    },
                }
            }
            (_, Some(only)) => Some(only),
            (Some(_), None) => {
                bad.push(CellError::keyed(
                    row,
                    village_header,
                    "households-required",
                    &[],
                ));
                None
            }
            (None, None) => None,
        };
        let unit = village.unwrap_or(self.target.unit.id);
        input.unit_id = Some(unit);
        let checked = validate(&input, unit, self.target.commune);
        let new = match checked {
            Ok(row) => Some(row),
            Err(errors) => {
                for mut e in errors {
                    let column = column_of_field(&e.column)
                        .map_or(e.column.clone(), |c| layout.header(c).to_owned());
                    // A cell already named (a word where a number goes) is named once.
                    if !bad.iter().any(|b| b.column == column) {
                        e.row = row;
                        e.column = column;
                        bad.push(e);
                    }
                }
                None
            }
        };
        let code = code_cell.trim();
        if !code.is_empty()
            && let Some(first) = self.seen.first_row_or_insert(code, row)
        {
            bad.push(CellError::keyed(
                row,
                layout.header(Column::Code),
                "households-code-repeats-row",
                &[("code", &code), ("first", &first)],
            ));
        }
        let old = new
            .as_ref()
            .and_then(|n| self.existing.get(&n.code))
            .cloned();
        if let Some(old) = &old
            && old.erased
        {
            bad.push(CellError::keyed(
                row,
                layout.header(Column::Code),
                "households-erased-no-reimport",
                &[],
            ));
        }
        if !bad.is_empty() {
            self.add_errors(&mut bad);
            return None;
        }
        new.map(|new| (old, new))
    }

    fn count(&mut self, row: &HouseholdRow, sign: i64) {
        for (key, value) in [
            ("households", 1),
            ("members", row.members),
            ("adults", row.adults),
            ("business", i64::from(row.business)),
        ] {
            if value != 0 {
                *self
                    .counters
                    .entry((row.unit_id, key.to_owned()))
                    .or_default() += sign * value;
            }
        }
    }
}

/// Imports households from `rows` into `unit` (a commune or a village the actor may write
/// in): checks every row, then, unless `dry_run`, writes all of them in one transaction or
/// none. Refusals list every bad cell.
pub async fn import_households(
    db: &Db,
    actor: &Actor,
    unit: &str,
    mut rows: Box<dyn Rows + Send>,
    file_name: &str,
    dry_run: bool,
    progress: &dyn Progress,
) -> AppResult<ImportReport> {
    let unit = resolve_unit(db, unit).await?;
    policy::require(db, actor, Permission::WritePeople, unit.id).await?;
    let target = target(db, unit).await?;
    let layout =
        Layout::new(rows.headers(), target.only_village.is_none()).map_err(AppError::Invalid)?;
    let mut pass = Pass {
        report: ImportReport {
            unit_name: target.unit.name.clone(),
            dry_run,
            ignored_columns: layout.ignored.clone(),
            ..Default::default()
        },
        target: &target,
        layout,
        existing: HashMap::new(),
        seen: SeenCodes::with_capacity(
            usize::try_from(rows.total().min(SEEN_PRESIZE_LIMIT)).unwrap_or(0),
        ),
        errors: Vec::new(),
        errors_dropped: 0,
        masked: None,
        created: Vec::with_capacity(BATCH),
        counters: BTreeMap::new(),
    };
    progress.start(
        if dry_run {
            "kiểm tra / checking"
        } else {
            "nhập / importing"
        },
        rows.total(),
    );
    // Checking rows (here) and writing them (the writer task, on its own transaction) run
    // side by side: while SQLite inserts one batch, the next is parsed and checked.
    let writer = if dry_run {
        None
    } else {
        let tx = db.begin_bulk_load(IMPORT_CACHE_MB).await?;
        Some(import_writer::start(tx))
    };
    // The indicators that count a household's adults (an update may not go below them).
    let adult_counts = adult_counting(db).await?;
    let mut since_tick = 0u64;
    // Rows are read a thousand at a time and the register's households of those codes looked
    // up together: the commune's whole register never sits in memory (a million households
    // held 1.5 GB when a re-import loaded them all up front).
    let mut chunk = Vec::with_capacity(BATCH);
    'rows: loop {
        chunk.clear();
        chunk.extend(std::iter::from_fn(|| rows.next_row()).take(BATCH));
        if chunk.is_empty() {
            break;
        }
        let codes: Vec<String> = chunk
            .iter()
            .filter_map(|next| next.as_ref().ok())
            .filter_map(|(_, cells)| pass.layout.cell(cells, Column::Code))
            .map(|cell| cell.text().trim().to_owned())
            .filter(|code| !code.is_empty())
            .collect();
        pass.existing = store::households_by_codes(db, target.commune, &codes)
            .await?
            .into_iter()
            .map(|h| (h.code.clone(), h))
            .collect();
        for next in chunk.drain(..) {
            since_tick += 1;
            if since_tick == BATCH as u64 {
                progress.advance(since_tick);
                since_tick = 0;
            }
            let (row, cells) = match next {
                Ok(row) => row,
                Err(AppError::Invalid(mut errors)) => {
                    pass.add_errors(&mut errors);
                    continue;
                }
                Err(other) => return Err(other),
            };
            pass.report.rows += 1;
            let Some((old, mut new)) = pass.row(row, &cells) else {
                if pass.masked.is_some() {
                    break 'rows;
                }
                continue;
            };
            match old {
                None => {
                    pass.report.created += 1;
                    pass.count(&new, 1);
                    pass.created.push(new);
                }
                Some(old) if same(&old, &new) => pass.report.unchanged += 1,
                Some(old) => {
                    // Fewer adults than a value already counts cannot be true: refused, named.
                    let header = pass.layout.header(Column::Adults);
                    if let Some(e) =
                        fewer_adults(db, (&old, &new), &adult_counts, row, header).await?
                    {
                        pass.add_errors(&mut vec![e]);
                        continue;
                    }
                    pass.report.updated += 1;
                    new.id = old.id;
                    new.created_at = old.created_at;
                    new.assigned_to = old.assigned_to;
                    new.follow_up_on = old.follow_up_on;
                    new.last_visit_on = old.last_visit_on;
                    pass.count(&old, -1);
                    pass.count(&new, 1);
                    if pass.errors.is_empty() {
                        send(&writer, Write::Update(Box::new((old, new)))).await;
                    }
                }
            }
            if pass.created.len() >= BATCH {
                let batch = std::mem::replace(&mut pass.created, Vec::with_capacity(BATCH));
                if pass.errors.is_empty() {
                    // Encoded here, on the checking side: the writer only writes.
                    send(&writer, Write::Create(store::prepare_households(db, batch))).await;
                }
            }
        }
    }
    progress.advance(since_tick);
    let tx = match writer {
        None => None,
        Some(writer) => Some(import_writer::finish(writer).await?),
    };
    if let Some(row) = pass.masked {
        drop(tx);
        return Err(AppError::refused_key(
            "households-import-masked",
            &[("row", &row)],
        ));
    }
    if !pass.errors.is_empty() {
        // Dropping the transaction rolls back whatever was written.
        drop(tx);
        if pass.errors_dropped > 0 {
            pass.errors.push(CellError::keyed(
                0,
                "",
                "households-file-more-errors",
                &[("count", &pass.errors_dropped)],
            ));
        }
        return Err(AppError::Invalid(pass.errors));
    }
    let mut report = pass.report;
    report.totals_skipped = rows.totals_skipped().to_vec();
    report.converted_from = rows.converted_from().map(str::to_owned);
    if let Some(mut tx) = tx {
        store::insert_prepared(&mut tx, store::prepare_households(db, pass.created)).await?;
        // The bulk-load connection does not enforce foreign keys: every unit a row can point
        // at must still exist in this transaction.
        if !store::check_units_exist(&mut tx, &target.unit_ids()).await? {
            return Err(AppError::refused_key(
                "households-import-units-changed",
                &[],
            ));
        }
        store::add_counters(&mut tx, &pass.counters).await?;
        if report.created + report.updated > 0 {
            audit::record(
                &mut tx,
                actor,
                Change {
                    action: "household.import",
                    target_type: "unit",
                    target_id: target.unit.code.clone(),
                    unit_id: Some(target.unit.id),
                    summary: format!(
                        "file={file_name} rows={} created={} updated={} unchanged={}",
                        report.rows, report.created, report.updated, report.unchanged
                    ),
                },
            )
            .await?;
        }
        tx.commit().await?;
    }
    Ok(report)
}
