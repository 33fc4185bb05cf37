//! `langso import households` and `langso export households`: the register from and to the
//! files offices keep.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;
use langso_app::Db;
use langso_app::households::{self as actions, ExportFormat, sheet};

use crate::progress::Bar;
use crate::{operator, report};

/// What to import.
#[derive(Subcommand)]
pub enum ImportCommand {
    /// Households from CSV or XLSX (first sheet), Vietnamese headers in any order; all or
    /// nothing; rows whose code exists in the commune update that household.
    Households {
        /// The CSV or XLSX file.
        file: PathBuf,
        /// The commune or village (code in force today) to import into.
        #[arg(long)]
        unit: String,
        /// Check everything and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// What to export.
#[derive(Subcommand)]
pub enum ExportCommand {
    /// Households under a unit as CSV (UTF-8 with BOM) or XLSX, by the file's extension.
    Households {
        /// The unit (code in force today).
        #[arg(long)]
        unit: String,
        /// The file to write (.csv or .xlsx).
        #[arg(long)]
        out: PathBuf,
    },
}

/// Runs an import.
pub async fn import(db: &Db, command: ImportCommand) -> Result<()> {
    let ImportCommand::Households {
        file,
        unit,
        dry_run,
    } = command;
    let input =
        std::fs::File::open(&file).with_context(|| format!("cannot open {}", file.display()))?;
    let rows = sheet::open(input).map_err(report)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let done =
        actions::import_households(db, &operator(), &unit, rows, &name, dry_run, &Bar::new())
            .await
            .map_err(report)?;
    let note = if dry_run {
        " (chạy thử, chưa ghi / dry run, nothing written)"
    } else {
        ""
    };
    println!(
        "{}: {} dòng / rows — {} hộ mới / created, {} cập nhật / updated, {} không đổi / unchanged{note}",
        done.unit_name, done.rows, done.created, done.updated, done.unchanged
    );
    if !done.ignored_columns.is_empty() {
        println!(
            "Bỏ qua các cột / ignored columns: {}",
            done.ignored_columns.join(", ")
        );
    }
    if !done.totals_skipped.is_empty() {
        let rows: Vec<String> = done.totals_skipped.iter().map(usize::to_string).collect();
        println!(
            "Bỏ qua dòng tổng cộng / totals rows left out: {}",
            rows.join(", ")
        );
    }
    if let Some(encoding) = &done.converted_from {
        println!("Chuyển từ bảng mã / converted from: {encoding}");
    }
    Ok(())
}

/// Runs an export.
pub async fn export(db: &Db, command: ExportCommand) -> Result<()> {
    let ExportCommand::Households { unit, out } = command;
    let format = ExportFormat::parse(
        &out.extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    // Written next to the destination and renamed at the end: a refused or failed export
    // leaves no half-written file under the chosen name.
    let folder = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut partial = tempfile::NamedTempFile::new_in(folder)
        .with_context(|| format!("cannot write in {}", folder.display()))?;
    let written = actions::export_households_to(
        db,
        &operator(),
        &unit,
        format,
        // The CSV writer and the workbook's zip writer buffer themselves.
        partial.as_file_mut(),
    )
    .await
    .map_err(report)?;
    partial
        .persist(&out)
        .with_context(|| format!("cannot write {}", out.display()))?;
    println!("{} hộ / households → {}", written.rows, out.display());
    Ok(())
}
