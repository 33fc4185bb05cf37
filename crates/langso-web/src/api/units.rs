//! `/api/v1/units`: the administrative tree, as of any date.

use axum::extract::State;
use langso_app::units as actions;
use langso_app::units::LineageRecord;
use langso_domain::units::{Unit, parse_date};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::api::extract::{Json, Path, Query};
use crate::error::{ApiError, Problem};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_units))
        .routes(routes!(unit_tree))
        .routes(routes!(unit_by_code))
        .routes(routes!(get_unit))
        .routes(routes!(unit_children))
        .routes(routes!(unit_lineage))
}

/// An administrative unit.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UnitDto {
    /// Id (UUIDv7).
    pub id: Uuid,
    /// GSO code (2 digits province, 3 district, 5 commune) or a local code below the commune.
    pub code: String,
    /// Official name.
    pub name: String,
    /// province, district, commune, ward, town, special_zone, village, street_group,
    /// residential_cluster or hamlet.
    pub kind: String,
    /// First day in force.
    pub valid_from: Date,
    /// Last day in force; absent while in force.
    pub valid_to: Option<Date>,
    /// Latitude (WGS84).
    pub latitude: Option<f64>,
    /// Longitude (WGS84).
    pub longitude: Option<f64>,
    /// Note.
    pub note: Option<String>,
}

impl From<Unit> for UnitDto {
    fn from(unit: Unit) -> Self {
        UnitDto {
            id: unit.id,
            code: unit.code,
            name: unit.name,
            kind: unit.kind.as_str().to_owned(),
            valid_from: unit.validity.from,
            valid_to: unit.validity.to,
            latitude: unit.latitude,
            longitude: unit.longitude,
            note: unit.note,
        }
    }
}

/// A unit with the units above it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UnitWithPath {
    /// The unit.
    pub unit: UnitDto,
    /// Its ancestors, root first (for telling same-named units apart).
    pub path: Vec<UnitDto>,
}

/// A list of units.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UnitList {
    /// The units, best match first for a search.
    pub items: Vec<UnitWithPath>,
}

/// A unit and its children, recursively.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UnitBranch {
    /// The unit.
    pub unit: UnitDto,
    /// Its children on the asked date.
    #[schema(no_recursion)]
    pub children: Vec<UnitBranch>,
}

/// One lineage record.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LineageDto {
    /// The old unit's id.
    pub old_id: Uuid,
    /// The old unit's code.
    pub old_code: String,
    /// The old unit's name.
    pub old_name: String,
    /// The new unit's id.
    pub new_id: Uuid,
    /// The new unit's code.
    pub new_code: String,
    /// The new unit's name.
    pub new_name: String,
    /// whole or part.
    pub share: String,
    /// Legal basis.
    pub basis: String,
    /// First day of the new arrangement.
    pub effective: Date,
    /// False when not backed by a verified source.
    pub verified: bool,
}

impl From<LineageRecord> for LineageDto {
    fn from(record: LineageRecord) -> Self {
        LineageDto {
            old_id: record.old.id,
            old_code: record.old.code,
            old_name: record.old.name,
            new_id: record.new.id,
            new_code: record.new.code,
            new_name: record.new.name,
            share: record.share.as_str().to_owned(),
            basis: record.basis,
            effective: record.effective,
            verified: record.verified,
        }
    }
}

/// Search or list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Name or code; accents, case and đ/Đ are ignored, exact diacritics rank first.
    q: Option<String>,
    /// Only units in force on this date (YYYY-MM-DD). Without `q`: the roots on this date
    /// (default today).
    date: Option<String>,
    /// At most this many results (1–100, default 20).
    limit: Option<usize>,
}

/// A date, optional.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DateQuery {
    /// The date to read the tree on (YYYY-MM-DD); default today.
    date: Option<String>,
}

/// Tree options.
#[derive(Debug, Deserialize, IntoParams)]
pub struct TreeQuery {
    /// The date to read the tree on (YYYY-MM-DD); default today.
    date: Option<String>,
    /// The unit to start from; default every province.
    root: Option<Uuid>,
    /// Levels below the root (0–6, default 3).
    depth: Option<u8>,
}

fn parse_date_field(text: Option<&str>) -> Result<Option<Date>, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => parse_date(text)
            .map(Some)
            .map_err(|error| ApiError::keyed("date", error)),
    }
}

fn parse_id(text: &str) -> Result<Uuid, ApiError> {
    // A malformed id is a record that does not exist: 404, like any other unknown id.
    Uuid::parse_str(text).map_err(|_| ApiError(langso_app::AppError::NotFound))
}

