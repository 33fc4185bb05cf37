//! The asset register: record, change, import (all or nothing), list (lamp replacements and the
//! replacement plan are in `replacements.rs`). Every write keeps the `asset:<kind>` counter of the asset's unit in the
//! same transaction (retired assets are not counted).

use langso_domain::assets::{AssetKind, AssetStatus, Funding, LampType, PlaceType, validate_code};
use langso_domain::procedures::check_coordinates;
use langso_store::assets::{self as store, AssetFilter, AssetRow, ReplacementRow};
use langso_store::households::add_counter;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{MANAGE, READ};
use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db, Message, today};

/// An asset as an officer (or an import row) describes it.
#[derive(Clone, Debug, Default)]
pub struct AssetInput {
    /// Code; generated from the unit and kind when empty on creation.
    pub code: String,
    /// The unit (usually a village), by id.
    pub unit_id: Option<Uuid>,
    /// Or by its code in force today (imports).
    pub unit_code: Option<String>,
    /// `AssetKind`.
    pub kind: String,
    /// Name or description.
    pub name: String,
    /// `PlaceType`.
    pub place_type: String,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// Installed on.
    pub installed_on: Option<Date>,
    /// `Funding`.
    pub funding: String,
    /// Contributors of a community-funded asset.
    pub contributors: Vec<(String, i64)>,
    /// Keeper.
    pub keeper: String,
    /// `AssetStatus` (default active).
    pub status: String,
    /// `LampType` of a light.
    pub lamp_type: Option<String>,
    /// Reporting interval in seconds; the kind's default when `None`.
    pub heartbeat_seconds: Option<i64>,
    /// Notes.
    pub notes: String,
}

/// An asset with what is attached to it.
#[derive(Clone, Debug)]
pub struct AssetView {
    /// The register row.
    pub asset: AssetRow,
    /// Contributors.
    pub contributors: Vec<(String, i64)>,
    /// Lamp replacements, oldest first.
    pub replacements: Vec<ReplacementRow>,
    /// Latest device state.
    pub state: Option<store::StateRow>,
    /// Latest status changes.
    pub changes: Vec<store::ChangeRow>,
    /// Alarms.
    pub alarms: Vec<store::AlarmRow>,
}

