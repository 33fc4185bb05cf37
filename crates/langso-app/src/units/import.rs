//! Importing units from the CSV format of `shared/data/admin-units-hanoi-danphuong.csv`:
//! `code,name,kind,parent_code,valid_from,valid_to,note` (any order; `latitude`, `longitude`
//! optional). All-or-nothing: every bad cell is reported by row and column and nothing is
//! written; a dry run does the whole import inside a transaction and rolls it back.

use std::collections::HashMap;
use std::io::Read;

use langso_domain::auth::Permission;
use langso_domain::text::fold;
use langso_domain::units::{
    Level, Unit, UnitError, UnitKind, Validity, parse_date, validate_code, validate_name,
};
use langso_store::Tx;
use langso_store::units as store;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::Actor;
use crate::progress::Progress;
use crate::{AppError, AppResult, CellError, Db, Message};

const REQUIRED: [&str; 6] = [
    "code",
    "name",
    "kind",
    "parent_code",
    "valid_from",
    "valid_to",
];
const OPTIONAL: [&str; 3] = ["note", "latitude", "longitude"];

/// What an import did (or, in a dry run, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: usize,
    /// Units created.
    pub created: usize,
    /// Rows that matched an existing unit exactly (re-import).
    pub unchanged: usize,
    /// Whether the changes were rolled back on purpose.
    pub dry_run: bool,
}

struct ParsedRow {
    line: usize,
    unit: Unit,
    parent_code: Option<String>,
}

/// Imports units from CSV text. See the module documentation for the format.
pub async fn import_units_csv(
    db: &Db,
    actor: &Actor,
    input: impl Read,
    dry_run: bool,
    progress: &dyn Progress,
) -> AppResult<ImportReport> {
    let (mut rows, mut errors) = parse(input)?;
    // Parents before children, older periods before newer ones.
    rows.sort_by_key(|row| {
        (
            row.unit.kind.level() as u8,
            row.unit.kind,
            row.unit.validity.from,
        )
    });
    progress.start("nhập đơn vị / importing units", rows.len() as u64);
    let mut report = ImportReport {
        rows: rows.len(),
        dry_run,
        ..ImportReport::default()
    };
    if !actor.is_system() && !actor.may(Permission::ManageUnits) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    for row in &rows {
        match write_row(&mut tx, actor, row).await? {
            Ok(true) => report.created += 1,
            Ok(false) => report.unchanged += 1,
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
        progress.advance(1);
    }
    if !errors.is_empty() {
        errors.sort_by_key(|error| error.row);
        return Err(AppError::Invalid(errors));
    }
    if !dry_run && report.created > 0 {
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "units.import",
                target_type: "unit",
                target_id: format!("{} units", report.created),
                unit_id: None,
                summary: format!(
                    "rows={} created={} unchanged={}",
                    report.rows, report.created, report.unchanged
                ),
            },
        )
        .await?;
    }
    if !dry_run {
        tx.commit().await?;
    }
    Ok(report)
}

fn parse(input: impl Read) -> AppResult<(Vec<ParsedRow>, Vec<CellError>)> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::refused_key("units-csv-unreadable", &[("error", &e)]))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let mut errors = Vec::new();
    for header in &headers {
        if !REQUIRED.contains(&header.as_str()) && !OPTIONAL.contains(&header.as_str()) {
            errors.push(CellError::keyed(1, header, "units-column-unknown", &[]));
        }
    }
    for required in REQUIRED {
        if !headers.iter().any(|h| h == required) {
            errors.push(CellError::keyed(1, required, "units-column-missing", &[]));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(CellError::keyed(
                    line,
                    "",
                    "units-line-broken",
                    &[("error", &e)],
                ));
                continue;
            }
        };
        let cells: HashMap<&str, &str> = headers
            .iter()
            .map(String::as_str)
            .zip(record.iter().map(str::trim))
            .collect();
        if cells.values().all(|v| v.is_empty()) {
            continue;
        }
        match parse_row(line, &cells) {
            Ok(row) => rows.push(row),
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
    }
    Ok((rows, errors))
}

