//! The faults domain for officers: the work orders under a unit (filtered by status and kind),
//! one order with its history, the reporter's contact (masked without the personal-data
//! right), the photo and the buttons that move it new → assigned → in progress → fixed →
//! closed.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::faults::{self as actions, OrderView, WorkOrder};
use langso_domain::assets::AssetKind;
use langso_domain::faults::WorkStatus;
use langso_domain::units::Unit;
use serde::Deserialize;

use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, Routes, render};

// --- h16a: duplicates and moderation ---
mod public_side;

/// The most orders one list page shows (the filters narrow it).
const LIST_LIMIT: i64 = 500;

/// The work-order screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/work-orders/{id}/photo", photo)
        .get("/work-orders", index)
        .get("/work-orders/{id}", show)
        .post("/work-orders/{id}/transition", transition)
        .merge(public_side::routes())
}

#[derive(Template)]
#[template(path = "work_orders.html")]
struct ListPage {
    chrome: Chrome,
    unit: Unit,
    statuses: Vec<&'static str>,
    kinds: Vec<&'static str>,
    status: String,
    kind: String,
    orders: Vec<WorkOrder>,
    /// Whether each order is overdue (same order as `orders`).
    overdue: Vec<bool>,
    /// Only overdue orders are listed.
    overdue_only: bool,
}

#[derive(Template)]
#[template(path = "work_order.html")]
struct OrderPage {
    chrome: Chrome,
    view: OrderView,
    /// The statuses the order may move to, in order.
    next: Vec<&'static str>,
    /// Followers, duplicate, moderation, candidates (h16a).
    extra: actions::OfficerExtras,
    /// The reasons a text or photo may be hidden for.
    hide_reasons: [&'static str; 3],
    /// Whom it may be assigned to: the staff of its unit (names, as the order keeps them).
    staff: Vec<String>,
    /// The order is overdue now.
    overdue: bool,
}

impl Chrome {
    /// The label of a service code (an asset kind, or other).
    pub fn service(&self, code: &str) -> &'static str {
        if code == "other" {
            self.lang.t("work-other")
        } else {
            self.asset_kind(code)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ListQuery {
    unit: Option<String>,
    status: Option<String>,
    kind: Option<String>,
    /// `1`: only the overdue orders, the longest overdue first.
    overdue: Option<String>,
}

/// The move of an order: the status to reach (the button pressed), who handles it, a note and
/// whether the reporter may read the note.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TransitionForm {
    status: String,
    assignee: String,
    note: String,
    public_note: Option<String>,
}

/// `GET /work-orders?unit=&status=&kind=&overdue=1`: the orders under a unit, newest first (or
/// only the overdue ones, the longest overdue first), each overdue one flagged.
async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    let given = |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let status = given(query.status).filter(|s| WorkStatus::parse(s).is_some());
    let kind = given(query.kind).filter(|k| k == "other" || AssetKind::parse(k).is_ok());
    let overdue_only = given(query.overdue).is_some();
    let orders = if overdue_only {
        actions::levels::overdue_orders(&state.db, &page.actor, unit.id, LIST_LIMIT).await
    } else {
        actions::orders_filtered(
            &state.db,
            &page.actor,
            unit.id,
            status.as_deref(),
            kind.as_deref(),
            LIST_LIMIT,
        )
        .await
    }
    .map_err(page.failing())?;
    let overdue = orders.iter().map(actions::levels::is_overdue).collect();
    let mut kinds: Vec<&'static str> = AssetKind::ALL.iter().map(|k| k.as_str()).collect();
    kinds.push("other");
    Ok(render(&ListPage {
        chrome: page.chrome,
        unit,
        statuses: WorkStatus::ALL.iter().map(|s| s.as_str()).collect(),
        kinds,
        status: status.unwrap_or_default(),
        kind: kind.unwrap_or_default(),
        orders,
        overdue,
        overdue_only,
    }))
}

/// `GET /work-orders/{id}`: one order with its history and the buttons that move it.
async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let view = actions::order_view(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let next = match WorkStatus::parse(&view.order.status) {
        Some(from) if view.may_handle => WorkStatus::ALL
            .into_iter()
            .filter(|to| from.may_become(*to))
            .map(WorkStatus::as_str)
            .collect(),
        _ => Vec::new(),
    };
    let extra = actions::officer_extras(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let mut staff: Vec<String> = match (next.is_empty(), view.order.unit_id) {
        (false, Some(unit)) => {
            langso_app::auth::staff_of(&state.db, &page.actor, actions::HANDLE, unit)
                .await
                .map_err(page.failing())?
                .into_iter()
                .map(|u| u.display_name)
                .collect()
        }
        _ => Vec::new(),
    };
    staff.dedup();
    Ok(render(&OrderPage {
        chrome: page.chrome,
        overdue: actions::levels::is_overdue(&view.order),
        view,
        next,
        extra,
        hide_reasons: actions::HIDE_REASONS,
        staff,
    }))
}

/// `POST /work-orders/{id}/transition`: moves the order and comes back to it.
async fn transition(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<TransitionForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let assignee = Some(form.assignee.as_str()).filter(|a| !a.trim().is_empty());
    let order = actions::transition(
        &state.db,
        &page.actor,
        id,
        &form.status,
        assignee,
        &form.note,
        form.public_note.is_some(),
    )
    .await
    .map_err(page.failing())?;
    Ok(Redirect::to(&format!("/work-orders/{}", order.id)).into_response())
}

/// `GET /work-orders/{id}/photo`: the reporter's photo, to the people who may read the order.
/// Its type was told from its bytes on upload; `nosniff` keeps browsers to it.
async fn photo(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let photo = actions::photo(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    Ok((
        [
            (header::CONTENT_TYPE, photo.content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_owned(),
            ),
        ],
        photo.content,
    )
        .into_response())
}
