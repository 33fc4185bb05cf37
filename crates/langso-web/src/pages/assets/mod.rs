//! The assets domain for officers: a unit's assets on a map coloured by status with a paged
//! list, one asset with everything attached to it, the open alarms with their buttons, and the
//! register import (upload, check, confirm).

mod alarms;
mod asset;
mod import;
mod list;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;

use crate::html::{Chrome, Routes};

/// The asset, alarm and register-import screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/assets", list::index)
        .get("/assets/map.svg", list::map)
        .get("/alarms", alarms::index)
        .post("/alarms/acknowledge", alarms::acknowledge_many)
        .post("/alarms/{id}/{action}", alarms::act)
        .route(
            "/assets/import",
            &["GET", "POST"],
            get(import::form)
                .post(import::upload)
                .layer(DefaultBodyLimit::max(
                    langso_app::assets::MAX_ASSET_UPLOAD + 64 * 1024,
                )),
        )
        .get("/assets/import/template", import::template)
        .post("/assets/import/{id}/confirm", import::confirm)
        .get("/assets/{id}", asset::show)
}

impl Chrome {
    /// The label of an asset kind.
    pub fn asset_kind(&self, kind: &str) -> &'static str {
        self.lang.t(&format!("asset-kind-{kind}"))
    }

    /// The label of a status word.
    pub fn asset_status(&self, status: &str) -> &'static str {
        self.lang.t(&format!("asset-status-{status}"))
    }

    /// The label of a register value: `group` is reg, place, funding or lamp.
    pub fn asset_label(&self, group: &str, value: &str) -> &'static str {
        self.lang.t(&format!("asset-{group}-{value}"))
    }

    /// The words for a status of the device ledger (`ok`, `down`, `silent`, `fault:<code>`);
    /// the device's own fault code is shown beside them as data ([`Chrome::ledger_code`]).
    pub fn ledger_status(&self, status: &str) -> &'static str {
        match status.split(':').next().unwrap_or_default() {
            "silent" => self.asset_status("offline"),
            word => self.asset_status(word),
        }
    }

    /// The device's fault code in a ledger status (`fault:E9` → `E9`).
    pub fn ledger_code<'a>(&self, status: &'a str) -> Option<&'a str> {
        status.split_once(':').map(|(_, code)| code)
    }

    /// The label of an alarm kind (`offline`, `fault`).
    pub fn alarm_kind(&self, kind: &str) -> &'static str {
        self.lang.t(&format!("alarms-kind-{kind}"))
    }
}
