//! One asset for officers (`/assets/{id or code}`): its register entry, who paid for it, the
//! device's latest state, the ledger of status changes, alarms, lamp replacements, work orders
//! and its QR sticker.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use langso_app::AppError;
use langso_app::assets::{self as actions, AssetView};
use langso_app::faults::WorkOrder;
use langso_domain::units::Unit;
use uuid::Uuid;

use crate::AppState;
use crate::html::{Chrome, Page, PageError, render};

#[derive(Template)]
#[template(path = "asset.html")]
struct AssetPage {
    chrome: Chrome,
    view: AssetView,
    unit: Unit,
    status: &'static str,
    orders: Vec<WorkOrder>,
    total_vnd: i64,
}

/// `GET /assets/{id}`, by id or by code (the map links by code: shorter, and a province map
/// holds thousands).
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = match Uuid::parse_str(id.trim()) {
        Ok(id) => id,
        Err(_) => actions::id_of_code(&state.db, &id)
            .await
            .map_err(page.failing())?
            .ok_or_else(|| page.fail(AppError::NotFound))?,
    };
    let view = actions::asset(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let orders = langso_app::faults::orders_of_asset(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let unit = langso_app::units::get(&state.db, view.asset.unit_id)
        .await
        .map_err(page.failing())?;
    let status = actions::status_of(&view.asset, view.state.as_ref());
    let total_vnd = view.contributors.iter().map(|(_, amount)| amount).sum();
    Ok(render(&AssetPage {
        chrome: page.chrome,
        view,
        unit,
        status,
        orders,
        total_vnd,
    }))
}
