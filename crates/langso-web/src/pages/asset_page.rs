//! One asset for officers (`/assets/{id or code}`): its register entry, who paid for it, the device's latest state, the
//! ledger of status changes, alarms, lamp replacements, work orders and its QR sticker.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use langso_app::AppError;
use langso_app::assets::{self as actions, AssetView};
use langso_app::faults::WorkOrder;
use langso_domain::units::Unit;
use uuid::Uuid;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::Authenticated;
use crate::html::PageError;
use crate::messages::Lang;

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

/// `GET /assets/{id}`.
pub(super) async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let fail = |error| PageError { error, lang };
    // By id, or by code (the map links by code: shorter, and a province map holds thousands).
    let id = match Uuid::parse_str(id.trim()) {
        Ok(id) => id,
        Err(_) => actions::id_of_code(&state.db, &id)
            .await
            .map_err(fail)?
            .ok_or_else(|| fail(AppError::NotFound))?,
    };
    let view = actions::asset(&state.db, &actor, id).await.map_err(fail)?;
    let orders = langso_app::faults::orders_of_asset(&state.db, &actor, id)
        .await
        .map_err(fail)?;
    let unit = langso_app::units::get(&state.db, view.asset.unit_id)
        .await
        .map_err(fail)?;
    let status = actions::status_of(&view.asset, view.state.as_ref());
    let total_vnd = view.contributors.iter().map(|(_, amount)| amount).sum();
    Ok(render(&AssetPage {
        chrome: Chrome::for_request(&state, &headers, &uri, Some(&actor)),
        view,
        unit,
        status,
        orders,
        total_vnd,
    }))
}
