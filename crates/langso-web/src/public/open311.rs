//! Open311 GeoReport v2 at `/open311/v2/` (the interface FixMyStreet and many city systems
//! speak): discovery, services, services/{code}, requests (GET with filters, POST
//! form-encoded), requests/{id} and tokens/{id}, each as `.json` or `.xml`. axum cannot route
//! `/requests/{id}.json`, so handlers take `{id_fmt}` and strip the suffix.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use langso_app::AppError;
use langso_app::faults::{self as actions, NewReport, WorkOrder};
use langso_domain::faults::WorkStatus;
use langso_render::xml_escape;
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::AppState;

/// Reply format.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
}

fn split(name: &str) -> Option<(&str, Format)> {
    if let Some(stem) = name.strip_suffix(".json") {
        Some((stem, Format::Json))
    } else if let Some(stem) = name.strip_suffix(".xml") {
        Some((stem, Format::Xml))
    } else if !name.contains('.') {
        Some((name, Format::Json))
    } else {
        None
    }
}

/// A flat record: field name and value (None: empty).
type Record = Vec<(&'static str, Option<String>)>;

fn reply(
    format: Format,
    status: StatusCode,
    root: &str,
    item: &str,
    records: &[Record],
) -> Response {
    match format {
        Format::Json => {
            let list: Vec<Value> = records
                .iter()
                .map(|r| {
                    Value::Object(
                        r.iter()
                            .map(|(k, v)| {
                                (
                                    (*k).to_owned(),
                                    v.clone().map_or(Value::Null, Value::String),
                                )
                            })
                            .collect(),
                    )
                })
                .collect();
            (status, axum::Json(Value::Array(list))).into_response()
        }
        Format::Xml => {
            let mut xml = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<{root}>");
            for r in records {
                xml.push_str(&format!("<{item}>"));
                for (k, v) in r {
                    xml.push_str(&format!(
                        "<{k}>{}</{k}>",
                        xml_escape(v.as_deref().unwrap_or(""))
                    ));
                }
                xml.push_str(&format!("</{item}>"));
            }
            xml.push_str(&format!("</{root}>"));
            (
                status,
                [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
                xml,
            )
                .into_response()
        }
    }
}

fn error(format: Format, status: StatusCode, description: String) -> Response {
    let record: Record = vec![
        ("code", Some(status.as_u16().to_string())),
        ("description", Some(description)),
    ];
    reply(format, status, "errors", "error", &[record])
}

fn app_error(format: Format, e: AppError) -> Response {
    match e {
        AppError::NotFound => error(format, StatusCode::NOT_FOUND, "not found".to_owned()),
        AppError::Invalid(problems) => error(
            format,
            StatusCode::BAD_REQUEST,
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        other => {
            tracing::error!(error = %other, "open311 failed");
            error(
                format,
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error".to_owned(),
            )
        }
    }
}

fn time(t: OffsetDateTime) -> Option<String> {
    t.format(&Rfc3339).ok()
}

fn request_record(o: &WorkOrder) -> Record {
    let status = WorkStatus::parse(&o.status).map_or("open", WorkStatus::open311);
    let name = actions::services()
        .into_iter()
        .find(|s| s.0 == o.service_code)
        .map(|s| s.1.to_owned());
    vec![
        ("service_request_id", Some(o.id.to_string())),
        ("status", Some(status.to_owned())),
        ("status_notes", Some(o.status.clone())),
        ("service_name", name),
        ("service_code", Some(o.service_code.clone())),
        ("description", Some(o.description.clone())),
        ("agency_responsible", Some(o.assignee.clone())),
        ("service_notice", None),
        ("requested_datetime", time(o.requested_at)),
        ("updated_datetime", time(o.updated_at)),
        ("expected_datetime", time(o.due_at)),
        ("address", Some(o.address.clone())),
        ("asset_id", o.asset_code.clone()),
        ("lat", o.latitude.map(|v| v.to_string())),
        ("long", o.longitude.map(|v| v.to_string())),
        ("media_url", o.media_url.clone()),
    ]
}

/// Filters of `GET requests`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RequestFilter {
    service_code: Option<String>,
    status: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    service_request_id: Option<String>,
}

fn parse_time(text: Option<&str>) -> Result<Option<OffsetDateTime>, String> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => OffsetDateTime::parse(t, &Rfc3339)
            .map(Some)
            .map_err(|_| format!("bad date (RFC 3339 / W3C): {t}")),
        None => Ok(None),
    }
}

