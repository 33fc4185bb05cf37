//! Which unit a report lands on, so that some officer always sees it (issue 16): the unit of
//! the asset it names or is nearest; else the village nearest the position given; else the
//! place the resident picked on the form; else the unit of the QR poster the resident came
//! from; else the site's default unit; else the top of the tree (the province), whose admin
//! sees everything under it. The work order is that row, so it has the same unit.

use langso_domain::assets::distance_m;
use uuid::Uuid;

use crate::{AppResult, Db, today};

/// What the site adds to a report's own fields to route it.
#[derive(Clone, Debug, Default)]
pub struct Routing {
    /// The token of the QR placement the resident came from (`/bao-hong?diem=…`).
    pub placement: Option<String>,
    /// The code of the unit that takes reports nothing else places (a setting of the site).
    pub default_unit: Option<String>,
}

/// Where a report came from, as far as routing is concerned.
pub(super) struct Clues {
    /// The unit of the asset named or found nearest.
    pub asset_unit: Option<Uuid>,
    /// The position given.
    pub position: Option<(f64, f64)>,
    /// The unit the resident picked.
    pub picked: Option<Uuid>,
}

/// The unit of a report: the first of the clues that names one, in the order above. `None`
/// only when the database holds no unit in force at all.
pub(super) async fn unit_for(db: &Db, clues: &Clues, routing: &Routing) -> AppResult<Option<Uuid>> {
    if let Some(unit) = clues.asset_unit {
        return Ok(Some(unit));
    }
    if let Some((lat, lon)) = clues.position
        && let Some(unit) = nearest_village(db, lat, lon).await?
    {
        return Ok(Some(unit));
    }
    if let Some(unit) = clues.picked {
        return Ok(Some(unit));
    }
    if let Some(token) = routing.placement.as_deref().map(str::trim)
        && langso_domain::procedures::is_token(token)
        && let Some(unit) = langso_store::faults::followers::placement_unit(db, token).await?
    {
        return Ok(Some(unit));
    }
    if let Some(code) = routing.default_unit.as_deref().map(str::trim)
        && !code.is_empty()
        && let Some(unit) = langso_store::units::by_code(db, code, today()).await?
    {
        return Ok(Some(unit.id));
    }
    Ok(langso_store::units::roots(db, today())
        .await?
        .first()
        .map(|u| u.id))
}

/// The village-level unit whose position is nearest a point, searched within about 5 km.
pub(super) async fn nearest_village(db: &Db, lat: f64, lon: f64) -> AppResult<Option<Uuid>> {
    let dlat = 0.05;
    let dlon = 0.05 / lat.to_radians().cos().max(0.1);
    let candidates = langso_store::faults::villages_near(
        db,
        today(),
        (lat - dlat, lat + dlat),
        (lon - dlon, lon + dlon),
    )
    .await?;
    Ok(candidates
        .into_iter()
        .map(|(id, vlat, vlon)| (distance_m((lat, lon), (vlat, vlon)), id))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id))
}

/// The places a resident may pick on the form: communes, and villages (with their commune
/// beside them), every name told apart.
#[derive(Clone, Debug, Default)]
pub struct Places {
    /// Communes, wards and towns.
    pub communes: Vec<crate::units::PickerOption>,
    /// Villages and the like.
    pub villages: Vec<crate::units::PickerOption>,
}

/// [`Places`] in force today, under every province.
pub async fn places(db: &Db) -> AppResult<Places> {
    use langso_domain::units::Level;
    let date = today();
    let options = crate::units::picker_options(
        db,
        &crate::Actor::system("public"),
        langso_domain::auth::Permission::ReadDashboard,
        date,
    )
    .await?;
    let mut levels = std::collections::HashMap::new();
    for root in langso_store::units::roots(db, date).await? {
        for node in langso_store::units::subtree(db, root.id, date, 6).await? {
            levels.insert(node.unit.id, node.unit.kind.level());
        }
    }
    let of = |level: Level| -> Vec<crate::units::PickerOption> {
        options
            .iter()
            .filter(|o| levels.get(&o.label.id) == Some(&level))
            .cloned()
            .collect()
    };
    Ok(Places {
        communes: of(Level::Commune),
        villages: of(Level::Village),
    })
}
