//! `langso criteria export` and `langso criteria import`: smart-village criteria sets as the
//! JSON files provinces exchange, through the same functions as the API (validation, the
//! province's right, audit).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use langso_app::{AppError, Db, criteria, today};
use uuid::Uuid;

use crate::{operator, report};

/// What to do with criteria sets.
#[derive(Subcommand)]
pub enum CriteriaCommand {
    /// Write a set version to a JSON file (the file `import` takes back).
    Export {
        /// The set version's id.
        #[arg(
            long,
            conflicts_with = "province",
            required_unless_present = "province"
        )]
        set: Option<Uuid>,
        /// Or the province (GSO code): the set in force today.
        #[arg(long)]
        province: Option<String>,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Import a set file as a new version for its province; all or nothing.
    Import {
        /// The JSON file.
        file: PathBuf,
        /// Check everything and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs a criteria command.
pub async fn run(db: &Db, command: CriteriaCommand) -> Result<()> {
    match command {
        CriteriaCommand::Export { set, province, out } => {
            let id = match (set, province) {
                (Some(id), _) => id,
                (None, Some(code)) => match criteria::set_in_force(db, &code, today()).await {
                    Ok(set) => set.id,
                    Err(AppError::NotFound) => bail!(
                        "tỉnh mã \"{code}\" không có bộ tiêu chí đang hiệu lực / province \"{code}\" has no criteria set in force"
                    ),
                    Err(other) => return Err(report(other)),
                },
                (None, None) => {
                    bail!("cần --set hoặc --province / --set or --province is required")
                }
            };
            let file = match criteria::export_set(db, id).await {
                Ok(file) => file,
                Err(AppError::NotFound) => {
                    bail!("không có bộ tiêu chí {id} / no criteria set {id}")
                }
                Err(other) => return Err(report(other)),
            };
            let json = serde_json::to_vec_pretty(&file)?;
            std::fs::write(&out, json)
                .with_context(|| format!("cannot write {}", out.display()))?;
            println!(
                "{} ({} tiêu chí / criteria, từ / from {}) → {}",
                file.name,
                file.criteria.len(),
                file.valid_from,
                out.display()
            );
            Ok(())
        }
        CriteriaCommand::Import { file, dry_run } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot open {}", file.display()))?;
            let parsed = criteria::import_json(&bytes).map_err(report)?;
            if dry_run {
                let province = criteria::check_set(db, &operator(), &parsed)
                    .await
                    .map_err(report)?;
                println!(
                    "{}: {} tiêu chí hợp lệ cho / valid criteria for {} (chạy thử, chưa ghi / dry run, nothing written)",
                    parsed.name,
                    parsed.criteria.len(),
                    province.name
                );
            } else {
                let set = criteria::import_set(db, &operator(), &parsed)
                    .await
                    .map_err(report)?;
                println!(
                    "{} v{}: {} tiêu chí / criteria, từ / from {} — id {}",
                    set.name,
                    set.version,
                    set.criteria.len(),
                    set.valid_from,
                    set.id
                );
            }
            Ok(())
        }
    }
}
