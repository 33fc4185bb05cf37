//! The latest state of each reporting device and the ledger of its status changes. Written in
//! groups by the ingest writer: one transaction for many readings.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::script::{hex, json_rows, moment};
use crate::{Db, Exec, StoreResult, Tx, on_exec, on_tx};

/// The latest state of a device.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct StateRow {
    /// The asset.
    pub asset_id: Uuid,
    /// Reported working.
    pub online: bool,
    /// Battery %.
    pub battery: Option<i64>,
    /// Lamp lit.
    pub lamp_on: Option<bool>,
    /// Current fault code.
    pub fault: Option<String>,
    /// Wifi clients.
    pub clients: Option<i64>,
    /// Last reading's time.
    pub last_seen_at: OffsetDateTime,
    /// When it counts as silent (None: never, it has no interval).
    pub offline_after: Option<OffsetDateTime>,
    /// Readings received in all.
    pub heartbeats: i64,
    /// An offline alarm is open.
    pub silent: bool,
}

/// A row of the status ledger.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ChangeRow {
    /// Id.
    pub id: Uuid,
    /// The asset.
    pub asset_id: Uuid,
    /// When.
    pub at: OffsetDateTime,
    /// Status before (None for the first reading).
    pub old_status: Option<String>,
    /// Status after.
    pub new_status: String,
}

/// What ingest needs to know of a device, by its code.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct DeviceTarget {
    /// The asset's code.
    pub code: String,
    /// The asset.
    pub id: Uuid,
    /// Its unit.
    pub unit_id: Uuid,
    /// Its unit's code (MQTT topics name it).
    pub unit_code: String,
    /// Reporting interval.
    pub heartbeat_seconds: i64,
}

const STATE_COLS: &str = "asset_id, online, battery, lamp_on, fault, clients, last_seen_at, \
                          offline_after, heartbeats, silent";

fn marks(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The devices named by `codes` (unknown codes are simply absent).
pub async fn device_targets(
    ex: impl Into<Exec<'_>>,
    codes: &[String],
) -> StoreResult<Vec<DeviceTarget>> {
    let mut ex = ex.into();
    let mut found = Vec::new();
    for chunk in codes.chunks(500) {
        let sql = format!(
            "SELECT a.code, a.id, a.unit_id, u.code AS unit_code, a.heartbeat_seconds FROM assets a \
             JOIN units u ON u.id = a.unit_id WHERE a.code IN ({})",
            marks(1, chunk.len())
        );
        let rows: Vec<DeviceTarget> = on_exec!(ex.reborrow(), e => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
            for code in chunk {
                q = q.bind(code);
            }
            q.fetch_all(e).await
        })?;
        found.extend(rows);
    }
    Ok(found)
}

