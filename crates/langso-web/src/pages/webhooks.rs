//! Webhook endpoint pages: the endpoints of a unit's subtree, adding one (its secret shown
//! once), one endpoint with its latest delivery attempts, and switching it off. Managing them
//! needs the accounts right, like the API.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::comms::{self as actions, AttemptRow, NewWebhook, WebhookRow};
use langso_app::{Actor, AppError};
use langso_domain::units::Unit;
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{Authenticated, csrf_ok};
use crate::html::PageError;
use crate::html::chosen_unit;
use crate::messages::Lang;

#[derive(Template)]
#[template(path = "webhooks.html")]
struct WebhooksPage {
    chrome: Chrome,
    unit: Unit,
    hooks: Vec<WebhookRow>,
    name: String,
    url: String,
    errors: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "webhook.html")]
struct WebhookPage {
    chrome: Chrome,
    hook: WebhookRow,
    /// Only right after creation.
    secret: String,
    attempts: Vec<AttemptRow>,
}

impl WebhookPage {
    fn when(&self, a: &AttemptRow) -> String {
        a.at.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    }
}

/// `?unit=`.
#[derive(Debug, Deserialize)]
pub(super) struct UnitQuery {
    unit: Option<String>,
}

fn fail(lang: Lang) -> impl Fn(AppError) -> PageError {
    move |error| PageError { error, lang }
}

fn check_csrf(actor: &Actor, form: &HashMap<String, String>, lang: Lang) -> Result<(), PageError> {
    if csrf_ok(actor, form.get("csrf").map_or("", String::as_str)) {
        Ok(())
    } else {
        Err(PageError {
            error: AppError::Forbidden,
            lang,
        })
    }
}

fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

fn parse_uuid(text: &str, lang: Lang) -> Result<Uuid, PageError> {
    Uuid::parse_str(text.trim()).map_err(|_| PageError {
        error: AppError::NotFound,
        lang,
    })
}

async fn list_page(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    uri: &Uri,
    unit: Unit,
    form: HashMap<String, String>,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(headers);
    let hooks = actions::list_webhooks(&state.db, actor, unit.id)
        .await
        .map_err(fail(lang))?;
    let page = WebhooksPage {
        chrome: Chrome::for_request(state, headers, uri, Some(actor)),
        unit,
        hooks,
        name: field(&form, "name"),
        url: field(&form, "url"),
        errors,
    };
    Ok(render(&page))
}

/// GET `/webhooks`: the endpoints under a unit and the form to add one.
pub(super) async fn index(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = chosen_unit(&state, &actor, query.unit.as_deref(), lang).await?;
    list_page(
        &state,
        &actor,
        &headers,
        &uri,
        unit,
        HashMap::new(),
        Vec::new(),
    )
    .await
}

/// POST `/webhooks`: adds an endpoint and shows it with its secret, this once.
pub(super) async fn create(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    check_csrf(&actor, &form, lang)?;
    let unit = chosen_unit(&state, &actor, Some(&field(&form, "unit")), lang).await?;
    let input = NewWebhook {
        unit_id: Some(unit.id),
        name: field(&form, "name"),
        url: field(&form, "url"),
        secret: field(&form, "secret"),
    };
    match actions::create_webhook(&state.db, &actor, &input).await {
        Ok(mut hook) => {
            let secret = std::mem::take(&mut hook.secret);
            let page = WebhookPage {
                chrome: Chrome::for_request(&state, &headers, &uri, Some(&actor)),
                hook,
                secret,
                attempts: Vec::new(),
            };
            let mut response = render(&page);
            response.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        Err(AppError::Invalid(problems)) => {
            let errors = crate::messages::field_errors(problems, lang);
            list_page(&state, &actor, &headers, &uri, unit, form, errors).await
        }
        Err(error) => Err(PageError { error, lang }),
    }
}

/// GET `/webhooks/{id}`: one endpoint and its latest attempts.
pub(super) async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse_uuid(&id, lang)?;
    let detail = actions::webhook(&state.db, &actor, id)
        .await
        .map_err(fail(lang))?;
    let page = WebhookPage {
        chrome: Chrome::for_request(&state, &headers, &uri, Some(&actor)),
        hook: detail.webhook,
        secret: String::new(),
        attempts: detail.attempts,
    };
    Ok(render(&page))
}

/// POST `/webhooks/{id}/deactivate`.
pub(super) async fn deactivate(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    check_csrf(&actor, &form, lang)?;
    let id = parse_uuid(&id, lang)?;
    actions::deactivate_webhook(&state.db, &actor, id)
        .await
        .map_err(fail(lang))?;
    Ok(Redirect::to(&format!("/webhooks/{id}")).into_response())
}
