//! Exporting the household register within the actor's scope, as CSV (UTF-8 with a BOM, so
//! Excel shows Vietnamese letters) or XLSX; personal numbers masked unless the actor holds the
//! PII right; every export audited. The headers are those the import recognises, so an
//! exported file (with the PII right) imports back unchanged.

use langso_domain::auth::{Permission, mask_personal};
use langso_domain::public_text::csv_safe_cell;
use std::io::{Seek, Write};

use langso_render::sheet::{SheetCell, XlsxRows};
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
    let mut bytes = std::io::Cursor::new(Vec::new());
    let written = export_households_to(db, actor, unit, format, &mut bytes).await?;
    Ok(ExportFile {
        file_name: written.file_name,
        content_type: written.content_type,
        bytes: bytes.into_inner(),
        rows: written.rows,
    })
}

/// What [`export_households_to`] wrote.
#[derive(Clone, Debug)]
pub struct Exported {
    /// A file name to save it as.
    pub file_name: String,
    /// Its MIME type.
    pub content_type: &'static str,
    /// Households in it.
    pub rows: usize,
}

/// As [`export_households`], into `out` (a file for the command line): rows go from the
/// database to the file one at a time, so a province's million households never sit in
/// memory together.
pub async fn export_households_to<W: Write + Seek + Send>(
    db: &Db,
    actor: &Actor,
    unit: &str,
    format: ExportFormat,
    out: W,
) -> AppResult<Exported> {
    let unit = resolve_unit(db, unit).await?;
    policy::require(db, actor, Permission::ExportPeople, unit.id).await?;
    // Villages of the same name (four "Thôn Hòa Bình" in Xã Ô Diên) told apart in the village
    // column; the code column still carries the code, so the file imports back unchanged.
    // Villages come in the order people read their labels.
    let labels = crate::units::labels_under(db, unit.id, today(), 3).await?;
    let mut villages: Vec<(uuid::Uuid, String)> = labels.texts().collect();
    villages.sort_by(|a, b| langso_domain::locale::compare(&a.1, &b.1));
    let order: Vec<uuid::Uuid> = villages.iter().map(|(id, _)| *id).collect();
    let masked = !actor.pii;
    let personal = |value: &Option<String>| match value {
        Some(v) if masked => mask_personal(v),
        Some(v) => v.clone(),
        None => String::new(),
    };
    let mut headers: Vec<&str> = COLUMNS.iter().map(|(_, header, _)| *header).collect();
    headers.push("Lần thăm gần nhất");
    let mut sink = Sink::new(format, &headers, out)?;
    let mut exported: Vec<uuid::Uuid> = Vec::new();
    let rows = store::for_each_export_row(db, unit.id, today(), &order, |e| {
        let r = &e.row;
        let village = labels.text_or(r.unit_id, &e.village);
        let mut cells: Vec<SheetCell> = COLUMNS
            .iter()
            .map(|(column, _, _)| match column {
                Column::Code => text(&r.code),
                Column::Village => text(&village),
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
        exported.push(r.id);
        sink.push(&cells)
    })
    .await?;
    sink.finish()?;
    let stem = format!("ho-gia-dinh-{}", unit.code);
    let written = match format {
        ExportFormat::Xlsx => Exported {
            file_name: format!("{stem}.xlsx"),
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            rows,
        },
        ExportFormat::Csv => Exported {
            file_name: format!("{stem}.csv"),
            content_type: "text/csv; charset=utf-8",
            rows,
        },
    };
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
                rows
            ),
        },
        &exported,
    )
    .await?;
    Ok(written)
}

/// Where exported rows go: a CSV writer (UTF-8 with a BOM, so Excel shows Vietnamese letters)
/// or a constant-memory workbook written out at the end.
// One sink lives for a whole export: the size of its variants does not matter.
#[allow(clippy::large_enum_variant)]
enum Sink<W: Write + Seek + Send> {
    Csv(csv::Writer<W>),
    Xlsx(XlsxRows, W),
}

fn csv_failed(error: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("CSV: {error}"))
}

impl<W: Write + Seek + Send> Sink<W> {
    fn new(format: ExportFormat, headers: &[&str], mut out: W) -> AppResult<Sink<W>> {
        Ok(match format {
            ExportFormat::Xlsx => Sink::Xlsx(XlsxRows::new("Hộ gia đình", headers)?, out),
            ExportFormat::Csv => {
                out.write_all("\u{feff}".as_bytes()).map_err(csv_failed)?;
                let mut writer = csv::Writer::from_writer(out);
                writer.write_record(headers).map_err(csv_failed)?;
                Sink::Csv(writer)
            }
        })
    }

    fn push(&mut self, cells: &[SheetCell]) -> AppResult<()> {
        match self {
            Sink::Xlsx(rows, _) => Ok(rows.push(cells)?),
            Sink::Csv(writer) => writer
                .write_record(cells.iter().map(csv_cell))
                .map_err(csv_failed),
        }
    }

    fn finish(self) -> AppResult<()> {
        match self {
            Sink::Xlsx(rows, out) => Ok(rows.write_to(out)?),
            Sink::Csv(mut writer) => writer.flush().map_err(csv_failed),
        }
    }
}

fn csv_cell(cell: &SheetCell) -> String {
    match cell {
        // A name like `=HYPERLINK(…)` is shown, not run (see csv_safe_cell).
        SheetCell::Text(t) => csv_safe_cell(t).into_owned(),
        SheetCell::Number(n) => format!("{n}"),
        SheetCell::Date(y, m, d) => format!("{d:02}/{m:02}/{y}"),
        SheetCell::Empty => String::new(),
    }
}
