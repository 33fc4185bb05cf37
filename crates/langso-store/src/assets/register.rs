//! The asset register.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::under;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

macro_rules! asset_cols {
    () => {
        "a.id, a.unit_id, a.code, a.kind, a.name, a.place_type, a.latitude, a.longitude, \
         a.installed_on, a.funding, a.keeper, a.status, a.lamp_type, a.heartbeat_seconds, a.notes, \
         a.created_at, a.updated_at"
    };
}

/// An asset as stored (lists are validated by the domain before they get here).
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct AssetRow {
    /// Id (UUIDv7).
    pub id: Uuid,
    /// The unit (usually a village) where it stands.
    pub unit_id: Uuid,
    /// Human code, unique (`09805-T01-CAM-001`).
    pub code: String,
    /// `AssetKind`.
    pub kind: String,
    /// Name or description ("Camera ngã tư cổng làng").
    pub name: String,
    /// `PlaceType`.
    pub place_type: String,
    /// Latitude (WGS84).
    pub latitude: Option<f64>,
    /// Longitude (WGS84).
    pub longitude: Option<f64>,
    /// Installed on.
    pub installed_on: Option<Date>,
    /// `Funding`.
    pub funding: String,
    /// Who keeps it (the hamlet head who controls a camera).
    pub keeper: String,
    /// `AssetStatus`.
    pub status: String,
    /// `LampType` of a light.
    pub lamp_type: Option<String>,
    /// Expected reporting interval (0: does not report).
    pub heartbeat_seconds: i64,
    /// Notes.
    pub notes: String,
    /// Recorded.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

/// A lamp replacement.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ReplacementRow {
    /// Id.
    pub id: Uuid,
    /// The light.
    pub asset_id: Uuid,
    /// When.
    pub replaced_on: Date,
    /// The lamp taken out.
    pub old_type: Option<String>,
    /// The lamp put in.
    pub new_type: String,
    /// Note ("hộ gia đình tự thay").
    pub note: String,
    /// Recorded.
    pub created_at: OffsetDateTime,
}

/// Inserts assets, 50 per statement.
pub async fn insert_assets(tx: &mut Tx, assets: &[AssetRow]) -> StoreResult<()> {
    for chunk in assets.chunks(50) {
        let mut sql = String::from(
            "INSERT INTO assets (id, unit_id, code, kind, name, place_type, latitude, longitude, \
             installed_on, funding, keeper, status, lamp_type, heartbeat_seconds, notes, created_at, \
             updated_at) VALUES ",
        );
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            for j in 0..17 {
                if j > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", i * 17 + j + 1));
            }
            sql.push(')');
        }
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for a in chunk {
                q = q.bind(a.id).bind(a.unit_id).bind(&a.code).bind(&a.kind).bind(&a.name)
                    .bind(&a.place_type).bind(a.latitude).bind(a.longitude).bind(a.installed_on)
                    .bind(&a.funding).bind(&a.keeper).bind(&a.status).bind(&a.lamp_type)
                    .bind(a.heartbeat_seconds).bind(&a.notes).bind(a.created_at).bind(a.updated_at);
            }
            q.execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Replaces an asset's editable fields.
pub async fn update_asset(tx: &mut Tx, a: &AssetRow) -> StoreResult<()> {
    let sql = "UPDATE assets SET unit_id = $2, kind = $3, name = $4, place_type = $5, latitude = $6, \
               longitude = $7, installed_on = $8, funding = $9, keeper = $10, status = $11, \
               lamp_type = $12, heartbeat_seconds = $13, notes = $14, updated_at = $15 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(a.id).bind(a.unit_id).bind(&a.kind).bind(&a.name)
        .bind(&a.place_type).bind(a.latitude).bind(a.longitude).bind(a.installed_on).bind(&a.funding)
        .bind(&a.keeper).bind(&a.status).bind(&a.lamp_type).bind(a.heartbeat_seconds).bind(&a.notes)
        .bind(a.updated_at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// An asset by id.
pub async fn asset(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<AssetRow>> {
    let sql = concat!("SELECT ", asset_cols!(), " FROM assets a WHERE a.id = $1");
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// An asset by code.
pub async fn asset_by_code(ex: impl Into<Exec<'_>>, code: &str) -> StoreResult<Option<AssetRow>> {
    let sql = concat!("SELECT ", asset_cols!(), " FROM assets a WHERE a.code = $1");
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(code).fetch_optional(e).await)?)
}

/// Which of `codes` are taken already.
pub async fn codes_taken(ex: impl Into<Exec<'_>>, codes: &[String]) -> StoreResult<Vec<String>> {
    let mut ex = ex.into();
    let mut taken = Vec::new();
    for chunk in codes.chunks(200) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT code FROM assets WHERE code IN ({})",
            marks.join(",")
        );
        let rows: Vec<(String,)> = on_exec!(ex.reborrow(), e => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
            for code in chunk {
                q = q.bind(code);
            }
            q.fetch_all(e).await
        })?;
        taken.extend(rows.into_iter().map(|(c,)| c));
    }
    Ok(taken)
}

