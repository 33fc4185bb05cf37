//! The offline round's two JSON routes (the contract: /work/notes/offline-contract.md, and
//! the README's "Offline rounds"): `GET /round/offline`, the copy of the member's round a
//! phone keeps, and `POST /round/sync`, what the phone recorded without signal.
//!
//! These are the only page routes that answer JSON, and the only ones that never redirect to
//! the login page: a phone's script cannot follow a redirect to a form, so a request without a
//! session answers 401 `{"sign_in": "/login?next=/round"}`, and the phone keeps its queue
//! until the member has signed in again. The sync needs the session's CSRF token in the
//! `X-CSRF-Token` header.

use axum::Json;
use axum::body::{Body, to_bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use langso_app::households::offline::{self as actions, MAX_BODY, RoundCopy, parse_sync};
use langso_app::{Actor, AppError};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::label;
use crate::AppState;
use crate::auth::{CSRF_HEADER, actor_of, csrf_ok};
use crate::messages::{self, Lang};

/// The signed-in member, or the 401 the phone understands.
async fn member(state: &AppState, headers: &HeaderMap) -> Result<(Actor, Lang), Response> {
    let lang = Lang::from_headers(headers);
    match actor_of(state, headers).await {
        Ok(Some(actor)) if actor.session.is_some() => Ok((actor, lang)),
        Ok(_) => Err((
            StatusCode::UNAUTHORIZED,
            Json(json!({
                "sign_in": "/login?next=/round",
                "message": messages::render(lang, "rounds-sync-sign-in", &[]),
            })),
        )
            .into_response()),
        Err(error) => Err(error.into_response()),
    }
}

/// A failure as JSON: the status of the error and its message in the member's language.
fn failure(error: AppError, lang: Lang) -> Response {
    let status = match &error {
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Invalid(_) | AppError::Conflict(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Store(_) | AppError::Internal(_) => {
            tracing::error!(%error, "offline round");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    let message = match &error {
        AppError::Invalid(problems) | AppError::Conflict(problems) => problems
            .iter()
            .map(|p| messages::describe(p, lang))
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    };
    (status, Json(json!({ "message": message }))).into_response()
}

/// A short name for the phone, from its User-Agent ("Android · Chrome").
pub(crate) fn device_label(headers: &HeaderMap) -> String {
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let pick = |names: &[(&str, &'static str)]| {
        names
            .iter()
            .find(|(needle, _)| agent.contains(needle))
            .map_or("?", |(_, name)| *name)
    };
    let system = pick(&[
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    ]);
    let browser = pick(&[
        ("SamsungBrowser", "Samsung Internet"),
        ("Edg/", "Edge"),
        ("Firefox", "Firefox"),
        ("CriOS", "Chrome"),
        ("Chrome", "Chrome"),
        ("Safari", "Safari"),
    ]);
    format!("{system} · {browser}")
}

/// `?device=<uuid>`: the phone names itself.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PackQuery {
    device: String,
}

/// The copy of the member's round for the phone.
pub(super) async fn pack(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<PackQuery>,
) -> Response {
    let (actor, lang) = match member(&state, &headers).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let phone = device_label(&headers);
    let device = Uuid::parse_str(query.device.trim()).ok();
    let copy = actions::offline_round(&state.db, &actor, device.map(|d| (d, phone.as_str()))).await;
    let round = match copy {
        Ok(RoundCopy::Round(round)) => round,
        Ok(RoundCopy::Wipe) => {
            let message = messages::render(lang, "rounds-sync-device-revoked", &[]);
            return (
                StatusCode::GONE,
                Json(json!({"wipe": true, "message": message})),
            )
                .into_response();
        }
        Err(error) => return failure(error, lang),
    };
    let indicators: Vec<Value> = round
        .indicators
        .iter()
        .map(|i| {
            let (min, max) = match i.kind {
                langso_domain::households::IndicatorKind::YesNo => (0, Some(1)),
                langso_domain::households::IndicatorKind::AdultCount => (0, None),
                langso_domain::households::IndicatorKind::Count => (0, Some(50)),
                langso_domain::households::IndicatorKind::Level => (0, Some(2)),
            };
            json!({
                "code": i.code, "label": label(lang, i).0, "help": label(lang, i).1,
                "kind": i.kind.as_str(), "min": min, "max": max,
                "business_only": i.business_only,
            })
        })
        .collect();
    let help_kinds: Vec<Value> = langso_domain::households::HELP_KINDS
        .iter()
        .filter_map(|(code, _, _)| {
            super::help_name(lang, code).map(|name| json!({"code": code, "label": name}))
        })
        .collect();
    let households: Vec<Value> = round
        .households
        .iter()
        .map(|h| {
            json!({
                "id": h.id, "version": h.version, "village": h.village,
                "village_id": h.village_id, "hamlet": h.hamlet,
                "alley": h.alley, "house_number": h.house_number, "head_name": h.head_name,
                "phone": h.phone, "adults": h.adults, "business": h.business, "values": h.values,
                "last_visited_on": h.last_visited_on.map(|d| d.to_string()),
                "follow_up_on": h.follow_up_on.map(|d| d.to_string()),
            })
        })
        .collect();
    let generated_at = round
        .generated_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    Json(json!({
        "member_id": round.member_id,
        "generated_at": generated_at,
        "device_id": round.device_id,
        "catalogue": {"version": round.catalogue_version, "indicators": indicators},
        "help_kinds": help_kinds,
        "labels": messages::texts_of(lang, "offline", "offline-"),
        "households": households,
    }))
    .into_response()
}

/// What the phone recorded without signal: each item's outcome, and the catalogue version.
pub(super) async fn sync(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let (actor, lang) = match member(&state, &headers).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    if !sent.is_some_and(|token| csrf_ok(&actor, token)) {
        let message = messages::render(lang, "rounds-sync-csrf", &[]);
        return (StatusCode::FORBIDDEN, Json(json!({"message": message}))).into_response();
    }
    let refuse = |status: StatusCode, error: AppError| {
        let mut response = failure(error, lang);
        *response.status_mut() = status;
        response
    };
    let Ok(bytes) = to_bytes(body, MAX_BODY + 1).await else {
        let error =
            AppError::refused_key("rounds-sync-too-large", &[("limit", &(MAX_BODY / 1024))]);
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, error);
    };
    let batch = match parse_sync(&bytes) {
        Ok(batch) => batch,
        Err(error) => {
            let status = if bytes.len() > MAX_BODY
                || matches!(&error, AppError::Invalid(p)
                if p.iter().any(|p| p.key.as_ref().is_some_and(|k| k.key == "rounds-sync-too-many")))
            {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            return refuse(status, error);
        }
    };
    let label = device_label(&headers);
    match actions::sync(&state.db, &actor, &batch, &label).await {
        Ok((results, version)) => {
            let results: Vec<Value> = results
                .iter()
                .map(|r| {
                    let mut message = messages::message(lang, &r.message);
                    if !r.problems.is_empty() {
                        let problems: Vec<String> = r
                            .problems
                            .iter()
                            .map(|p| messages::describe(p, lang))
                            .collect();
                        message = format!("{message}: {}", problems.join("; "));
                    }
                    json!({"id": r.id, "outcome": r.outcome.as_str(), "message": message})
                })
                .collect();
            Json(json!({"results": results, "catalogue_version": version})).into_response()
        }
        Err(error) => failure(error, lang),
    }
}
