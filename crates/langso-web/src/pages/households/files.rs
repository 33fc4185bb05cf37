//! The register's files in the web: upload a CSV or XLSX, see the check (counts, or every bad
//! cell by row and column, in the reader's language), confirm; and the export.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use langso_app::auth::policy;
use langso_app::households::{self as actions, ExportFormat, ImportReport};
use langso_app::{AppError, CellError};
use langso_domain::auth::Permission;
use serde::Deserialize;
use serde::de::IgnoredAny;
use uuid::Uuid;

use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, UnitPicker, render};
use crate::messages;

/// The check of an uploaded file.
struct PreviewView {
    file_name: String,
    report: Option<ImportReport>,
    /// Each bad cell: (row, 0 for the whole file; column as in the file; what is wrong).
    errors: Vec<(usize, String, String)>,
    upload_id: Option<Uuid>,
}

#[derive(Template)]
#[template(path = "household_import.html")]
struct ImportPage {
    chrome: Chrome,
    /// The column headers the import reads, as written in the file (Vietnamese in every
    /// language: they are the file's format).
    headers: String,
    /// The unit the file is for, picked by its told-apart name.
    unit_picker: UnitPicker,
    preview: Option<PreviewView>,
    done: Option<ImportReport>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct UnitQuery {
    unit: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ExportQuery {
    unit: String,
    format: String,
}

/// The headers of `COLUMNS`, listed for the form's help.
fn headers() -> String {
    actions::COLUMNS
        .iter()
        .map(|(_, header, _)| *header)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The picker of the units the reader may import households into, showing `current` (the
/// reader's first unit when none is named).
async fn unit_picker(
    state: &AppState,
    page: &Page,
    current: Option<Uuid>,
) -> Result<UnitPicker, PageError> {
    let current = current.or_else(|| page.actor.grants.first().map(|g| g.unit_id));
    UnitPicker::load(
        &state.db,
        page,
        Permission::WritePeople,
        "unit",
        "hhimport-unit",
        current,
    )
    .await
}

/// The upload form.
pub(super) async fn form(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    policy::scope(&page.actor, Permission::WritePeople).map_err(page.failing())?;
    let mut unit_picker = unit_picker(&state, &page, None).await?;
    if !query.unit.trim().is_empty() {
        unit_picker.picked(&query.unit);
    }
    Ok(render(&ImportPage {
        chrome: page.chrome,
        headers: headers(),
        unit_picker,
        preview: None,
        done: None,
    }))
}

/// Checks an uploaded file without writing anything. The form is multipart, so its CSRF
/// field is read here rather than by [`CsrfForm`].
pub(super) async fn upload(
    State(state): State<AppState>,
    page: Page,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let lang = page.lang;
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
    if !crate::auth::csrf_ok(&page.actor, &csrf) {
        return Err(page.fail(AppError::Forbidden));
    }
    let (name, bytes) = file.ok_or_else(|| {
        page.fail(AppError::Invalid(vec![CellError::keyed(
            0,
            "file",
            "upload-no-file",
            &[],
        )]))
    })?;
    let mut picker = unit_picker(&state, &page, None).await.ok();
    let picked = crate::html::picked_or_named(&state.db, picker.as_mut(), &unit).await;
    let Some(unit_id) = picked else {
        let unit_picker = match picker {
            Some(picker) => picker,
            None => unit_picker(&state, &page, None).await?,
        };
        return Ok(crate::html::render_form(
            &ImportPage {
                chrome: page.chrome,
                headers: headers(),
                unit_picker,
                preview: None,
                done: None,
            },
            &[("unit".to_owned(), String::new())],
        ));
    };
    let preview =
        actions::preview_upload(&state.db, &page.actor, &unit_id.to_string(), &name, bytes)
            .await
            .map_err(page.failing())?;
    let unit_picker = match picker {
        Some(picker) => picker,
        None => unit_picker(&state, &page, Some(unit_id)).await?,
    };
    let (report, errors) = match preview.outcome {
        Ok(report) => (Some(report), Vec::new()),
        Err(AppError::Invalid(errors)) => (None, errors),
        Err(other) => return Err(page.fail(other)),
    };
    let errors = errors
        .into_iter()
        .map(|e| {
            let text = messages::text(&e, lang);
            (e.row, e.column, text)
        })
        .collect();
    Ok(render(&ImportPage {
        chrome: page.chrome,
        headers: headers(),
        unit_picker,
        preview: Some(PreviewView {
            file_name: preview.file_name,
            report,
            errors,
            upload_id: preview.upload_id,
        }),
        done: None,
    }))
}

/// Writes a checked upload.
pub(super) async fn confirm(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<IgnoredAny>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let report = actions::confirm_upload(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let unit_picker = unit_picker(&state, &page, None).await?;
    Ok(render(&ImportPage {
        chrome: page.chrome,
        headers: headers(),
        unit_picker,
        preview: None,
        done: Some(report),
    }))
}

/// The register of a unit as CSV or XLSX.
pub(super) async fn export(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ExportQuery>,
) -> Result<Response, PageError> {
    let format = ExportFormat::parse(match query.format.as_str() {
        "" => "csv",
        format => format,
    });
    let file = actions::export_households(&state.db, &page.actor, &query.unit, format)
        .await
        .map_err(page.failing())?;
    Ok(crate::files::export(file))
}

/// The import template: the headers and one example row in a village the reader may write in.
pub(super) async fn template(
    State(state): State<AppState>,
    page: Page,
) -> Result<Response, PageError> {
    let file = actions::household_import_template(&state.db, &page.actor)
        .await
        .map_err(page.failing())?;
    Ok(crate::files::export(file))
}
