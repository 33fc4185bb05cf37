//! Accounts, sessions, API tokens and the access policy.
//!
//! Every action takes an [`Actor`]: who is asking, with which roles on which units. The policy
//! functions in [`policy`] turn "may this actor do this to that unit?" into `Ok`, `Forbidden`
//! (inside the actor's scope but not allowed) or `NotFound` (outside the scope: ids must not
//! leak).

mod actor;
mod api_tokens;
mod login;
pub mod policy;
mod secrets;
mod tokens;
mod users;

pub use actor::{Actor, Grant};
pub use api_tokens::{ApiTokens, Check};
pub use login::{
    LoginFailure, LoginOutcome, SESSION_ABSOLUTE, SESSION_IDLE, actor_for_session, actor_for_token,
    login, logout,
};
pub use secrets::{hash_password, random_token, sha256_hex};

/// How many accounts exist (a first start with none says how to make the first admin).
pub async fn count_users(db: &crate::Db) -> crate::AppResult<i64> {
    Ok(langso_store::auth::count_users(db).await?)
}
pub use langso_store::auth::{GrantRow, TokenRow, UserRow};
pub(crate) use tokens::api_token_alive;
pub use tokens::{
    NewToken, create_token, device_token_alive, list_tokens, revoke_token,
    still_valid as token_still_valid,
};
pub(crate) use users::may_manage as users_may_manage;
pub use users::{
    NewAccount, UserView, change_own_password, create_user, disable_user, get_user, grant_role,
    list_users, reset_password, reset_password_or_temporary, revoke_role, set_pii, staff_of,
    user_id_by_login,
};
