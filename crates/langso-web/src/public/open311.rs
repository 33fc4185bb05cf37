//! Open311 GeoReport v2 at `/open311/v2/` (the interface FixMyStreet and many city systems
//! speak): discovery, services, services/{code}, requests (GET with filters, POST
//! form-encoded), requests/{id} and tokens/{id}, each as `.json` or `.xml`. axum cannot route
//! `/requests/{id}.json`, so handlers take `{id_fmt}` and strip the suffix.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use langso_app::CellError;
use langso_app::faults as actions;
use serde::Deserialize;
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::open311_form;
use super::open311_reply::{
    Field, Format, Record, app_error, created_record, described, discovery, error, json_object,
    not_found, reply, request_record, service_notice, split, unknown_format, xml_reply,
};
use crate::AppState;
use crate::messages;

/// Filters of `GET requests`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RequestFilter {
    service_code: Option<String>,
    status: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    service_request_id: Option<String>,
    jurisdiction_id: Option<String>,
}

/// The `jurisdiction_id` every endpoint takes: only one is served here.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Jurisdiction {
    jurisdiction_id: Option<String>,
}

/// This server's jurisdiction, the way Open311 servers name theirs: the host of the public
/// address (or of the request, when none is configured). A request naming another is refused
/// in the specification's error list, so a client pointed at the wrong city learns it.
fn foreign_jurisdiction(
    state: &AppState,
    headers: &HeaderMap,
    given: Option<&str>,
    format: Format,
) -> Option<Response> {
    let given = given.map(str::trim).filter(|g| !g.is_empty())?;
    let configured = state.settings.public_url.trim_end_matches('/');
    let host = match configured.split_once("://") {
        Some((_, rest)) => rest.split('/').next().unwrap_or_default().to_owned(),
        None => headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
    };
    let bare = host.split(':').next().unwrap_or_default();
    if given.eq_ignore_ascii_case(&host) || given.eq_ignore_ascii_case(bare) {
        return None;
    }
    Some(error(
        format,
        StatusCode::BAD_REQUEST,
        described("faults-open311-jurisdiction", &[("given", &given)]),
    ))
}

/// The Open311 statuses asked for (`open`, `closed`, comma-separated, any case); an unknown
/// one is refused naming it.
fn statuses(text: Option<&str>) -> Result<Option<&'static str>, String> {
    let mut open = false;
    let mut closed = false;
    for part in text.unwrap_or_default().split(',') {
        match part.trim().to_ascii_lowercase().as_str() {
            "" => {}
            "open" => open = true,
            "closed" => closed = true,
            _ => {
                let shown: String = part.trim().chars().take(40).collect();
                return Err(described(
                    "faults-open311-bad-status",
                    &[("status", &shown)],
                ));
            }
        }
    }
    Ok(match (open, closed) {
        (true, false) => Some("open"),
        (false, true) => Some("closed"),
        _ => None,
    })
}

fn parse_time(text: Option<&str>) -> Result<Option<OffsetDateTime>, String> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => OffsetDateTime::parse(t, &Rfc3339)
            .map(Some)
            .map_err(|_| described("faults-open311-bad-date", &[("date", &t)])),
        None => Ok(None),
    }
}