/// Checks one input row; `row` numbers problems for imports (0 for a form). Returns the row
/// to store (unit resolved, code normalised; id and times to be set by the caller).
async fn check(
    ex: &mut langso_store::Tx,
    input: &AssetInput,
    row: usize,
    problems: &mut Vec<CellError>,
) -> AppResult<Option<AssetRow>> {
    let before = problems.len();
    let mut bad = |column: &str, message: Message| {
        problems.push(CellError::from_message(row, column, message));
    };
    let kind = AssetKind::parse(&input.kind)
        .map_err(|e| bad("kind", e.message()))
        .ok();
    let place = PlaceType::parse(&input.place_type)
        .map_err(|e| bad("place_type", e.message()))
        .ok();
    let funding = Funding::parse(&input.funding)
        .map_err(|e| bad("funding", e.message()))
        .ok();
    let status = if input.status.trim().is_empty() {
        Some(AssetStatus::Active)
    } else {
        AssetStatus::parse(&input.status)
            .map_err(|e| bad("status", e.message()))
            .ok()
    };
    let lamp = match input
        .lamp_type
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(text) => LampType::parse(text)
            .map_err(|e| bad("lamp_type", e.message()))
            .ok(),
        None => None,
    };
    if let (Some(kind), Some(_)) = (kind, lamp)
        && !kind.is_light()
    {
        bad(
            "lamp_type",
            Message::new("assets-lamp-type-only-lights", &[]),
        );
    }
    if let Err(e) = check_coordinates(input.latitude, input.longitude) {
        bad("latitude", e.message());
    }
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        bad("name", Message::new("assets-name-length", &[]));
    }
    if input.keeper.chars().count() > 200 {
        bad("keeper", Message::new("assets-keeper-length", &[]));
    }
    if input
        .heartbeat_seconds
        .is_some_and(|s| !(0..=86_400).contains(&s))
    {
        bad(
            "heartbeat_seconds",
            Message::new("assets-heartbeat-range", &[]),
        );
    }
    for (name, amount) in &input.contributors {
        if name.trim().is_empty() || *amount < 0 {
            bad(
                "contributors",
                Message::new("assets-contributor-invalid", &[]),
            );
        }
    }
    if !input.contributors.is_empty() && funding.is_some_and(|f| f == Funding::StateBudget) {
        bad(
            "contributors",
            Message::new("assets-state-funded-contributors", &[]),
        );
    }
    let unit = match (input.unit_id, input.unit_code.as_deref()) {
        (Some(id), _) => langso_store::units::get(&mut *ex, id).await?,
        (None, Some(code)) => langso_store::units::by_code(&mut *ex, code.trim(), today()).await?,
        (None, None) => None,
    };
    let unit = match unit {
        Some(unit) if unit.validity.contains(today()) => Some(unit),
        Some(_) => {
            problems.push(CellError::keyed(row, "unit", "assets-unit-closed", &[]));
            None
        }
        None => {
            problems.push(CellError::keyed(row, "unit", "assets-unit-not-found", &[]));
            None
        }
    };
    let code = if input.code.trim().is_empty() {
        None
    } else {
        match validate_code(&input.code) {
            Ok(code) => Some(code),
            Err(e) => {
                problems.push(CellError::from_message(row, "code", e.message()));
                None
            }
        }
    };
    if problems.len() > before {
        return Ok(None);
    }
    let (Some(kind), Some(place), Some(funding), Some(status), Some(unit)) =
        (kind, place, funding, status, unit)
    else {
        return Ok(None);
    };
    let now = OffsetDateTime::now_utc();
    Ok(Some(AssetRow {
        id: Uuid::now_v7(),
        unit_id: unit.id,
        code: code.unwrap_or_default(),
        kind: kind.as_str().to_owned(),
        name,
        place_type: place.as_str().to_owned(),
        latitude: input.latitude,
        longitude: input.longitude,
        installed_on: input.installed_on,
        funding: funding.as_str().to_owned(),
        keeper: input.keeper.trim().to_owned(),
        status: status.as_str().to_owned(),
        lamp_type: lamp
            .or_else(|| (kind == AssetKind::SolarLight).then_some(LampType::Solar))
            .map(|l| l.as_str().to_owned()),
        heartbeat_seconds: input
            .heartbeat_seconds
            .unwrap_or_else(|| kind.default_heartbeat_seconds()),
        notes: input.notes.trim().to_owned(),
        created_at: now,
        updated_at: now,
    }))
}

/// The counter change an asset brings to its unit: +1 on `asset:<kind>` unless retired.
fn counted(asset: &AssetRow) -> Option<(Uuid, String)> {
    (asset.status != AssetStatus::Retired.as_str())
        .then(|| (asset.unit_id, format!("asset:{}", asset.kind)))
}

pub(super) async fn count(
    tx: &mut langso_store::Tx,
    asset: &AssetRow,
    delta: i64,
) -> AppResult<()> {
    if let Some((unit, key)) = counted(asset) {
        add_counter(tx, unit, &key, delta).await?;
    }
    Ok(())
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetImport {
    /// Rows read.
    pub rows: usize,
    /// Assets recorded (0 on a dry run).
    pub created: usize,
}

/// Records many assets at once, all or nothing: every bad cell is reported with its row (the
/// header is row 1), and nothing is written unless every row is good. Codes left empty are
/// generated (`<unit code>-<CAM|SOL|…>-<NNN>`).
pub async fn import_assets(
    db: &Db,
    actor: &Actor,
    inputs: &[AssetInput],
    dry_run: bool,
) -> AppResult<AssetImport> {
    let numbered: Vec<(usize, AssetInput)> = inputs
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, input)| (i + 2, input))
        .collect();
    import_numbered(db, actor, &numbered, dry_run).await
}

