//! Logging in and out, and turning a session cookie or an API token back into an [`Actor`].

use langso_domain::auth::Role;
use langso_store::auth::{self as store, FailureCounts, SessionRow};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::secrets::{dummy_hash, random_token, sha256_hex, verify_password};
use super::{Actor, Grant};
use crate::{AppResult, Db};

/// A session ends after this long without a request.
pub const SESSION_IDLE: Duration = Duration::hours(2);
/// A session ends this long after login, however active.
pub const SESSION_ABSOLUTE: Duration = Duration::hours(12);
/// Failed logins are counted over this window.
const THROTTLE_WINDOW: Duration = Duration::hours(1);
/// Failures of one login from one client address before each further try must wait.
const FREE_FAILURES_PER_PAIR: i64 = 5;
/// The wait after the first failure past the free ones; it doubles with each further failure.
const BASE_DELAY: Duration = Duration::seconds(15);
/// The longest wait a (login, address) pair is asked for.
const MAX_DELAY: Duration = Duration::minutes(15);
/// Failures from one client address (any login) in the window before the address is refused:
/// slows an attacker who tries many logins, and only from where he is.
const MAX_FAILURES_PER_ADDRESS: i64 = 100;
/// Activity is written to the session at most this often.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// A successful login.
#[derive(Debug)]
pub struct LoginOutcome {
    /// The cookie value (the database keeps only its hash).
    pub session_token: String,
    /// The token forms must echo.
    pub csrf_token: String,
    /// Who logged in.
    pub user_id: Uuid,
}

