//! What it takes to tell units with the same name apart: each unit's name and code, its parent
//! on a day and the parents it had before (after the 2025 merger, Xã Ô Diên holds four "Thôn
//! Hòa Bình", one from each former commune). One query for a whole subtree or a set of units.

use time::Date;
use uuid::Uuid;

use super::covers;
use crate::{Exec, StoreResult, on_exec};

/// One unit with one of its earlier parents (a unit that never moved comes once, without).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LabelRow {
    /// The unit.
    pub id: Uuid,
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its parent on the day.
    pub parent_id: Option<Uuid>,
    /// A parent it had before that one (a parent link that ended before the day's began).
    pub former_name: Option<String>,
    /// The last day under that former parent.
    pub former_to: Option<Date>,
}

/// The columns and joins shared by both reads: `u` is the unit, `$day` the day's parameter.
macro_rules! label_from {
    ($day:literal) => {
        concat!(
            "SELECT u.id, u.code, u.name, p.parent_id, f.name AS former_name, ",
            "pp.valid_to AS former_to FROM units u ",
            "LEFT JOIN unit_parents p ON p.unit_id = u.id AND ",
            covers!("p", $day),
            " LEFT JOIN unit_parents pp ON pp.unit_id = u.id AND pp.valid_to IS NOT NULL ",
            "AND pp.valid_to < p.valid_from AND pp.parent_id <> p.parent_id ",
            "LEFT JOIN units f ON f.id = pp.parent_id "
        )
    };
}

/// The units under `root` (not `root` itself) on `date`, down to `max_depth` levels.
pub async fn label_rows_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
    max_depth: i64,
) -> StoreResult<Vec<LabelRow>> {
    let sql = concat!(
        label_from!("$2"),
        "JOIN unit_closure c ON c.descendant_id = u.id WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND ",
        covers!("u", "$2"),
        " AND c.depth > 0 AND c.depth <= $3"
    );
    Ok(on_exec!(ex.into(), e =>
        sqlx::query_as(sql).bind(root).bind(date).bind(max_depth).fetch_all(e).await)?)
}

/// The units `ids` (whatever their period), with their parents on `date`.
pub async fn label_rows_of(
    ex: impl Into<Exec<'_>>,
    ids: &[Uuid],
    date: Date,
) -> StoreResult<Vec<LabelRow>> {
    let mut ex = ex.into();
    let mut rows = Vec::new();
    for chunk in ids.chunks(200) {
        let marks: Vec<String> = (2..chunk.len() + 2).map(|i| format!("${i}")).collect();
        let sql = format!("{} WHERE u.id IN ({})", label_from!("$1"), marks.join(","));
        let found: Vec<LabelRow> = on_exec!(ex.reborrow(), e => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(date);
            for id in chunk {
                q = q.bind(*id);
            }
            q.fetch_all(e).await
        })?;
        rows.extend(found);
    }
    Ok(rows)
}
