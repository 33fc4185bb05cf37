//! The catalogue: seeding it from the reference CSV, publishing new versions, reading the
//! version in force and the history.

use std::collections::HashMap;

use langso_domain::procedures::{Channel, ProcedureCode, ProcedureContent, ProcedureVersion};
use langso_domain::text::fold;
use langso_store::procedures as store;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::field_error;
use crate::audit::{self, Change};
use crate::auth::Actor;
use crate::{AppError, AppResult, CellError, Db, today};
use langso_domain::auth::Permission;
use langso_domain::units::UnitKind;

/// The five procedures of the source programme: codes, names, fees and core documents
/// (`data/procedures.csv`, a copy of the shared reference data).
pub const CATALOGUE_CSV: &str = include_str!("../../data/procedures.csv");
/// Steps, processing times, channels, legal basis and linked VNeID services of the same five
/// (`data/procedure-guides.csv`; verify against the national portal before publishing).
pub const GUIDES_CSV: &str = include_str!("../../data/procedure-guides.csv");

/// A new version of a procedure's guide, as an officer submits it.
#[derive(Clone, Debug)]
pub struct NewVersion {
    /// The procedure's national code (a new code adds the procedure to the catalogue).
    pub code: String,
    /// First day in force (today or later; an earlier day would rewrite what residents saw).
    pub effective_from: Date,
    /// The guide.
    pub content: ProcedureContent,
    /// Why (shown in the history).
    pub note: Option<String>,
}

fn read_csv(text: &str, name: &str) -> AppResult<Vec<HashMap<String, String>>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            AppError::refused_key(
                "procedures-csv-unreadable",
                &[("file", &name), ("error", &e)],
            )
        })?
        .clone();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            AppError::Invalid(vec![CellError::keyed(
                i + 2,
                "",
                "procedures-csv-unreadable",
                &[("file", &name), ("error", &e)],
            )])
        })?;
        rows.push(
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_owned(), v.trim().to_owned()))
                .collect(),
        );
    }
    Ok(rows)
}

fn optional(text: Option<&String>) -> Option<String> {
    text.filter(|t| !t.is_empty()).cloned()
}

/// Joins the reference CSV (`code,name_vi,name_en,fee_vi,core_documents_vi,related_codes`) with
/// the guides CSV (steps separated by ` | `, channels by spaces). Fees are kept verbatim.
pub fn catalogue_from_csv(
    catalogue: &str,
    guides: &str,
) -> AppResult<Vec<(ProcedureCode, ProcedureContent)>> {
    let guides: HashMap<String, HashMap<String, String>> =
        read_csv(guides, "procedure-guides.csv")?
            .into_iter()
            .map(|row| (row.get("code").cloned().unwrap_or_default(), row))
            .collect();
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for (i, row) in read_csv(catalogue, "procedures.csv")?
        .into_iter()
        .enumerate()
    {
        let line = i + 2;
        let get = |k: &str| row.get(k).cloned().unwrap_or_default();
        let code = match ProcedureCode::parse(&get("code")) {
            Ok(code) => code,
            Err(e) => {
                problems.push(CellError::from_message(line, "code", e.message()));
                continue;
            }
        };
        let Some(guide) = guides.get(code.as_str()) else {
            problems.push(CellError::keyed(
                line,
                "code",
                "procedures-guide-missing",
                &[("code", &code)],
            ));
            continue;
        };
        let g = |k: &str| guide.get(k).cloned().unwrap_or_default();
        let steps = |k: &str| {
            g(k).split(" | ")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let channels: Result<Vec<Channel>, _> = g("channels")
            .split_whitespace()
            .map(Channel::parse)
            .collect();
        let channels = match channels {
            Ok(channels) => channels,
            Err(e) => {
                problems.push(CellError::from_message(line, "channels", e.message()));
                continue;
            }
        };
        let content = ProcedureContent {
            name_vi: get("name_vi"),
            name_en: get("name_en"),
            steps_vi: steps("steps_vi"),
            steps_en: steps("steps_en"),
            documents_vi: get("core_documents_vi")
                .split("; ")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            fee_vi: get("fee_vi"),
            exemptions_vi: None,
            processing_time_vi: g("processing_time_vi"),
            processing_time_en: g("processing_time_en"),
            channels,
            legal_basis: g("legal_basis"),
            vneid_service_vi: optional(guide.get("vneid_service_vi")),
            vneid_service_en: optional(guide.get("vneid_service_en")),
            related: optional(row.get("related_codes")),
        };
        for (field, error) in content.problems() {
            problems.push(CellError::from_message(line, field, error.message()));
        }
        out.push((code, content));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(AppError::Invalid(problems))
    }
}

/// Whether the actor may publish versions (`Forbidden` if not), for pages that offer it.
pub async fn may_publish(db: &Db, actor: &Actor) -> AppResult<()> {
    require_catalogue(db, actor).await
}

/// The catalogue is shared by every unit: changing it needs [`Permission::ManageCatalogue`] on
/// a province (or the operator at the command line).
async fn require_catalogue(db: &Db, actor: &Actor) -> AppResult<()> {
    if actor.is_system() {
        return Ok(());
    }
    for root in actor.roots(Permission::ManageCatalogue) {
        if let Some(unit) = langso_store::units::get(db, root).await?
            && unit.kind == UnitKind::Province
        {
            return Ok(());
        }
    }
    Err(AppError::Forbidden)
}

/// Adds the reference procedures that are not catalogued yet, each as version 1 in force from
/// `effective_from`. Returns how many were added (0 when all are there already).
pub async fn seed_catalogue(db: &Db, actor: &Actor, effective_from: Date) -> AppResult<usize> {
    require_catalogue(db, actor).await?;
    let entries = catalogue_from_csv(CATALOGUE_CSV, GUIDES_CSV)?;
    let mut tx = db.begin().await?;
    let mut added = 0;
    for (code, content) in entries {
        if store::procedure_id(&mut tx, &code).await?.is_some() {
            continue;
        }
        let procedure_id = Uuid::now_v7();
        store::insert_procedure(&mut tx, procedure_id, &code).await?;
        let version = ProcedureVersion {
            id: Uuid::now_v7(),
            procedure_id,
            code,
            version: 1,
            effective_from,
            content,
            note: Some("Danh mục tham chiếu / reference catalogue".to_owned()),
            created_at: OffsetDateTime::now_utc(),
        };
        store::insert_version(&mut tx, &version, &search_key(&version.content)).await?;
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "procedures.publish",
                target_type: "procedure",
                target_id: version.code.to_string(),
                unit_id: None,
                summary: format!("v1 từ / from {effective_from}: {}", version.content.name_vi),
            },
        )
        .await?;
        added += 1;
    }
    tx.commit().await?;
    Ok(added)
}

