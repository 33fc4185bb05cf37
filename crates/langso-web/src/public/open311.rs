//! Open311 GeoReport v2 at `/open311/v2/` (the interface FixMyStreet and many city systems
//! speak): discovery, services, services/{code}, requests (GET with filters, POST
//! form-encoded), requests/{id} and tokens/{id}, each as `.json` or `.xml`. axum cannot route
//! `/requests/{id}.json`, so handlers take `{id_fmt}` and strip the suffix.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use langso_app::faults::{self as actions, WorkOrder};
use langso_app::{AppError, CellError};
use langso_domain::faults::WorkStatus;
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::open311_form;
use super::xml::XmlDoc;
use crate::AppState;
use crate::messages;

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
            let list: Vec<Value> = records.iter().map(json_object).collect();
            (status, axum::Json(Value::Array(list))).into_response()
        }
        Format::Xml => xml_reply(status, |doc| {
            doc.open(root, &[])?;
            for r in records {
                doc.open(item, &[])?;
                for (k, v) in r {
                    doc.text(k, v.as_deref().unwrap_or(""))?;
                }
                doc.close(item)?;
            }
            doc.close(root)
        }),
    }
}

fn json_object(record: &Record) -> Value {
    Value::Object(
        record
            .iter()
            .map(|(k, v)| {
                (
                    (*k).to_owned(),
                    v.clone().map_or(Value::Null, Value::String),
                )
            })
            .collect(),
    )
}

/// An XML reply written by `body` after the declaration.
fn xml_reply(
    status: StatusCode,
    body: impl FnOnce(&mut XmlDoc) -> std::io::Result<()>,
) -> Response {
    let written = XmlDoc::new().and_then(|mut doc| body(&mut doc).map(|()| doc.finish()));
    match written {
        Ok(xml) => (
            status,
            [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
            xml,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "open311 XML not written");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// An error in the specification's own form: a list of `{code, description}`, in JSON
/// `[{"code": 404, "description": "…"}]`, in XML `<errors><error><code>…`.
fn error(format: Format, status: StatusCode, description: String) -> Response {
    match format {
        Format::Json => (
            status,
            axum::Json(json!([{"code": status.as_u16(), "description": description}])),
        )
            .into_response(),
        Format::Xml => {
            let record: Record = vec![
                ("code", Some(status.as_u16().to_string())),
                ("description", Some(description)),
            ];
            reply(format, status, "errors", "error", &[record])
        }
    }
}

/// A catalogue message in both languages, as the JSON API words its problems: an Open311
/// client is a program whose readers may speak either.
fn described(key: &'static str, args: &[(&'static str, &dyn std::fmt::Display)]) -> String {
    messages::both(&CellError::keyed(0, "", key, args))
}

/// Not found, in the specification's error form.
fn not_found(format: Format) -> Response {
    error(
        format,
        StatusCode::NOT_FOUND,
        described("faults-open311-not-found", &[]),
    )
}

/// A file name that is neither `.json` nor `.xml` (answered in JSON).
fn unknown_format() -> Response {
    error(
        Format::Json,
        StatusCode::NOT_FOUND,
        described("faults-open311-unknown-format", &[]),
    )
}

fn app_error(format: Format, e: AppError) -> Response {
    match e {
        AppError::NotFound => not_found(format),
        AppError::Invalid(problems) => error(
            format,
            StatusCode::BAD_REQUEST,
            problems
                .iter()
                .map(messages::describe_both)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        other => {
            tracing::error!(error = %other, "open311 failed");
            error(
                format,
                StatusCode::INTERNAL_SERVER_ERROR,
                described("faults-open311-internal", &[]),
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
        // Masked by `public_order`, like the address.
        ("description", Some(o.description.clone())),
        // The assignee is a person the public has no need to know: kept internal.
        ("agency_responsible", None),
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
            .map_err(|_| described("faults-open311-bad-date", &[("date", &t)])),
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
        return unknown_format();
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
        _ => not_found(format),
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
        Format::Xml => xml_reply(StatusCode::OK, |doc| {
            doc.open("discovery", &[])?;
            doc.text("changeset", changeset)?;
            doc.text("contact", state.settings.hotline.as_deref().unwrap_or(""))?;
            doc.text("key_service", "")?;
            doc.open("endpoints", &[])?;
            doc.open("endpoint", &[])?;
            doc.text("specification", "http://wiki.open311.org/GeoReport_v2")?;
            doc.text("url", &base)?;
            doc.text("changeset", changeset)?;
            doc.text("type", "production")?;
            doc.open("formats", &[])?;
            doc.text("format", "application/json")?;
            doc.text("format", "text/xml")?;
            doc.close("formats")?;
            doc.close("endpoint")?;
            doc.close("endpoints")?;
            doc.close("discovery")
        }),
    }
}

/// `GET /open311/v2/services/{code}.{fmt}`: the service definition (one optional attribute,
/// the asset code from its sticker).
pub(crate) async fn service(Path(name): Path<String>) -> Response {
    let Some((code, format)) = split(&name) else {
        return unknown_format();
    };
    if !actions::services().iter().any(|s| s.0 == code) {
        return error(
            format,
            StatusCode::NOT_FOUND,
            described("faults-open311-no-such-service", &[]),
        );
    }
    let attribute: Record = vec![
        ("variable", Some("true".to_owned())),
        ("code", Some("asset".to_owned())),
        ("datatype", Some("string".to_owned())),
        ("required", Some("false".to_owned())),
        (
            "datatype_description",
            Some(described("faults-open311-asset-hint", &[])),
        ),
        ("order", Some("1".to_owned())),
        ("description", Some(described("faults-open311-asset", &[]))),
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
                doc.text(k, v.as_deref().unwrap_or(""))?;
            }
            doc.close("attribute")?;
            doc.close("attributes")?;
            doc.close("service_definition")
        }),
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
        _ => return not_found(Format::Json),
    };
    let input = match open311_form::parse(&fields) {
        Ok(input) => input,
        Err(refusal) => {
            let refused = CellError {
                key: Some(refusal.message()),
                ..CellError::new(0, "", String::new())
            };
            return error(format, StatusCode::BAD_REQUEST, messages::both(&refused));
        }
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
        return unknown_format();
    };
    let Ok(id) = uuid::Uuid::parse_str(id) else {
        return not_found(format);
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
        return unknown_format();
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
