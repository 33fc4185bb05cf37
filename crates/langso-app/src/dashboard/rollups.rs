//! When the dashboard reads pre-rolled-up counters (`langso_store::households` roll-ups)
//! instead of summing every village's counters: whenever they follow the tree of the day asked
//! for. For today, stale roll-ups (the tree changed, or a validity started or ended since they
//! were summed) are rebuilt first, once; for another day outside the period they hold for, the
//! dashboard sums over that day's tree, which is always exact.

use langso_store::households::{rebuild_rollups, rollups_ready_for};
use time::Date;

use crate::{AppResult, Db, today};

/// Whether roll-ups may be read for `date` (after rebuilding them when `date` is today).
pub(crate) async fn ready(db: &Db, date: Date) -> AppResult<bool> {
    if rollups_ready_for(db, date).await? {
        return Ok(true);
    }
    if date != today() {
        return Ok(false);
    }
    let mut tx = db.begin().await?;
    // Another request may have rebuilt them while this one waited for its write turn.
    if !rollups_ready_for(&mut tx, date).await? {
        rebuild_rollups(&mut tx, date).await?;
    }
    tx.commit().await?;
    Ok(true)
}