fn parse_row(line: usize, cells: &HashMap<&str, &str>) -> Result<ParsedRow, Vec<CellError>> {
    let cell = |name: &str| cells.get(name).copied().unwrap_or("");
    let mut errors = Vec::new();
    let mut check = |column: &str, result: Result<(), Message>| {
        if let Err(message) = result {
            errors.push(CellError::from_message(line, column, message));
        }
    };
    let kind = UnitKind::parse(cell("kind"));
    check(
        "kind",
        kind.as_ref().map(|_| ()).map_err(UnitError::message),
    );
    let code = kind
        .as_ref()
        .ok()
        .map(|kind| validate_code(*kind, cell("code")));
    if let Some(Err(e)) = &code {
        check("code", Err(e.message()));
    }
    let name = validate_name(cell("name"));
    check(
        "name",
        name.as_ref().map(|_| ()).map_err(UnitError::message),
    );
    let from = parse_date(cell("valid_from"));
    check(
        "valid_from",
        from.as_ref().map(|_| ()).map_err(UnitError::message),
    );
    let to = match cell("valid_to") {
        "" => Ok(None),
        text => parse_date(text).map(Some),
    };
    check(
        "valid_to",
        to.as_ref().map(|_| ()).map_err(UnitError::message),
    );
    let coordinate = |name: &str, range: f64| match cell(name) {
        "" => Ok(None),
        text => match text.replace(',', ".").parse::<f64>() {
            Ok(value) if value.abs() <= range => Ok(Some(value)),
            _ => Err(Message::new(
                "units-coordinate-invalid",
                &[("value", &text)],
            )),
        },
    };
    let latitude = coordinate("latitude", 90.0);
    check(
        "latitude",
        latitude.as_ref().map(|_| ()).map_err(Clone::clone),
    );
    let longitude = coordinate("longitude", 180.0);
    check(
        "longitude",
        longitude.as_ref().map(|_| ()).map_err(Clone::clone),
    );
    let (Ok(kind), Some(Ok(code)), Ok(name), Ok(from), Ok(to), Ok(latitude), Ok(longitude)) =
        (kind, code, name, from, to, latitude, longitude)
    else {
        return Err(errors);
    };
    let validity = match Validity::new(from, to) {
        Ok(validity) => validity,
        Err(e) => return Err(vec![CellError::from_message(line, "valid_to", e.message())]),
    };
    let parent_code = Some(cell("parent_code").to_owned()).filter(|c| !c.is_empty());
    let note = Some(cell("note").to_owned()).filter(|n| !n.is_empty());
    Ok(ParsedRow {
        line,
        unit: Unit {
            id: Uuid::now_v7(),
            code,
            name,
            kind,
            validity,
            latitude,
            longitude,
            note,
        },
        parent_code,
    })
}

/// Writes one row inside the import transaction: `Ok(Ok(true))` created, `Ok(Ok(false))`
/// already present, `Ok(Err(_))` refused.
async fn write_row(
    tx: &mut Tx,
    actor: &Actor,
    row: &ParsedRow,
) -> AppResult<Result<bool, Vec<CellError>>> {
    let unit = &row.unit;
    let refuse = |column: &str, message: Message| {
        Ok(Err(vec![CellError::from_message(
            row.line, column, message,
        )]))
    };
    let holders = store::holders_of_code(&mut *tx, &unit.code).await?;
    if holders.iter().any(|held| {
        held.validity.from == unit.validity.from
            && held.kind == unit.kind
            && fold(&held.name) == fold(&unit.name)
    }) {
        return Ok(Ok(false));
    }
    let parent = match &row.parent_code {
        None => None,
        Some(code) => match store::by_code(&mut *tx, code, unit.validity.from).await? {
            Some(parent) => Some(parent),
            None => {
                return refuse(
                    "parent_code",
                    Message::new(
                        "units-code-not-in-force",
                        &[("code", code), ("date", &unit.validity.from)],
                    ),
                );
            }
        },
    };
    let allowed = match &parent {
        _ if actor.is_system() => true,
        None => false,
        Some(parent) => {
            actor.roots(Permission::ManageUnits).contains(&parent.id)
                || is_under_roots(tx, actor, parent.id, unit.validity.from).await?
        }
    };
    if !allowed {
        return refuse("parent_code", Message::new("units-manage-forbidden", &[]));
    }
    if !unit.kind.may_sit_under(parent.as_ref().map(|p| p.kind)) {
        let under = parent.as_ref().map_or("—", |p| p.kind.as_str());
        return refuse(
            "parent_code",
            Message::new(
                "units-kind-cannot-sit-under",
                &[("kind", &unit.kind.as_str()), ("parent", &under)],
            ),
        );
    }
    for held in holders
        .iter()
        .filter(|held| held.kind.level() == unit.kind.level())
    {
        if !held.validity.overlaps(&unit.validity) {
            continue;
        }
        if unit.kind.level() == Level::Village {
            let held_parent = store::parent_at(&mut *tx, held.id, held.validity.from).await?;
            if held_parent.map(|p| p.id) != parent.as_ref().map(|p| p.id) {
                continue;
            }
        }
        return refuse("code", code_in_use(&unit.code, held));
    }
    store::insert(tx, unit, parent.map(|p| p.id)).await?;
    Ok(Ok(true))
}

async fn is_under_roots(
    tx: &mut Tx,
    actor: &Actor,
    unit: Uuid,
    date: time::Date,
) -> AppResult<bool> {
    for root in actor.roots(Permission::ManageUnits) {
        if store::is_within(&mut *tx, unit, root, date).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The message for a code still held by another unit in the same period.
pub(crate) fn code_in_use(code: &str, held: &Unit) -> Message {
    let until = held
        .validity
        .to
        .map_or_else(|| "open".to_owned(), |to| to.to_string());
    Message::new(
        "units-code-in-use",
        &[
            ("code", &code),
            ("name", &held.name),
            ("from", &held.validity.from),
            ("until", &until),
        ],
    )
}
