//! Officers' work-order pages: the orders under a unit (filtered by status and kind), one order
//! with its history, the reporter's contact (masked without the personal-data right), the photo
//! and the buttons that move it new → assigned → in progress → fixed → closed.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::AppError;
use langso_app::faults::{self as actions, OrderView, WorkOrder};
use langso_domain::assets::AssetKind;
use langso_domain::faults::WorkStatus;
use langso_domain::units::Unit;
use uuid::Uuid;

use super::qr::chosen_unit;
use super::{Chrome, render};
use crate::AppState;
use crate::auth::{Authenticated, csrf_ok};
use crate::html::PageError;
use crate::messages::Lang;

/// The most orders one list page shows (the filters narrow it).
const LIST_LIMIT: i64 = 500;

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
}

#[derive(Template)]
#[template(path = "work_order.html")]
struct OrderPage {
    chrome: Chrome,
    view: OrderView,
    /// The statuses the order may move to, in order.
    next: Vec<&'static str>,
}

impl Chrome {
    /// The label of a register value: `group` is reg, place, funding or lamp.
    pub fn asset_label(&self, group: &str, value: &str) -> &'static str {
        self.lang.t(&format!("asset-{group}-{value}"))
    }

    /// The label of a service code (an asset kind, or other).
    pub fn service(&self, code: &str) -> &'static str {
        if code == "other" {
            self.lang.t("work-other")
        } else {
            self.asset_kind(code)
        }
    }
}

fn fail(lang: Lang) -> impl Fn(AppError) -> PageError {
    move |error| PageError { error, lang }
}

/// `GET /work-orders?unit=&status=&kind=`: the orders under a unit, newest first.
pub(super) async fn index(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = chosen_unit(&state, &actor, query.get("unit").map(String::as_str), lang).await?;
    let pick = |k: &str| {
        query
            .get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let status = pick("status").filter(|s| WorkStatus::parse(s).is_some());
    let kind = pick("kind").filter(|k| k == "other" || AssetKind::parse(k).is_ok());
    let orders = actions::orders_filtered(
        &state.db,
        &actor,
        unit.id,
        status.as_deref(),
        kind.as_deref(),
        LIST_LIMIT,
    )
    .await
    .map_err(fail(lang))?;
    let mut kinds: Vec<&'static str> = AssetKind::ALL.iter().map(|k| k.as_str()).collect();
    kinds.push("other");
    Ok(render(&ListPage {
        chrome: Chrome::for_request(&state, &headers, &uri, Some(&actor)),
        unit,
        statuses: WorkStatus::ALL.iter().map(|s| s.as_str()).collect(),
        kinds,
        status: status.unwrap_or_default(),
        kind: kind.unwrap_or_default(),
        orders,
    }))
}

/// `GET /work-orders/{id}`: one order with its history and the buttons that move it.
pub(super) async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse(&id, lang)?;
    let view = actions::order_view(&state.db, &actor, id)
        .await
        .map_err(fail(lang))?;
    let next = match WorkStatus::parse(&view.order.status) {
        Some(from) if view.may_handle => WorkStatus::ALL
            .into_iter()
            .filter(|to| from.may_become(*to))
            .map(WorkStatus::as_str)
            .collect(),
        _ => Vec::new(),
    };
    Ok(render(&OrderPage {
        chrome: Chrome::for_request(&state, &headers, &uri, Some(&actor)),
        view,
        next,
    }))
}

/// `POST /work-orders/{id}/transition` (csrf, status, assignee, note, public_note when the
/// note may be shown to the reporter): moves the order and
/// comes back to it.
pub(super) async fn transition(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse(&id, lang)?;
    if !csrf_ok(&actor, form.get("csrf").map_or("", String::as_str)) {
        return Err(PageError {
            error: AppError::Forbidden,
            lang,
        });
    }
    let get = |k: &str| form.get(k).map_or("", String::as_str);
    let assignee = Some(get("assignee")).filter(|a| !a.trim().is_empty());
    let public_note = form.contains_key("public_note");
    let order = actions::transition(
        &state.db,
        &actor,
        id,
        get("status"),
        assignee,
        get("note"),
        public_note,
    )
    .await
    .map_err(fail(lang))?;
    Ok(Redirect::to(&format!("/work-orders/{}", order.id)).into_response())
}

fn parse(id: &str, lang: Lang) -> Result<Uuid, PageError> {
    Uuid::parse_str(id.trim()).map_err(|_| PageError {
        error: AppError::NotFound,
        lang,
    })
}

/// `GET /work-orders/{id}/photo`: the reporter's photo, to the people who may read the order.
/// Its type was told from its bytes on upload; `nosniff` keeps browsers to it.
pub(super) async fn photo(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse(&id, lang)?;
    let photo = actions::photo(&state.db, &actor, id)
        .await
        .map_err(|error| PageError { error, lang })?;
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
