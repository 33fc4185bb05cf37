//! What the map and the public wifi list show: each asset with one status word derived from
//! the register and the device's latest state.

use std::collections::HashMap;

use langso_store::assets::{self as store, AssetFilter, AssetRow, StateRow};
use uuid::Uuid;

use super::READ;
use crate::auth::{Actor, policy};
use crate::{AppResult, Db, today};

/// The status word of an asset: `broken` (register), `offline` (silent), `down` (reported not
/// working), `fault`, `ok`, or `unknown` (never reported, or does not report).
pub fn status_of(asset: &AssetRow, state: Option<&StateRow>) -> &'static str {
    if asset.status == "broken" {
        return "broken";
    }
    match state {
        Some(s) if s.silent => "offline",
        Some(s) if !s.online => "down",
        Some(s) if s.fault.is_some() => "fault",
        Some(_) => "ok",
        None => "unknown",
    }
}

/// Assets under a unit with their status word, filtered by kind and by status word.
pub async fn assets_with_status(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    kind: Option<&str>,
    status: Option<&str>,
) -> AppResult<Vec<(AssetRow, &'static str)>> {
    policy::require(db, actor, READ, unit).await?;
    with_status(db, unit, kind, status).await
}

async fn with_status(
    db: &Db,
    unit: Uuid,
    kind: Option<&str>,
    status: Option<&str>,
) -> AppResult<Vec<(AssetRow, &'static str)>> {
    let filter = AssetFilter {
        kind: kind.map(str::to_owned),
        ..Default::default()
    };
    let assets = store::assets_under(db, unit, today(), &filter, 20_000).await?;
    let states: HashMap<Uuid, StateRow> = store::states_under(db, unit, today())
        .await?
        .into_iter()
        .map(|s| (s.asset_id, s))
        .collect();
    Ok(assets
        .into_iter()
        .filter(|a| a.status != "retired")
        .map(|a| {
            let word = status_of(&a, states.get(&a.id));
            (a, word)
        })
        .filter(|(_, word)| status.is_none_or(|s| s == *word))
        .collect())
}

/// Every wifi point in service, for residents (no login): name, place and status.
pub async fn public_wifi(db: &Db) -> AppResult<Vec<(AssetRow, &'static str)>> {
    let mut all = Vec::new();
    for root in langso_store::units::roots(db, today()).await? {
        all.extend(with_status(db, root.id, Some("wifi"), None).await?);
    }
    Ok(all)
}
