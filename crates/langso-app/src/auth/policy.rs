//! The access policy: scope and permission checks used by every action.
//!
//! Rule: a read of something outside every unit the actor holds a role on answers `NotFound`
//! (so ids do not leak); inside the scope but without the permission answers `Forbidden`.

use langso_domain::auth::{Permission, Role};
use langso_store::units as unit_store;
use uuid::Uuid;

use super::Actor;
use crate::{AppError, AppResult, Db, today};

/// Whether `unit` lies under any of `roots` today.
async fn within_any(db: &Db, unit: Uuid, roots: &[Uuid]) -> AppResult<bool> {
    let today = today();
    for root in roots {
        if *root == unit || unit_store::is_within(db, unit, *root, today).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Allows the action when the actor holds `permission` on `unit` (through any ancestor).
pub async fn require(db: &Db, actor: &Actor, permission: Permission, unit: Uuid) -> AppResult<()> {
    if actor.is_system() || within_any(db, unit, &actor.roots(permission)).await? {
        return Ok(());
    }
    let any_role: Vec<Uuid> = actor.grants.iter().map(|g| g.unit_id).collect();
    if within_any(db, unit, &any_role).await? {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::NotFound)
    }
}

/// Whether the actor may hand `role` on `unit` to someone (an account, a role, a token): it
/// must hold, on `unit` itself or an ancestor, one role that both manages accounts and may
/// grant `role`. Roles held elsewhere do not count: an officer of one commune who is admin of
/// a village in another cannot mint an admin token for the commune.
pub async fn may_grant_on(db: &Db, actor: &Actor, role: Role, unit: Uuid) -> AppResult<bool> {
    if actor.is_system() {
        return Ok(true);
    }
    let roots: Vec<Uuid> = actor
        .grants
        .iter()
        .filter(|g| g.role.allows(Permission::ManageAccounts) && g.role.may_grant(role))
        .map(|g| g.unit_id)
        .collect();
    within_any(db, unit, &roots).await
}

/// Whether the actor holds `permission` on `unit`, without failing.
pub async fn allows(db: &Db, actor: &Actor, permission: Permission, unit: Uuid) -> AppResult<bool> {
    Ok(actor.is_system() || within_any(db, unit, &actor.roots(permission)).await?)
}

/// Where a listing of things needing `permission` may look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere (the system actor).
    All,
    /// Under these units (possibly none).
    Under(Vec<Uuid>),
}

/// The scope of listings that need `permission`; an actor without it anywhere gets
/// `Forbidden` when it holds some other role, so that "not allowed" reads as such.
pub fn scope(actor: &Actor, permission: Permission) -> AppResult<Scope> {
    if actor.is_system() {
        return Ok(Scope::All);
    }
    let roots = actor.roots(permission);
    if roots.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Scope::Under(roots))
}
