//! Households and the door-to-door survey: the register, visits, rounds, progress, search,
//! and the data subject's rights (export and erasure).
//!
//! Every function takes the [`Actor`](crate::Actor) and checks the policy on the household's
//! village: reading people needs `ReadPeople` there, changing them `WritePeople`; outside the
//! actor's units the answer is `NotFound`. Personal numbers are masked unless the actor holds
//! the PII right, and every unmasked view is audited.

mod assignments;
mod catalogue;
mod columns;
mod csv_rows;
pub mod encoding;
mod export;
mod header_row;
mod import;
mod import_target;
mod import_writer;
pub mod limits;
pub mod offline;
mod progress;
mod refusal;
mod register;
mod round;
mod seen_codes;
pub mod sheet;
pub(crate) mod subject;
mod template;
mod uploads;
mod visit_writer;
mod visits;
mod xlsx_check;
// --- h17c: consent to be contacted ---
mod consent;
pub use consent::{
    ConsentInput, WITHDRAWN_REASON, consent_history, consent_state, may_contact, record_consent,
    survey_withdrawn, withdraw_consent,
};
// --- consent per person (form, scans), who saw what ---
mod consent_form;
mod seen;
pub use consent_form::{MAX_SCAN, attach_scan, consent_form_pdf, consent_scan};
pub use langso_store::households::ConsentRow;
pub use langso_store::households::{ConsentScanRow, SeenRow};
pub use seen::{SEEN_PAGE, SeenLog, seen_log};

pub use assignments::{
    AssignRow, AssignView, Assignee, MAX_BULK, assign_alley, assign_households, assignment_list,
};
pub use catalogue::{Indicator, catalogue, ensure_catalogue};
pub use columns::{COLUMNS, Column};
pub use export::{ExportFile, ExportFormat, Exported, export_households, export_households_to};
pub use import::{IMPORT_CACHE_MB, ImportReport, import_households, resolve_unit};
pub use langso_store::households::{HouseholdRow, VisitRow};
pub use progress::{IndicatorShare, Progress, progress};
pub use register::{
    HouseholdInput, HouseholdView, create_household, get_household, list_households,
    update_household, village_and_commune,
};
pub use round::{
    ROUND_PAGE, RoundFilter, RoundGroup, RoundStop, RoundView, SHEET_MAX, SheetAlley,
    next_in_round, round_page, round_sheet, round_start,
};
pub use subject::{erase_household, subject_export};
pub use template::{EXAMPLE_HOUSEHOLD_CODE, household_import_template};
pub use uploads::{MAX_UPLOAD, Preview, confirm_upload, preview_upload};
pub use visit_writer::VisitWriter;
pub use visits::{
    CheckedVisit, VisitInput, assign, check_visit, my_round, record_visit, visits_of,
};
