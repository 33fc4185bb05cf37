//! `langso units`: the unit tree's files at the command line (import, reorganisation), all or
//! nothing, worded like the web's refusals.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;
use langso_app::{Db, units};

use crate::progress::Bar;
use crate::{operator, report};

#[derive(Subcommand)]
pub(crate) enum UnitsCommand {
    /// Import units from CSV (code,name,kind,parent_code,valid_from,valid_to,note), all or nothing.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Check everything and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Apply a reorganisation from a lineage CSV
    /// (old_code,old_name,new_code,new_name,share,basis,effective[,verified]).
    Reorganise {
        /// The CSV file.
        file: PathBuf,
        /// Check everything and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub(crate) async fn run_units(db: &Db, command: UnitsCommand) -> Result<()> {
    match command {
        UnitsCommand::Import { file, dry_run } => {
            let input = std::fs::File::open(&file)
                .with_context(|| format!("cannot open {}", file.display()))?;
            let report = units::import_units_csv(db, &operator(), input, dry_run, &Bar::new())
                .await
                .map_err(report)?;
            println!(
                "{} dòng: {} đơn vị mới, {} không đổi{} / {} rows: {} created, {} unchanged{}",
                report.rows,
                report.created,
                report.unchanged,
                if dry_run {
                    " (chạy thử, chưa ghi)"
                } else {
                    ""
                },
                report.rows,
                report.created,
                report.unchanged,
                if dry_run {
                    " (dry run, nothing written)"
                } else {
                    ""
                },
            );
            Ok(())
        }
        UnitsCommand::Reorganise { file, dry_run } => {
            let input = std::fs::File::open(&file)
                .with_context(|| format!("cannot open {}", file.display()))?;
            let plan = units::plan_from_lineage_csv(input).map_err(report)?;
            let done = units::reorganise(db, &operator(), &plan, dry_run)
                .await
                .map_err(report)?;
            println!(
                "Hiệu lực {} / effective {}: đóng / closed {:?}; mở / opened {:?}; chuyển / moved {}; {}",
                plan.effective,
                plan.effective,
                done.closed,
                done.created,
                done.moved,
                if dry_run {
                    "chạy thử / dry run"
                } else {
                    "đã ghi / written"
                }
            );
            Ok(())
        }
    }
}
