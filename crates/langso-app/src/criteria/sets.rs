//! Criteria sets: import (JSON file), export, listing, and the set in force for a village.

use langso_domain::auth::Permission;
use langso_domain::criteria::{CriteriaFile, Criterion, Rule};
use langso_domain::units::UnitKind;
use langso_store::criteria::{self as store, SetRow};
use langso_store::units as unit_store;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::require_province;
use crate::audit::{self, Change};
use crate::auth::Actor;
use crate::{AppError, AppResult, CellError, Db, today};

/// A stored set version with its criteria parsed.
#[derive(Clone, Debug)]
pub struct CriteriaSet {
    /// Id.
    pub id: Uuid,
    /// Its province.
    pub province_id: Uuid,
    /// The province's code.
    pub province_code: String,
    /// Name.
    pub name: String,
    /// Version (1, 2, … per name and province).
    pub version: i64,
    /// First day.
    pub valid_from: Date,
    /// Last day.
    pub valid_to: Option<Date>,
    /// The criteria.
    pub criteria: Vec<Criterion>,
}

pub(crate) async fn from_row(db: &Db, row: SetRow) -> AppResult<CriteriaSet> {
    let criteria: Vec<Criterion> = serde_json::from_str(&row.criteria)
        .map_err(|e| AppError::Internal(format!("criteria set {}: {e}", row.id)))?;
    let province_code = unit_store::get(db, row.province_id)
        .await?
        .map(|u| u.code)
        .unwrap_or_default();
    Ok(CriteriaSet {
        id: row.id,
        province_id: row.province_id,
        province_code,
        name: row.name,
        version: row.version,
        valid_from: row.valid_from,
        valid_to: row.valid_to,
        criteria,
    })
}

/// Parses a set file (JSON); a file that does not parse is refused naming the problem.
pub fn import_json(bytes: &[u8]) -> AppResult<CriteriaFile> {
    serde_json::from_slice(bytes).map_err(|e| {
        AppError::Invalid(vec![CellError::keyed(
            e.line(),
            "",
            "criteria-file-unreadable",
            &[("error", &e)],
        )])
    })
}

/// Imports a set as a new version for its province. Every problem is named; nothing is
/// written then.
pub async fn import_set(db: &Db, actor: &Actor, file: &CriteriaFile) -> AppResult<CriteriaSet> {
    let province = check_set(db, actor, file).await?;
    write_set(db, actor, file, province).await
}

/// Everything [`import_set`] checks (the province, the right on it, each criterion), without
/// writing: the command line's `--dry-run`. Returns the province.
pub async fn check_set(
    db: &Db,
    actor: &Actor,
    file: &CriteriaFile,
) -> AppResult<langso_domain::units::Unit> {
    let province = unit_store::by_code(db, file.province.trim(), file.valid_from.min(today()))
        .await?
        .filter(|u| u.kind == UnitKind::Province)
        .ok_or_else(|| {
            AppError::Invalid(vec![CellError::keyed(
                0,
                "province",
                "criteria-province-not-found",
                &[("code", &file.province)],
            )])
        })?;
    require_province(db, actor, Permission::ManageProgramme, province.id).await?;
    let mut problems: Vec<CellError> = file
        .problems()
        .into_iter()
        .map(|p| CellError::from_message(0, "criteria", p.message()))
        .collect();
    let indicators = crate::households::catalogue(db, today()).await?;
    for c in &file.criteria {
        if let Rule::IndicatorShare { indicator, .. } = &c.rule
            && !indicators.iter().any(|i| &i.code == indicator)
        {
            problems.push(CellError::keyed(
                0,
                "criteria",
                "criteria-criterion-indicator-unknown",
                &[("code", &c.code), ("indicator", indicator)],
            ));
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    Ok(province)
}

async fn write_set(
    db: &Db,
    actor: &Actor,
    file: &CriteriaFile,
    province: langso_domain::units::Unit,
) -> AppResult<CriteriaSet> {
    let mut tx = db.begin().await?;
    let name = file.name.trim().to_owned();
    let row = SetRow {
        id: Uuid::now_v7(),
        province_id: province.id,
        version: store::next_set_version(&mut tx, province.id, &name).await?,
        name,
        valid_from: file.valid_from,
        valid_to: file.valid_to,
        criteria: serde_json::to_string(&file.criteria)
            .map_err(|e| AppError::Internal(e.to_string()))?,
        created_at: OffsetDateTime::now_utc(),
    };
    store::insert_set(&mut tx, &row).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "criteria.import",
            target_type: "criteria_set",
            target_id: row.id.to_string(),
            unit_id: Some(province.id),
            summary: format!(
                "{} v{} ({} tiêu chí, từ {})",
                row.name,
                row.version,
                file.criteria.len(),
                row.valid_from
            ),
        },
    )
    .await?;
    tx.commit().await?;
    from_row(db, row).await
}

/// Every set version, newest first per name (sets are published rules, readable by anyone
/// signed in).
pub async fn list_sets(db: &Db) -> AppResult<Vec<CriteriaSet>> {
    let mut out = Vec::new();
    for row in store::list_sets(db).await? {
        out.push(from_row(db, row).await?);
    }
    Ok(out)
}

/// A set version as the file it would be imported from.
pub async fn export_set(db: &Db, id: Uuid) -> AppResult<CriteriaFile> {
    let row = store::get_set(db, id).await?.ok_or(AppError::NotFound)?;
    let set = from_row(db, row).await?;
    Ok(CriteriaFile {
        name: set.name,
        province: set.province_code,
        valid_from: set.valid_from,
        valid_to: set.valid_to,
        criteria: set.criteria,
    })
}

/// The province a unit lies in on `date` (the unit itself when it is one).
pub async fn province_of(db: &Db, unit: Uuid, date: Date) -> AppResult<Option<Uuid>> {
    if let Some(u) = unit_store::get(db, unit).await?
        && u.kind == UnitKind::Province
    {
        return Ok(Some(u.id));
    }
    Ok(unit_store::ancestors(db, unit, date)
        .await?
        .into_iter()
        .find(|u| u.kind == UnitKind::Province)
        .map(|u| u.id))
}

/// The set in force for a province on `date`.
pub(crate) async fn set_for(
    db: &Db,
    province: Option<Uuid>,
    date: Date,
) -> AppResult<Option<CriteriaSet>> {
    let Some(province) = province else {
        return Ok(None);
    };
    match store::set_in_force(db, province, date).await? {
        Some(row) => Ok(Some(from_row(db, row).await?)),
        None => Ok(None),
    }
}

/// The set in force on `date` for the province with GSO code `province` (the command line's
/// `criteria export --province`).
pub async fn set_in_force(db: &Db, province: &str, date: Date) -> AppResult<CriteriaSet> {
    let unit = unit_store::by_code(db, province.trim(), date)
        .await?
        .filter(|u| u.kind == UnitKind::Province)
        .ok_or(AppError::NotFound)?;
    set_for(db, Some(unit.id), date)
        .await?
        .ok_or(AppError::NotFound)
}
