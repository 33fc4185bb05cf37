//! `/api/v1/me`, `/api/v1/users`, `/api/v1/tokens`: accounts, roles and API tokens, each
//! scoped to the units where the caller manages accounts.

use axum::extract::State;
use axum::http::StatusCode;
use langso_app::auth::{self as actions, NewAccount, NewToken, UserView};
use langso_app::{AppError, CellError};
use langso_domain::auth::Role;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::api::extract::{Json, Path, Query};
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user))
        .routes(routes!(disable_user))
        .routes(routes!(grant_role, revoke_role))
        .routes(routes!(reset_password))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

/// A role held on a unit.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GrantDto {
    /// admin, officer, village_head, team_member or viewer.
    pub role: String,
    /// The unit whose subtree it covers.
    pub unit_id: Uuid,
    /// That unit's name.
    pub unit_name: String,
}

/// An account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserDto {
    /// Id.
    pub id: Uuid,
    /// Login name.
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// May see citizen-ID and phone numbers unmasked.
    pub pii: bool,
    /// Disabled accounts cannot log in.
    pub disabled: bool,
    /// Roles.
    pub grants: Vec<GrantDto>,
}

impl From<UserView> for UserDto {
    fn from(view: UserView) -> Self {
        UserDto {
            id: view.user.id,
            login: view.user.login,
            display_name: view.user.display_name,
            pii: view.user.pii,
            disabled: view.user.disabled,
            grants: view
                .grants
                .into_iter()
                .map(|g| GrantDto {
                    role: g.role,
                    unit_id: g.unit_id,
                    unit_name: g.unit_name,
                })
                .collect(),
        }
    }
}

/// The caller.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MeDto {
    /// As recorded in the audit log.
    pub label: String,
    /// The user, if a person.
    pub user_id: Option<Uuid>,
    /// May see personal numbers unmasked.
    pub pii: bool,
    /// Roles.
    pub grants: Vec<GrantDto>,
}

/// A new account with its first role.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUserBody {
    /// 3–64 characters of a–z, 0–9, `.`, `_`, `-`.
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// Initial password (10–200 characters).
    pub password: String,
    /// First role.
    pub role: String,
    /// On this unit.
    pub unit_id: Uuid,
    /// PII right (only someone holding it may grant it).
    #[serde(default)]
    pub pii: bool,
}

/// A role on a unit.
#[derive(Debug, Deserialize, ToSchema, IntoParams)]
pub struct GrantBody {
    /// The role.
    pub role: String,
    /// The unit.
    pub unit_id: Uuid,
}

/// A new password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordBody {
    /// 10–200 characters.
    pub password: String,
}

/// A new API token.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTokenBody {
    /// What it is for.
    pub name: String,
    /// `api` (integrations) or `device` (heartbeats).
    #[serde(default = "api_kind")]
    pub kind: String,
    /// The role it acts with.
    pub role: String,
    /// The unit whose subtree it reaches.
    pub unit_id: Uuid,
    /// For a device token: the device.
    pub subject: Option<String>,
    /// When it stops working (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
}

fn api_kind() -> String {
    "api".to_owned()
}

/// A token as listed (never the secret).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenDto {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// api or device.
    pub kind: String,
    /// Role.
    pub role: String,
    /// Unit.
    pub unit_id: Uuid,
    /// Device, for device tokens.
    pub subject: Option<String>,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Expiry.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    /// Revoked.
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    /// Last used.
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
}

impl From<langso_app::auth::TokenRow> for TokenDto {
    fn from(t: langso_app::auth::TokenRow) -> Self {
        TokenDto {
            id: t.id,
            name: t.name,
            kind: t.kind,
            role: t.role,
            unit_id: t.unit_id,
            subject: t.subject,
            created_at: t.created_at,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
            last_used_at: t.last_used_at,
        }
    }
}

/// A new token with its secret: shown this once.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedToken {
    /// The token.
    pub token: TokenDto,
    /// Send as `Authorization: Bearer <secret>`; it cannot be shown again.
    pub secret: String,
}

fn parse_role(text: &str) -> Result<Role, ApiError> {
    Role::parse(text).map_err(|_| {
        ApiError(AppError::Invalid(vec![CellError::keyed(
            0,
            "role",
            "users-role-unknown",
            &[("role", &text)],
        )]))
    })
}

fn parse_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text).map_err(|_| ApiError(AppError::NotFound))
}

