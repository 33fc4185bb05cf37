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

/// What the login throttle needs to know, over the window since `since`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FailureCounts {
    /// Failures for this login from this client address.
    pub pair: i64,
    /// The latest of those.
    pub pair_last: Option<OffsetDateTime>,
    /// Failures from this client address, whatever the login.
    pub address: i64,
}

/// Failed logins since `since` for the pair (login, client address), and for the address.
/// Nothing is counted per login alone: failures from elsewhere must not lock an officer out.
pub async fn count_login_failures(
    db: &crate::Db,
    login: &str,
    address: &str,
    since: OffsetDateTime,
) -> StoreResult<FailureCounts> {
    let by_pair = "SELECT CAST(COUNT(*) AS BIGINT), MAX(at) FROM login_failures \
                   WHERE login = $1 AND address = $2 AND at >= $3";
    let by_address =
        "SELECT CAST(COUNT(*) AS BIGINT) FROM login_failures WHERE address = $1 AND at >= $2";
    let (pair, pair_last): (i64, Option<OffsetDateTime>) = crate::on_db!(db, pool =>
        sqlx::query_as(by_pair).bind(login).bind(address).bind(since).fetch_one(pool).await)?;
    let address: i64 = crate::on_db!(db, pool => sqlx::query_scalar(by_address).bind(address).bind(since).fetch_one(pool).await)?;
    Ok(FailureCounts {
        pair,
        pair_last,
        address,
    })
}

/// Forgets the failures of (login, address) after a successful login from there, and every
/// failure older than `before`. Failures of the same login from other addresses stay: an
/// attacker elsewhere keeps his own delay.
pub async fn clear_login_failures(
    db: &crate::Db,
    login: &str,
    address: &str,
    before: OffsetDateTime,
) -> StoreResult<()> {
    let sql = "DELETE FROM login_failures WHERE (login = $1 AND address = $2) OR at < $3";
    crate::on_db!(db, pool => sqlx::query(sql).bind(login).bind(address).bind(before).execute(pool).await.map(|_| ()))?;
    Ok(())
}
