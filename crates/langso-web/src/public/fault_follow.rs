//! "This is my problem too" (issue 16): a resident who finds their problem already reported
//! follows that report instead of sending another (`POST /bao-hong/{id}/theo-doi`, with a
//! contact if they want to be told of updates), and reads it by its id
//! (`/bao-hong/phan-anh/{id}`): what the public may see, how many follow it.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::AppError;
use langso_app::faults::{self as actions, PublicExtras, WorkOrder, WorkOrderStep};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::html::{Chrome, Visitor, render};

/// The follower's contact (optional).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct FollowForm {
    contact: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Shown {
    #[serde(rename = "theo-doi")]
    followed: Option<String>,
}

#[derive(Template)]
#[template(path = "fault_public.html")]
struct ReportPage {
    chrome: Chrome,
    order: WorkOrder,
    history: Vec<WorkOrderStep>,
    extra: PublicExtras,
    /// The reader just followed it.
    followed: bool,
    /// It may still be followed (open, not a duplicate).
    open: bool,
}

/// `POST /bao-hong/{id}/theo-doi`: adds the reader as a follower and shows the report.
pub(crate) async fn follow(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<FollowForm>,
) -> Response {
    let Ok(id) = Uuid::parse_str(id.trim()) else {
        return visitor.fail(AppError::NotFound).into_response();
    };
    match actions::follow_report(&state.db, id, &form.contact).await {
        Ok(_) => Redirect::to(&format!("/bao-hong/phan-anh/{id}?theo-doi=1")).into_response(),
        Err(error) => visitor.fail(error).into_response(),
    }
}

/// `GET /bao-hong/phan-anh/{id}`: one report as the public may read it.
pub(crate) async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Response {
    let Ok(id) = Uuid::parse_str(id.trim()) else {
        return visitor.fail(AppError::NotFound).into_response();
    };
    match actions::public_report(&state.db, id).await {
        Ok((order, history, extra)) => {
            let open = extra.duplicate_of.is_none()
                && matches!(order.status.as_str(), "new" | "assigned" | "in_progress");
            render(&ReportPage {
                chrome: visitor.chrome,
                order,
                history,
                extra,
                followed: shown.followed.is_some(),
                open,
            })
        }
        Err(error) => visitor.fail(error).into_response(),
    }
}
