//! The replies of the Open311 endpoints ([`super::open311`]): the discovery document, JSON or
//! XML as the file name asks, flat records, the specification's own error list (texts from the
//! catalogue, in both languages), and a work order as a service request.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use langso_app::faults::{self as actions, WorkOrder};
use langso_app::{AppError, CellError};
use langso_domain::faults::WorkStatus;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::xml::XmlDoc;
use crate::AppState;
use crate::messages;

/// Reply format.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    /// `.json` (or no suffix).
    Json,
    /// `.xml`.
    Xml,
}

pub(super) fn split(name: &str) -> Option<(&str, Format)> {
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

/// A value of a record, typed as Open311 clients decode it: JSON keeps booleans and numbers
/// as such (`"metadata": true`, `"order": 1`); XML writes them as text.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Field {
    /// Text.
    Text(String),
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number (a coordinate).
    Float(f64),
    /// Absent: JSON `null`, an empty XML element.
    Null,
}

impl Field {
    /// Text, or null when absent.
    pub(super) fn opt(text: Option<String>) -> Field {
        text.map_or(Field::Null, Field::Text)
    }

    /// The JSON value.
    fn json(&self) -> Value {
        match self {
            Field::Text(t) => Value::String(t.clone()),
            Field::Bool(b) => Value::Bool(*b),
            Field::Int(n) => Value::from(*n),
            Field::Float(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
            Field::Null => Value::Null,
        }
    }

    /// The XML text.
    pub(super) fn xml(&self) -> String {
        match self {
            Field::Text(t) => t.clone(),
            Field::Bool(b) => b.to_string(),
            Field::Int(n) => n.to_string(),
            Field::Float(x) => x.to_string(),
            Field::Null => String::new(),
        }
    }
}

impl From<&str> for Field {
    fn from(text: &str) -> Field {
        Field::Text(text.to_owned())
    }
}

impl From<String> for Field {
    fn from(text: String) -> Field {
        Field::Text(text)
    }
}

/// A flat record: field name and value.
pub(super) type Record = Vec<(&'static str, Field)>;

pub(super) fn reply(
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
                    doc.text(k, &v.xml())?;
                }
                doc.close(item)?;
            }
            doc.close(root)
        }),
    }
}

pub(super) fn json_object(record: &Record) -> Value {
    Value::Object(
        record
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.json()))
            .collect(),
    )
}

/// An XML reply written by `body` after the declaration.
pub(super) fn xml_reply(
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
pub(super) fn error(format: Format, status: StatusCode, description: String) -> Response {
    match format {
        Format::Json => (
            status,
            axum::Json(json!([{"code": status.as_u16(), "description": description}])),
        )
            .into_response(),
        Format::Xml => {
            let record: Record = vec![
                ("code", Field::Int(i64::from(status.as_u16()))),
                ("description", Field::Text(description)),
            ];
            reply(format, status, "errors", "error", &[record])
        }
    }
}

/// A catalogue message in both languages, as the JSON API words its problems: an Open311
/// client is a program whose readers may speak either.
pub(super) fn described(
    key: &'static str,
    args: &[(&'static str, &dyn std::fmt::Display)],
) -> String {
    messages::both(&CellError::keyed(0, "", key, args))
}

/// Not found, in the specification's error form.
pub(super) fn not_found(format: Format) -> Response {
    error(
        format,
        StatusCode::NOT_FOUND,
        described("faults-open311-not-found", &[]),
    )
}

/// A file name that is neither `.json` nor `.xml` (answered in JSON).
pub(super) fn unknown_format() -> Response {
    error(
        Format::Json,
        StatusCode::NOT_FOUND,
        described("faults-open311-unknown-format", &[]),
    )
}

pub(super) fn app_error(format: Format, e: AppError) -> Response {
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

fn time(t: OffsetDateTime) -> Field {
    Field::opt(t.format(&Rfc3339).ok())
}

/// The `service_notice` of a category: its response and repair times, in both languages (the
/// order's own, measured from its request, or the category's level for the services list).
pub(super) fn service_notice(response_hours: i64, repair_hours: i64) -> Field {
    Field::Text(described(
        "faults-open311-service-notice",
        &[("response", &response_hours), ("repair", &repair_hours)],
    ))
}

/// The notice of an order: the hours it was given to be answered and fixed.
fn order_notice(o: &WorkOrder) -> Field {
    let hours = |t: OffsetDateTime| (t - o.requested_at).whole_hours();
    match o.respond_by {
        Some(respond_by) => service_notice(hours(respond_by), hours(o.due_at)),
        None => Field::Null,
    }
}

/// The reply to a new request: its id, its token and its notice.
pub(super) fn created_record(o: &WorkOrder) -> Record {
    vec![
        ("service_request_id", Field::Text(o.id.to_string())),
        ("token", Field::Text(o.token.clone())),
        ("service_notice", order_notice(o)),
        ("account_id", Field::Null),
    ]
}

pub(super) fn request_record(o: &WorkOrder) -> Record {
    let status = WorkStatus::parse(&o.status).map_or("open", WorkStatus::open311);
    let name = actions::services()
        .into_iter()
        .find(|s| s.0 == o.service_code)
        .map(|s| s.1.to_owned());
    let number = |v: Option<f64>| v.map_or(Field::Null, Field::Float);
    vec![
        ("service_request_id", Field::Text(o.id.to_string())),
        ("status", Field::from(status)),
        // The status in words (the city's language), never the internal code.
        (
            "status_notes",
            Field::Text(messages::render(
                messages::Lang::Vi,
                &format!("work-{}", o.status.replace('_', "-")),
                &[],
            )),
        ),
        ("service_name", Field::opt(name)),
        ("service_code", Field::Text(o.service_code.clone())),
        // Masked by `public_order`, like the address.
        ("description", Field::Text(o.description.clone())),
        // The assignee is a person the public has no need to know: kept internal.
        ("agency_responsible", Field::Null),
        ("service_notice", order_notice(o)),
        ("requested_datetime", time(o.requested_at)),
        ("updated_datetime", time(o.updated_at)),
        ("expected_datetime", time(o.due_at)),
        ("address", Field::Text(o.address.clone())),
        ("asset_id", Field::opt(o.asset_code.clone())),
        ("lat", number(o.latitude)),
        ("long", number(o.longitude)),
        ("media_url", Field::opt(o.media_url.clone())),
    ]
}

/// The discovery document: where the endpoint is, its formats and whom to call.
pub(super) fn discovery(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    format: Format,
) -> Response {
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
