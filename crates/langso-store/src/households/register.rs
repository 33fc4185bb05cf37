//! The household register.

use langso_domain::text::fold;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::units::covers;
use crate::{Exec, StoreResult, Tx, on_exec, on_tx};

/// A household as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct HouseholdRow {
    /// Id.
    pub id: Uuid,
    /// The village (thôn, tổ dân phố, cụm dân cư…) it lives in.
    pub unit_id: Uuid,
    /// The commune of that village, where household codes are unique.
    pub commune_id: Uuid,
    /// Household code, unique within the commune.
    pub code: String,
    /// Xóm.
    pub hamlet: String,
    /// Ngõ.
    pub alley: String,
    /// House number.
    pub house_number: String,
    /// Chủ hộ.
    pub head_name: String,
    /// The representative who joins the village group.
    pub representative_name: String,
    /// Their phone, normalised (personal data: masked without the PII right).
    pub representative_phone: Option<String>,
    /// CCCD of the head (personal data: optional, always masked without the PII right).
    pub citizen_id: Option<String>,
    /// Members.
    pub members: i64,
    /// Adults among them.
    pub adults: i64,
    /// Business household (shop, production).
    pub business: bool,
    /// When consent was given.
    pub consent_on: Option<Date>,
    /// What the consent covers.
    pub consent_purpose: String,
    /// Free notes.
    pub notes: String,
    /// The team member the household is assigned to.
    pub assigned_to: Option<Uuid>,
    /// When to come back.
    pub follow_up_on: Option<Date>,
    /// Last visit.
    pub last_visit_on: Option<Date>,
    /// Anonymised at the data subject's request.
    pub erased: bool,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

macro_rules! household_cols {
    () => {
        "h.id, h.unit_id, h.commune_id, h.code, h.hamlet, h.alley, h.house_number, h.head_name, \
         h.representative_name, h.representative_phone, h.citizen_id, h.members, h.adults, \
         h.business, h.consent_on, h.consent_purpose, h.notes, h.assigned_to, h.follow_up_on, \
         h.last_visit_on, h.erased, h.created_at, h.updated_at"
    };
}
pub(crate) use household_cols;

/// The folded text a household is searched by.
pub fn search_key(row: &HouseholdRow) -> String {
    fold(&format!(
        "{} {} {} {} {} {}",
        row.code, row.head_name, row.representative_name, row.hamlet, row.alley, row.house_number
    ))
}

/// Adds a household.
pub async fn insert_household(tx: &mut Tx, row: &HouseholdRow) -> StoreResult<()> {
    let sql = "INSERT INTO households (id, unit_id, commune_id, code, hamlet, alley, house_number, \
               head_name, representative_name, representative_phone, citizen_id, members, adults, \
               business, consent_on, consent_purpose, notes, search_key, assigned_to, follow_up_on, \
               last_visit_on, erased, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, \
               $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)";
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.unit_id).bind(row.commune_id)
        .bind(&row.code).bind(&row.hamlet).bind(&row.alley).bind(&row.house_number)
        .bind(&row.head_name).bind(&row.representative_name).bind(&row.representative_phone)
        .bind(&row.citizen_id).bind(row.members).bind(row.adults).bind(row.business)
        .bind(row.consent_on).bind(&row.consent_purpose).bind(&row.notes).bind(search_key(row))
        .bind(row.assigned_to).bind(row.follow_up_on).bind(row.last_visit_on).bind(row.erased)
        .bind(row.created_at).bind(row.updated_at).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Rewrites a household's register fields (not its indicators, which only visits change);
