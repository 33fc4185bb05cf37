//! QR placements: where posters hang and which procedures they point to.

use langso_domain::procedures::{PlaceKind, Placement, ProcedureCode};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::under_unit;
use crate::{Exec, StoreError, StoreResult, Tx, on_exec, on_tx};

macro_rules! placement_cols {
    () => {
        "p.id, p.token, p.unit_id, p.kind, p.label, p.latitude, p.longitude, p.active, p.created_at"
    };
}

#[derive(sqlx::FromRow)]
struct PlacementRow {
    id: Uuid,
    token: String,
    unit_id: Uuid,
    kind: String,
    label: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
    active: bool,
    created_at: OffsetDateTime,
}

impl PlacementRow {
    fn into_placement(self, procedures: Vec<ProcedureCode>) -> StoreResult<Placement> {
        let kind = PlaceKind::parse(&self.kind)
            .map_err(|_| StoreError::Corrupt(format!("place kind {}", self.kind)))?;
        Ok(Placement {
            id: self.id,
            token: self.token,
            unit_id: self.unit_id,
            kind,
            label: self.label,
            latitude: self.latitude,
            longitude: self.longitude,
            active: self.active,
            created_at: self.created_at,
            procedures,
        })
    }
}

/// Records a placement and its procedures (by procedure id, in poster order).
pub async fn insert_placement(
    tx: &mut Tx,
    placement: &Placement,
    procedure_ids: &[Uuid],
) -> StoreResult<()> {
    let sql = "INSERT INTO qr_placements (id, token, unit_id, kind, label, latitude, longitude, \
               active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    on_tx!(tx, c => sqlx::query(sql)
        .bind(placement.id)
        .bind(&placement.token)
        .bind(placement.unit_id)
        .bind(placement.kind.as_str())
        .bind(&placement.label)
        .bind(placement.latitude)
        .bind(placement.longitude)
        .bind(placement.active)
        .bind(placement.created_at)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    let link = "INSERT INTO qr_placement_procedures (placement_id, procedure_id, position) \
                VALUES ($1, $2, $3)";
    for (position, procedure_id) in (0_i64..).zip(procedure_ids) {
        on_tx!(tx, c => sqlx::query(link).bind(placement.id).bind(procedure_id).bind(position)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Takes a poster down (or puts it back up): its URL keeps answering either way.
pub async fn set_active(tx: &mut Tx, id: Uuid, active: bool) -> StoreResult<bool> {
    let sql = "UPDATE qr_placements SET active = $2 WHERE id = $1";
    let done = on_tx!(tx, c => sqlx::query(sql).bind(id).bind(active).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Whether a token is already taken.
pub async fn token_taken(ex: impl Into<Exec<'_>>, token: &str) -> StoreResult<bool> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM qr_placements WHERE token = $1";
    let (n,): (i64,) =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(token).fetch_one(e).await)?;
    Ok(n > 0)
}

async fn codes_of(ex: Exec<'_>, placement_id: Uuid) -> StoreResult<Vec<ProcedureCode>> {
    let sql = "SELECT pr.code FROM qr_placement_procedures pp JOIN procedures pr \
               ON pr.id = pp.procedure_id WHERE pp.placement_id = $1 ORDER BY pp.position";
    let rows: Vec<(String,)> =
        on_exec!(ex, e => sqlx::query_as(sql).bind(placement_id).fetch_all(e).await)?;
    rows.into_iter()
        .map(|(code,)| {
            ProcedureCode::parse(&code)
                .map_err(|_| StoreError::Corrupt(format!("procedure code {code}")))
        })
        .collect()
}

/// The placement behind a public token.
pub async fn by_token(ex: impl Into<Exec<'_>>, token: &str) -> StoreResult<Option<Placement>> {
    let sql = concat!(
        "SELECT ",
        placement_cols!(),
        " FROM qr_placements p WHERE p.token = $1"
    );
    let mut ex = ex.into();
    let row: Option<PlacementRow> =
        on_exec!(ex.reborrow(), e => sqlx::query_as(sql).bind(token).fetch_optional(e).await)?;
    match row {
        Some(row) => {
            let codes = codes_of(ex, row.id).await?;
            Ok(Some(row.into_placement(codes)?))
        }
        None => Ok(None),
    }
}

/// A placement by id.
pub async fn placement(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<Placement>> {
    let sql = concat!(
        "SELECT ",
        placement_cols!(),
        " FROM qr_placements p WHERE p.id = $1"
    );
    let mut ex = ex.into();
    let row: Option<PlacementRow> =
        on_exec!(ex.reborrow(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?;
    match row {
        Some(row) => {
            let codes = codes_of(ex, row.id).await?;
            Ok(Some(row.into_placement(codes)?))
        }
        None => Ok(None),
    }
}

/// Every placement in a unit's subtree on `date` (the unit itself included), by label.
pub async fn placements_under(
    ex: impl Into<Exec<'_>>,
    unit_id: Uuid,
    date: Date,
) -> StoreResult<Vec<Placement>> {
    let sql = concat!(
        "SELECT ",
        placement_cols!(),
        " FROM qr_placements p",
        under_unit!("$1", "$2"),
        " ORDER BY p.label, p.id"
    );
    let mut ex = ex.into();
    let rows: Vec<PlacementRow> = on_exec!(ex.reborrow(), e => sqlx::query_as(sql).bind(unit_id).bind(date).fetch_all(e).await)?;
    let links_sql = concat!(
        "SELECT pp.placement_id, pr.code FROM qr_placement_procedures pp \
         JOIN procedures pr ON pr.id = pp.procedure_id \
         JOIN qr_placements p ON p.id = pp.placement_id",
        under_unit!("$1", "$2"),
        " ORDER BY pp.placement_id, pp.position"
    );
    let links: Vec<(Uuid, String)> = on_exec!(ex.reborrow(), e => sqlx::query_as(links_sql).bind(unit_id).bind(date).fetch_all(e).await)?;
    let mut by_placement: std::collections::HashMap<Uuid, Vec<ProcedureCode>> =
        std::collections::HashMap::new();
    for (placement_id, code) in links {
        let code = ProcedureCode::parse(&code)
            .map_err(|_| StoreError::Corrupt(format!("procedure code {code}")))?;
        by_placement.entry(placement_id).or_default().push(code);
    }
    rows.into_iter()
        .map(|row| {
            let codes = by_placement.remove(&row.id).unwrap_or_default();
            row.into_placement(codes)
        })
        .collect()
}

/// Procedures with an active QR placement anywhere (the nation's figure: a procedure placed
/// in two provinces counts once).
pub async fn procedures_with_qr_anywhere(ex: impl Into<Exec<'_>>) -> StoreResult<i64> {
    let sql = "SELECT CAST(COUNT(DISTINCT pp.procedure_id) AS BIGINT) FROM qr_placement_procedures pp \
               JOIN qr_placements p ON p.id = pp.placement_id WHERE p.active";
    let (n,): (i64,) = on_exec!(ex.into(), e => sqlx::query_as(sql).fetch_one(e).await)?;
    Ok(n)
}

/// How many catalogued procedures have at least one active placement in the unit's subtree
/// on `date`.
pub async fn procedures_with_qr(
    ex: impl Into<Exec<'_>>,
    unit_id: Uuid,
    date: Date,
) -> StoreResult<i64> {
    let sql = concat!(
        "SELECT CAST(COUNT(DISTINCT pp.procedure_id) AS BIGINT) FROM qr_placement_procedures pp \
         JOIN qr_placements p ON p.id = pp.placement_id",
        under_unit!("$1", "$2"),
        " WHERE p.active"
    );
    let (n,): (i64,) =
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(unit_id).bind(date).fetch_one(e).await)?;
    Ok(n)
}
