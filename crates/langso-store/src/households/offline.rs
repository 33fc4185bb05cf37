//! Offline rounds: household versions, the phones holding a copy of a member's round, and the
//! receipts of visits synced from them (which version of the household and of the indicator
//! catalogue each was made on).

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// Builds `SELECT … WHERE <column> IN (…)` over `ids`, run per chunk of 1,000.
macro_rules! select_in {
    ($ex:expr, $head:literal, $ids:expr) => {{
        let mut rows = Vec::new();
        for chunk in $ids.chunks(1_000) {
            let mut part = on_exec!($ex, e => {
                let mut q = sqlx::QueryBuilder::new($head);
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(")");
                q.build_query_as().persistent(false).fetch_all(e).await
            })?;
            rows.append(&mut part);
        }
        rows
    }};
}

/// The version of each household named: (household, version).
pub async fn household_versions(
    ex: impl Into<Exec<'_>>,
    ids: &[Uuid],
) -> StoreResult<Vec<(Uuid, i64)>> {
    let mut ex = ex.into();
    Ok(select_in!(
        ex.reborrow(),
        "SELECT id, version FROM households WHERE id IN (",
        ids
    ))
}

/// The current indicator values of several households: (household, indicator, value).
pub async fn current_values(
    ex: impl Into<Exec<'_>>,
    ids: &[Uuid],
) -> StoreResult<Vec<(Uuid, String, i64)>> {
    let mut ex = ex.into();
    Ok(select_in!(
        ex.reborrow(),
        "SELECT household_id, indicator, value FROM household_indicators WHERE household_id IN (",
        ids
    ))
}

/// Read under the households' lock by the visit writer: each household's last visit day,
/// follow-up day and version, so a visit dated before the last one goes to the ledger only.
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub struct VisitState {
    /// The household.
    pub id: Uuid,
    /// Its latest visit.
    pub last_visit_on: Option<Date>,
    /// Its follow-up day.
    pub follow_up_on: Option<Date>,
    /// Its version.
    pub version: i64,
}

/// The [`VisitState`] of several households, inside the writer's transaction.
pub async fn visit_states(tx: &mut Tx, ids: &[Uuid]) -> StoreResult<Vec<VisitState>> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(1_000) {
        let mut part: Vec<VisitState> = on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT id, last_visit_on, follow_up_on, version FROM households WHERE id IN (",
            );
            let mut list = q.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            q.push(")");
            q.build_query_as().persistent(false).fetch_all(&mut *c).await
        })?;
        rows.append(&mut part);
    }
    Ok(rows)
}

/// Which of `ids` are already known as visits, held visits or proposals: a phone resending.
pub async fn known_ids(ex: impl Into<Exec<'_>>, ids: &[Uuid]) -> StoreResult<Vec<(Uuid,)>> {
    let mut ex = ex.into();
    let mut known: Vec<(Uuid,)> =
        select_in!(ex.reborrow(), "SELECT id FROM visits WHERE id IN (", ids);
    let held: Vec<(Uuid,)> = select_in!(
        ex.reborrow(),
        "SELECT id FROM held_visits WHERE id IN (",
        ids
    );
    let proposed: Vec<(Uuid,)> = select_in!(
        ex.reborrow(),
        "SELECT id FROM household_proposals WHERE id IN (",
        ids
    );
    known.extend(held);
    known.extend(proposed);
    Ok(known)
}

/// A phone holding a member's round.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeviceRow {
    /// Id the phone made.
    pub id: Uuid,
    /// The member.
    pub user_id: Uuid,
    /// From the browser's User-Agent.
    pub label: String,
    /// First seen.
    pub created_at: OffsetDateTime,
    /// Last round copied.
    pub last_pack_at: Option<OffsetDateTime>,
    /// Last sync.
    pub last_sync_at: Option<OffsetDateTime>,
    /// Revoked by an officer: the phone is told to wipe its copy.
    pub revoked_at: Option<OffsetDateTime>,
}

macro_rules! device_cols {
    () => {
        "SELECT id, user_id, label, created_at, last_pack_at, last_sync_at, revoked_at FROM offline_devices"
    };
}

/// One of a member's devices.
pub async fn device(
    ex: impl Into<Exec<'_>>,
    id: Uuid,
    user: Uuid,
) -> StoreResult<Option<DeviceRow>> {
    let sql = concat!(device_cols!(), " WHERE id = $1 AND user_id = $2");
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).bind(user).fetch_optional(e).await)?)
}

/// A member's devices, most recently used first.
pub async fn devices_of(ex: impl Into<Exec<'_>>, user: Uuid) -> StoreResult<Vec<DeviceRow>> {
    let sql = concat!(
        device_cols!(),
        " WHERE user_id = $1 ORDER BY COALESCE(last_sync_at, last_pack_at, created_at) DESC"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(user).fetch_all(e).await)?)
}

/// Records that a device took a round copy (`pack`) or synced (not `pack`), adding it first.
pub async fn touch_device(
    tx: &mut Tx,
    id: Uuid,
    user: Uuid,
    label: &str,
    pack: bool,
) -> StoreResult<()> {
    let now = OffsetDateTime::now_utc();
    let insert = "INSERT INTO offline_devices (id, user_id, label, created_at) VALUES ($1, $2, $3, $4) \
                  ON CONFLICT (id, user_id) DO NOTHING";
    on_tx!(tx, c => sqlx::query(insert).bind(id).bind(user).bind(label).bind(now)
        .execute(&mut *c).await.map(|_| ()))?;
    if pack {
        let sql = "UPDATE offline_devices SET last_pack_at = $3, label = $4 WHERE id = $1 AND user_id = $2";
        on_tx!(tx, c => sqlx::query(sql).bind(id).bind(user).bind(now).bind(label)
            .execute(&mut *c).await.map(|_| ()))?;
    } else {
        let sql = "UPDATE offline_devices SET last_sync_at = $3 WHERE id = $1 AND user_id = $2";
        on_tx!(tx, c => sqlx::query(sql).bind(id).bind(user).bind(now)
            .execute(&mut *c).await.map(|_| ()))?;
    }
    Ok(())
}

/// Marks a device revoked; false when the member has no such device.
pub async fn revoke_device(tx: &mut Tx, id: Uuid, user: Uuid, by: Uuid) -> StoreResult<bool> {
    let sql = "UPDATE offline_devices SET revoked_at = $3, revoked_by = $4 \
               WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL";
    let done = on_tx!(tx, c => sqlx::query(sql).bind(id).bind(user).bind(OffsetDateTime::now_utc())
        .bind(by).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(done > 0)
}

/// The receipt of a visit synced from a phone.
#[derive(Clone, Debug)]
pub struct OfflineVisit {
    /// The visit.
    pub visit_id: Uuid,
    /// The phone.
    pub device_id: Option<Uuid>,
    /// The household version the phone saw.
    pub household_version: i64,
    /// The catalogue version the phone used.
    pub catalogue_version: String,
}

/// Stores a receipt (once per visit).
pub async fn insert_offline_visit(tx: &mut Tx, row: &OfflineVisit) -> StoreResult<()> {
    let sql = "INSERT INTO offline_visits (visit_id, device_id, household_version, catalogue_version, \
               received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (visit_id) DO NOTHING";
    on_tx!(tx, c => sqlx::query(sql).bind(row.visit_id).bind(row.device_id)
        .bind(row.household_version).bind(&row.catalogue_version).bind(OffsetDateTime::now_utc())
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}