/// `GET /open311/v2/{discovery|services|requests}.{json|xml}`.
pub(crate) async fn get_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(filter): Query<RequestFilter>,
    headers: axum::http::HeaderMap,
) -> Response {
    let Some((stem, format)) = split(&file) else {
        return error(
            Format::Json,
            StatusCode::NOT_FOUND,
            "unknown format".to_owned(),
        );
    };
    match stem {
        "discovery" => discovery(&state, &headers, format),
        "services" => {
            let records: Vec<Record> = actions::services()
                .into_iter()
                .map(|(code, vi, en)| {
                    vec![
                        ("service_code", Some(code.to_owned())),
                        ("service_name", Some(vi.to_owned())),
                        ("description", Some(format!("{vi} / {en}"))),
                        ("metadata", Some("true".to_owned())),
                        ("type", Some("realtime".to_owned())),
                        ("keywords", Some(code.replace('_', " "))),
                        ("group", Some("langso".to_owned())),
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
                filter.status.as_deref(),
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
        _ => error(format, StatusCode::NOT_FOUND, "not found".to_owned()),
    }
}

fn discovery(state: &AppState, headers: &axum::http::HeaderMap, format: Format) -> Response {
    let base = if state.settings.public_url.is_empty() {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}/open311/v2")
    } else {
        format!(
            "{}/open311/v2",
            state.settings.public_url.trim_end_matches('/')
        )
    };
    let changeset = "2026-11-28T00:00:00Z";
    match format {
        Format::Json => axum::Json(json!({
            "changeset": changeset,
            "contact": state.settings.hotline.clone().unwrap_or_default(),
            "key_service": "",
            "endpoints": [{
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": changeset,
                "type": "production",
                "formats": ["application/json", "text/xml"]
            }]
        }))
        .into_response(),
        Format::Xml => {
            let xml = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<discovery><changeset>{changeset}</changeset><contact>{}</contact><key_service></key_service><endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification><url>{}</url><changeset>{changeset}</changeset><type>production</type><formats><format>application/json</format><format>text/xml</format></formats></endpoint></endpoints></discovery>",
                xml_escape(state.settings.hotline.as_deref().unwrap_or("")),
                xml_escape(&base)
            );
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
                xml,
            )
                .into_response()
        }
    }
}

/// `GET /open311/v2/services/{code}.{fmt}`: the service definition (one optional attribute,
/// the asset code from its sticker).
pub(crate) async fn service(Path(name): Path<String>) -> Response {
    let Some((code, format)) = split(&name) else {
        return error(
            Format::Json,
            StatusCode::NOT_FOUND,
            "unknown format".to_owned(),
        );
    };
    if !actions::services().iter().any(|s| s.0 == code) {
        return error(format, StatusCode::NOT_FOUND, "no such service".to_owned());
    }
    let attribute: Record = vec![
        ("variable", Some("true".to_owned())),
        ("code", Some("asset".to_owned())),
        ("datatype", Some("string".to_owned())),
        ("required", Some("false".to_owned())),
        (
            "datatype_description",
            Some("Mã thiết bị trên tem / asset code on its sticker".to_owned()),
        ),
        ("order", Some("1".to_owned())),
        ("description", Some("Mã thiết bị / Asset code".to_owned())),
    ];
    match format {
        Format::Json => axum::Json(json!({
            "service_code": code,
            "attributes": [Value::Object(attribute.iter().map(|(k, v)| ((*k).to_owned(), v.clone().map_or(Value::Null, Value::String))).collect())]
        }))
        .into_response(),
        Format::Xml => {
            let mut xml = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_definition><service_code>{}</service_code><attributes><attribute>", xml_escape(code));
            for (k, v) in &attribute {
                xml.push_str(&format!("<{k}>{}</{k}>", xml_escape(v.as_deref().unwrap_or(""))));
            }
            xml.push_str("</attribute></attributes></service_definition>");
            (StatusCode::OK, [(header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml).into_response()
        }
    }
}

/// `POST /open311/v2/requests.{fmt}`, form-encoded: service_code, lat, long, address_string,
/// description, media_url, attribute[asset], first_name/last_name/email (kept as given).
pub(crate) async fn post_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let format = match split(&file) {
        Some(("requests", format)) => format,
        _ => return error(Format::Json, StatusCode::NOT_FOUND, "not found".to_owned()),
    };
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let number = |name: &str| get(name).and_then(|v| v.parse::<f64>().ok());
    let reporter = [
        get("first_name"),
        get("last_name"),
        get("email"),
        get("phone"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let input = NewReport {
        service_code: get("service_code").unwrap_or_default(),
        asset_code: get("attribute[asset]").or_else(|| get("asset_id")),
        latitude: number("lat"),
        longitude: number("long"),
        address: get("address_string").unwrap_or_default(),
        description: get("description").unwrap_or_default(),
        media_url: get("media_url"),
        reporter,
        photo: None,
        unit_code: get("attribute[unit]"),
    };
    match actions::submit_report(&state.db, &input).await {
        Ok(order) => {
            let record: Record = vec![
                ("service_request_id", Some(order.id.to_string())),
                ("token", Some(order.token.clone())),
                ("service_notice", Some(format!("/bao-hong/{}", order.token))),
                ("account_id", None),
            ];
            reply(
                format,
                StatusCode::CREATED,
                "service_requests",
                "request",
                &[record],
            )
        }
        Err(e) => app_error(format, e),
    }
}

/// `GET /open311/v2/requests/{id}.{fmt}`.
pub(crate) async fn request(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let Some((id, format)) = split(&name) else {
        return error(
            Format::Json,
            StatusCode::NOT_FOUND,
            "unknown format".to_owned(),
        );
    };
    let Ok(id) = uuid::Uuid::parse_str(id) else {
        return error(format, StatusCode::NOT_FOUND, "not found".to_owned());
    };
    match actions::public_request(&state.db, id).await {
        Ok(order) => reply(
            format,
            StatusCode::OK,
            "service_requests",
            "request",
            &[request_record(&order)],
        ),
        Err(e) => app_error(format, e),
    }
}

/// `GET /open311/v2/tokens/{token}.{fmt}`: the request id behind a token.
pub(crate) async fn token(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let Some((token, format)) = split(&name) else {
        return error(
            Format::Json,
            StatusCode::NOT_FOUND,
            "unknown format".to_owned(),
        );
    };
    match actions::follow(&state.db, token).await {
        Ok((order, _)) => {
            let record: Record = vec![
                ("service_request_id", Some(order.id.to_string())),
                ("token", Some(order.token)),
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
