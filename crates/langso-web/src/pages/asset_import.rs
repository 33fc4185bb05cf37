//! The asset register import in the web: upload an XLSX or CSV file, see the check (the count,
//! or every bad cell by row and column), confirm.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use langso_app::assets::{self as actions, AssetImport};
use langso_app::{AppError, CellError};
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{Authenticated, csrf_ok};
use crate::html::PageError;
use crate::messages::Lang;

/// The check of an uploaded file.
struct PreviewView {
    file_name: String,
    report: Option<AssetImport>,
    errors: Vec<CellError>,
    upload_id: Option<Uuid>,
}

#[derive(Template)]
#[template(path = "asset_import.html")]
struct ImportPage {
    chrome: Chrome,
    preview: Option<PreviewView>,
    done: Option<AssetImport>,
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

/// `GET /assets/import`.
pub(super) async fn form(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    langso_app::auth::policy::scope(&actor, actions::MANAGE)
        .map_err(|error| PageError { error, lang })?;
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    Ok(render(&ImportPage {
        chrome,
        preview: None,
        done: None,
    }))
}

/// `POST /assets/import`: the check (a dry run), with a confirm button when the file is good.
pub(super) async fn upload(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let fail = |error| PageError { error, lang };
    let (mut csrf, mut file) = (String::new(), None);
    let broken = |e| PageError::unreadable_upload(e, lang);
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(broken)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("tep").to_owned();
                file = Some((name, field.bytes().await.map_err(broken)?.to_vec()));
            }
            _ => {}
        }
    }
    if !csrf_ok(&actor, &csrf) {
        return Err(fail(AppError::Forbidden));
    }
    let (name, bytes) = file.ok_or_else(|| {
        fail(AppError::Invalid(vec![CellError::new(
            0,
            "file",
            "chưa chọn tệp / no file",
        )]))
    })?;
    let preview = actions::preview_asset_upload(&state.db, &actor, &name, bytes)
        .await
        .map_err(fail)?;
    let (report, errors) = match preview.outcome {
        Ok(report) => (Some(report), Vec::new()),
        Err(AppError::Invalid(errors)) => (None, errors),
        Err(other) => return Err(fail(other)),
    };
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    Ok(render(&ImportPage {
        chrome,
        preview: Some(PreviewView {
            file_name: preview.file_name,
            report,
            errors,
            upload_id: preview.upload_id,
        }),
        done: None,
    }))
}

/// `POST /assets/import/{id}/confirm`: imports the kept file for real.
pub(super) async fn confirm(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let fail = |error| PageError { error, lang };
    let id = Uuid::parse_str(id.trim()).map_err(|_| fail(AppError::NotFound))?;
    if !csrf_ok(&actor, &form.csrf) {
        return Err(fail(AppError::Forbidden));
    }
    let report = actions::confirm_asset_upload(&state.db, &actor, id)
        .await
        .map_err(fail)?;
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    Ok(render(&ImportPage {
        chrome,
        preview: None,
        done: Some(report),
    }))
}
