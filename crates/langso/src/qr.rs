//! `langso qr …`: QR posters from the command line.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;
use langso_app::Db;
use langso_app::procedures::{self, PosterSettings};

use crate::{operator, report};

/// QR placements.
#[derive(Subcommand)]
pub enum QrCommand {
    /// Every active placement of a unit (and the units under it) as one A4 PDF, a page each.
    Posters {
        /// The unit's code in force today (e.g. 09817, or 09805-T01 for a village).
        #[arg(long)]
        unit: String,
        /// The PDF to write.
        #[arg(long)]
        out: PathBuf,
        /// The address residents reach: QR codes encode `{public_url}/q/{token}`.
        #[arg(
            long,
            env = "LANGSO_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
        /// The hotline printed at the foot of each poster.
        #[arg(long, env = "LANGSO_HOTLINE")]
        hotline: Option<String>,
    },
}

/// Runs a `qr` command.
pub async fn run(db: &Db, command: QrCommand) -> Result<()> {
    match command {
        QrCommand::Posters {
            unit,
            out,
            public_url,
            hotline,
        } => {
            let settings = PosterSettings {
                public_url,
                hotline,
            };
            let (name, pdf, pages) =
                procedures::unit_posters_pdf(db, &operator(), &unit, &settings)
                    .await
                    .map_err(report)?;
            std::fs::write(&out, &pdf)
                .with_context(|| format!("cannot write {}", out.display()))?;
            println!(
                "{name}: {pages} áp phích / posters → {} ({} KB)",
                out.display(),
                pdf.len() / 1024
            );
            Ok(())
        }
    }
}
