//! A subtree's outline: each unit's id, name, kind, parent and depth on a day, without the rest
//! of its row. The dashboard of a province attributes ~1,000 villages to their communes and
//! needs nothing more; decoding whole rows (dates, coordinates, notes) was a good part of it.

use time::Date;
use uuid::Uuid;

use super::covers;
use crate::{Exec, StoreResult, on_exec};

/// One unit of an outline.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutlineNode {
    /// The unit.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its kind's code (`village`, `street_group`, …).
    pub kind: String,
    /// Its parent on the day.
    pub parent_id: Option<Uuid>,
    /// 0 for the root.
    pub depth: i64,
}

/// The units at or under `root` on `date`, down to `max_depth`, by depth then code.
pub async fn outline(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
    max_depth: i64,
) -> StoreResult<Vec<OutlineNode>> {
    let sql = concat!(
        "SELECT u.id, u.name, u.kind, p.parent_id, CAST(c.depth AS BIGINT) AS depth ",
        "FROM unit_closure c JOIN units u ON u.id = c.descendant_id ",
        "LEFT JOIN unit_parents p ON p.unit_id = u.id AND ",
        covers!("p", "$2"),
        " WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND ",
        covers!("u", "$2"),
        " AND c.depth <= $3 ORDER BY c.depth, u.code"
    );
    Ok(on_exec!(ex.into(), e =>
        sqlx::query_as(sql).bind(root).bind(date).bind(max_depth).fetch_all(e).await)?)
}

/// Thôn and tổ dân phố at or under `root` on `date`, counted (the nation's dashboard counts
/// each province's without reading them).
pub async fn villages_under(ex: impl Into<Exec<'_>>, root: Uuid, date: Date) -> StoreResult<i64> {
    let sql = concat!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM unit_closure c ",
        "JOIN units u ON u.id = c.descendant_id WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND ",
        covers!("u", "$2"),
        " AND u.kind IN ('village', 'street_group')"
    );
    let (n,): (i64,) =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).fetch_one(e).await)?;
    Ok(n)
}
