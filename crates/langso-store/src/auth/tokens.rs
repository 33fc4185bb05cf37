//! API and device tokens: shown once, stored as SHA-256, scoped to a unit and a role.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// A stored token (never the token itself).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TokenRow {
    /// Id.
    pub id: Uuid,
    /// What it is for ("Zalo OA adapter", "camera 09817-CAM-012").
    pub name: String,
    /// `api` or `device`.
    pub kind: String,
    /// Role name the token acts with.
    pub role: String,
    /// Unit whose subtree it may reach.
    pub unit_id: Uuid,
    /// For device tokens: the device it belongs to.
    pub subject: Option<String>,
    /// Who made it.
    pub created_by: Option<Uuid>,
    /// When.
    pub created_at: OffsetDateTime,
    /// After this it no longer works.
    pub expires_at: Option<OffsetDateTime>,
    /// When it was revoked.
    pub revoked_at: Option<OffsetDateTime>,
    /// Last request made with it (updated at most once a minute).
    pub last_used_at: Option<OffsetDateTime>,
}

/// Stores a new token by its hash.
pub async fn insert_token(tx: &mut Tx, token: &TokenRow, token_hash: &str) -> StoreResult<()> {
    let sql = "INSERT INTO api_tokens (id, name, kind, token_hash, role, unit_id, subject, created_by, \
               created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    on_tx!(tx, c => sqlx::query(sql).bind(token.id).bind(&token.name).bind(&token.kind)
        .bind(token_hash).bind(&token.role).bind(token.unit_id).bind(&token.subject)
        .bind(token.created_by).bind(token.created_at).bind(token.expires_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A token by the hash of what the client presented.
pub async fn token_by_hash(
    ex: impl Into<Exec<'_>>,
    token_hash: &str,
) -> StoreResult<Option<TokenRow>> {
    let sql = "SELECT id, name, kind, role, unit_id, subject, created_by, created_at, expires_at, \
               revoked_at, last_used_at FROM api_tokens WHERE token_hash = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(token_hash).fetch_optional(e).await)?)
}

/// A token by the hash of its secret, with the name of its unit: what authenticating a
/// request needs, in one query.
pub async fn token_and_unit_name(
    ex: impl Into<Exec<'_>>,
    token_hash: &str,
) -> StoreResult<Option<(TokenRow, String)>> {
    let sql = "SELECT t.id, t.name, t.kind, t.role, t.unit_id, t.subject, t.created_by, t.created_at, \
               t.expires_at, t.revoked_at, t.last_used_at, COALESCE(u.name, '') AS unit_name \
               FROM api_tokens t LEFT JOIN units u ON u.id = t.unit_id WHERE t.token_hash = $1";
    let row: Option<TokenWithUnit> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(token_hash).fetch_optional(e).await)?;
    Ok(row.map(|r| (r.token, r.unit_name)))
}

#[derive(sqlx::FromRow)]
struct TokenWithUnit {
    #[sqlx(flatten)]
    token: TokenRow,
    unit_name: String,
}

/// A token by id.
pub async fn get_token(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<TokenRow>> {
    let sql = "SELECT id, name, kind, role, unit_id, subject, created_by, created_at, expires_at, \
               revoked_at, last_used_at FROM api_tokens WHERE id = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// Tokens whose unit lies under `scope` today (every token when `scope` is `None`).
pub async fn list_tokens(
    ex: impl Into<Exec<'_>>,
    scope: Uuid,
    today: time::Date,
) -> StoreResult<Vec<TokenRow>> {
    let sql = concat!(
        "SELECT id, name, kind, role, unit_id, subject, created_by, created_at, expires_at, ",
        "revoked_at, last_used_at FROM api_tokens t WHERE EXISTS (SELECT 1 FROM unit_closure c ",
        "WHERE c.ancestor_id = $1 AND c.descendant_id = t.unit_id AND ",
        crate::units::covers!("c", "$2"),
        ") ORDER BY created_at DESC"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(scope).bind(today).fetch_all(e).await)?)
}

/// Revokes a token (and bumps the credential generation, so cached device tokens are checked
/// again at once on every node).
pub async fn revoke_token(tx: &mut Tx, id: Uuid) -> StoreResult<()> {
    let sql = "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
    on_tx!(tx, c => sqlx::query(sql).bind(id).bind(OffsetDateTime::now_utc()).execute(&mut *c).await.map(|_| ()))?;
    super::bump_credential_generation(tx).await
}

/// The credential generation: a number that only grows, bumped in the same transaction as
/// every change that can end a credential (account disabled, token revoked, role revoked).
/// A cache of credentials is valid while the generation it was filled at is still current.
pub async fn credential_generation(ex: impl Into<Exec<'_>>) -> StoreResult<i64> {
    let sql = "SELECT value FROM credential_generation WHERE id = 1";
    let value: Option<i64> =
        on_exec!(ex.into(), e => sqlx::query_scalar(sql).fetch_optional(e).await)?;
    Ok(value.unwrap_or(0))
}

/// Moves the credential generation on (inside the transaction that ends a credential).
pub async fn bump_credential_generation(tx: &mut Tx) -> StoreResult<()> {
    let sql = "UPDATE credential_generation SET value = value + 1 WHERE id = 1";
    on_tx!(tx, c => sqlx::query(sql).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Records use of a token.
pub async fn touch_token(db: &crate::Db, id: Uuid, at: OffsetDateTime) -> StoreResult<()> {
    let sql = "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1";
    crate::on_db!(db, pool => sqlx::query(sql).bind(id).bind(at).execute(pool).await.map(|_| ()))?;
    Ok(())
}
