//! Managing accounts: create, list, grant and revoke roles, disable, passwords, PII right.
//! Every change is audited in its own transaction and ends sessions where it must.

use langso_domain::auth::{Permission, Role, validate_login, validate_password};
use langso_store::auth::{self as store, GrantRow, NewUser, UserRow};
use uuid::Uuid;

use super::Actor;
use super::policy;
use super::secrets::hash_password;
use crate::audit::{self, Change};
use crate::{AppError, AppResult, CellError, Db};

/// An account as shown to those who manage it.
#[derive(Clone, Debug)]
pub struct UserView {
    /// The account.
    pub user: UserRow,
    /// Its roles.
    pub grants: Vec<GrantRow>,
}

/// A new account with its first role.
#[derive(Clone, Debug)]
pub struct NewAccount {
    /// Login name.
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// Initial password.
    pub password: String,
    /// First role.
    pub role: Role,
    /// On this unit.
    pub unit_id: Uuid,
    /// PII right.
    pub pii: bool,
}

/// Refuses unless the actor may manage accounts on `unit` and grant `role` there, with one
/// role held on that unit (or above it): never more than the actor holds on that unit.
async fn may_grant(db: &Db, actor: &Actor, role: Role, unit: Uuid) -> AppResult<()> {
    policy::require(db, actor, Permission::ManageAccounts, unit).await?;
    if policy::may_grant_on(db, actor, role, unit).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Refuses unless the actor may manage this account: it could have granted every role the
/// account holds, where it holds it (an officer cannot manage an administrator, nor someone
/// with a role outside the officer's units).
pub(crate) async fn may_manage(db: &Db, actor: &Actor, user: Uuid) -> AppResult<UserView> {
    let found = store::get_user(db, user).await?.ok_or(AppError::NotFound)?;
    let grants = store::grants_of(db, user).await?;
    if actor.is_system() || (actor.is_admin() && grants.is_empty()) {
        return Ok(UserView {
            user: found,
            grants,
        });
    }
    if grants.is_empty() {
        return Err(AppError::NotFound);
    }
    for grant in &grants {
        let role = Role::parse(&grant.role).map_err(|e| AppError::refusal(e.message()))?;
        may_grant(db, actor, role, grant.unit_id).await?;
    }
    Ok(UserView {
        user: found,
        grants,
    })
}

/// Creates an account with one role; the login must be free.
pub async fn create_user(db: &Db, actor: &Actor, input: &NewAccount) -> AppResult<UserView> {
    let mut errors = Vec::new();
    let login = validate_login(&input.login)
        .map_err(|e| errors.push(CellError::from_message(0, "login", e.message())))
        .ok();
    if let Err(e) = validate_password(&input.password) {
        errors.push(CellError::from_message(0, "password", e.message()));
    }
    let name = input.display_name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        errors.push(CellError::keyed(0, "display_name", "auth-name-length", &[]));
    }
    may_grant(db, actor, input.role, input.unit_id).await?;
    if input.pii && !actor.pii {
        return Err(AppError::Forbidden);
    }
    if let Some(login) = &login
        && store::user_with_hash(db, login).await?.is_some()
    {
        errors.push(CellError::keyed(0, "login", "auth-login-taken", &[]));
    }
    let (Some(login), true) = (login, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let user = NewUser {
        id: Uuid::now_v7(),
        login: login.clone(),
        display_name: name.to_owned(),
        password_hash: hash_password(&input.password)?,
        pii: input.pii,
    };
    let mut tx = db.begin().await?;
    store::insert_user(&mut tx, &user).await?;
    store::insert_grant(&mut tx, user.id, input.role.as_str(), input.unit_id).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "user.create",
            target_type: "user",
            target_id: login,
            unit_id: Some(input.unit_id),
            summary: format!("role={} pii={}", input.role.as_str(), input.pii),
        },
    )
    .await?;
    tx.commit().await?;
    get_user(db, actor, user.id).await
}

/// Accounts the actor may manage, by login.
pub async fn list_users(db: &Db, actor: &Actor) -> AppResult<Vec<UserView>> {
    policy::scope(actor, Permission::ManageAccounts)?;
    let grants = store::all_grants(db).await?;
    let mut views = Vec::new();
    for user in store::list_users(db).await? {
        if may_manage(db, actor, user.id).await.is_ok() {
            let grants = grants
                .iter()
                .filter(|g| g.user_id == user.id)
                .cloned()
                .collect();
            views.push(UserView { user, grants });
        }
    }
    Ok(views)
}

/// One account the actor may manage.
pub async fn get_user(db: &Db, actor: &Actor, user: Uuid) -> AppResult<UserView> {
    if actor.user_id == Some(user) {
        let found = store::get_user(db, user).await?.ok_or(AppError::NotFound)?;
        return Ok(UserView {
            user: found,
            grants: store::grants_of(db, user).await?,
        });
    }
    may_manage(db, actor, user).await
}

