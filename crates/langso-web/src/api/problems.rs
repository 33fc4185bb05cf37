//! Every `/api/v1` error is `application/problem+json`, including the ones no handler wrote:
//! unknown routes, wrong methods (405), rejections of extractors we do not wrap (multipart,
//! raw bodies), rate limits and timeouts. Handlers and our extractors already answer problems;
//! this middleware rewrites whatever else would reach an API client as text or HTML.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::problem;

/// Longest plain-text error kept as the problem's detail.
const DETAIL_LIMIT: usize = 4 * 1024;

/// The title key for an error answer nobody titled.
fn title_key(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "api-not-found",
        StatusCode::METHOD_NOT_ALLOWED => "api-method-not-allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "api-too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "api-unsupported-media-type",
        StatusCode::TOO_MANY_REQUESTS => "api-too-many-requests",
        StatusCode::REQUEST_TIMEOUT
        | StatusCode::SERVICE_UNAVAILABLE
        | StatusCode::GATEWAY_TIMEOUT => "api-busy",
        status if status.is_server_error() => "api-internal",
        _ => "api-bad-request",
    }
}

/// Rewrites an `/api/v1` error answer that is not problem+json into one, keeping its status
/// and headers (`Allow`, `Retry-After`, the request id); a plain-text body becomes the detail.
pub(crate) async fn api_problems(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/v1");
    let response = next.run(request).await;
    let status = response.status();
    if !api || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if content_type.starts_with("application/problem+json") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let detail = if content_type.starts_with("text/plain") {
        axum::body::to_bytes(body, DETAIL_LIMIT)
            .await
            .ok()
            .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_owned())
            .filter(|text| !text.is_empty())
    } else {
        None
    };
    let (_, body) = problem(
        status,
        &crate::messages::both_key(title_key(status)),
        detail,
        Vec::new(),
    )
    .into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::Lang;

    /// The keys this module and the extractors name through variables, which the catalogue's
    /// own scan of the source cannot see.
    #[test]
    fn every_api_key_is_in_both_languages() {
        let keys = [
            "api-not-found",
            "api-method-not-allowed",
            "api-too-large",
            "api-unsupported-media-type",
            "api-too-many-requests",
            "api-busy",
            "api-internal",
            "api-bad-request",
            "api-invalid-input",
            "api-body-not-json",
            "api-body-json-content-type",
            "api-body-unreadable",
            "api-field-invalid",
            "api-field-missing",
            "api-field-unknown",
        ];
        for key in keys {
            for lang in [Lang::Vi, Lang::En] {
                let text = crate::messages::render(lang, key, &[("reason", "x".to_owned())]);
                assert_ne!(text, key, "{key} is missing from the {lang:?} catalogue");
            }
        }
        for status in [404u16, 405, 413, 415, 429, 503, 500, 400, 418] {
            let status = StatusCode::from_u16(status).unwrap_or_default();
            assert!(keys.contains(&title_key(status)), "{status}");
        }
    }
}