/// `GET /open311/v2/{discovery|services|requests}.{json|xml}`.
pub(crate) async fn get_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(filter): Query<RequestFilter>,
    headers: HeaderMap,
) -> Response {
    let Some((stem, format)) = split(&file) else {
        return unknown_format();
    };
    if stem != "discovery"
        && let Some(refused) =
            foreign_jurisdiction(&state, &headers, filter.jurisdiction_id.as_deref(), format)
    {
        return refused;
    }
    match stem {
        "discovery" => discovery(&state, &headers, format),
        "services" => {
            let levels = match actions::levels::levels(&state.db, None).await {
                Ok(levels) => levels,
                Err(e) => return app_error(format, e),
            };
            let records: Vec<Record> = actions::services()
                .into_iter()
                .map(|(code, vi, en)| {
                    let level = levels.iter().find(|l| l.service_code == code);
                    let level = level.map_or(langso_domain::faults::ServiceLevel::FALLBACK, |l| {
                        langso_domain::faults::ServiceLevel {
                            response_hours: l.response_hours,
                            repair_hours: l.repair_hours,
                        }
                    });
                    vec![
                        ("service_code", Field::from(code)),
                        ("service_name", Field::from(vi)),
                        ("description", Field::Text(format!("{vi} / {en}"))),
                        ("metadata", Field::Bool(true)),
                        ("type", Field::from("realtime")),
                        ("keywords", Field::Text(code.replace('_', " "))),
                        ("group", Field::from("langso")),
                        (
                            "service_notice",
                            service_notice(level.response_hours, level.repair_hours),
                        ),
                    ]
                })
                .collect();
            reply(format, StatusCode::OK, "services", "service", &records)
        }
        "requests" => {
            if let Some(ids) = &filter.service_request_id {
                let mut records = Vec::new();
                for id in ids.split(',') {
                    if let Ok(id) = uuid::Uuid::parse_str(id.trim())
                        && let Ok(found) = actions::public_request(&state.db, id).await
                    {
                        records.push(request_record(&found));
                    }
                }
                return reply(
                    format,
                    StatusCode::OK,
                    "service_requests",
                    "request",
                    &records,
                );
            }
            let status = match statuses(filter.status.as_deref()) {
                Ok(status) => status,
                Err(e) => return error(format, StatusCode::BAD_REQUEST, e),
            };
            let (from, to) = match (
                parse_time(filter.start_date.as_deref()),
                parse_time(filter.end_date.as_deref()),
            ) {
                (Ok(from), Ok(to)) => (from, to),
                (Err(e), _) | (_, Err(e)) => return error(format, StatusCode::BAD_REQUEST, e),
            };
            match actions::public_requests(
                &state.db,
                filter.service_code.as_deref().filter(|s| !s.is_empty()),
                status,
                from,
                to,
            )
            .await
            {
                Ok(list) => {
                    let records: Vec<Record> = list.iter().map(request_record).collect();
                    reply(
                        format,
                        StatusCode::OK,
                        "service_requests",
                        "request",
                        &records,
                    )
                }
                Err(e) => app_error(format, e),
            }
        }
        _ => not_found(format),
    }
}

/// `GET /open311/v2/services/{code}.{fmt}`: the service definition (one optional attribute,
/// the asset code from its sticker).
pub(crate) async fn service(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(asked): Query<Jurisdiction>,
    headers: HeaderMap,
) -> Response {
    let Some((code, format)) = split(&name) else {
        return unknown_format();
    };
    if let Some(refused) =
        foreign_jurisdiction(&state, &headers, asked.jurisdiction_id.as_deref(), format)
    {
        return refused;
    }
    if !actions::services().iter().any(|s| s.0 == code) {
        return error(
            format,
            StatusCode::NOT_FOUND,
            described("faults-open311-no-such-service", &[]),
        );
    }
    let attribute: Record = vec![
        ("variable", Field::Bool(true)),
        ("code", Field::from("asset")),
        ("datatype", Field::from("string")),
        ("required", Field::Bool(false)),
        (
            "datatype_description",
            Field::Text(described("faults-open311-asset-hint", &[])),
        ),
        ("order", Field::Int(1)),
        (
            "description",
            Field::Text(described("faults-open311-asset", &[])),
        ),
    ];
    match format {
        Format::Json => axum::Json(json!({
            "service_code": code,
            "attributes": [json_object(&attribute)]
        }))
        .into_response(),
        Format::Xml => xml_reply(StatusCode::OK, |doc| {
            doc.open("service_definition", &[])?;
            doc.text("service_code", code)?;
            doc.open("attributes", &[])?;
            doc.open("attribute", &[])?;
            for (k, v) in &attribute {
                doc.text(k, &v.xml())?;
            }
            doc.close("attribute")?;
            doc.close("attributes")?;
            doc.close("service_definition")
        }),
    }
}

