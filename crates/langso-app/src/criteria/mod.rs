//! Smart-village criteria: sets imported per province and period (versioned data, never code),
//! evaluation of every village live from its counters, evidence for manual criteria, and
//! recognition (the commune proposes, the province decides, revocation possible).
//!
//! Sets and recognition decisions belong to the province: they need `ManageProgramme` held on
//! a province unit ([`require_province`]); proposals and evidence need it on the village.

mod evaluate;
mod evidence;
mod recognition;
mod sets;

pub(crate) use evaluate::evaluate_tree;
pub use evaluate::{VillageEvaluation, evaluate_under, evaluate_village, is_eligible};
pub use evidence::{MAX_EVIDENCE, approve_evidence, evidence_file, evidence_of, upload_evidence};
pub use langso_store::criteria::{EvidenceRow, RecognitionRow};
pub use recognition::{RecognitionDecision, approve, history, import_recognition, propose, revoke};
pub use sets::{
    CriteriaSet, check_set, export_set, import_json, import_set, list_sets, province_of,
    set_in_force,
};

use langso_domain::auth::Permission;
use langso_domain::units::UnitKind;
use uuid::Uuid;

use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, Db, today};

/// Allows the action when the actor holds `permission` on the province containing `unit` (or
/// on `unit` itself when it is a province). Inside the actor's scope but held lower down (a
/// commune officer) answers `Forbidden`; outside it `NotFound`.
pub async fn require_province(
    db: &Db,
    actor: &Actor,
    permission: Permission,
    unit: Uuid,
) -> AppResult<()> {
    if actor.is_system() {
        return Ok(());
    }
    for root in actor.roots(permission) {
        let is_province = langso_store::units::get(db, root)
            .await?
            .is_some_and(|u| u.kind == UnitKind::Province);
        if is_province
            && (root == unit || langso_store::units::is_within(db, unit, root, today()).await?)
        {
            return Ok(());
        }
    }
    match policy::require(db, actor, Permission::ReadDashboard, unit).await {
        Ok(()) | Err(AppError::Forbidden) => Err(AppError::Forbidden),
        Err(other) => Err(other),
    }
}
