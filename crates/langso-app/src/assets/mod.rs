//! Assets: the register of cameras, lights, wifi points, loudspeakers and billboards; device
//! telemetry with group commit; the offline detector and alarms; the MQTT subscriber.
//!
//! Permissions: managing the register needs `ManagePlacements` (the commune officer's job of
//! putting things up in villages, held by officers and administrators); reading it needs
//! `ReadDashboard`; acknowledging and resolving alarms needs `WritePeople` (the programme's
//! records, which village heads and team members keep).

mod alarm_list;
mod alarms;
mod devices;
mod import;
mod import_values;
mod ingest;
mod map;
pub mod mqtt;
mod register;
mod replacements;
mod template;
mod uploads;

use langso_domain::auth::Permission;

pub use alarm_list::*;
pub use alarms::*;
pub use devices::*;
pub use import::*;
pub use ingest::*;
pub use langso_store::assets::{
    AlarmRow, AssetFilter, AssetRow, ChangeRow, ReplacementRow, StateRow,
};
pub use map::*;
pub use register::*;
pub use replacements::*;
pub use template::{EXAMPLE_ASSET_CODE, asset_import_template};
pub use uploads::*;

/// Managing the register.
pub const MANAGE: Permission = Permission::ManagePlacements;
/// Reading the register, states and alarms.
pub const READ: Permission = Permission::ReadDashboard;
/// Acknowledging and resolving alarms.
pub const HANDLE: Permission = Permission::WritePeople;

/// Total heartbeats stored (for tests and the crash test).
pub async fn total_heartbeats(db: &crate::Db) -> crate::AppResult<i64> {
    Ok(langso_store::assets::total_heartbeats(db).await?)
}

/// The kind of the asset with this code, if any (the public form preselects it).
pub async fn kind_of_code(db: &crate::Db, code: &str) -> crate::AppResult<Option<String>> {
    let code = code.trim().to_uppercase();
    if code.is_empty() {
        return Ok(None);
    }
    Ok(langso_store::assets::asset_by_code(db, &code)
        .await?
        .map(|a| a.kind))
}

/// The id of the asset with this code, if any (pages address assets by code too).
pub async fn id_of_code(db: &crate::Db, code: &str) -> crate::AppResult<Option<uuid::Uuid>> {
    let Ok(code) = langso_domain::assets::validate_code(code) else {
        return Ok(None);
    };
    Ok(langso_store::assets::asset_by_code(db, &code)
        .await?
        .map(|a| a.id))
}
