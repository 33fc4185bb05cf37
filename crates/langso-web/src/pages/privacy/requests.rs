//! The register of data subjects' requests: the list with the overdue ones first named, a
//! request's page with its answer and the export or erasure it asks for, and the form that
//! records one (opened from a household's page).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::privacy::requests::RequestRow;
use langso_app::privacy::requests::{
    self as actions, Answer, CHANNELS, Executed, KINDS, NewRequest,
};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use crate::AppState;
use crate::files::{Disposition, download};
use crate::html::{Chrome, CsrfForm, Page, PageError, Routes, render, render_form};

pub(super) fn routes() -> Routes {
    use axum::routing::get;
    Routes::new()
        .route(
            "/privacy/requests",
            &["GET", "POST"],
            get(index).post(create),
        )
        .route(
            "/privacy/requests/{id}",
            &["GET", "POST"],
            get(show).post(answer),
        )
        .post("/privacy/requests/{id}/execute", execute)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ListQuery {
    household: String,
    all: String,
}

/// The form of a new request.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct NewForm {
    household: String,
    person: String,
    kind: String,
    received_on: String,
    channel: String,
    details: String,
}

#[derive(Template)]
#[template(path = "privacy_requests.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<(RequestRow, bool)>,
    overdue: usize,
    all: bool,
    /// The household a new request is about: (id, name as entered).
    household: Option<(Uuid, String)>,
    form: NewForm,
    kinds: [&'static str; 5],
    channels: [&'static str; 5],
    errors: Vec<(String, String)>,
}

fn parse_day(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).ok()
}

async fn list_page(
    state: &AppState,
    page: &Page,
    query: &ListQuery,
    form: NewForm,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let today = langso_app::today();
    let all = !query.all.is_empty();
    let rows = actions::list(&state.db, &page.actor, !all, today)
        .await
        .map_err(page.failing())?;
    let overdue = rows.iter().filter(|(_, late)| *late).count();
    let household = match query.household.trim() {
        "" => None,
        id => {
            let id = page.id(id)?;
            let view = langso_app::households::get_household(&state.db, &page.actor, id)
                .await
                .map_err(page.failing())?;
            Some((id, view.row.head_name))
        }
    };
    Ok(render_form(
        &ListPage {
            chrome: page.chrome.clone(),
            rows,
            overdue,
            all,
            household,
            form,
            kinds: KINDS,
            channels: CHANNELS,
            errors: errors.clone(),
        },
        &errors,
    ))
}

async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let form = NewForm {
        received_on: langso_app::today().to_string(),
        kind: "access".to_owned(),
        channel: "in_person".to_owned(),
        ..NewForm::default()
    };
    list_page(&state, &page, &query, form, Vec::new()).await
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<NewForm>,
) -> Result<Response, PageError> {
    let household = page.id(&form.household)?;
    let query = ListQuery {
        household: form.household.clone(),
        all: String::new(),
    };
    let Some(received_on) = parse_day(&form.received_on) else {
        let message = crate::messages::render(page.lang, "privacy-request-date", &[]);
        return list_page(
            &state,
            &page,
            &query,
            form,
            vec![("received_on".to_owned(), message)],
        )
        .await;
    };
    let input = NewRequest {
        household_id: household,
        person: form.person.clone(),
        kind: form.kind.clone(),
        received_on: Some(received_on),
        channel: form.channel.clone(),
        details: form.details.clone(),
    };
    let result = actions::record_request(&state.db, &page.actor, &input).await;
    page.form_or_redirect(
        result,
        |row| format!("/privacy/requests/{}", row.id),
        async |errors| list_page(&state, &page, &query, form, errors).await,
    )
    .await
}

/// The answer form.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct AnswerForm {
    status: String,
    answer: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "privacy_request.html")]
struct RequestPage {
    chrome: Chrome,
    row: RequestRow,
    late: bool,
    executable: bool,
    form: AnswerForm,
    errors: Vec<(String, String)>,
}

async fn request_page(
    state: &AppState,
    page: &Page,
    id: Uuid,
    form: Option<AnswerForm>,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let row = actions::request(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let late = actions::overdue(&row, langso_app::today());
    let open = matches!(row.status.as_str(), "received" | "in_progress");
    let executable = open && matches!(row.kind.as_str(), "access" | "erasure");
    let form = form.unwrap_or_else(|| AnswerForm {
        status: if open {
            "answered".to_owned()
        } else {
            row.status.clone()
        },
        answer: row.answer.clone(),
        reason: row.reason.clone(),
    });
    let page_html = RequestPage {
        chrome: page.chrome.clone(),
        row,
        late,
        executable,
        form,
        errors: errors.clone(),
    };
    Ok(if errors.is_empty() {
        render(&page_html)
    } else {
        render_form(&page_html, &errors)
    })
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    request_page(&state, &page, id, None, Vec::new()).await
}

async fn answer(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let input = Answer {
        status: form.status.clone(),
        answer: form.answer.clone(),
        reason: form.reason.clone(),
        answered_on: None,
    };
    let result = actions::answer(&state.db, &page.actor, id, &input).await;
    page.form_or_redirect(
        result,
        |row| format!("/privacy/requests/{}", row.id),
        async |errors| request_page(&state, &page, id, Some(form), errors).await,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ExecuteForm {}

/// Does what the request asks: the export comes back as a JSON file; after an erasure, the
/// request's page.
async fn execute(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<ExecuteForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    match actions::execute(&state.db, &page.actor, id).await {
        Ok(Executed::Export(json)) => Ok(download(
            Disposition::Attachment,
            "application/json",
            &format!("du-lieu-ho-{id}.json"),
            serde_json::to_string_pretty(&json).unwrap_or_default(),
        )),
        Ok(Executed::Erased) => {
            Ok(Redirect::to(&format!("/privacy/requests/{id}")).into_response())
        }
        Err(langso_app::AppError::Invalid(problems)) => {
            let errors = crate::messages::field_errors(problems, page.lang);
            request_page(&state, &page, id, None, errors).await
        }
        Err(error) => Err(page.fail(error)),
    }
}
