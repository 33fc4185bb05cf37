//! Providers' delivery reports, called by the providers themselves, not by people: eSMS.vn's
//! callback (`GET /hooks/esms/{token}`, the token of one unit's SMS settings, since eSMS signs
//! nothing) and Zalo's OA webhook (`POST /hooks/zalo`, signed with the OA secret key). The
//! app checks, matches and records (`langso_app::comms::channels::reports`); this answers in
//! the plain codes providers read: 200 taken (or nothing to do), 400 past a limit, 401 a bad
//! signature, 404 an unknown token or message, 409 not accepted yet (try again), 503 our
//! storage failed (try again).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use langso_app::comms::channels::{self as channels, ReportAnswer, ReportError};

use crate::AppState;
use crate::html::Routes;
use crate::messages::{Lang, render};

/// The report endpoints; Zalo's body is cut at [`channels::MAX_EVENT_BODY`].
pub(super) fn routes() -> Routes {
    Routes::new().get("/hooks/esms/{token}", esms).route(
        "/hooks/zalo",
        &["POST"],
        axum::routing::post(zalo).layer(axum::extract::DefaultBodyLimit::max(
            channels::MAX_EVENT_BODY,
        )),
    )
}

/// `GET /hooks/esms/{token}?SMSID=…&RequestId=…&SendStatus=…`.
async fn esms(
    State(state): State<AppState>,
    Path(token): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    answer(channels::esms_report(&state.db, &token, &query).await)
}

/// `POST /hooks/zalo` with `X-ZEvent-Signature`.
async fn zalo(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers
        .get("x-zevent-signature")
        .and_then(|v| v.to_str().ok());
    answer(channels::zalo_event(&state.db, signature, &body).await)
}

fn answer(result: Result<ReportAnswer, ReportError>) -> Response {
    match result {
        Ok(_) => (StatusCode::OK, "OK").into_response(),
        Err(ReportError::Invalid(key)) => {
            (StatusCode::BAD_REQUEST, render(Lang::Vi, key, &[])).into_response()
        }
        Err(ReportError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(ReportError::Unauthorized) => StatusCode::UNAUTHORIZED.into_response(),
        Err(ReportError::NotYet) => StatusCode::CONFLICT.into_response(),
        Err(ReportError::Failed(error)) => {
            tracing::warn!(%error, "delivery report not recorded");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
