//! The households domain in the web: the register and its search, one household with its
//! history, the door-to-door visit form (one page, big touch targets, usable at 360 px),
//! "my round", survey progress, and the register's files (import with a check first, export).

mod assign;
// --- h17c: consent to be contacted ---
mod consent;
mod files;
mod household;
mod impossible;
mod list;
mod offline;
mod progress;
mod review;
mod round;
// --- who saw what ---
mod seen;
mod visit;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use langso_app::households::Indicator;

use crate::html::Routes;
use crate::messages::Lang;

/// The households screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/households", list::index)
        .get("/households/impossible", impossible::show)
        .get("/households/{id}", household::show)
        .route(
            "/households/{id}/consent",
            &["GET", "POST"],
            get(consent::show).post(consent::submit),
        )
        // --- consent per person: the printable form, paper scans; who saw what ---
        .get("/households/{id}/consent/form.pdf", consent::form_pdf)
        .route(
            "/households/{id}/consent/{event}/scan",
            &["GET", "POST"],
            get(consent::scan)
                .post(consent::upload_scan)
                // The scan limit, and room for the form around it.
                .layer(DefaultBodyLimit::max(
                    langso_app::households::MAX_SCAN + 64 * 1024,
                )),
        )
        .get("/households/{id}/seen", seen::show)
        .route(
            "/households/{id}/visit",
            &["GET", "POST"],
            get(visit::form).post(visit::submit),
        )
        .get("/round", round::show)
        .get("/round/sheet", round::sheet)
        // --- issue 18: offline rounds (JSON for the phone) ---
        .get("/round/offline", offline::pack)
        .post("/round/sync", offline::sync)
        .get("/households/review", review::show)
        .post("/households/review/visits/{id}", review::reviewed)
        .post("/households/review/held/{id}", review::held)
        .post("/households/review/proposals/{id}", review::proposal)
        .route(
            "/households/assign",
            &["GET", "POST"],
            get(assign::form).post(assign::submit),
        )
        .get("/progress", progress::show)
        .route(
            "/households/import",
            &["GET", "POST"],
            get(files::form)
                .post(files::upload)
                // The spreadsheet limit, and room for the form around it.
                .layer(DefaultBodyLimit::max(
                    langso_app::households::MAX_UPLOAD + 64 * 1024,
                )),
        )
        .get("/households/import/template", files::template)
        .post("/households/import/{id}/confirm", files::confirm)
        .get("/households/export", files::export)
}

/// An indicator's label and help in the reader's language (the catalogue holds both).
fn label(lang: Lang, indicator: &Indicator) -> (String, String) {
    match lang {
        Lang::Vi => (indicator.label_vi.clone(), indicator.help_vi.clone()),
        Lang::En => (indicator.label_en.clone(), indicator.help_en.clone()),
    }
}

/// The words for a help code (`installed_vneid`), from the catalogue; `None` for a code it no
/// longer names, which is then left out rather than shown raw.
fn help_name(lang: Lang, code: &str) -> Option<&'static str> {
    let code = code.trim();
    langso_domain::households::HELP_KINDS
        .iter()
        .any(|(known, _, _)| *known == code)
        .then(|| lang.t(&format!("hh-help-kind-{code}")))
}
