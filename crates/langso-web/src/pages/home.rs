//! The home page: what Langso is, and where to start. Public.

use askama::Template;
use axum::response::Response;

use crate::html::{Chrome, Routes, Visitor, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
}

/// The home screen.
pub(super) fn routes() -> Routes {
    Routes::new().get("/", show)
}

async fn show(visitor: Visitor) -> Response {
    render(&HomePage {
        chrome: visitor.chrome,
    })
}