/// Who am I: roles and rights of the caller.
#[utoipa::path(get, path = "/me", tag = "accounts", responses((status = 200, body = MeDto), (status = 401, body = Problem)))]
async fn me(Authenticated(actor): Authenticated) -> Json<MeDto> {
    Json(MeDto {
        label: actor.label.clone(),
        user_id: actor.user_id,
        pii: actor.pii,
        grants: actor
            .grants
            .iter()
            .map(|g| GrantDto {
                role: g.role.as_str().to_owned(),
                unit_id: g.unit_id,
                unit_name: g.unit_name.clone(),
            })
            .collect(),
    })
}

/// Accounts the caller manages.
#[utoipa::path(get, path = "/users", tag = "accounts", responses((status = 200, body = Vec<UserDto>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_users(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<Vec<UserDto>>, ApiError> {
    let users = actions::list_users(&state.db, &actor).await?;
    Ok(Json(users.into_iter().map(UserDto::from).collect()))
}

/// Creates an account with its first role.
#[utoipa::path(post, path = "/users", tag = "accounts", request_body = NewUserBody,
    responses((status = 201, body = UserDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_user(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Json(body): Json<NewUserBody>,
) -> Result<(StatusCode, Json<UserDto>), ApiError> {
    let input = NewAccount {
        login: body.login,
        display_name: body.display_name,
        password: body.password,
        role: parse_role(&body.role)?,
        unit_id: body.unit_id,
        pii: body.pii,
    };
    let view = actions::create_user(&state.db, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// One account.
#[utoipa::path(get, path = "/users/{id}", tag = "accounts", params(("id" = Uuid, Path)),
    responses((status = 200, body = UserDto), (status = 404, body = Problem)))]
async fn get_user(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<UserDto>, ApiError> {
    Ok(Json(
        actions::get_user(&state.db, &actor, parse_id(&id)?)
            .await?
            .into(),
    ))
}

/// Disables an account and ends its sessions.
#[utoipa::path(post, path = "/users/{id}/disable", tag = "accounts", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn disable_user(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    actions::disable_user(&state.db, &actor, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Grants a role on a unit.
#[utoipa::path(post, path = "/users/{id}/grants", tag = "accounts", params(("id" = Uuid, Path)), request_body = GrantBody,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn grant_role(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<GrantBody>,
) -> Result<StatusCode, ApiError> {
    actions::grant_role(
        &state.db,
        &actor,
        parse_id(&id)?,
        parse_role(&body.role)?,
        body.unit_id,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes a role on a unit.
#[utoipa::path(delete, path = "/users/{id}/grants", tag = "accounts", params(("id" = Uuid, Path), GrantBody),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn revoke_role(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Query(body): Query<GrantBody>,
) -> Result<StatusCode, ApiError> {
    actions::revoke_role(
        &state.db,
        &actor,
        parse_id(&id)?,
        parse_role(&body.role)?,
        body.unit_id,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets a new password for an account; its sessions end.
#[utoipa::path(post, path = "/users/{id}/password", tag = "accounts", params(("id" = Uuid, Path)), request_body = PasswordBody,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn reset_password(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Json(body): Json<PasswordBody>,
) -> Result<StatusCode, ApiError> {
    actions::reset_password(&state.db, &actor, parse_id(&id)?, &body.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// API and device tokens under the caller's units.
#[utoipa::path(get, path = "/tokens", tag = "accounts", responses((status = 200, body = Vec<TokenDto>), (status = 403, body = Problem)))]
async fn list_tokens(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<Vec<TokenDto>>, ApiError> {
    let tokens = actions::list_tokens(&state.db, &actor).await?;
    Ok(Json(tokens.into_iter().map(TokenDto::from).collect()))
}

/// Creates a token; the secret is in this answer only.
#[utoipa::path(post, path = "/tokens", tag = "accounts", request_body = NewTokenBody,
    responses((status = 201, body = CreatedToken), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_token(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Json(body): Json<NewTokenBody>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let input = NewToken {
        name: body.name,
        kind: body.kind,
        role: parse_role(&body.role)?,
        unit_id: body.unit_id,
        subject: body.subject,
        expires_at: body.expires_at,
    };
    let (token, secret) = actions::create_token(&state.db, &actor, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            token: token.into(),
            secret,
        }),
    ))
}

/// Revokes a token at once.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "accounts", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn revoke_token(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    actions::revoke_token(&state.db, &actor, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