/// The states of some devices, and on SQLite the credential generation read with them.
#[derive(Debug, Default)]
pub struct States {
    /// The devices' states (devices that never reported are absent).
    pub rows: Vec<StateRow>,
    /// The credential generation, when the same statement read it (SQLite, at least one
    /// state found): the heartbeat writer then needs no read of its own for it.
    pub generation: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct StateWithGeneration {
    #[sqlx(flatten)]
    state: StateRow,
    generation: Option<i64>,
}

/// The states of these devices (devices that never reported are absent). Inside a
/// PostgreSQL transaction the rows are locked (in id order), so that the offline detector of
/// another node cannot declare a device silent between this read and the write that follows.
pub async fn states_of(ex: impl Into<Exec<'_>>, ids: &[Uuid]) -> StoreResult<States> {
    let mut ex = ex.into();
    let lock = if matches!(ex, Exec::Tx(Tx::Postgres(_))) {
        " ORDER BY asset_id FOR UPDATE"
    } else {
        ""
    };
    let mut found = Vec::new();
    let sqlite = matches!(ex, Exec::Tx(Tx::Sqlite(..)) | Exec::Db(Db::Sqlite(..)));
    if sqlite && !ids.is_empty() {
        // One fixed text, kept prepared: the ids as one JSON array (see `crate::Script`). The
        // heartbeat writer reads this first: the transaction's BEGIN goes in the same text, and
        // the credential generation rides on each row (one round trip to SQLite's thread fewer).
        let begin = match &mut ex {
            Exec::Tx(Tx::Sqlite(transaction)) => transaction.begin_prefix(),
            _ => "",
        };
        let sql = format!(
            "{begin}SELECT {STATE_COLS}, \
             (SELECT value FROM credential_generation WHERE id = 1) AS generation \
             FROM device_state WHERE asset_id IN (SELECT unhex(value) FROM json_each($1))"
        );
        let list = json_rows(&ids.iter().map(hex).collect::<Vec<_>>());
        let rows: Vec<StateWithGeneration> = on_exec!(ex, e => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(list.clone()).fetch_all(e).await
        })?;
        let generation = rows.first().map(|row| row.generation.unwrap_or(0));
        let rows = rows.into_iter().map(|row| row.state).collect();
        return Ok(States { rows, generation });
    }
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT {STATE_COLS} FROM device_state WHERE asset_id IN ({}){lock}",
            marks(1, chunk.len())
        );
        let rows: Vec<StateRow> = on_exec!(ex.reborrow(), e => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
            for id in chunk {
                q = q.bind(id);
            }
            q.persistent(false).fetch_all(e).await
        })?;
        found.extend(rows);
    }
    Ok(States {
        rows: found,
        generation: None,
    })
}

/// One device's state.
pub async fn state(ex: impl Into<Exec<'_>>, asset: Uuid) -> StoreResult<Option<StateRow>> {
    let sql = format!("SELECT {STATE_COLS} FROM device_state WHERE asset_id = $1");
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(asset).fetch_optional(e).await)?,
    )
}

/// Writes (inserts or replaces) device states, 100 per statement.
pub async fn upsert_states(tx: &mut Tx, states: &[StateRow]) -> StoreResult<()> {
    const UPDATE: &str = " ON CONFLICT (asset_id) DO UPDATE SET \
         online = excluded.online, battery = excluded.battery, lamp_on = excluded.lamp_on, \
         fault = excluded.fault, clients = excluded.clients, last_seen_at = excluded.last_seen_at, \
         offline_after = excluded.offline_after, heartbeats = excluded.heartbeats, \
         silent = excluded.silent";
    if states.is_empty() {
        return Ok(());
    }
    if let Tx::Sqlite(transaction) = tx {
        // One fixed text, kept prepared: the rows as one JSON array (see `crate::Script`).
        let rows: Vec<_> = states
            .iter()
            .map(|s| {
                (
                    hex(&s.asset_id),
                    s.online,
                    s.battery,
                    s.lamp_on,
                    &s.fault,
                    s.clients,
                    moment(&s.last_seen_at),
                    s.offline_after.as_ref().map(moment),
                    s.heartbeats,
                    s.silent,
                )
            })
            .collect();
        // Needs no answer: held, it goes with the COMMIT (see `crate::SqliteTx`).
        let sql = format!(
            "INSERT INTO device_state ({STATE_COLS}) SELECT unhex(value->>0), value->>1, \
             value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, \
             value->>9 FROM json_each(?) WHERE true{UPDATE}"
        );
        transaction.hold(sql, vec![json_rows(&rows)]);
        return Ok(());
    }
    for chunk in states.chunks(100) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", marks(i * 10 + 1, 10)))
            .collect();
        let sql = format!(
            "INSERT INTO device_state ({STATE_COLS}) VALUES {}{UPDATE}",
            values.join(",")
        );
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for s in chunk {
                q = q.bind(s.asset_id).bind(s.online).bind(s.battery).bind(s.lamp_on)
                    .bind(&s.fault).bind(s.clients).bind(s.last_seen_at).bind(s.offline_after)
                    .bind(s.heartbeats).bind(s.silent);
            }
            q.persistent(false).execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Appends status changes, 100 per statement.
pub async fn insert_changes(tx: &mut Tx, changes: &[ChangeRow]) -> StoreResult<()> {
    for chunk in changes.chunks(100) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", marks(i * 5 + 1, 5)))
            .collect();
        let sql = format!(
            "INSERT INTO device_status_changes (id, asset_id, at, old_status, new_status) VALUES {}",
            values.join(",")
        );
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for r in chunk {
                q = q.bind(r.id).bind(r.asset_id).bind(r.at).bind(&r.old_status).bind(&r.new_status);
            }
            q.execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// A device's status changes, newest first.
pub async fn changes_of(
    ex: impl Into<Exec<'_>>,
    asset: Uuid,
    limit: i64,
) -> StoreResult<Vec<ChangeRow>> {
    let sql = "SELECT id, asset_id, at, old_status, new_status FROM device_status_changes \
               WHERE asset_id = $1 ORDER BY at DESC, id DESC LIMIT $2";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(asset).bind(limit).fetch_all(e).await)?)
}