/// [`import_assets`] with each input's spreadsheet row number as read from the file (files
/// may have a title above the header, or blank rows between records).
pub async fn import_numbered(
    db: &Db,
    actor: &Actor,
    inputs: &[(usize, AssetInput)],
    dry_run: bool,
) -> AppResult<AssetImport> {
    let mut tx = db.begin().await?;
    let mut problems = Vec::new();
    let mut rows = Vec::with_capacity(inputs.len());
    let mut contributors = Vec::new();
    for (line, input) in inputs {
        if let Some(row) = check(&mut tx, input, *line, &mut problems).await? {
            contributors.push((row.id, input.contributors.clone()));
            rows.push((*line, row));
        }
    }
    for (_, row) in &rows {
        policy::require(db, actor, MANAGE, row.unit_id).await?;
    }
    // Generated codes: per unit and kind, numbered after what the unit already has.
    let mut next: std::collections::HashMap<(Uuid, String), usize> = Default::default();
    let mut seen = std::collections::HashSet::new();
    for (line, row) in &mut rows {
        if row.code.is_empty() {
            let kind = AssetKind::parse(&row.kind).map_err(|e| AppError::refusal(e.message()))?;
            let unit = langso_store::units::get(&mut tx, row.unit_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let n = next.entry((row.unit_id, row.kind.clone())).or_insert(0);
            loop {
                *n += 1;
                let code = format!("{}-{}-{:03}", unit.code, kind.code_part(), n);
                if !seen.contains(&code) && store::asset_by_code(&mut tx, &code).await?.is_none() {
                    row.code = code;
                    break;
                }
            }
        }
        if !seen.insert(row.code.clone()) {
            problems.push(CellError::keyed(
                *line,
                "code",
                "assets-code-repeated",
                &[("code", &row.code)],
            ));
        }
    }
    let codes: Vec<String> = rows.iter().map(|(_, r)| r.code.clone()).collect();
    let taken = store::codes_taken(&mut tx, &codes).await?;
    for (line, row) in &rows {
        if taken.contains(&row.code) {
            problems.push(CellError::keyed(
                *line,
                "code",
                "assets-code-taken",
                &[("code", &row.code)],
            ));
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.row);
        return Err(AppError::Invalid(problems));
    }
    let rows: Vec<AssetRow> = rows.into_iter().map(|(_, r)| r).collect();
    if dry_run {
        return Ok(AssetImport {
            rows: inputs.len(),
            created: 0,
        });
    }
    store::insert_assets(&mut tx, &rows).await?;
    let mut counters: std::collections::BTreeMap<(Uuid, String), i64> = Default::default();
    for row in &rows {
        if let Some(key) = counted(row) {
            *counters.entry(key).or_insert(0) += 1;
        }
    }
    for ((unit, key), delta) in counters {
        add_counter(&mut tx, unit, &key, delta).await?;
    }
    for (id, list) in contributors {
        if !list.is_empty() {
            store::set_contributors(&mut tx, id, &list).await?;
        }
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "assets.import",
            target_type: "asset",
            target_id: format!("{} assets", rows.len()),
            unit_id: rows.first().map(|r| r.unit_id),
            summary: codes_summary(&rows),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(AssetImport {
        rows: inputs.len(),
        created: rows.len(),
    })
}

fn codes_summary(rows: &[AssetRow]) -> String {
    let mut codes: Vec<&str> = rows.iter().take(5).map(|r| r.code.as_str()).collect();
    if rows.len() > 5 {
        codes.push("…");
    }
    codes.join(", ")
}

/// Records one asset.
pub async fn create_asset(db: &Db, actor: &Actor, input: &AssetInput) -> AppResult<AssetRow> {
    if let Some(unit) = input.unit_id {
        // Outside the actor's scope answers 404 before any validation message.
        if langso_store::units::get(db, unit).await?.is_some() {
            policy::require(db, actor, MANAGE, unit).await?;
        }
    }
    import_assets(db, actor, std::slice::from_ref(input), false).await?;
    let code = if input.code.trim().is_empty() {
        None
    } else {
        validate_code(&input.code).ok()
    };
    let found = match code {
        Some(code) => store::asset_by_code(db, &code).await?,
        None => None,
    };
    match found {
        Some(asset) => Ok(asset),
        None => latest_in(db, input).await,
    }
}

async fn latest_in(db: &Db, input: &AssetInput) -> AppResult<AssetRow> {
    let unit = input.unit_id.ok_or(AppError::NotFound)?;
    let filter = AssetFilter {
        kind: Some(input.kind.trim().to_owned()),
        ..Default::default()
    };
    store::assets_under(db, unit, today(), &filter, 100_000)
        .await?
        .into_iter()
        .max_by_key(|a| a.id)
        .ok_or(AppError::NotFound)
}

/// Changes an asset (the code stays); moves its count when its unit, kind or status changes.
pub async fn update_asset(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    input: &AssetInput,
) -> AppResult<AssetRow> {
    let old = store::asset(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, MANAGE, old.unit_id).await?;
    let mut tx = db.begin().await?;
    let mut problems = Vec::new();
    let mut input = input.clone();
    input.code = old.code.clone();
    let Some(mut row) = check(&mut tx, &input, 0, &mut problems).await? else {
        return Err(AppError::Invalid(problems));
    };
    policy::require(db, actor, MANAGE, row.unit_id).await?;
    row.id = old.id;
    row.code = old.code.clone();
    row.created_at = old.created_at;
    store::update_asset(&mut tx, &row).await?;
    count(&mut tx, &old, -1).await?;
    count(&mut tx, &row, 1).await?;
    store::set_contributors(&mut tx, id, &input.contributors).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "assets.update",
            target_type: "asset",
            target_id: row.code.clone(),
            unit_id: Some(row.unit_id),
            summary: format!("{} {} → {}", row.kind, old.status, row.status),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// One asset with its contributors, replacements, device state, changes and alarms.
pub async fn asset(db: &Db, actor: &Actor, id: Uuid) -> AppResult<AssetView> {
    let asset = store::asset(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, READ, asset.unit_id).await?;
    Ok(AssetView {
        contributors: store::contributors(db, id).await?,
        replacements: store::replacements(db, id).await?,
        state: store::state(db, id).await?,
        changes: store::changes_of(db, id, 20).await?,
        alarms: store::alarms_of(db, id).await?,
        asset,
    })
}

/// Assets under a unit, with filters (at most `limit`).
pub async fn assets_under(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    filter: &AssetFilter,
    limit: i64,
) -> AppResult<Vec<AssetRow>> {
    policy::require(db, actor, READ, unit).await?;
    Ok(store::assets_under(db, unit, today(), filter, limit.clamp(1, 10_000)).await?)
}

/// The QR sticker of an asset as SVG: it encodes `{public_url}/bao-hong?asset={code}`, the
/// public fault form with the asset filled in.
pub async fn sticker_svg(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    public_url: &str,
    size: u32,
) -> AppResult<String> {
    let asset = store::asset(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, READ, asset.unit_id).await?;
    if !langso_render::qr::SIZE_RANGE.contains(&size) {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "size",
            "assets-sticker-size",
            &[],
        )]));
    }
    let url = format!(
        "{}/bao-hong?asset={}",
        public_url.trim_end_matches('/'),
        asset.code
    );
    let matrix = langso_render::qr::QrMatrix::encode(&url, langso_render::qr::Correction::Medium)?;
    Ok(matrix.svg(size))
}