/// `POST /open311/v2/requests.{fmt}`, form-encoded (or multipart with a photo in `media`):
/// service_code, lat, long, address_string, description, media_url, attribute[asset],
/// first_name/last_name/email/phone (kept as given). The reply carries the category's
/// response and repair times as `service_notice`.
pub(crate) async fn post_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    let format = match split(&file) {
        Some(("requests", format)) => format,
        _ => return not_found(Format::Json),
    };
    let (fields, photo) = match open311_form::read(&state, &headers, request).await {
        Ok(read) => read,
        Err(refusal) => return refused(format, &refusal),
    };
    let jurisdiction = fields
        .iter()
        .find(|(k, _)| k == "jurisdiction_id")
        .map(|(_, v)| v.as_str());
    if let Some(refused) = foreign_jurisdiction(&state, &headers, jurisdiction, format) {
        return refused;
    }
    let mut input = match open311_form::parse(&fields) {
        Ok(input) => input,
        Err(refusal) => return refused(format, &refusal),
    };
    input.photo = photo;
    match actions::submit_report(&state.db, &input).await {
        Ok(order) => reply(
            format,
            StatusCode::CREATED,
            "service_requests",
            "request",
            &[created_record(&order)],
        ),
        Err(e) => app_error(format, e),
    }
}

/// A form refused before it is read, in the specification's error list (413 past the size of
/// a body, 400 otherwise).
fn refused(format: Format, refusal: &open311_form::FormRefusal) -> Response {
    let status = match refusal {
        open311_form::FormRefusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::BAD_REQUEST,
    };
    let refused = CellError::from_message(0, "", refusal.message());
    error(format, status, messages::both(&refused))
}

/// `GET /open311/v2/requests/{id}.{fmt}`.
pub(crate) async fn request(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(asked): Query<Jurisdiction>,
    headers: HeaderMap,
) -> Response {
    let Some((id, format)) = split(&name) else {
        return unknown_format();
    };
    if let Some(refused) =
        foreign_jurisdiction(&state, &headers, asked.jurisdiction_id.as_deref(), format)
    {
        return refused;
    }
    let Ok(id) = uuid::Uuid::parse_str(id) else {
        return not_found(format);
    };
    match actions::public_request(&state.db, id).await {
        Ok(mut order) => {
            // An uploaded photo's path, made absolute on this site's address.
            if let Some(path) = order.media_url.take() {
                order.media_url = Some(match path.starts_with('/') {
                    true => format!("{}{path}", state.poster_settings(&headers).public_url),
                    false => path,
                });
            }
            reply(
                format,
                StatusCode::OK,
                "service_requests",
                "request",
                &[request_record(&order)],
            )
        }
        Err(e) => app_error(format, e),
    }
}

/// `GET /open311/v2/tokens/{token}.{fmt}`: the request id behind a token.
pub(crate) async fn token(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(asked): Query<Jurisdiction>,
    headers: HeaderMap,
) -> Response {
    let Some((token, format)) = split(&name) else {
        return unknown_format();
    };
    if let Some(refused) =
        foreign_jurisdiction(&state, &headers, asked.jurisdiction_id.as_deref(), format)
    {
        return refused;
    }
    match actions::follow(&state.db, token).await {
        Ok((order, _)) => {
            let record: Record = vec![
                ("service_request_id", Field::Text(order.id.to_string())),
                ("token", Field::Text(order.token)),
            ];
            reply(
                format,
                StatusCode::OK,
                "service_requests",
                "request",
                &[record],
            )
        }
        Err(e) => app_error(format, e),
    }
}
