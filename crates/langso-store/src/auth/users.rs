//! Users and their role grants.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// A stored account (the password hash stays in the store unless asked for).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    /// Id.
    pub id: Uuid,
    /// Login name, lower case.
    pub login: String,
    /// Name shown in pages and the audit log.
    pub display_name: String,
    /// May see citizen-ID and phone numbers unmasked.
    pub pii: bool,
    /// Disabled accounts cannot log in and have no sessions.
    pub disabled: bool,
    /// When the account was made.
    pub created_at: OffsetDateTime,
}

/// A role held on a unit.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct GrantRow {
    /// Id of the grant.
    pub id: Uuid,
    /// Holder.
    pub user_id: Uuid,
    /// Role name.
    pub role: String,
    /// The unit whose subtree the role covers.
    pub unit_id: Uuid,
    /// That unit's code, for display.
    pub unit_code: String,
    /// That unit's name, for display.
    pub unit_name: String,
}

/// Data for a new account.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Id.
    pub id: Uuid,
    /// Login name, already validated and lower-cased.
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// PII right.
    pub pii: bool,
}

/// Creates an account.
pub async fn insert_user(tx: &mut Tx, user: &NewUser) -> StoreResult<()> {
    let now = OffsetDateTime::now_utc();
    let sql = "INSERT INTO users (id, login, display_name, password_hash, pii, disabled, created_at, \
               password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";
    on_tx!(tx, c => sqlx::query(sql).bind(user.id).bind(&user.login).bind(&user.display_name)
        .bind(&user.password_hash).bind(user.pii).bind(false).bind(now)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A user by id.
pub async fn get_user(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<UserRow>> {
    let sql = "SELECT id, login, display_name, pii, disabled, created_at FROM users WHERE id = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// A user and its password hash by login, for logging in.
pub async fn user_with_hash(
    ex: impl Into<Exec<'_>>,
    login: &str,
) -> StoreResult<Option<(UserRow, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        password_hash: String,
    }
    let sql = "SELECT id, login, display_name, pii, disabled, created_at, password_hash FROM users \
               WHERE login = $1";
    let row: Option<Row> =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(login).fetch_optional(e).await)?;
    Ok(row.map(|r| (r.user, r.password_hash)))
}

/// Every user, by login (the caller filters by scope).
pub async fn list_users(ex: impl Into<Exec<'_>>) -> StoreResult<Vec<UserRow>> {
    let sql = "SELECT id, login, display_name, pii, disabled, created_at FROM users ORDER BY login";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_all(e).await)?)
}

/// The grants of one user.
pub async fn grants_of(ex: impl Into<Exec<'_>>, user: Uuid) -> StoreResult<Vec<GrantRow>> {
    let sql = "SELECT g.id, g.user_id, g.role, g.unit_id, u.code AS unit_code, u.name AS unit_name \
               FROM role_grants g JOIN units u ON u.id = g.unit_id WHERE g.user_id = $1 \
               ORDER BY g.created_at, g.id";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(user).fetch_all(e).await)?)
}

/// Every grant of every user (for listing accounts with their roles).
pub async fn all_grants(ex: impl Into<Exec<'_>>) -> StoreResult<Vec<GrantRow>> {
    let sql = "SELECT g.id, g.user_id, g.role, g.unit_id, u.code AS unit_code, u.name AS unit_name \
               FROM role_grants g JOIN units u ON u.id = g.unit_id ORDER BY g.created_at, g.id";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_all(e).await)?)
}

/// Grants `role` on `unit`; returns false when the user already held it.
pub async fn insert_grant(tx: &mut Tx, user: Uuid, role: &str, unit: Uuid) -> StoreResult<bool> {
    let sql = "INSERT INTO role_grants (id, user_id, role, unit_id, created_at) \
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, role, unit_id) DO NOTHING";
    let inserted = on_tx!(tx, c => sqlx::query(sql).bind(Uuid::now_v7()).bind(user).bind(role)
        .bind(unit).bind(OffsetDateTime::now_utc()).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(inserted > 0)
}

/// Removes one grant; returns false when there was none. Bumps the credential generation:
/// tokens minted under the grant die with it.
pub async fn delete_grant(tx: &mut Tx, user: Uuid, role: &str, unit: Uuid) -> StoreResult<bool> {
    let sql = "DELETE FROM role_grants WHERE user_id = $1 AND role = $2 AND unit_id = $3";
    let deleted = on_tx!(tx, c => sqlx::query(sql).bind(user).bind(role).bind(unit)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    if deleted > 0 {
        super::bump_credential_generation(tx).await?;
    }
    Ok(deleted > 0)
}

/// Disables (or re-enables) an account. Bumps the credential generation: the account's
/// tokens stop at once on every node.
pub async fn set_disabled(tx: &mut Tx, user: Uuid, disabled: bool) -> StoreResult<()> {
    let sql = "UPDATE users SET disabled = $2 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(user).bind(disabled).execute(&mut *c).await.map(|_| ()))?;
    super::bump_credential_generation(tx).await
}

/// Grants or withdraws the PII right.
pub async fn set_pii(tx: &mut Tx, user: Uuid, pii: bool) -> StoreResult<()> {
    let sql = "UPDATE users SET pii = $2 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(user).bind(pii).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Stores a new password hash.
pub async fn set_password(tx: &mut Tx, user: Uuid, password_hash: &str) -> StoreResult<()> {
    let sql = "UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(user).bind(password_hash).bind(OffsetDateTime::now_utc())
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// How many accounts exist (a first start with none prints how to make the first admin).
pub async fn count_users(ex: impl Into<Exec<'_>>) -> StoreResult<i64> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM users";
    Ok(on_exec!(ex.into(), e => sqlx::query_scalar(sql).fetch_one(e).await)?)
}

/// The staff of `unit` on `date`: enabled accounts holding any role on the unit or one of its
/// ancestors, by display name (whom a work order there may be assigned to).
pub async fn staff_of(
    ex: impl Into<Exec<'_>>,
    unit: Uuid,
    date: time::Date,
) -> StoreResult<Vec<UserRow>> {
    let sql = "SELECT u.id, u.login, u.display_name, u.pii, u.disabled, u.created_at FROM users u \
               WHERE u.disabled = $3 AND EXISTS (SELECT 1 FROM role_grants g \
               JOIN unit_closure c ON c.ancestor_id = g.unit_id AND c.descendant_id = $1 \
               AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to >= $2) \
               WHERE g.user_id = u.id) ORDER BY u.display_name, u.login";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit).bind(date).bind(false)
        .fetch_all(e).await)?,
    )
}
