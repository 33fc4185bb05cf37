//! Household files in the web: upload a CSV or XLSX, see the check (counts, or every bad cell
//! by row and column), confirm; and export buttons.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use langso_app::households::{self as actions, ExportFormat, ImportReport};
use langso_app::{Actor, AppError, CellError, Db};
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{Authenticated, csrf_ok};
use crate::html::PageError;
use crate::messages::Lang;

/// The check of an uploaded file.
pub struct PreviewView {
    file_name: String,
    report: Option<ImportReport>,
    errors: Vec<CellError>,
    upload_id: Option<Uuid>,
}

#[derive(Template)]
#[template(path = "household_import.html")]
struct ImportPage {
    chrome: Chrome,
    unit: String,
    preview: Option<PreviewView>,
    done: Option<ImportReport>,
}

#[derive(Deserialize)]
pub(super) struct UnitQuery {
    unit: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

#[derive(Deserialize)]
pub(super) struct ExportQuery {
    unit: String,
    format: Option<String>,
}

/// The code of the actor's first unit, to fill the form with.
async fn default_unit(db: &Db, actor: &Actor) -> String {
    match actor.grants.first() {
        Some(grant) => langso_app::units::get(db, grant.unit_id)
            .await
            .map(|u| u.code)
            .unwrap_or_default(),
        None => String::new(),
    }
}

pub(super) async fn form(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    langso_app::auth::policy::scope(&actor, langso_domain::auth::Permission::WritePeople)
        .map_err(|error| PageError { error, lang })?;
    let unit = match query.unit.filter(|u| !u.trim().is_empty()) {
        Some(unit) => unit,
        None => default_unit(&state.db, &actor).await,
    };
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    Ok(render(&ImportPage {
        chrome,
        unit,
        preview: None,
        done: None,
    }))
}

pub(super) async fn upload(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let fail = |error| PageError { error, lang };
    // Fields in form order: csrf, unit, file.
    let (mut csrf, mut unit, mut file) = (String::new(), String::new(), None);
    let broken = |e| PageError::unreadable_upload(e, lang);
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(broken)?,
            Some("unit") => unit = field.text().await.map_err(broken)?.trim().to_owned(),
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
    let preview = actions::preview_upload(&state.db, &actor, &unit, &name, bytes)
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
        unit,
        preview: Some(PreviewView {
            file_name: preview.file_name,
            report,
            errors,
            upload_id: preview.upload_id,
        }),
        done: None,
    }))
}

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
    let report = actions::confirm_upload(&state.db, &actor, id)
        .await
        .map_err(fail)?;
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    Ok(render(&ImportPage {
        chrome,
        unit: String::new(),
        preview: None,
        done: Some(report),
    }))
}

pub(super) async fn export(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    Query(query): Query<ExportQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let format = ExportFormat::parse(query.format.as_deref().unwrap_or("csv"));
    let file = actions::export_households(&state.db, &actor, &query.unit, format)
        .await
        .map_err(|error| PageError { error, lang })?;
    Ok(crate::files::export(file))
}
