//! Open311 GeoReport v2 at `/open311/v2/` (the interface FixMyStreet and many city systems
//! speak): discovery, services, services/{code}, requests (GET with filters, POST
//! form-encoded), requests/{id} and tokens/{id}, each as `.json` or `.xml`. axum cannot route
//! `/requests/{id}.json`, so handlers take `{id_fmt}` and strip the suffix.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use langso_app::CellError;
use langso_app::faults as actions;
use serde::Deserialize;
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::open311_form;
use super::open311_reply::{
    Format, Record, app_error, described, discovery, error, json_object, not_found, reply,
    request_record, split, unknown_format, xml_reply,
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
            let refused = CellError::from_message(0, "", refusal.message());
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