/// Why a login did not succeed. People read the catalogue's `login-rejected` and
/// `login-throttled`; the `Display` text is English for logs.
#[derive(Debug, thiserror::Error)]
pub enum LoginFailure {
    /// Wrong login or password (never says which), or a disabled account.
    #[error("wrong login or password")]
    Rejected,
    /// Too many failures: try again after this many seconds.
    #[error("too many attempts, try again in {0} s")]
    Throttled(i64),
    /// The store failed.
    #[error(transparent)]
    App(#[from] crate::AppError),
}

impl From<langso_store::StoreError> for LoginFailure {
    fn from(error: langso_store::StoreError) -> Self {
        LoginFailure::App(error.into())
    }
}

/// How long (login, address) must still wait before its next try, if at all: nothing for the
/// first [`FREE_FAILURES_PER_PAIR`] failures, then 15 s, 30 s, 60 s … after the latest failure,
/// at most [`MAX_DELAY`]; and the whole window once the address alone failed too often.
fn wait_for(counts: FailureCounts, now: OffsetDateTime) -> Option<i64> {
    if counts.address >= MAX_FAILURES_PER_ADDRESS {
        return Some(THROTTLE_WINDOW.whole_seconds());
    }
    let over = counts.pair - FREE_FAILURES_PER_PAIR;
    if over < 0 {
        return None;
    }
    let delay = (BASE_DELAY * (1i32 << over.min(10))).min(MAX_DELAY);
    let until = counts.pair_last? + delay;
    (now < until).then(|| (until - now).whole_seconds().max(1))
}

/// Checks a password and opens a new session (always a new id: no fixation).
///
/// A wrong password costs the same whether or not the login exists (or is disabled): an
/// unknown login is checked against a dummy hash of the same cost. Failures are counted per
/// (login, client address) with a growing delay, and per address: never per login alone, so
/// failures from another address cannot lock an officer out.
pub async fn login(
    db: &Db,
    login: &str,
    password: &str,
    address: &str,
) -> Result<LoginOutcome, LoginFailure> {
    let login = login.trim().to_lowercase();
    let now = OffsetDateTime::now_utc();
    let since = now - THROTTLE_WINDOW;
    if let Some(wait) = wait_for(
        store::count_login_failures(db, &login, address, since).await?,
        now,
    ) {
        return Err(LoginFailure::Throttled(wait));
    }
    let dummy = dummy_hash();
    let found = store::user_with_hash(db, &login).await?;
    let verified = match &found {
        Some((_, hash)) => verify_password(password, hash),
        None => {
            verify_password(password, dummy);
            false
        }
    };
    let user = match found {
        Some((user, _)) if verified && !user.disabled => user,
        _ => {
            // The next try from here waits (checked above); this one is just wrong.
            store::insert_login_failure(db, &login, address).await?;
            return Err(LoginFailure::Rejected);
        }
    };
    store::clear_login_failures(db, &login, address, since).await?;
    let session_token = random_token("")?;
    let csrf_token = random_token("")?;
    let session = SessionRow {
        token_hash: sha256_hex(&session_token),
        user_id: user.id,
        csrf_token: csrf_token.clone(),
        created_at: now,
        last_seen_at: now,
        expires_at: now + SESSION_ABSOLUTE,
    };
    let mut tx = db.begin().await?;
    store::insert_session(&mut tx, &session).await?;
    let actor = actor_of_user(db, user.id)
        .await?
        .unwrap_or_else(|| Actor::system("?"));
    crate::audit::record(
        &mut tx,
        &actor,
        crate::audit::Change {
            action: "session.login",
            target_type: "user",
            target_id: user.login.clone(),
            unit_id: actor.grants.first().map(|g| g.unit_id),
            summary: String::new(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(LoginOutcome {
        session_token,
        csrf_token,
        user_id: user.id,
    })
}

/// Ends the actor's session.
pub async fn logout(db: &Db, actor: &Actor) -> AppResult<()> {
    if let Some(hash) = &actor.session {
        store::delete_session(db, hash).await?;
    }
    Ok(())
}

/// The actor of a user account, or `None` if it is disabled or gone.
pub(crate) async fn actor_of_user(db: &Db, user_id: Uuid) -> AppResult<Option<Actor>> {
    let Some(user) = store::get_user(db, user_id).await? else {
        return Ok(None);
    };
    if user.disabled {
        return Ok(None);
    }
    let grants = store::grants_of(db, user_id)
        .await?
        .into_iter()
        .filter_map(|g| {
            Role::parse(&g.role).ok().map(|role| Grant {
                role,
                unit_id: g.unit_id,
                unit_name: g.unit_name,
            })
        })
        .collect();
    let label = format!("{} ({})", user.login, user.display_name);
    Ok(Some(Actor::new(Some(user.id), label, grants, user.pii)))
}

/// The actor behind a session cookie, if the session is live (not idle too long, not past
/// its absolute end, its user not disabled). Ends dead sessions it finds.
pub async fn actor_for_session(db: &Db, cookie: &str) -> AppResult<Option<Actor>> {
    let hash = sha256_hex(cookie);
    let Some(session) = store::get_session(db, &hash).await? else {
        return Ok(None);
    };
    let now = OffsetDateTime::now_utc();
    if now > session.expires_at || now - session.last_seen_at > SESSION_IDLE {
        store::delete_session(db, &hash).await?;
        return Ok(None);
    }
    let Some(mut actor) = actor_of_user(db, session.user_id).await? else {
        store::delete_session(db, &hash).await?;
        return Ok(None);
    };
    if now - session.last_seen_at > TOUCH_EVERY {
        store::touch_session(db, &hash, now).await?;
    }
    actor.csrf = Some(session.csrf_token);
    actor.session = Some(hash);
    Ok(Some(actor))
}

/// The actor behind an API token, if it is a live `api` token: known, not revoked, not
/// expired, its creator still enabled and still holding what minted it (all read afresh here;
/// the web keeps the result in [`super::ApiTokens`] against the credential generation). A
/// device token (`lsd_…`) is no API credential: it only sends telemetry, so anywhere else it
/// answers as no credential at all (401).
pub async fn actor_for_token(db: &Db, presented: &str) -> AppResult<Option<Actor>> {
    Ok(token_actor(db, presented).await?.0)
}

/// The actor of an API token, if it works, and when the token ends (for the cache:
/// [`super::ApiTokens`]).
pub(crate) async fn token_actor(
    db: &Db,
    presented: &str,
) -> AppResult<(Option<Actor>, Option<OffsetDateTime>)> {
    let Some((token, unit_name)) = store::token_and_unit_name(db, &sha256_hex(presented)).await?
    else {
        return Ok((None, None));
    };
    if token.kind != "api" || !super::tokens::still_valid(db, &token).await? {
        return Ok((None, None));
    }
    let Ok(role) = Role::parse(&token.role) else {
        return Ok((None, None));
    };
    let now = OffsetDateTime::now_utc();
    if token.last_used_at.is_none_or(|at| now - at > TOUCH_EVERY) {
        store::touch_token(db, token.id, now).await?;
    }
    let grants = vec![Grant {
        role,
        unit_id: token.unit_id,
        unit_name,
    }];
    let mut actor = Actor::new(
        token.created_by,
        format!("token: {}", token.name),
        grants,
        false,
    );
    actor.token_id = Some(token.id);
    Ok((Some(actor), token.expires_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pair: i64, ago: i64, address: i64) -> FailureCounts {
        FailureCounts {
            pair,
            pair_last: Some(OffsetDateTime::now_utc() - Duration::seconds(ago)),
            address,
        }
    }

    #[test]
    fn the_delay_grows_per_pair_and_the_address_alone_is_capped() {
        let now = OffsetDateTime::now_utc();
        assert_eq!(wait_for(counts(4, 0, 4), now), None, "free failures");
        let wait = |pair, ago| wait_for(counts(pair, ago, pair), now);
        assert!(wait(5, 0).is_some_and(|s| (14..=15).contains(&s)));
        assert!(wait(6, 0).is_some_and(|s| (29..=30).contains(&s)));
        assert!(wait(7, 10).is_some_and(|s| (49..=50).contains(&s)));
        assert_eq!(wait(5, 16), None, "the wait is over");
        assert_eq!(wait(40, 0), Some(MAX_DELAY.whole_seconds()));
        assert_eq!(
            wait_for(counts(0, 0, MAX_FAILURES_PER_ADDRESS), now),
            Some(THROTTLE_WINDOW.whole_seconds())
        );
    }
}