/// its version goes up.
pub async fn update_household(tx: &mut Tx, row: &HouseholdRow) -> StoreResult<()> {
    let sql = "UPDATE households SET unit_id = $2, hamlet = $3, alley = $4, house_number = $5, \
               head_name = $6, representative_name = $7, representative_phone = $8, citizen_id = $9, \
               members = $10, adults = $11, business = $12, consent_on = $13, consent_purpose = $14, \
               notes = $15, search_key = $16, assigned_to = $17, follow_up_on = $18, \
               last_visit_on = $19, erased = $20, updated_at = $21, version = version + 1 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(row.id).bind(row.unit_id).bind(&row.hamlet)
        .bind(&row.alley).bind(&row.house_number).bind(&row.head_name)
        .bind(&row.representative_name).bind(&row.representative_phone).bind(&row.citizen_id)
        .bind(row.members).bind(row.adults).bind(row.business).bind(row.consent_on)
        .bind(&row.consent_purpose).bind(&row.notes).bind(search_key(row)).bind(row.assigned_to)
        .bind(row.follow_up_on).bind(row.last_visit_on).bind(row.erased)
        .bind(OffsetDateTime::now_utc()).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A household by id (the caller checks scope on its unit).
pub async fn get_household(ex: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<HouseholdRow>> {
    let sql = concat!(
        "SELECT ",
        household_cols!(),
        " FROM households h WHERE h.id = $1"
    );
    Ok(on_exec!(ex.into(), e => sqlx::query_as(sql).bind(id).fetch_optional(e).await)?)
}

/// A household by code within a commune.
pub async fn household_by_code(
    ex: impl Into<Exec<'_>>,
    commune: Uuid,
    code: &str,
) -> StoreResult<Option<HouseholdRow>> {
    let sql = concat!(
        "SELECT ",
        household_cols!(),
        " FROM households h WHERE h.commune_id = $1 AND h.code = $2"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(commune).bind(code).fetch_optional(e).await)?,
    )
}

/// Households under `root` (today's tree), by village, alley and house number; with a folded
/// `query`, only those whose search key contains it.
pub async fn list_households(
    ex: impl Into<Exec<'_>>,
    root: Uuid,
    today: Date,
    query: Option<&str>,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<HouseholdRow>> {
    let pattern = format!("%{}%", query.unwrap_or(""));
    let sql = concat!(
        "SELECT ",
        household_cols!(),
        " FROM households h JOIN unit_closure c ON c.descendant_id = h.unit_id ",
        "WHERE c.ancestor_id = $1 AND ",
        covers!("c", "$2"),
        " AND h.search_key LIKE $3 ",
        "ORDER BY h.unit_id, h.alley, h.house_number, h.code LIMIT $4 OFFSET $5"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(root).bind(today).bind(pattern)
        .bind(limit).bind(offset).fetch_all(e).await)?,
    )
}

/// The households assigned to a team member, overdue follow-ups first, then those never
/// visited, then by alley and house number.
pub async fn round(
    ex: impl Into<Exec<'_>>,
    user: Uuid,
    today: Date,
    limit: i64,
) -> StoreResult<Vec<HouseholdRow>> {
    let sql = concat!(
        "SELECT ",
        household_cols!(),
        " FROM households h WHERE h.assigned_to = $1 AND NOT h.erased ",
        "ORDER BY CASE WHEN h.follow_up_on IS NOT NULL AND h.follow_up_on <= $2 THEN 0 ",
        "WHEN h.last_visit_on IS NULL THEN 1 ELSE 2 END, h.alley, h.house_number, h.code LIMIT $3"
    );
    Ok(
        on_exec!(ex.into(), e => sqlx::query_as(sql).bind(user).bind(today).bind(limit).fetch_all(e).await)?,
    )
}

/// Assigns a household to a team member (or nobody).
pub async fn assign(tx: &mut Tx, household: Uuid, user: Option<Uuid>) -> StoreResult<()> {
    let sql = "UPDATE households SET assigned_to = $2 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(sql).bind(household).bind(user).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// A household as a visit's check needs it, in one query instead of three: the row, whether
/// its village lies within any of `roots` on `date` (the actor's units for the right at
/// stake), and whether anyone in it has consent events (only then are they read).
#[derive(Debug, sqlx::FromRow)]
pub struct HouseholdForVisit {
    /// The register row.
    #[sqlx(flatten)]
    pub row: HouseholdRow,
    /// The village is one of `roots` or lies under one.
    pub in_scope: bool,
    /// The household has consent events.
    pub has_consent_events: bool,
}

/// See [`HouseholdForVisit`].
pub async fn household_for_visit(
    ex: impl Into<Exec<'_>>,
    id: Uuid,
    roots: &[Uuid],
    date: Date,
) -> StoreResult<Option<HouseholdForVisit>> {
    let head = concat!("SELECT ", household_cols!(), ", ");
    macro_rules! build {
        ($q:ident) => {
            if roots.is_empty() {
                $q.push("FALSE");
            } else {
                $q.push("(h.unit_id IN (");
                let mut list = $q.separated(", ");
                for root in roots {
                    list.push_bind(*root);
                }
                $q.push(") OR EXISTS (SELECT 1 FROM unit_closure c WHERE c.descendant_id = h.unit_id AND c.ancestor_id IN (");
                let mut list = $q.separated(", ");
                for root in roots {
                    list.push_bind(*root);
                }
                $q.push(") AND c.valid_from <= ").push_bind(date);
                $q.push(" AND (c.valid_to IS NULL OR c.valid_to >= ").push_bind(date);
                $q.push(")))");
            }
            $q.push(" AS in_scope, EXISTS (SELECT 1 FROM household_consents e WHERE e.household_id = h.id) AS has_consent_events FROM households h WHERE h.id = ");
            $q.push_bind(id);
        };
    }
    Ok(on_exec!(ex.into(), e => {
        let mut q = sqlx::QueryBuilder::new(head);
        build!(q);
        // The text changes only with the number of roots (nearly always one): kept prepared.
        q.build_query_as().fetch_optional(e).await
    })?)
}
