//! Public outreach events as a village feed sees them. The events belong to the teams module;
//! this read lives with the feed so the teams store stays as its owners left it.

use time::Date;
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, on_exec};

/// A public outreach event with the name of the unit that held it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PublicEventRow {
    /// Id.
    pub id: Uuid,
    /// The unit that held it (the village itself, its commune or its district).
    pub unit_id: Uuid,
    /// That unit's name.
    pub unit_name: String,
    /// `training`, `conference`, `billboard`, `loudspeaker`.
    pub kind: String,
    /// The day.
    pub held_on: Date,
    /// The topic.
    pub topic: String,
    /// People reached.
    pub attendance: i64,
}

/// Public outreach events held by `village` or any unit above it (tree as of `date`), newest
/// first, at most `limit`: an event held for the whole commune reaches each village's feed.
pub async fn public_events_for_village(
    ex: impl Into<Exec<'_>>,
    village: Uuid,
    date: Date,
    limit: i64,
) -> StoreResult<Vec<PublicEventRow>> {
    let sql = concat!(
        "SELECT o.id, o.unit_id, u.name AS unit_name, o.kind, o.held_on, o.topic, o.attendance \
         FROM outreach_events o JOIN unit_closure c ON c.ancestor_id = o.unit_id \
         JOIN units u ON u.id = o.unit_id \
         WHERE c.descendant_id = $1 AND ",
        covers!("c", "$2"),
        " AND o.public ORDER BY o.held_on DESC, o.id DESC LIMIT $3"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(village).bind(date).bind(limit)
        .fetch_all(e).await)?,
    )
}
