//! Exporting the household register within the actor's scope, as CSV (UTF-8 with a BOM, so
//! Excel shows Vietnamese letters) or XLSX; personal numbers masked unless the actor holds the
//! PII right; every export audited. The headers are those the import recognises, so an
//! exported file (with the PII right) imports back unchanged.

use langso_domain::auth::{Permission, mask_personal};
use langso_domain::public_text::csv_safe_cell;
use langso_render::sheet::{SheetCell, xlsx};
use langso_store::households as store;
use time::Date;

use super::columns::{COLUMNS, Column};
use super::import::resolve_unit;
use crate::audit::Change;
use crate::auth::Actor;
use crate::auth::policy;
use crate::{AppError, AppResult, Db, today};

/// The file format of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// CSV, UTF-8 with a BOM.
    Csv,
    /// Excel workbook.
    Xlsx,
}

impl ExportFormat {
    /// "csv" or "xlsx" (anything else is CSV).
    pub fn parse(text: &str) -> ExportFormat {
        if text.trim().eq_ignore_ascii_case("xlsx") {
            ExportFormat::Xlsx
        } else {
            ExportFormat::Csv
        }
    }
}

/// An exported file.
#[derive(Clone, Debug)]
pub struct ExportFile {
    /// A file name to save it as.
    pub file_name: String,
    /// Its MIME type.
    pub content_type: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Households in it.
    pub rows: usize,
}

fn day(date: Option<Date>) -> SheetCell {
    date.map_or(SheetCell::Empty, |d| {
        SheetCell::Date(d.year(), u8::from(d.month()), d.day())
    })
}

fn text(value: &str) -> SheetCell {
    SheetCell::Text(value.to_owned())
}

/// The households under `unit` (a code or an id) as a file; needs the export right there.
pub async fn export_households(
    db: &Db,
    actor: &Actor,
    unit: &str,
    format: ExportFormat,
) -> AppResult<ExportFile> {
    let unit = resolve_unit(db, unit).await?;
    policy::require(db, actor, Permission::ExportPeople, unit.id).await?;
    let mut rows = store::households_for_export(db, unit.id, today()).await?;
    // Villages of the same name (four "Thôn Hòa Bình" in Xã Ô Diên) told apart in the village
    // column; the code column still carries the code, so the file imports back unchanged. The
    // rows come by name, alley and house: a stable sort by label keeps the rest of that order.
    let labels = crate::units::labels_under(db, unit.id, today(), 3).await?;
    for e in &mut rows {
        e.village = labels.text_or(e.row.unit_id, &e.village);
    }
    rows.sort_by(|a, b| langso_domain::locale::compare(&a.village, &b.village));
    let masked = !actor.pii;
    let personal = |value: &Option<String>| match value {
        Some(v) if masked => mask_personal(v),
        Some(v) => v.clone(),
        None => String::new(),
    };
    let mut headers: Vec<&str> = COLUMNS.iter().map(|(_, header, _)| *header).collect();
    headers.push("Lần thăm gần nhất");
    let table: Vec<Vec<SheetCell>> = rows
        .iter()
        .map(|e| {
            let r = &e.row;
            let mut cells: Vec<SheetCell> = COLUMNS
                .iter()
                .map(|(column, _, _)| match column {
                    Column::Code => text(&r.code),
                    Column::Village => text(&e.village),
                    Column::VillageCode => text(&e.village_code),
                    Column::Hamlet => text(&r.hamlet),
                    Column::Alley => text(&r.alley),
                    Column::HouseNumber => text(&r.house_number),
                    Column::HeadName => text(&r.head_name),
                    Column::Representative => text(&r.representative_name),
                    Column::Phone => text(&personal(&r.representative_phone)),
                    Column::CitizenId => text(&personal(&r.citizen_id)),
                    Column::Members => SheetCell::Number(r.members as f64),
                    Column::Adults => SheetCell::Number(r.adults as f64),
                    Column::Business => text(if r.business { "Có" } else { "" }),
                    Column::ConsentOn => day(r.consent_on),
                    Column::ConsentPurpose => text(&r.consent_purpose),
                    Column::Notes => text(&r.notes),
                })
                .collect();
            cells.push(day(r.last_visit_on));
            cells
        })
        .collect();
    let stem = format!("ho-gia-dinh-{}", unit.code);
    let file = match format {
        ExportFormat::Xlsx => ExportFile {
            file_name: format!("{stem}.xlsx"),
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            bytes: xlsx("Hộ gia đình", &headers, &table)?,
            rows: table.len(),
        },
        ExportFormat::Csv => ExportFile {
            file_name: format!("{stem}.csv"),
            content_type: "text/csv; charset=utf-8",
            bytes: csv_bytes(&headers, &table)?,
            rows: table.len(),
        },
    };
    let exported: Vec<uuid::Uuid> = rows.iter().map(|e| e.row.id).collect();
    super::seen::record_seen(
        db,
        actor,
        Change {
            action: "household.export",
            target_type: "unit",
            target_id: unit.code.clone(),
            unit_id: Some(unit.id),
            summary: format!(
                "format={} rows={} masked={masked}",
                match format {
                    ExportFormat::Csv => "csv",
                    ExportFormat::Xlsx => "xlsx",
                },
                file.rows
            ),
        },
        &exported,
    )
    .await?;
    Ok(file)
}

fn csv_bytes(headers: &[&str], table: &[Vec<SheetCell>]) -> AppResult<Vec<u8>> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let fail = |e: csv::Error| AppError::Internal(format!("CSV: {e}"));
        writer.write_record(headers).map_err(fail)?;
        for row in table {
            writer
                .write_record(row.iter().map(|cell| match cell {
                    // A name like `=HYPERLINK(…)` is shown, not run (see csv_safe_cell).
                    SheetCell::Text(t) => csv_safe_cell(t).into_owned(),
                    SheetCell::Number(n) => format!("{n}"),
                    SheetCell::Date(y, m, d) => format!("{d:02}/{m:02}/{y}"),
                    SheetCell::Empty => String::new(),
                }))
                .map_err(fail)?;
        }
        writer
            .flush()
            .map_err(|e| AppError::Internal(format!("CSV: {e}")))?;
    }
    Ok(out)
}
