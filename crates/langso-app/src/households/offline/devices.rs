//! The phones holding a copy of a member's round. A phone names itself with an id it made; it
//! is registered when it first takes a copy. The member sees their phones on the account page
//! and may forget one (a lost phone); an officer who manages the member's account may revoke
//! one. Either way the phone is told to delete its copy the next time it asks for one, and
//! what it sends meanwhile is held for the village head.

use langso_store::households::{self as store, DeviceRow};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::Actor;
use crate::{AppError, AppResult, Db};

/// A phone holding a copy.
pub type Device = DeviceRow;

/// The signed-in member's phones.
pub async fn my_devices(db: &Db, actor: &Actor) -> AppResult<Vec<Device>> {
    let user = actor.user_id.ok_or(AppError::Forbidden)?;
    Ok(store::devices_of(db, user).await?)
}

/// The phones of a member whose account the actor manages.
pub async fn user_devices(db: &Db, actor: &Actor, user: Uuid) -> AppResult<Vec<Device>> {
    crate::auth::users_may_manage(db, actor, user).await?;
    Ok(store::devices_of(db, user).await?)
}

/// The member forgets one of their own phones.
pub async fn forget_device(db: &Db, actor: &Actor, device: Uuid) -> AppResult<()> {
    let user = actor.user_id.ok_or(AppError::Forbidden)?;
    revoke(db, actor, user, device).await
}

/// An officer revokes a member's phone.
pub async fn revoke_device(db: &Db, actor: &Actor, user: Uuid, device: Uuid) -> AppResult<()> {
    crate::auth::users_may_manage(db, actor, user).await?;
    revoke(db, actor, user, device).await
}

async fn revoke(db: &Db, actor: &Actor, user: Uuid, device: Uuid) -> AppResult<()> {
    let by = actor.user_id.ok_or(AppError::Forbidden)?;
    let row = store::device(db, device, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    if store::revoke_device(&mut tx, device, user, by).await? {
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "user.device_revoked",
                target_type: "user",
                target_id: user.to_string(),
                unit_id: None,
                summary: row.label,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
