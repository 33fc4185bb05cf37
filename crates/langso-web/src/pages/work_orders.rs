//! Officers' work-order pages: the orders under a unit (filtered by status and kind), one order
//! with its history, the reporter's contact (masked without the personal-data right), the photo
//! and the buttons that move it new → assigned → in progress → fixed → closed.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use langso_app::AppError;
use langso_app::faults as actions;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Authenticated;
use crate::error::PageError;
use crate::i18n::Lang;

fn parse(id: &str, lang: Lang) -> Result<Uuid, PageError> {
    Uuid::parse_str(id.trim()).map_err(|_| PageError {
        error: AppError::NotFound,
        lang,
    })
}

/// `GET /work-orders/{id}/photo`: the reporter's photo, to the people who may read the order.
/// Its type was told from its bytes on upload; `nosniff` keeps browsers to it.
pub(super) async fn photo(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse(&id, lang)?;
    let photo = actions::photo(&state.db, &actor, id)
        .await
        .map_err(|error| PageError { error, lang })?;
    Ok((
        [
            (header::CONTENT_TYPE, photo.content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_owned(),
            ),
        ],
        photo.content,
    )
        .into_response())
}
