//! Procedures: the catalogue of versioned guides, QR placements, scans and their analytics,
//! posters.
//!
//! The guides are public (residents read them without logging in); placements, new versions
//! and analytics are officers' work.

mod analytics;
mod catalogue;
mod placements;
mod posters;
mod recorder;

pub use analytics::{
    PlacementStats, ScanAnalytics, SeriesStats, procedures_with_qr, scan_analytics,
};
pub use catalogue::{
    CATALOGUE_CSV, GUIDES_CSV, NewVersion, catalogue_from_csv, guide, guides, history, may_publish,
    publish_version, seed_catalogue,
};
pub use langso_domain::procedures::{
    Channel, PlaceKind, Placement, ProcedureCode, ProcedureContent, ProcedureVersion,
};
pub use placements::{
    NewPlacement, ScanTarget, create_placement, placement, placements_under, scan_target,
    set_active,
};
pub use posters::{PosterSettings, placement_poster_pdf, qr_png, qr_svg, unit_posters_pdf};
pub use recorder::{RecorderConfig, ScanRecorder};

use crate::{AppError, CellError};
use langso_domain::procedures::ProcedureError;

/// A domain refusal on one form field.
fn field_error(field: &str, error: &ProcedureError) -> AppError {
    AppError::Invalid(vec![CellError::from_message(0, field, error.message())])
}
