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

/// `GET /bao-hong/anh/{id}`: the photo sent with a report, as stored (its metadata removed at
/// submission); 404 once an officer hides it.
pub(crate) async fn photo(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return visitor.fail(langso_app::AppError::NotFound).into_response();
    };
    match actions::public_photo(&state.db, id).await {
        Ok(photo) => (
            [
                (axum::http::header::CONTENT_TYPE, photo.content_type),
                (
                    axum::http::header::CACHE_CONTROL,
                    "public, max-age=300".to_owned(),
                ),
                (
                    axum::http::header::X_CONTENT_TYPE_OPTIONS,
                    "nosniff".to_owned(),
                ),
            ],
            photo.content,
        )
            .into_response(),
        Err(error) => visitor.fail(error).into_response(),
    }
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
