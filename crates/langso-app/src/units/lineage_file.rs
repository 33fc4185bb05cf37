//! Reading a reorganisation plan from a lineage file (the format of
//! `shared/data/admin-lineage-2025.csv`).

use std::collections::{BTreeSet, HashMap};
use std::io::Read;

use langso_domain::units::{Share, parse_date, validate_name};

use super::reorganise::{PlanLine, ReorganisationPlan};
use crate::{AppError, AppResult, CellError, Message};

/// Reads a lineage file in the format of `shared/data/admin-lineage-2025.csv`:
/// `old_code,old_name,new_code,new_name,share,basis,effective[,verified]`. Every line must share
/// one effective date. New units go directly under the province and the districts that held
/// the old units are abolished, as on 2025-07-01.
pub fn plan_from_lineage_csv(input: impl Read) -> AppResult<ReorganisationPlan> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::refused_key("units-csv-unreadable", &[("error", &e)]))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let required = [
        "old_code",
        "old_name",
        "new_code",
        "new_name",
        "share",
        "basis",
        "effective",
    ];
    let missing: Vec<CellError> = required
        .iter()
        .filter(|r| !headers.iter().any(|h| h == *r))
        .map(|r| CellError::keyed(1, r, "units-column-missing", &[]))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::Invalid(missing));
    }
    let mut errors = Vec::new();
    let mut lines = Vec::new();
    let mut dates = BTreeSet::new();
    let mut bases = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        let record = record.map_err(|e| {
            AppError::Invalid(vec![CellError::keyed(
                row,
                "",
                "units-line-broken",
                &[("error", &e)],
            )])
        })?;
        let cells: HashMap<&str, &str> = headers
            .iter()
            .map(String::as_str)
            .zip(record.iter().map(str::trim))
            .collect();
        let cell = |name: &str| cells.get(name).copied().unwrap_or("").to_owned();
        let mut fail = |column: &str, message: Message| {
            errors.push(CellError::from_message(row, column, message));
        };
        let share = Share::parse(&cell("share"));
        if let Err(e) = &share {
            fail("share", e.message());
        }
        match parse_date(&cell("effective")) {
            Ok(date) => {
                dates.insert(date);
            }
            Err(e) => fail("effective", e.message()),
        }
        for column in ["old_name", "new_name"] {
            if let Err(e) = validate_name(&cell(column)) {
                fail(column, e.message());
            }
        }
        for column in ["old_code", "new_code", "basis"] {
            if cell(column).is_empty() {
                fail(column, Message::new("units-required", &[]));
            }
        }
        let verified = match cell("verified").to_lowercase().as_str() {
            "" | "true" | "yes" | "1" => true,
            "false" | "no" | "0" => false,
            other => {
                fail(
                    "verified",
                    Message::new("units-boolean-invalid", &[("value", &other)]),
                );
                true
            }
        };
        if !bases.contains(&cell("basis")) {
            bases.push(cell("basis"));
        }
        if let Ok(share) = share {
            lines.push(PlanLine {
                row,
                old_code: cell("old_code"),
                old_name: cell("old_name"),
                new_code: cell("new_code"),
                new_name: cell("new_name"),
                share,
                basis: cell("basis"),
                verified,
            });
        }
    }
    if dates.len() > 1 {
        errors.push(CellError::keyed(
            0,
            "effective",
            "units-effective-differs",
            &[],
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let effective = dates
        .into_iter()
        .next()
        .ok_or_else(|| AppError::refused_key("units-file-empty", &[]))?;
    Ok(ReorganisationPlan {
        effective,
        basis: bases.join("; "),
        lines,
        moves: Vec::new(),
        abolish_districts: true,
    })
}
