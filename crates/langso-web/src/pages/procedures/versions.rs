//! The versions of a procedure's guide for officers: the history (every version, newest first)
//! and publishing a new version from a form prefilled with the version in force; the old
//! versions stay. Publishing is for administrators of a province.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use langso_app::procedures::{
    self as actions, Channel, NewVersion, ProcedureContent, ProcedureVersion,
};
use langso_app::{AppError, CellError, today};
use langso_domain::units::parse_date;
use serde::Deserialize;

use super::name_in;
use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, render};

#[derive(Template)]
#[template(path = "procedure_history.html")]
struct HistoryPage {
    chrome: Chrome,
    code: String,
    /// The procedure's name in the reader's language (of the newest version).
    name: String,
    versions: Vec<ProcedureVersion>,
    publish: bool,
}

#[derive(Template)]
#[template(path = "procedure_version_new.html")]
struct NewVersionPage {
    chrome: Chrome,
    code: String,
    name: String,
    form: VersionForm,
    errors: Vec<(String, String)>,
}

/// A guide as the form holds it: lists one item per line, each channel a checkbox.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct VersionForm {
    effective_from: String,
    note: String,
    name_vi: String,
    name_en: String,
    steps_vi: String,
    steps_en: String,
    documents_vi: String,
    fee_vi: String,
    exemptions_vi: String,
    processing_time_vi: String,
    processing_time_en: String,
    legal_basis: String,
    vneid_service_vi: String,
    vneid_service_en: String,
    related: String,
    #[serde(rename = "ch.one_stop")]
    one_stop: String,
    #[serde(rename = "ch.portal")]
    portal: String,
    #[serde(rename = "ch.vneid")]
    vneid: String,
}

impl VersionForm {
    /// The form filled from a guide, to be effective today.
    fn from_guide(content: &ProcedureContent) -> Self {
        let ticked = |channel: &str| {
            let on = content.channels.iter().any(|c| c.as_str() == channel);
            if on { "1" } else { "" }.to_owned()
        };
        VersionForm {
            effective_from: today().to_string(),
            note: String::new(),
            name_vi: content.name_vi.clone(),
            name_en: content.name_en.clone(),
            steps_vi: content.steps_vi.join("\n"),
            steps_en: content.steps_en.join("\n"),
            documents_vi: content.documents_vi.join("\n"),
            fee_vi: content.fee_vi.clone(),
            exemptions_vi: content.exemptions_vi.clone().unwrap_or_default(),
            processing_time_vi: content.processing_time_vi.clone(),
            processing_time_en: content.processing_time_en.clone(),
            legal_basis: content.legal_basis.clone(),
            vneid_service_vi: content.vneid_service_vi.clone().unwrap_or_default(),
            vneid_service_en: content.vneid_service_en.clone().unwrap_or_default(),
            related: content.related.clone().unwrap_or_default(),
            one_stop: ticked("one_stop"),
            portal: ticked("portal"),
            vneid: ticked("vneid"),
        }
    }

    /// Whether the channel named `channel` (`one_stop`, `portal`, `vneid`) is ticked.
    fn checked(&self, channel: &str) -> bool {
        let value = match channel {
            "one_stop" => &self.one_stop,
            "portal" => &self.portal,
            "vneid" => &self.vneid,
            _ => return false,
        };
        !value.is_empty()
    }

    /// The guide the form describes (blank optional fields left out, lines trimmed).
    fn content(&self) -> ProcedureContent {
        let text = |v: &str| v.trim().to_owned();
        let optional = |v: &str| Some(text(v)).filter(|v| !v.is_empty());
        let lines = |v: &str| {
            v.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        };
        ProcedureContent {
            name_vi: text(&self.name_vi),
            name_en: text(&self.name_en),
            steps_vi: lines(&self.steps_vi),
            steps_en: lines(&self.steps_en),
            documents_vi: lines(&self.documents_vi),
            fee_vi: text(&self.fee_vi),
            exemptions_vi: optional(&self.exemptions_vi),
            processing_time_vi: text(&self.processing_time_vi),
            processing_time_en: text(&self.processing_time_en),
            channels: Channel::ALL
                .into_iter()
                .filter(|c| self.checked(c.as_str()))
                .collect(),
            legal_basis: text(&self.legal_basis),
            vneid_service_vi: optional(&self.vneid_service_vi),
            vneid_service_en: optional(&self.vneid_service_en),
            related: optional(&self.related),
        }
    }
}

/// `GET /procedures/{code}/history`.
pub(super) async fn history(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let versions = actions::history(&state.db, &page.actor, &code)
        .await
        .map_err(page.failing())?;
    let publish = actions::may_publish(&state.db, &page.actor).await.is_ok();
    let name = versions
        .first()
        .map(|v| name_in(&v.content, page.lang).to_owned())
        .unwrap_or_default();
    Ok(render(&HistoryPage {
        chrome: page.chrome,
        code,
        name,
        versions,
        publish,
    }))
}

/// The form, with `errors` (422) or without (200).
fn version_page(
    page: &Page,
    code: String,
    form: VersionForm,
    errors: Vec<(String, String)>,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let name = name_in(&form.content(), page.lang).to_owned();
    let new = NewVersionPage {
        chrome: page.chrome.clone(),
        code,
        name,
        form,
        errors,
    };
    (status, render(&new)).into_response()
}

/// `GET /procedures/{code}/new-version`: the form, filled from the version in force.
pub(super) async fn form(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    actions::may_publish(&state.db, &page.actor)
        .await
        .map_err(page.failing())?;
    let current = actions::guide(&state.db, &code)
        .await
        .map_err(page.failing())?;
    let form = VersionForm::from_guide(&current.content);
    Ok(version_page(&page, code, form, Vec::new()))
}

/// `POST /procedures/{code}/new-version`: publishes and shows the history, or the form again
/// with every refused field.
pub(super) async fn publish(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<VersionForm>,
) -> Result<Response, PageError> {
    actions::may_publish(&state.db, &page.actor)
        .await
        .map_err(page.failing())?;
    let result = match parse_date(&form.effective_from) {
        Ok(effective_from) => {
            let input = NewVersion {
                code: code.clone(),
                effective_from,
                content: form.content(),
                note: Some(form.note.clone()),
            };
            actions::publish_version(&state.db, &page.actor, input).await
        }
        Err(_) => Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "effective_from",
            "procedures-date-invalid",
            &[],
        )])),
    };
    if result.is_ok() {
        state.public.clear();
    }
    let to = format!("/procedures/{code}/history");
    page.form_or_redirect(
        result,
        |_| to,
        async |errors| Ok(version_page(&page, code, form, errors)),
    )
    .await
}
