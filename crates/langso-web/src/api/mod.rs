//! The JSON API under `/api/v1`, described by OpenAPI at `/api/openapi.json` and browsable at
//! `/api/docs` (Swagger UI vendored into the binary: nothing is fetched at build or run time).

pub mod accounts;
pub mod assets;
pub mod audit;
pub mod faults;
pub mod household_files;
pub mod households;
pub mod placements;
pub mod procedures;
pub mod telemetry;
pub mod units;
// --- comms ---
pub mod comms;
// --- teams, criteria, dashboard ---
pub mod asset_files;
pub mod criteria;
pub mod dashboard;
pub mod teams;

pub mod extract;
mod openapi;
pub(crate) mod problems;

use axum::Router;
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Langso API",
        description = "Langso, the smart-village platform. Errors are application/problem+json (RFC 9457).",
        license(name = "AGPL-3.0-or-later")
    ),
    components(schemas(crate::error::Problem, crate::error::FieldProblem)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

/// Declares the bearer-token scheme (API tokens from `/api/v1/tokens`).
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes with their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    let v1 = units::router()
        .merge(accounts::router())
        .merge(audit::router())
        .merge(households::router())
        .merge(procedures::router())
        .merge(placements::router())
        // --- households import/export ---
        .merge(household_files::router())
        // --- comms ---
        .merge(comms::router())
        // --- assets ---
        .merge(assets::router())
        .merge(telemetry::router())
        .merge(faults::router())
        // --- teams, criteria, dashboard ---
        .merge(teams::router())
        .merge(criteria::router())
        .merge(dashboard::router())
        .merge(asset_files::router());
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1)
}

/// Parses an id in a path or query; a malformed one is answered like a missing one (404).
pub(crate) fn parse_id(text: &str) -> Result<uuid::Uuid, crate::error::ApiError> {
    uuid::Uuid::parse_str(text.trim())
        .map_err(|_| crate::error::ApiError(langso_app::AppError::NotFound))
}

/// The OpenAPI document as served at `/api/openapi.json` (also snapshotted in tests).
pub fn openapi() -> OpenApiDoc {
    split().1
}

/// The API routes and their completed OpenAPI document (see [`openapi`](self::openapi)'s
/// module: descriptions, problem media type, 400 and 401 answers).
pub fn split() -> (Router<AppState>, OpenApiDoc) {
    let (routes, mut document) = router().split_for_parts();
    utoipa::Modify::modify(&openapi::Completed, &mut document);
    (routes, document)
}

/// `/api/openapi.json` and the Swagger UI at `/api/docs`.
pub fn docs(openapi: OpenApiDoc) -> Router<AppState> {
    SwaggerUi::new("/api/docs")
        .url("/api/openapi.json", openapi)
        .into()
}
