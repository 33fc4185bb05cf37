//! Lamp replacements (an old bulb or grid light replaced by a solar light, recorded with its
//! cost and funding) and the replacement plan of a unit.

use langso_domain::assets::{AssetKind, AssetStatus, LampType};
use langso_store::assets::{self as store, AssetFilter, AssetRow, ReplacementRow};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::register::count;
use super::{MANAGE, READ};
use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db, today};

/// A lamp replacement as recorded.
#[derive(Clone, Debug)]
pub struct NewReplacement {
    /// When.
    pub replaced_on: Date,
    /// The new lamp (`LampType`).
    pub new_type: String,
    /// Note.
    pub note: String,
}

/// Records that a light's lamp was replaced: the ledger row, the light's new lamp type, and
/// the light back in service.
pub async fn record_replacement(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    input: &NewReplacement,
) -> AppResult<ReplacementRow> {
    let old = store::asset(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, MANAGE, old.unit_id).await?;
    let kind = AssetKind::parse(&old.kind).map_err(|e| AppError::refusal(e.message()))?;
    if !kind.is_light() {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "new_type",
            "assets-lamp-only-lights",
            &[],
        )]));
    }
    let new = LampType::parse(&input.new_type).map_err(|e| {
        AppError::Invalid(vec![CellError::from_message(0, "new_type", e.message())])
    })?;
    if input.replaced_on > today() {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "replaced_on",
            "assets-date-in-future",
            &[],
        )]));
    }
    let replacement = ReplacementRow {
        id: Uuid::now_v7(),
        asset_id: id,
        replaced_on: input.replaced_on,
        old_type: old.lamp_type.clone(),
        new_type: new.as_str().to_owned(),
        note: input.note.trim().to_owned(),
        created_at: OffsetDateTime::now_utc(),
    };
    let mut updated = old.clone();
    updated.lamp_type = Some(new.as_str().to_owned());
    if updated.status == AssetStatus::Broken.as_str() {
        updated.status = AssetStatus::Active.as_str().to_owned();
    }
    updated.updated_at = replacement.created_at;
    let mut tx = db.begin().await?;
    store::insert_replacement(&mut tx, &replacement).await?;
    store::update_asset(&mut tx, &updated).await?;
    count(&mut tx, &old, -1).await?;
    count(&mut tx, &updated, 1).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "assets.replace_lamp",
            target_type: "asset",
            target_id: old.code.clone(),
            unit_id: Some(old.unit_id),
            summary: format!(
                "{} → {}",
                old.lamp_type.as_deref().unwrap_or("?"),
                new.as_str()
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(replacement)
}

/// The replacement plan of a unit: broken lights still on old bulbs, and the replacements
/// made per day over the last `days` days (for the figure).
#[derive(Clone, Debug)]
pub struct ReplacementPlan {
    /// Lights to replace.
    pub to_replace: Vec<AssetRow>,
    /// Days, oldest first.
    pub days: Vec<Date>,
    /// Cumulative replacements over `days`.
    pub done: Vec<i64>,
}

/// The plan under `unit`.
pub async fn replacement_plan(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    days: i64,
) -> AppResult<ReplacementPlan> {
    policy::require(db, actor, READ, unit).await?;
    let filter = AssetFilter {
        status: Some(AssetStatus::Broken.as_str().to_owned()),
        lamp_type: Some(LampType::OldBulb.as_str().to_owned()),
        ..Default::default()
    };
    let to_replace = store::assets_under(db, unit, today(), &filter, 10_000).await?;
    let days = days.clamp(7, 3660);
    let since = today() - time::Duration::days(days - 1);
    let per_day = store::replacements_by_day(db, unit, today(), since).await?;
    let mut list = Vec::new();
    let mut done = Vec::new();
    let mut total = 0;
    let mut day = since;
    let mut it = per_day.into_iter().peekable();
    while day <= today() {
        while let Some((d, n)) = it.peek() {
            if *d <= day {
                total += n;
                it.next();
            } else {
                break;
            }
        }
        list.push(day);
        done.push(total);
        day = day.next_day().unwrap_or(day);
        if list.len() as i64 > days {
            break;
        }
    }
    Ok(ReplacementPlan {
        to_replace,
        days: list,
        done,
    })
}
