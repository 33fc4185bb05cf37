//! Channel settings pages: how a province or commune reaches people on Zalo ZNS, SMS and
//! e-mail, and its ZNS templates. Secrets are write-only: the page says whether one is
//! stored, never shows it, and an empty field keeps it. Managing them needs the accounts
//! right, like webhooks.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::AppError;
use langso_app::comms::channels::{
    self as actions, ChannelView, NewChannelSettings, ZnsTemplateRow,
};
use langso_domain::units::Unit;

use serde::Deserialize;

use super::UnitQuery;
use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, Routes, render};
use crate::messages;

/// The channel screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route(
            "/channels",
            &["GET", "POST"],
            axum::routing::get(index).post(save),
        )
        .post("/channels/templates", save_template)
}

/// One channel's form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
struct SettingsForm {
    unit: String,
    channel: String,
    enabled: String,
    endpoint: String,
    account: String,
    sender: String,
    options: String,
    secret: String,
    refresh_token: String,
    oa_secret_key: String,
}

/// The template form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
struct TemplateForm {
    unit: String,
    source: String,
    template_id: String,
    params: String,
}

#[derive(Template)]
#[template(path = "channels.html")]
struct ChannelsPage {
    chrome: Chrome,
    unit: Unit,
    channels: Vec<ChannelView>,
    templates: Vec<ZnsTemplateRow>,
    sources: Vec<&'static str>,
    errors: Vec<(String, String)>,
}

async fn show(
    state: &AppState,
    page: &Page,
    unit: Unit,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let (channels, templates) = actions::channel_settings(&state.db, &page.actor, unit.id)
        .await
        .map_err(page.failing())?;
    let status = crate::html::form_status(&errors);
    let view = ChannelsPage {
        chrome: page.chrome.clone(),
        unit,
        channels,
        templates,
        sources: actions::SOURCES.to_vec(),
        errors,
    };
    Ok((status, render(&view)).into_response())
}

/// GET `/channels?unit=`: the unit's own settings for every channel and its ZNS templates.
async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    show(&state, &page, unit, Vec::new()).await
}

/// POST `/channels`: saves one channel's settings.
async fn save(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(&form.unit)).await?;
    let input = NewChannelSettings {
        unit_id: Some(unit.id),
        channel: form.channel,
        enabled: !form.enabled.is_empty(),
        endpoint: form.endpoint,
        account: form.account,
        sender: form.sender,
        options: form.options,
        secret: form.secret,
        refresh_token: form.refresh_token,
        oa_secret_key: form.oa_secret_key,
    };
    answer(
        &state,
        &page,
        unit,
        actions::save_channel_settings(&state.db, &page.actor, &input)
            .await
            .map(|_| ()),
    )
    .await
}

/// POST `/channels/templates`: saves one ZNS template.
async fn save_template(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<TemplateForm>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(&form.unit)).await?;
    let saved = actions::save_zns_template(
        &state.db,
        &page.actor,
        unit.id,
        form.source.trim(),
        &form.template_id,
        form.params.trim(),
    )
    .await;
    answer(&state, &page, unit, saved).await
}

async fn answer(
    state: &AppState,
    page: &Page,
    unit: Unit,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/channels?unit={}", unit.id)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let errors = messages::field_errors(problems, page.lang);
            show(state, page, unit, errors).await
        }
        Err(error) => Err(page.fail(error)),
    }
}