async fn with_paths(
    state: &AppState,
    units: Vec<Unit>,
    date: Date,
) -> Result<Vec<UnitWithPath>, ApiError> {
    let mut items = Vec::with_capacity(units.len());
    for unit in units {
        let details = actions::details(&state.db, unit.id, Some(date)).await?;
        items.push(UnitWithPath {
            path: details.ancestors.into_iter().map(UnitDto::from).collect(),
            unit: unit.into(),
        });
    }
    Ok(items)
}

/// Search units by name or code, or list the roots of the tree.
#[utoipa::path(get, path = "/units", tag = "units", security(()), params(ListQuery),
    responses((status = 200, body = UnitList), (status = 422, body = Problem)))]
async fn list_units(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Json<UnitList>, ApiError> {
    let date = parse_date_field(query.date.as_deref())?;
    let limit = query.limit.unwrap_or(20).clamp(1, 100);
    let items = match query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => actions::search(&state.db, q, date, limit)
            .await?
            .into_iter()
            .map(|hit| UnitWithPath {
                unit: hit.unit.into(),
                path: hit.ancestors.into_iter().map(UnitDto::from).collect(),
            })
            .collect(),
        None => {
            let date = date.unwrap_or_else(langso_app::today);
            let roots = actions::tree(&state.db, None, date, 0).await?;
            with_paths(&state, roots.into_iter().map(|b| b.unit).collect(), date).await?
        }
    };
    Ok(Json(UnitList { items }))
}

fn branch_dto(branch: actions::Branch) -> UnitBranch {
    UnitBranch {
        unit: branch.unit.into(),
        children: branch.children.into_iter().map(branch_dto).collect(),
    }
}

/// The tree as of a date.
#[utoipa::path(get, path = "/units/tree", tag = "units", security(()), params(TreeQuery),
    responses((status = 200, body = Vec<UnitBranch>), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn unit_tree(
    State(state): State<AppState>,
    Query(query): Query<TreeQuery>,
) -> Result<Json<Vec<UnitBranch>>, ApiError> {
    let date = parse_date_field(query.date.as_deref())?.unwrap_or_else(langso_app::today);
    let depth = query.depth.unwrap_or(3).min(6);
    let branches = actions::tree(&state.db, query.root, date, depth).await?;
    Ok(Json(branches.into_iter().map(branch_dto).collect()))
}

/// The unit that holds a code on a date (codes are reused: 09784 is Thị trấn Phùng until
/// 2025-06-30 and Xã Đan Phượng after).
#[utoipa::path(get, path = "/units/by-code/{code}", tag = "units", security(()), params(("code" = String, Path, description = "GSO or local code"), DateQuery),
    responses((status = 200, body = UnitWithPath), (status = 404, body = Problem)))]
async fn unit_by_code(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<DateQuery>,
) -> Result<Json<UnitWithPath>, ApiError> {
    let date = parse_date_field(query.date.as_deref())?.unwrap_or_else(langso_app::today);
    let unit = actions::by_code(&state.db, &code, date).await?;
    let mut items = with_paths(&state, vec![unit], date).await?;
    items
        .pop()
        .map(Json)
        .ok_or(ApiError(langso_app::AppError::NotFound))
}

/// One unit, with the units above it on a date (default: today, or its last day).
#[utoipa::path(get, path = "/units/{id}", tag = "units", security(()), params(("id" = Uuid, Path), DateQuery),
    responses((status = 200, body = UnitWithPath), (status = 404, body = Problem)))]
async fn get_unit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<DateQuery>,
) -> Result<Json<UnitWithPath>, ApiError> {
    let date = parse_date_field(query.date.as_deref())?;
    let details = actions::details(&state.db, parse_id(&id)?, date).await?;
    Ok(Json(UnitWithPath {
        unit: details.unit.into(),
        path: details.ancestors.into_iter().map(UnitDto::from).collect(),
    }))
}

/// The units directly under a unit on a date.
#[utoipa::path(get, path = "/units/{id}/children", tag = "units", security(()), params(("id" = Uuid, Path), DateQuery),
    responses((status = 200, body = Vec<UnitDto>), (status = 404, body = Problem)))]
async fn unit_children(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<DateQuery>,
) -> Result<Json<Vec<UnitDto>>, ApiError> {
    let date = parse_date_field(query.date.as_deref())?.unwrap_or_else(langso_app::today);
    let children = actions::children(&state.db, parse_id(&id)?, date).await?;
    Ok(Json(children.into_iter().map(UnitDto::from).collect()))
}

/// Where a unit came from and where it went.
#[utoipa::path(get, path = "/units/{id}/lineage", tag = "units", security(()), params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<LineageDto>), (status = 404, body = Problem)))]
async fn unit_lineage(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<LineageDto>>, ApiError> {
    let records = actions::lineage(&state.db, parse_id(&id)?).await?;
    Ok(Json(records.into_iter().map(LineageDto::from).collect()))
}
