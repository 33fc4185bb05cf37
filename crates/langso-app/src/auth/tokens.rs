//! API and device tokens: created by someone who manages accounts on the unit, shown once,
//! stored hashed, revocable, with an optional expiry.

use langso_domain::auth::{Permission, Role};
use langso_store::auth::{self as store, TokenRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::Actor;
use super::policy::{self, Scope};
use super::secrets::{random_token, sha256_hex};
use crate::audit::{self, Change};
use crate::{AppError, AppResult, CellError, Db, today};

/// What a new token is for.
#[derive(Clone, Debug)]
pub struct NewToken {
    /// Name ("Zalo OA adapter").
    pub name: String,
    /// `api` for integrations, `device` for a device's heartbeats.
    pub kind: String,
    /// The role it acts with.
    pub role: Role,
    /// The unit whose subtree it reaches.
    pub unit_id: Uuid,
    /// For a device token: the device.
    pub subject: Option<String>,
    /// When it stops working.
    pub expires_at: Option<OffsetDateTime>,
}

/// Creates a token; returns it with its secret, which is never shown again.
pub async fn create_token(
    db: &Db,
    actor: &Actor,
    input: &NewToken,
) -> AppResult<(TokenRow, String)> {
    policy::require(db, actor, Permission::ManageAccounts, input.unit_id).await?;
    if !policy::may_grant_on(db, actor, input.role, input.unit_id).await? {
        return Err(AppError::Forbidden);
    }
    let name = input.name.trim();
    let mut errors = Vec::new();
    if name.is_empty() || name.chars().count() > 120 {
        errors.push(CellError::keyed(0, "name", "auth-name-length", &[]));
    }
    if !matches!(input.kind.as_str(), "api" | "device") {
        errors.push(CellError::keyed(0, "kind", "auth-token-kind-invalid", &[]));
    }
    if input
        .expires_at
        .is_some_and(|end| end <= OffsetDateTime::now_utc())
    {
        errors.push(CellError::keyed(0, "expires_at", "auth-expiry-past", &[]));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let secret = random_token(if input.kind == "device" {
        "lsd_"
    } else {
        "lso_"
    })?;
    let token = TokenRow {
        id: Uuid::now_v7(),
        name: name.to_owned(),
        kind: input.kind.clone(),
        role: input.role.as_str().to_owned(),
        unit_id: input.unit_id,
        subject: input.subject.clone(),
        created_by: actor.user_id,
        created_at: OffsetDateTime::now_utc(),
        expires_at: input.expires_at,
        revoked_at: None,
        last_used_at: None,
    };
    let mut tx = db.begin().await?;
    store::insert_token(&mut tx, &token, &sha256_hex(&secret)).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "token.create",
            target_type: "token",
            target_id: token.id.to_string(),
            unit_id: Some(token.unit_id),
            summary: format!("{} kind={} role={}", token.name, token.kind, token.role),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((token, secret))
}

/// Tokens under the units where the actor manages accounts.
pub async fn list_tokens(db: &Db, actor: &Actor) -> AppResult<Vec<TokenRow>> {
    let roots = match policy::scope(actor, Permission::ManageAccounts)? {
        Scope::All => langso_store::units::roots(db, today())
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect(),
        Scope::Under(roots) => roots,
    };
    let mut tokens = Vec::new();
    for root in roots {
        tokens.extend(store::list_tokens(db, root, today()).await?);
    }
    tokens.sort_by_key(|token| std::cmp::Reverse(token.id));
    tokens.dedup_by(|a, b| a.id == b.id);
    Ok(tokens)
}

/// Revokes a token at once.
pub async fn revoke_token(db: &Db, actor: &Actor, id: Uuid) -> AppResult<()> {
    let token = store::get_token(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ManageAccounts, token.unit_id).await?;
    let mut tx = db.begin().await?;
    store::revoke_token(&mut tx, id).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "token.revoke",
            target_type: "token",
            target_id: id.to_string(),
            unit_id: Some(token.unit_id),
            summary: token.name,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a stored token may still act, checked at each use: not revoked, not expired, and,
/// when a person minted it, that person still enabled and still able to mint it (a role that
/// manages accounts and may grant the token's role, on the token's unit or above). A token
/// dies with the access it came from: disabling its creator or revoking the grant it was
/// minted under stops it at once.
pub async fn still_valid(db: &Db, token: &TokenRow) -> AppResult<bool> {
    let now = OffsetDateTime::now_utc();
    if token.revoked_at.is_some() || token.expires_at.is_some_and(|end| now > end) {
        return Ok(false);
    }
    let Ok(role) = Role::parse(&token.role) else {
        return Ok(false);
    };
    let Some(creator) = token.created_by else {
        // Minted by the operator at the command line: lives until revoked or expired.
        return Ok(true);
    };
    let Some(creator) = super::login::actor_of_user(db, creator).await? else {
        return Ok(false);
    };
    policy::may_grant_on(db, &creator, role, token.unit_id).await
}

/// Whether the device token `id` still works (the telemetry writer asks when the credential
/// generation moved since the token was cached).
pub async fn device_token_alive(db: &Db, id: Uuid) -> AppResult<bool> {
    alive(db, id, "device").await
}

/// Whether the API token `id` still works (looked up afresh).
pub(crate) async fn api_token_alive(db: &Db, id: Uuid) -> AppResult<bool> {
    alive(db, id, "api").await
}

/// Whether the token `id`, of `kind`, still works (looked up afresh).
async fn alive(db: &Db, id: Uuid, kind: &str) -> AppResult<bool> {
    match store::get_token(db, id).await? {
        Some(token) if token.kind == kind => still_valid(db, &token).await,
        _ => Ok(false),
    }
}