/// Disables an account and ends all its sessions at once.
pub async fn disable_user(db: &Db, actor: &Actor, user: Uuid) -> AppResult<()> {
    let view = may_manage(db, actor, user).await?;
    if actor.user_id == Some(user) {
        return Err(AppError::refused_key("auth-cannot-disable-self", &[]));
    }
    let mut tx = db.begin().await?;
    store::set_disabled(&mut tx, user, true).await?;
    let ended = store::delete_user_sessions(&mut tx, user).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "user.disable",
            target_type: "user",
            target_id: view.user.login.clone(),
            unit_id: view.grants.first().map(|g| g.unit_id),
            summary: format!("disabled: false → true; sessions ended: {ended}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Grants a role on a unit.
pub async fn grant_role(
    db: &Db,
    actor: &Actor,
    user: Uuid,
    role: Role,
    unit: Uuid,
) -> AppResult<()> {
    let view = may_manage(db, actor, user).await?;
    may_grant(db, actor, role, unit).await?;
    let mut tx = db.begin().await?;
    let added = store::insert_grant(&mut tx, user, role.as_str(), unit).await?;
    if added {
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "user.grant",
                target_type: "user",
                target_id: view.user.login.clone(),
                unit_id: Some(unit),
                summary: format!("+{}", role.as_str()),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Revokes a role on a unit.
pub async fn revoke_role(
    db: &Db,
    actor: &Actor,
    user: Uuid,
    role: Role,
    unit: Uuid,
) -> AppResult<()> {
    let view = may_manage(db, actor, user).await?;
    may_grant(db, actor, role, unit).await?;
    let mut tx = db.begin().await?;
    if !store::delete_grant(&mut tx, user, role.as_str(), unit).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "user.revoke",
            target_type: "user",
            target_id: view.user.login.clone(),
            unit_id: Some(unit),
            summary: format!("-{}", role.as_str()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Grants or withdraws the right to see personal numbers unmasked (only someone holding it).
pub async fn set_pii(db: &Db, actor: &Actor, user: Uuid, pii: bool) -> AppResult<()> {
    let view = may_manage(db, actor, user).await?;
    if !actor.pii {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    store::set_pii(&mut tx, user, pii).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "user.pii",
            target_type: "user",
            target_id: view.user.login.clone(),
            unit_id: view.grants.first().map(|g| g.unit_id),
            summary: format!("pii: {} → {pii}", view.user.pii),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn store_password(
    db: &Db,
    actor: &Actor,
    view: &UserView,
    password: &str,
    action: &str,
) -> AppResult<()> {
    validate_password(password).map_err(|e| {
        AppError::Invalid(vec![CellError::from_message(0, "password", e.message())])
    })?;
    let hash = hash_password(password)?;
    let mut tx = db.begin().await?;
    store::set_password(&mut tx, view.user.id, &hash).await?;
    let ended = store::delete_user_sessions(&mut tx, view.user.id).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action,
            target_type: "user",
            target_id: view.user.login.clone(),
            unit_id: view.grants.first().map(|g| g.unit_id),
            summary: format!("sessions ended: {ended}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password for someone else's account; every session of that account ends.
pub async fn reset_password(db: &Db, actor: &Actor, user: Uuid, password: &str) -> AppResult<()> {
    let view = may_manage(db, actor, user).await?;
    store_password(db, actor, &view, password, "user.reset_password").await
}

/// Sets a new password for someone else's account: the one typed, or when `typed` is blank a
/// temporary one made here and returned, to be shown once and never stored in clear.
pub async fn reset_password_or_temporary(
    db: &Db,
    actor: &Actor,
    user: Uuid,
    typed: &str,
) -> AppResult<Option<String>> {
    let view = may_manage(db, actor, user).await?;
    if actor.user_id == Some(user) {
        return Err(AppError::refused_key("auth-reset-own-password", &[]));
    }
    let (password, made) = if typed.trim().is_empty() {
        let made = super::secrets::temporary_password()?;
        (made.clone(), Some(made))
    } else {
        (typed.to_owned(), None)
    };
    store_password(db, actor, &view, &password, "user.reset_password").await?;
    Ok(made)
}

/// The staff of `unit`: enabled accounts holding a role on it or above it, whom work there
/// may be assigned to. Needs `permission` on the unit.
pub async fn staff_of(
    db: &Db,
    actor: &Actor,
    permission: Permission,
    unit: Uuid,
) -> AppResult<Vec<UserRow>> {
    policy::require(db, actor, permission, unit).await?;
    Ok(store::staff_of(db, unit, crate::today()).await?)
}

/// Changes one's own password after checking the current one; every session ends (the caller
/// logs in again).
pub async fn change_own_password(
    db: &Db,
    actor: &Actor,
    current: &str,
    new: &str,
) -> AppResult<()> {
    let user = actor.user_id.ok_or(AppError::Forbidden)?;
    let found = store::get_user(db, user).await?.ok_or(AppError::NotFound)?;
    let (_, hash) = store::user_with_hash(db, &found.login)
        .await?
        .ok_or(AppError::NotFound)?;
    if !super::secrets::verify_password(current, &hash) {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "current",
            "auth-current-password-wrong",
            &[],
        )]));
    }
    let view = UserView {
        user: found,
        grants: store::grants_of(db, user).await?,
    };
    store_password(db, actor, &view, new, "user.change_password").await
}

/// Used by the CLI: the actor of an existing account by login (for `user grant` etc.).
pub async fn user_id_by_login(db: &Db, login: &str) -> AppResult<Uuid> {
    let login = login.trim().to_lowercase();
    let (user, _) = store::user_with_hash(db, &login)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(user.id)
}
