//! The residents' fault pages: the status page the reporter follows (`/bao-hong/{token}`) and
//! the free wifi list. The form itself is in `fault_form.rs`, following a report in
//! `fault_follow.rs`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use langso_app::faults::{self as actions, PublicExtras, WorkOrder, WorkOrderStep};

use crate::AppState;
use crate::html::{Chrome, Visitor, render};

#[derive(Template)]
#[template(path = "fault_status.html")]
struct StatusPage {
    chrome: Chrome,
    order: WorkOrder,
    history: Vec<WorkOrderStep>,
    /// Followers, the report it duplicates, what is hidden (h16a).
    extra: PublicExtras,
    /// The reporter may still confirm the fix or reopen the report (14 days after the fix).
    may_answer: bool,
}

impl Chrome {
    /// The label of a work status.
    pub fn work_status(&self, status: &str) -> &'static str {
        self.lang.t(&format!("work-{status}"))
    }
}

/// `GET /bao-hong/{token}`: where the report stands, with its history.
pub(crate) async fn status(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Response {
    let found = match actions::follow(&state.db, &token).await {
        Ok(found) => found,
        Err(error) => return visitor.fail(error).into_response(),
    };
    let (order, history) = found;
    match actions::public_extras(&state.db, order.id).await {
        Ok(extra) => render(&StatusPage {
            chrome: visitor.chrome,
            may_answer: actions::updates::may_answer(&order, time::OffsetDateTime::now_utc())
                .is_ok(),
            order,
            history,
            extra,
        }),
        Err(error) => visitor.fail(error).into_response(),
    }
}

#[derive(Template)]
#[template(path = "wifi.html")]
struct WifiPage {
    chrome: Chrome,
    rows: Vec<(langso_app::assets::AssetRow, &'static str)>,
}

/// `GET /wifi`: every free wifi point and its state, for residents.
pub(crate) async fn wifi(State(state): State<AppState>, visitor: Visitor) -> Response {
    match langso_app::assets::public_wifi(&state.db).await {
        Ok(rows) => render(&WifiPage {
            chrome: visitor.chrome,
            rows,
        }),
        Err(error) => visitor.fail(error).into_response(),
    }
}
