//! Publishing a new version of a procedure guide from the web: a form prefilled with the
//! version in force; the old versions stay. Only for administrators of a province.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::procedures::{self as actions, Channel, NewVersion, ProcedureContent};
use langso_app::{Actor, AppError, today};
use langso_domain::units::parse_date;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{Authenticated, csrf_ok};
use crate::html::PageError;
use crate::messages::Lang;

#[derive(Template)]
#[template(path = "procedure_version_new.html")]
struct NewVersionPage {
    chrome: Chrome,
    code: String,
    form: HashMap<String, String>,
    errors: Vec<(String, String)>,
}

impl NewVersionPage {
    fn value(&self, name: &str) -> &str {
        self.form.get(name).map_or("", String::as_str)
    }

    fn checked(&self, channel: &str) -> bool {
        self.form.contains_key(&format!("ch.{channel}"))
    }
}

/// The form's fields from a guide (multi-line fields one item per line).
fn fields(content: &ProcedureContent) -> HashMap<String, String> {
    let mut form = HashMap::new();
    let mut put = |k: &str, v: String| {
        form.insert(k.to_owned(), v);
    };
    put("effective_from", today().to_string());
    put("name_vi", content.name_vi.clone());
    put("name_en", content.name_en.clone());
    put("steps_vi", content.steps_vi.join("\n"));
    put("steps_en", content.steps_en.join("\n"));
    put("documents_vi", content.documents_vi.join("\n"));
    put("fee_vi", content.fee_vi.clone());
    put(
        "exemptions_vi",
        content.exemptions_vi.clone().unwrap_or_default(),
    );
    put("processing_time_vi", content.processing_time_vi.clone());
    put("processing_time_en", content.processing_time_en.clone());
    put("legal_basis", content.legal_basis.clone());
    put(
        "vneid_service_vi",
        content.vneid_service_vi.clone().unwrap_or_default(),
    );
    put(
        "vneid_service_en",
        content.vneid_service_en.clone().unwrap_or_default(),
    );
    put("related", content.related.clone().unwrap_or_default());
    for channel in &content.channels {
        put(&format!("ch.{}", channel.as_str()), "1".to_owned());
    }
    form
}

fn content(form: &HashMap<String, String>) -> ProcedureContent {
    let text = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let optional = |k: &str| Some(text(k)).filter(|v| !v.is_empty());
    let lines = |k: &str| {
        text(k)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    };
    ProcedureContent {
        name_vi: text("name_vi"),
        name_en: text("name_en"),
        steps_vi: lines("steps_vi"),
        steps_en: lines("steps_en"),
        documents_vi: lines("documents_vi"),
        fee_vi: text("fee_vi"),
        exemptions_vi: optional("exemptions_vi"),
        processing_time_vi: text("processing_time_vi"),
        processing_time_en: text("processing_time_en"),
        channels: Channel::ALL
            .into_iter()
            .filter(|c| form.contains_key(&format!("ch.{}", c.as_str())))
            .collect(),
        legal_basis: text("legal_basis"),
        vneid_service_vi: optional("vneid_service_vi"),
        vneid_service_en: optional("vneid_service_en"),
        related: optional("related"),
    }
}

fn page(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    uri: &Uri,
    code: String,
    form: HashMap<String, String>,
    errors: Vec<(String, String)>,
) -> Response {
    let chrome = Chrome::for_request(state, headers, uri, Some(actor));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (
        status,
        render(&NewVersionPage {
            chrome,
            code,
            form,
            errors,
        }),
    )
        .into_response()
}

pub(super) async fn form(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let fail = |error| PageError { error, lang };
    actions::may_publish(&state.db, &actor)
        .await
        .map_err(fail)?;
    let current = actions::guide(&state.db, &code).await.map_err(fail)?;
    Ok(page(
        &state,
        &actor,
        &headers,
        &uri,
        code,
        fields(&current.content),
        Vec::new(),
    ))
}

pub(super) async fn publish(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(code): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&actor, form.get("csrf").map_or("", String::as_str)) {
        return Err(PageError {
            error: AppError::Forbidden,
            lang,
        });
    }
    actions::may_publish(&state.db, &actor)
        .await
        .map_err(|error| PageError { error, lang })?;
    let effective_from = match parse_date(form.get("effective_from").map_or("", String::as_str)) {
        Ok(date) => date,
        Err(e) => {
            return Ok(page(
                &state,
                &actor,
                &headers,
                &uri,
                code,
                form,
                vec![("effective_from".to_owned(), e.to_string())],
            ));
        }
    };
    let input = NewVersion {
        code: code.clone(),
        effective_from,
        content: content(&form),
        note: form.get("note").cloned(),
    };
    match actions::publish_version(&state.db, &actor, input).await {
        Ok(_) => {
            state.public.clear();
            Ok(Redirect::to(&format!("/procedures/{code}/history")).into_response())
        }
        Err(AppError::Invalid(problems)) => {
            let errors = crate::messages::field_errors(problems, lang);
            Ok(page(&state, &actor, &headers, &uri, code, form, errors))
        }
        Err(error) => Err(PageError { error, lang }),
    }
}
