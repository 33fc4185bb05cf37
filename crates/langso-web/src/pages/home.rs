//! The home page.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::{Chrome, render};
use crate::AppState;
use crate::i18n::Lang;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
}

pub(super) async fn show(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let chrome = Chrome::new(
        Lang::from_headers(&headers),
        "/".to_owned(),
        state.settings.demo,
    );
    render(&HomePage { chrome })
}
