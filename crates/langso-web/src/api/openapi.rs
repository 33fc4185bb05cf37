//! Completes the OpenAPI document, so that a standard validator accepts it and a client reads
//! the truth from it: every response has a description, problem answers are declared as
//! `application/problem+json`, every operation that needs a credential declares its 401 and
//! every operation that reads a body or a query its 400 (unreadable input, the field named).
//!
//! Done here, once, rather than in each handler's annotation: an annotation may add its own
//! description; public operations say so with `security(())`.

use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// The modifier registered on the API document.
pub(super) struct Completed;

impl utoipa::Modify for Completed {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in operations(item) {
                complete(operation);
            }
        }
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.options.as_mut(),
        item.head.as_mut(),
        item.patch.as_mut(),
        item.trace.as_mut(),
    ]
    .into_iter()
    .flatten()
}

fn complete(operation: &mut Operation) {
    // `security(())` on a public operation is one empty requirement: no credential needed.
    let public = operation.security.as_ref().is_some_and(|requirements| {
        requirements
            .iter()
            .all(|r| serde_json::to_value(r).is_ok_and(|v| v == serde_json::json!({})))
    });
    // Path parameters are text, and a malformed id answers 404: only bodies and queries 400.
    let reads_input = operation.request_body.is_some()
        || operation.parameters.iter().flatten().any(|parameter| {
            serde_json::to_value(parameter).is_ok_and(|value| value["in"] == "query")
        });
    let responses = &mut operation.responses.responses;
    if reads_input {
        responses
            .entry("400".to_owned())
            .or_insert_with(|| problem_response("400"));
    }
    if !public {
        responses
            .entry("401".to_owned())
            .or_insert_with(|| problem_response("401"));
    }
    for (status, response) in responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        if response.description.is_empty() {
            description(status).clone_into(&mut response.description);
        }
        declare_problem_media_type(response);
    }
}

/// A problem answer for `status`.
fn problem_response(status: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description(status))
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

/// A `Problem` body is sent as `application/problem+json` (RFC 9457), not `application/json`.
fn declare_problem_media_type(response: &mut Response) {
    let is_problem = response
        .content
        .get("application/json")
        .and_then(|content| match content {
            RefOr::T(content) => content.schema.as_ref(),
            RefOr::Ref(_) => None,
        })
        .is_some_and(|schema| {
            matches!(schema, RefOr::Ref(r) if r.ref_location == "#/components/schemas/Problem")
        });
    if is_problem && let Some(content) = response.content.shift_remove("application/json") {
        response
            .content
            .insert("application/problem+json".to_owned(), content);
    }
}

/// What a status means in this API.
fn description(status: &str) -> &'static str {
    match status {
        "200" => "OK.",
        "201" => "Created.",
        "202" => "Accepted: done in the background.",
        "204" => "Done; nothing to return.",
        "400" => "The request could not be read: a malformed body or query (the field is named).",
        "401" => "No valid credential: sign in, or send `Authorization: Bearer <token>`.",
        "403" => "Signed in, but the role does not allow this.",
        "404" => "Not found, or outside the caller's units (the two are not told apart).",
        "409" => "Conflicts with the current state.",
        "413" => "The request is too large.",
        "415" => "Unsupported content type.",
        "422" => "Invalid input: every bad field (or row and column of a file) is named.",
        "429" => "Too many requests: retry after `Retry-After` seconds.",
        "503" => "Busy: retry after `Retry-After` seconds.",
        _ => "See the status code; errors are application/problem+json.",
    }
}