/// Devices past their deadline and not yet declared silent: (asset, unit).
pub async fn due_silent(
    ex: impl Into<Exec<'_>>,
    now: OffsetDateTime,
    limit: i64,
) -> StoreResult<Vec<(Uuid, Uuid)>> {
    let sql = "SELECT d.asset_id, a.unit_id FROM device_state d JOIN assets a ON a.id = d.asset_id \
               WHERE d.silent = $1 AND d.offline_after < $2 ORDER BY d.offline_after LIMIT $3";
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(false).bind(now).bind(limit).fetch_all(e).await)?,
    )
}

/// A device the offline detector claimed: (asset, unit, online, fault).
pub type DueDevice = (Uuid, Uuid, bool, Option<String>);

/// Claims, inside the detector's transaction, up to `limit` devices past their deadline and not
/// yet silent. On PostgreSQL the rows are locked `FOR UPDATE SKIP LOCKED`: the detectors of
/// several nodes take different devices instead of queueing behind each other's locks (with
/// three nodes and 5,000 devices falling silent together, each batch of 500 waited 5–14 s for
/// the others and held back those devices' heartbeats meanwhile), and a device the ingest writer
/// holds is left to the next run (its reading is about to move the deadline). SQLite admits one
/// writing transaction at a time anyway.
pub async fn claim_due_silent(
    tx: &mut Tx,
    now: OffsetDateTime,
    limit: i64,
) -> StoreResult<Vec<DueDevice>> {
    let lock = if matches!(tx, Tx::Postgres(_)) {
        " FOR UPDATE OF d SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "SELECT d.asset_id, a.unit_id, d.online, d.fault FROM device_state d \
         JOIN assets a ON a.id = d.asset_id WHERE d.silent = $1 AND d.offline_after < $2 \
         ORDER BY d.offline_after LIMIT $3{lock}"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(false).bind(now)
        .bind(limit).fetch_all(&mut *c).await)?,
    )
}

/// Declares a device silent; false when it reported in the meantime (or already was).
pub async fn mark_silent(tx: &mut Tx, asset: Uuid, now: OffsetDateTime) -> StoreResult<bool> {
    let sql = "UPDATE device_state SET silent = $2 WHERE asset_id = $1 AND silent = $3 \
               AND offline_after < $4";
    let n = on_tx!(tx, c => sqlx::query(sql).bind(asset).bind(true).bind(false).bind(now)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Readings received by every device in all (the crash test compares it with what was
/// acknowledged).
pub async fn total_heartbeats(ex: impl Into<Exec<'_>>) -> StoreResult<i64> {
    let sql = "SELECT CAST(COALESCE(SUM(heartbeats), 0) AS BIGINT) FROM device_state";
    let (n,): (i64,) = on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_one(e).await)?;
    Ok(n)
}

/// States of every reporting device under `root` (for the map and the asset list).
pub async fn states_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: time::Date,
) -> StoreResult<Vec<StateRow>> {
    let sql = concat!(
        "SELECT d.asset_id, d.online, d.battery, d.lamp_on, d.fault, d.clients, d.last_seen_at, ",
        "d.offline_after, d.heartbeats, d.silent FROM device_state d JOIN assets a ON a.id = d.asset_id",
        super::under!("$1", "$2")
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).fetch_all(e).await)?)
}
