//! The asset register import in the web: upload an XLSX or CSV file, see the check (the count,
//! or every bad cell by row and column), confirm. The upload stays a multipart form, its CSRF
//! field read from the parts.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use langso_app::assets::{self as actions, AssetImport};
use langso_app::{AppError, CellError};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::auth::csrf_ok;
use crate::html::{Chrome, CsrfForm, Page, PageError, render};
use crate::messages;

/// One refused cell: row (0 for the whole file), column as headed in the file, what is wrong
/// in the reader's language.
struct Refusal {
    row: usize,
    column: String,
    text: String,
}

/// The check of an uploaded file.
struct PreviewView {
    file_name: String,
    report: Option<AssetImport>,
    errors: Vec<Refusal>,
    upload_id: Option<Uuid>,
}

#[derive(Template)]
#[template(path = "asset_import.html")]
struct ImportPage {
    chrome: Chrome,
    preview: Option<PreviewView>,
    done: Option<AssetImport>,
}

/// The confirm button's form: nothing but its CSRF field.
#[derive(Deserialize, Default)]
pub(super) struct ConfirmForm {}

/// `GET /assets/import`.
pub(super) async fn form(page: Page) -> Result<Response, PageError> {
    langso_app::auth::policy::scope(&page.actor, actions::MANAGE).map_err(page.failing())?;
    Ok(render(&ImportPage {
        chrome: page.chrome,
        preview: None,
        done: None,
    }))
}

/// `POST /assets/import`: the check (a dry run), with a confirm button when the file is good.
pub(super) async fn upload(
    State(state): State<AppState>,
    page: Page,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let (mut csrf, mut file) = (String::new(), None);
    let lang = page.lang;
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
    if !csrf_ok(&page.actor, &csrf) {
        return Err(page.fail(AppError::Forbidden));
    }
    let (name, bytes) = file.ok_or_else(|| {
        page.fail(AppError::Invalid(vec![CellError::keyed(
            0,
            "file",
            "assets-import-no-file",
            &[],
        )]))
    })?;
    let preview = actions::preview_asset_upload(&state.db, &page.actor, &name, bytes)
        .await
        .map_err(page.failing())?;
    let (report, errors) = match preview.outcome {
        Ok(report) => (Some(report), Vec::new()),
        Err(AppError::Invalid(errors)) => (None, errors),
        Err(other) => return Err(page.fail(other)),
    };
    let errors = errors
        .iter()
        .map(|error| Refusal {
            row: error.row,
            column: error.column.clone(),
            text: messages::text(error, lang),
        })
        .collect();
    Ok(render(&ImportPage {
        chrome: page.chrome,
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
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<ConfirmForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let report = actions::confirm_asset_upload(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    Ok(render(&ImportPage {
        chrome: page.chrome,
        preview: None,
        done: Some(report),
    }))
}

/// `GET /assets/import/template`: the headers and one example row in a village the reader
/// manages.
pub(super) async fn template(
    State(state): State<AppState>,
    page: Page,
) -> Result<Response, PageError> {
    let file = actions::asset_import_template(&state.db, &page.actor)
        .await
        .map_err(page.failing())?;
    Ok(crate::files::export(file))
}
