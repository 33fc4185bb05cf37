//! The procedures domain for officers: the QR placements of a unit (list, new, one placement
//! with its code and the take-down switch), their scan analytics, and the versions of a
//! procedure's guide (history and publishing a new one).

mod analytics;
mod qr;
mod versions;

use std::collections::HashMap;

use axum::routing::get;
use langso_app::procedures::{self as actions, ProcedureContent};
use langso_domain::procedures::PlaceKind;

use crate::AppState;
use crate::html::{Chrome, Page, PageError, Routes};
use crate::messages::Lang;

/// The QR, analytics and guide-version screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/qr", qr::index)
        .route(
            "/qr/new",
            &["GET", "POST"],
            get(qr::new_form).post(qr::create),
        )
        .get("/qr/placements/{id}", qr::show)
        .post("/qr/placements/{id}/active", qr::set_active)
        .get("/qr/analytics", analytics::show)
        .get("/procedures/{code}/history", versions::history)
        .route(
            "/procedures/{code}/new-version",
            &["GET", "POST"],
            get(versions::form).post(versions::publish),
        )
}

impl Chrome {
    /// The label of a place kind.
    pub fn place(&self, kind: &PlaceKind) -> &'static str {
        self.lang.t(&format!("place-{}", kind.as_str()))
    }
}

/// A guide's name in `lang` (the Vietnamese one when no English name was written).
fn name_in(content: &ProcedureContent, lang: Lang) -> &str {
    match lang {
        Lang::En if !content.name_en.trim().is_empty() => &content.name_en,
        _ => &content.name_vi,
    }
}

/// The names of the procedures in force, by code, in the reader's language: pages name
/// procedures in words, never by their national code.
async fn names(state: &AppState, page: &Page) -> Result<HashMap<String, String>, PageError> {
    let guides = actions::guides(&state.db).await.map_err(page.failing())?;
    Ok(guides
        .iter()
        .map(|g| {
            (
                g.code.to_string(),
                name_in(&g.content, page.lang).to_owned(),
            )
        })
        .collect())
}

/// A procedure's name from `names`, or its code when it has no guide in force.
fn named(names: &HashMap<String, String>, code: &impl ToString) -> String {
    let code = code.to_string();
    names.get(&code).cloned().unwrap_or(code)
}
