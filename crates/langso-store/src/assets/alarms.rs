//! Alarms: raised by the offline detector or a fault code, cleared by the device, acknowledged
//! and resolved by people. At most one open alarm per asset and kind (a unique partial index).

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

macro_rules! alarm_cols {
    () => {
        "l.id, l.asset_id, l.unit_id, l.kind, l.code, l.raised_at, l.cleared_at, l.acknowledged_at, \
         l.acknowledged_by, l.resolved_at, l.resolved_by, l.note, l.open, a.code AS asset_code, \
         a.name AS asset_name, a.kind AS asset_kind"
    };
}

/// An alarm with its asset's code and name.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct AlarmRow {
    /// Id.
    pub id: Uuid,
    /// The asset.
    pub asset_id: Uuid,
    /// The asset's unit when raised.
    pub unit_id: Uuid,
    /// `offline` or `fault`.
    pub kind: String,
    /// The fault code (empty for offline).
    pub code: String,
    /// Raised.
    pub raised_at: OffsetDateTime,
    /// Cleared by the device reporting again or healthy.
    pub cleared_at: Option<OffsetDateTime>,
    /// Acknowledged.
    pub acknowledged_at: Option<OffsetDateTime>,
    /// By whom.
    pub acknowledged_by: Option<String>,
    /// Resolved.
    pub resolved_at: Option<OffsetDateTime>,
    /// By whom.
    pub resolved_by: Option<String>,
    /// What was done.
    pub note: String,
    /// Neither cleared nor resolved.
    pub open: bool,
    /// The asset's code.
    pub asset_code: String,
    /// The asset's name.
    pub asset_name: String,
    /// The asset's kind.
    pub asset_kind: String,
}

/// Raises an alarm.
pub async fn insert_alarm(
    tx: &mut Tx,
    id: Uuid,
    asset: Uuid,
    unit: Uuid,
    kind: &str,
    code: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let sql = "INSERT INTO alarms (id, asset_id, unit_id, kind, code, raised_at, note, open) \
               VALUES ($1, $2, $3, $4, $5, $6, '', $7)";
    on_tx!(tx, c => sqlx::query(sql).bind(id).bind(asset).bind(unit).bind(kind).bind(code)
        .bind(at).bind(true).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Clears the open alarm of `kind` on an asset; returns its unit when there was one.
pub async fn clear_open(
    tx: &mut Tx,
    asset: Uuid,
    kind: &str,
    at: OffsetDateTime,
) -> StoreResult<Option<Uuid>> {
    let sql = "UPDATE alarms SET open = $4, cleared_at = $3 WHERE asset_id = $1 AND kind = $2 \
               AND open = $5 RETURNING unit_id";
    let row: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(sql).bind(asset).bind(kind).bind(at)
        .bind(false).bind(true).fetch_optional(&mut *c).await)?;
    Ok(row.map(|(u,)| u))
}

/// One alarm.
pub async fn alarm(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<AlarmRow>> {
    let sql = concat!(
        "SELECT ",
        alarm_cols!(),
        " FROM alarms l JOIN assets a ON a.id = l.asset_id WHERE l.id = $1"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// Alarms raised under `root` on `date`, newest first; only open ones when `open_only`.
pub async fn alarms_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: time::Date,
    open_only: bool,
    limit: i64,
) -> StoreResult<Vec<AlarmRow>> {
    let sql = concat!(
        "SELECT ",
        alarm_cols!(),
        " FROM alarms l JOIN assets a ON a.id = l.asset_id",
        " JOIN unit_closure c ON c.descendant_id = l.unit_id AND c.ancestor_id = $1",
        " AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to >= $2)",
        " WHERE ($3 = $4 OR l.open = $3) ORDER BY l.raised_at DESC, l.id DESC LIMIT $5"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).bind(true)
        .bind(!open_only).bind(limit).fetch_all(e).await)?,
    )
}

/// An asset's alarms, newest first.
pub async fn alarms_of(ex: impl Into<Exec<'_>>, asset: Uuid) -> StoreResult<Vec<AlarmRow>> {
    let sql = concat!(
        "SELECT ",
        alarm_cols!(),
        " FROM alarms l JOIN assets a ON a.id = l.asset_id WHERE l.asset_id = $1 ",
        "ORDER BY l.raised_at DESC, l.id DESC LIMIT 50"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(asset).fetch_all(e).await)?)
}

/// Marks an alarm acknowledged (once).
pub async fn acknowledge(tx: &mut Tx, id: Uuid, at: OffsetDateTime, by: &str) -> StoreResult<bool> {
    let sql = "UPDATE alarms SET acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1 \
               AND acknowledged_at IS NULL";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(id).bind(at).bind(by).execute(&mut *c).await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Resolves an alarm; returns whether it was open until now (so the open count drops).
pub async fn resolve(
    tx: &mut Tx,
    id: Uuid,
    at: OffsetDateTime,
    by: &str,
    note: &str,
) -> StoreResult<Option<bool>> {
    let sql = "UPDATE alarms SET resolved_at = $2, resolved_by = $3, note = $4, open = $5 \
               WHERE id = $1 AND resolved_at IS NULL RETURNING cleared_at";
    let row: Option<(Option<OffsetDateTime>,)> = on_tx!(tx, c => sqlx::query_as(sql).bind(id)
        .bind(at).bind(by).bind(note).bind(false).fetch_optional(&mut *c).await)?;
    Ok(row.map(|(cleared,)| cleared.is_none()))
}

/// An open alarm with where its asset stands: the unit it was raised in (a village) and the
/// asset's kind of place.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct AlarmPlaceRow {
    /// The alarm with its asset's code and name.
    #[sqlx(flatten)]
    pub alarm: AlarmRow,
    /// The unit's name.
    pub unit_name: String,
    /// The asset's kind of place (`school`, `road`…).
    pub place_type: String,
}

/// Open alarms under `root` on `date`, `limit` from `offset`, by unit (name, then code so two
/// units of one name stay apart), then kind, newest first: the alarms page's groups.
pub async fn open_alarms_by_place(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: time::Date,
    offset: i64,
    limit: i64,
) -> StoreResult<Vec<AlarmPlaceRow>> {
    let sql = concat!(
        "SELECT ",
        alarm_cols!(),
        ", u.name AS unit_name, a.place_type FROM alarms l JOIN assets a ON a.id = l.asset_id",
        " JOIN units u ON u.id = l.unit_id",
        " JOIN unit_closure c ON c.descendant_id = l.unit_id AND c.ancestor_id = $1",
        " AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to >= $2)",
        " WHERE l.open = $3 ORDER BY u.name, u.code, l.kind, l.raised_at DESC, l.id DESC",
        " LIMIT $4 OFFSET $5"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).bind(true)
        .bind(limit).bind(offset).fetch_all(e).await)?,
    )
}

/// How many alarms are open under `root` on `date`.
pub async fn count_open_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: time::Date,
) -> StoreResult<i64> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM alarms l \
               JOIN unit_closure c ON c.descendant_id = l.unit_id AND c.ancestor_id = $1 \
               AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to >= $2) \
               WHERE l.open = $3";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_scalar(sql).bind(root).bind(date).bind(true)
        .fetch_one(e).await)?,
    )
}
