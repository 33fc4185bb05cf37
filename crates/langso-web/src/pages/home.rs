//! The home page.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::MaybeActor;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
}

pub(super) async fn show(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let chrome = Chrome::for_request(&state, &headers, &uri, actor.as_ref());
    render(&HomePage { chrome })
}