fn search_key(content: &ProcedureContent) -> String {
    format!("{} {}", fold(&content.name_vi), fold(&content.name_en))
}

/// Records a new version (the old ones stay). A code not yet catalogued is added. Refuses
/// invalid content and effective dates in the past, naming every field.
pub async fn publish_version(
    db: &Db,
    actor: &Actor,
    input: NewVersion,
) -> AppResult<ProcedureVersion> {
    require_catalogue(db, actor).await?;
    let code = ProcedureCode::parse(&input.code).map_err(|e| field_error("code", &e))?;
    let mut problems: Vec<CellError> = input
        .content
        .problems()
        .into_iter()
        .map(|(field, error)| CellError::from_message(0, field, error.message()))
        .collect();
    if input.effective_from < today() {
        problems.push(CellError::keyed(
            0,
            "effective_from",
            "procedures-effective-in-past",
            &[],
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let mut tx = db.begin().await?;
    let procedure_id = match store::procedure_id(&mut tx, &code).await? {
        Some(id) => id,
        None => {
            let id = Uuid::now_v7();
            store::insert_procedure(&mut tx, id, &code).await?;
            id
        }
    };
    let version = ProcedureVersion {
        id: Uuid::now_v7(),
        procedure_id,
        version: store::next_version(&mut tx, procedure_id).await?,
        code,
        effective_from: input.effective_from,
        content: input.content,
        note: input.note.filter(|n| !n.trim().is_empty()),
        created_at: OffsetDateTime::now_utc(),
    };
    store::insert_version(&mut tx, &version, &search_key(&version.content)).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "procedures.publish",
            target_type: "procedure",
            target_id: version.code.to_string(),
            unit_id: None,
            summary: format!(
                "v{} từ / from {}: {}",
                version.version,
                version.effective_from,
                version.note.as_deref().unwrap_or("")
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// The guide in force today for a code (what residents see).
pub async fn guide(db: &Db, code: &str) -> AppResult<ProcedureVersion> {
    let code = ProcedureCode::parse(code).map_err(|_| AppError::NotFound)?;
    store::in_force_by_code(db, &code, today())
        .await?
        .ok_or(AppError::NotFound)
}

/// Every guide in force today, by code.
pub async fn guides(db: &Db) -> AppResult<Vec<ProcedureVersion>> {
    Ok(store::in_force(db, today()).await?)
}

/// Every version of a procedure, newest first (officers' history: any signed-in role).
pub async fn history(db: &Db, actor: &Actor, code: &str) -> AppResult<Vec<ProcedureVersion>> {
    if !actor.may(Permission::ReadDashboard) {
        return Err(AppError::Forbidden);
    }
    let code = ProcedureCode::parse(code).map_err(|_| AppError::NotFound)?;
    let versions = store::versions(db, &code).await?;
    if versions.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(versions)
}
