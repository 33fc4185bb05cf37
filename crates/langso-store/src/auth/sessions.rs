//! Web sessions and login failures.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// A live session.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    /// SHA-256 of the cookie's token, hex.
    pub token_hash: String,
    /// Owner.
    pub user_id: Uuid,
    /// The token forms must echo (synchronizer pattern).
    pub csrf_token: String,
    /// Started.
    pub created_at: OffsetDateTime,
    /// Last request seen (updated at most once a minute).
    pub last_seen_at: OffsetDateTime,
    /// Absolute end.
    pub expires_at: OffsetDateTime,
}

/// Starts a session.
pub async fn insert_session(tx: &mut Tx, session: &SessionRow) -> StoreResult<()> {
    let sql = "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, \
               expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, c => sqlx::query(sql).bind(&session.token_hash).bind(session.user_id)
        .bind(&session.csrf_token).bind(session.created_at).bind(session.last_seen_at)
        .bind(session.expires_at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A session by its token hash.
pub async fn get_session(
    ex: impl Into<Exec<'_>>,
    token_hash: &str,
) -> StoreResult<Option<SessionRow>> {
    let sql = "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at \
               FROM sessions WHERE token_hash = $1";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(token_hash).fetch_optional(e).await)?)
}

/// Records activity on a session.
pub async fn touch_session(
    db: &crate::Db,
    token_hash: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let sql = "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1";
    crate::on_db!(db, pool => sqlx::query(sql).bind(token_hash).bind(at).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Ends one session.
pub async fn delete_session(ex: impl Into<Exec<'_>>, token_hash: &str) -> StoreResult<()> {
    let sql = "DELETE FROM sessions WHERE token_hash = $1";
    on_exec!(ex.into(), e => sqlx::query(sql).bind(token_hash).execute(e).await.map(|_| ()))?;
    Ok(())
}

/// Ends every session of a user (disabled, or password changed); returns how many.
pub async fn delete_user_sessions(tx: &mut Tx, user: Uuid) -> StoreResult<u64> {
    let sql = "DELETE FROM sessions WHERE user_id = $1";
    Ok(
        on_tx!(tx, c => sqlx::query(sql).bind(user).execute(&mut *c).await.map(|r| r.rows_affected()))?,
    )
}

/// Records a failed login.
pub async fn insert_login_failure(db: &crate::Db, login: &str, address: &str) -> StoreResult<()> {
    let sql = "INSERT INTO login_failures (id, login, address, at) VALUES ($1, $2, $3, $4)";
    crate::on_db!(db, pool => sqlx::query(sql).bind(Uuid::now_v7()).bind(login).bind(address)
        .bind(OffsetDateTime::now_utc()).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Failed logins since `since` for an account and for a client address.
pub async fn count_login_failures(
    db: &crate::Db,
    login: &str,
    address: &str,
    since: OffsetDateTime,
) -> StoreResult<(i64, i64)> {
    let by_login =
        "SELECT CAST(COUNT(*) AS BIGINT) FROM login_failures WHERE login = $1 AND at >= $2";
    let by_address =
        "SELECT CAST(COUNT(*) AS BIGINT) FROM login_failures WHERE address = $1 AND at >= $2";
    let a: i64 = crate::on_db!(db, pool => sqlx::query_scalar(by_login).bind(login).bind(since).fetch_one(pool).await)?;
    let b: i64 = crate::on_db!(db, pool => sqlx::query_scalar(by_address).bind(address).bind(since).fetch_one(pool).await)?;
    Ok((a, b))
}

/// Forgets an account's failures after a successful login, and failures older than `before`.
pub async fn clear_login_failures(
    db: &crate::Db,
    login: &str,
    before: OffsetDateTime,
) -> StoreResult<()> {
    let sql = "DELETE FROM login_failures WHERE login = $1 OR at < $2";
    crate::on_db!(db, pool => sqlx::query(sql).bind(login).bind(before).execute(pool).await.map(|_| ()))?;
    Ok(())
}