/// Filters of an asset listing.
#[derive(Clone, Debug, Default)]
pub struct AssetFilter {
    /// Only this kind.
    pub kind: Option<String>,
    /// Only this register status.
    pub status: Option<String>,
    /// Only lights with this lamp type.
    pub lamp_type: Option<String>,
}

/// Assets under `root` on `date`, by code, with filters; at most `limit`.
pub async fn assets_under(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
    filter: &AssetFilter,
    limit: i64,
) -> StoreResult<Vec<AssetRow>> {
    let sql = concat!(
        "SELECT ",
        asset_cols!(),
        " FROM assets a",
        under!("$1", "$2"),
        " WHERE ($3 IS NULL OR a.kind = $3) AND ($4 IS NULL OR a.status = $4) ",
        "AND ($5 IS NULL OR a.lamp_type = $5) ORDER BY a.code LIMIT $6"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date)
        .bind(filter.kind.as_deref()).bind(filter.status.as_deref())
        .bind(filter.lamp_type.as_deref()).bind(limit).fetch_all(e).await)?,
    )
}

/// Replaces an asset's contributors.
pub async fn set_contributors(
    tx: &mut Tx,
    asset: Uuid,
    contributors: &[(String, i64)],
) -> StoreResult<()> {
    let delete = "DELETE FROM asset_contributors WHERE asset_id = $1";
    on_tx!(tx, c => sqlx::query(delete).bind(asset).execute(&mut *c).await.map(|_| ()))?;
    let sql = "INSERT INTO asset_contributors (asset_id, position, name, amount_vnd) VALUES ($1, $2, $3, $4)";
    for (position, (name, amount)) in (0_i64..).zip(contributors) {
        on_tx!(tx, c => sqlx::query(sql).bind(asset).bind(position).bind(name).bind(amount)
            .execute(&mut *c).await.map(|_| ()))?;
    }
    Ok(())
}

/// An asset's contributors, in order.
pub async fn contributors(ex: impl Into<Exec<'_>>, asset: Uuid) -> StoreResult<Vec<(String, i64)>> {
    let sql =
        "SELECT name, amount_vnd FROM asset_contributors WHERE asset_id = $1 ORDER BY position";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(asset).fetch_all(e).await)?)
}

/// Records a lamp replacement and the light's new lamp type.
pub async fn insert_replacement(tx: &mut Tx, r: &ReplacementRow) -> StoreResult<()> {
    let sql = "INSERT INTO lamp_replacements (id, asset_id, replaced_on, old_type, new_type, note, \
               created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    on_tx!(tx, c => sqlx::query(sql).bind(r.id).bind(r.asset_id).bind(r.replaced_on)
        .bind(&r.old_type).bind(&r.new_type).bind(&r.note).bind(r.created_at)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A light's replacements, oldest first.
pub async fn replacements(
    ex: impl Into<Exec<'_>>,
    asset: Uuid,
) -> StoreResult<Vec<ReplacementRow>> {
    let sql = "SELECT id, asset_id, replaced_on, old_type, new_type, note, created_at \
               FROM lamp_replacements WHERE asset_id = $1 ORDER BY replaced_on, id";
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(asset).fetch_all(e).await)?)
}

/// Replacements under `root` since `since`, per month (`YYYY-MM`, count), for the plan's
/// figure.
pub async fn replacements_by_day(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    date: Date,
    since: Date,
) -> StoreResult<Vec<(Date, i64)>> {
    let sql = concat!(
        "SELECT r.replaced_on, CAST(COUNT(*) AS BIGINT) FROM lamp_replacements r ",
        "JOIN assets a ON a.id = r.asset_id",
        under!("$1", "$2"),
        " WHERE r.replaced_on >= $3 GROUP BY r.replaced_on ORDER BY r.replaced_on"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(date).bind(since).fetch_all(e).await)?,
    )
}
