//! Webhook endpoint pages: the endpoints of a unit's subtree, adding one (its secret shown
//! once), one endpoint with its latest delivery attempts, and switching it off. Managing them
//! needs the accounts right, like the API.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::AppError;
use langso_app::comms::{self as actions, AttemptRow, NewWebhook, WebhookRow};
use langso_domain::units::Unit;
use serde::Deserialize;

use super::UnitQuery;
use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, Routes, render};
use crate::messages;

/// The webhook screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route(
            "/webhooks",
            &["GET", "POST"],
            axum::routing::get(index).post(create),
        )
        .get("/webhooks/{id}", show)
        .post("/webhooks/{id}/deactivate", deactivate)
}

/// The new-endpoint form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
struct WebhookForm {
    unit: String,
    name: String,
    url: String,
    secret: String,
}

/// A form with nothing but its CSRF token.
#[derive(Deserialize, Default)]
struct Empty {}

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

/// The endpoints under `unit` and the form (refilled after a refusal, the secret never).
async fn list_page(
    state: &AppState,
    page: &Page,
    unit: Unit,
    form: WebhookForm,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let hooks = actions::list_webhooks(&state.db, &page.actor, unit.id)
        .await
        .map_err(page.failing())?;
    let status = crate::html::form_status(&errors);
    let view = WebhooksPage {
        chrome: page.chrome.clone(),
        unit,
        hooks,
        name: form.name,
        url: form.url,
        errors,
    };
    Ok((status, render(&view)).into_response())
}

/// GET `/webhooks`: the endpoints under a unit and the form to add one.
async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    list_page(&state, &page, unit, WebhookForm::default(), Vec::new()).await
}

/// POST `/webhooks`: adds an endpoint and shows it with its secret, this once. Unlike other
/// forms it answers with the page itself, not a redirect: the secret is kept nowhere it could
/// be shown again, and the answer is marked not to be stored.
async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<WebhookForm>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(&form.unit)).await?;
    let input = NewWebhook {
        unit_id: Some(unit.id),
        name: form.name.clone(),
        url: form.url.clone(),
        secret: form.secret.clone(),
    };
    match actions::create_webhook(&state.db, &page.actor, &input).await {
        Ok(mut hook) => {
            let secret = std::mem::take(&mut hook.secret);
            let mut response = render(&WebhookPage {
                chrome: page.chrome,
                hook,
                secret,
                attempts: Vec::new(),
            });
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(response)
        }
        Err(AppError::Invalid(problems)) => {
            let errors = messages::field_errors(problems, page.lang);
            list_page(&state, &page, unit, form, errors).await
        }
        Err(error) => Err(page.fail(error)),
    }
}

/// GET `/webhooks/{id}`: one endpoint and its latest attempts.
async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let detail = actions::webhook(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    Ok(render(&WebhookPage {
        chrome: page.chrome,
        hook: detail.webhook,
        secret: String::new(),
        attempts: detail.attempts,
    }))
}

/// POST `/webhooks/{id}/deactivate`: no new messages go to it; those queued still do.
async fn deactivate(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(Empty {}): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    actions::deactivate_webhook(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    Ok(Redirect::to(&format!("/webhooks/{id}")).into_response())
}
