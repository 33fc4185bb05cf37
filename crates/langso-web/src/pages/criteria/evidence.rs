//! Evidence for the criteria a person judges: uploaded by one officer of the village's
//! commune, approved by another, and opened as a download by whoever may read the village's
//! programme data.

use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::Response;
use langso_app::criteria as actions;
use serde::Deserialize;
use uuid::Uuid;

use super::read_upload;
use super::village::{StepForm, village_page};
use crate::AppState;
use crate::files::{Disposition, download};
use crate::html::{CsrfForm, Page, PageError};

/// POST `/villages/{id}/evidence` (multipart: set, criterion, file).
pub(super) async fn upload(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let upload = read_upload(&page, multipart).await?;
    let set = Uuid::parse_str(upload.set.trim()).unwrap_or_default();
    let file = &upload.file;
    let result = actions::upload_evidence(
        &state.db,
        &page.actor,
        id,
        set,
        upload.criterion.trim(),
        &file.name,
        &file.content_type,
        &file.bytes,
    )
    .await;
    page.form_or_redirect(
        result,
        |_| format!("/villages/{id}"),
        async |errors| village_page(&state, &page, id, StepForm::default(), errors).await,
    )
    .await
}

/// The evidence approval form: the village whose page shows a refusal.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct EvidenceForm {
    village: String,
}

/// POST `/evidence/{id}/approve`: approves evidence (someone other than the uploader).
pub(super) async fn approve(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<EvidenceForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let result = actions::approve_evidence(&state.db, &page.actor, id).await;
    page.form_or_redirect(
        result,
        |row| format!("/villages/{}", row.unit_id),
        async |errors| {
            let village = Uuid::parse_str(form.village.trim()).map_err(|_| page.not_found())?;
            village_page(&state, &page, village, StepForm::default(), errors).await
        },
    )
    .await
}

/// GET `/evidence/{id}/file`: the evidence file, as a download, for whoever may read the
/// village's programme data; the approver opens what they approve. The media type is the
/// uploader's word, so the browser is told not to sniff it or run it.
pub(super) async fn file(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let (row, content) = actions::evidence_file(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let mut response = download(
        Disposition::Attachment,
        &row.content_type,
        &row.file_name,
        content,
    );
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}
