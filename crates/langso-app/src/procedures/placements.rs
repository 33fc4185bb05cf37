//! QR placements: creating them (with a fresh short token), listing them under a unit, and
//! resolving a scanned token.

use langso_domain::procedures::{
    PlaceKind, Placement, ProcedureCode, check_coordinates, is_token, token_from_random,
};
use langso_store::procedures as store;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db, today};
use langso_domain::auth::Permission;

/// A placement as an officer describes it.
#[derive(Clone, Debug)]
pub struct NewPlacement {
    /// The unit (usually a village) where the poster hangs.
    pub unit_id: Uuid,
    /// What kind of place (`cultural_house`, `alley_entrance`, …).
    pub kind: String,
    /// The place's name, as residents know it.
    pub label: String,
    /// Latitude (WGS84), with `longitude` or not at all.
    pub latitude: Option<f64>,
    /// Longitude (WGS84).
    pub longitude: Option<f64>,
    /// Procedure codes, in poster order (at least one).
    pub procedures: Vec<String>,
}

/// What a scanned token leads to.
#[derive(Clone, Debug)]
pub struct ScanTarget {
    /// The placement scanned.
    pub placement_id: Uuid,
    /// Its procedures: one means "straight to the guide", several "to the list".
    pub procedures: Vec<ProcedureCode>,
    /// False when the poster was taken down: the scan still leads somewhere useful.
    pub active: bool,
    /// The token scanned.
    pub token: String,
    /// The place's name, for the list of its guides.
    pub label: String,
}

/// A fresh token from the random tail of a UUIDv7 (its last 40 bits are random).
fn new_token() -> String {
    let bytes = Uuid::now_v7().into_bytes();
    let mut tail = [0u8; 8];
    tail.copy_from_slice(&bytes[8..16]);
    token_from_random(u64::from_be_bytes(tail))
}

/// Records a placement with a new short token. Every bad field is named; nothing is written
/// then.
pub async fn create_placement(db: &Db, actor: &Actor, input: NewPlacement) -> AppResult<Placement> {
    if langso_store::units::get(db, input.unit_id).await?.is_none() && !actor.is_system() {
        return Err(AppError::NotFound);
    }
    policy::require(db, actor, Permission::ManagePlacements, input.unit_id).await?;
    let mut problems = Vec::new();
    let kind = PlaceKind::parse(&input.kind)
        .map_err(|e| problems.push(CellError::from_message(0, "kind", e.message())))
        .ok();
    let label = input.label.trim().to_owned();
    if label.is_empty() || label.chars().count() > 200 {
        problems.push(CellError::keyed(0, "label", "procedures-label-length", &[]));
    }
    if let Err(e) = check_coordinates(input.latitude, input.longitude) {
        problems.push(CellError::from_message(0, "latitude", e.message()));
    }
    let mut codes = Vec::new();
    for code in &input.procedures {
        match ProcedureCode::parse(code) {
            Ok(code) if !codes.contains(&code) => codes.push(code),
            Ok(_) => {}
            Err(e) => problems.push(CellError::from_message(0, "procedures", e.message())),
        }
    }
    if input.procedures.is_empty() {
        problems.push(CellError::keyed(
            0,
            "procedures",
            "procedures-placement-needs-procedure",
            &[],
        ));
    }
    let mut tx = db.begin().await?;
    let unit = langso_store::units::get(&mut tx, input.unit_id).await?;
    match &unit {
        Some(unit) if unit.validity.contains(today()) => {}
        Some(_) => problems.push(CellError::keyed(
            0,
            "unit_id",
            "procedures-unit-closed",
            &[],
        )),
        None => problems.push(CellError::keyed(
            0,
            "unit_id",
            "procedures-unit-not-found",
            &[],
        )),
    }
    let mut procedure_ids = Vec::new();
    for code in &codes {
        match store::procedure_id(&mut tx, code).await? {
            Some(id) => procedure_ids.push(id),
            None => problems.push(CellError::keyed(
                0,
                "procedures",
                "procedures-not-in-catalogue",
                &[("code", code)],
            )),
        }
    }
    let Some(kind) = kind.filter(|_| problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let mut token = new_token();
    while store::token_taken(&mut tx, &token).await? {
        token = new_token();
    }
    let placement = Placement {
        id: Uuid::now_v7(),
        token,
        unit_id: input.unit_id,
        kind,
        label,
        latitude: input.latitude,
        longitude: input.longitude,
        active: true,
        created_at: OffsetDateTime::now_utc(),
        procedures: codes,
    };
    store::insert_placement(&mut tx, &placement, &procedure_ids).await?;
    let codes: Vec<&str> = placement
        .procedures
        .iter()
        .map(ProcedureCode::as_str)
        .collect();
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "placements.create",
            target_type: "placement",
            target_id: placement.id.to_string(),
            unit_id: Some(placement.unit_id),
            summary: format!(
                "{} ({}): {}",
                placement.label,
                placement.kind.as_str(),
                codes.join(", ")
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(placement)
}

/// Takes a poster down or puts it back (its URL keeps answering: a taken-down poster's scan
/// shows the list of guides).
pub async fn set_active(db: &Db, actor: &Actor, id: Uuid, active: bool) -> AppResult<Placement> {
    let mut found = store::placement(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ManagePlacements, found.unit_id).await?;
    let mut tx = db.begin().await?;
    if !store::set_active(&mut tx, id, active).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: if active {
                "placements.activate"
            } else {
                "placements.deactivate"
            },
            target_type: "placement",
            target_id: id.to_string(),
            unit_id: Some(found.unit_id),
            summary: found.label.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    found.active = active;
    Ok(found)
}

/// One placement, for someone who may see its unit's figures.
pub async fn placement(db: &Db, actor: &Actor, id: Uuid) -> AppResult<Placement> {
    let found = store::placement(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadDashboard, found.unit_id).await?;
    Ok(found)
}

/// Every placement under a unit, as the tree stands today.
pub async fn placements_under(db: &Db, actor: &Actor, unit_id: Uuid) -> AppResult<Vec<Placement>> {
    policy::require(db, actor, Permission::ReadDashboard, unit_id).await?;
    Ok(store::placements_under(db, unit_id, today()).await?)
}

/// Resolves a scanned token (the public `/q/{token}`); a malformed token is not looked up.
pub async fn scan_target(db: &Db, token: &str) -> AppResult<ScanTarget> {
    if !is_token(token) {
        return Err(AppError::NotFound);
    }
    let placement = store::by_token(db, token)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ScanTarget {
        placement_id: placement.id,
        procedures: placement.procedures,
        active: placement.active,
        token: placement.token,
        label: placement.label,
    })
}
