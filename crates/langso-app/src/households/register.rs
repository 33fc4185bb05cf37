//! The household register: create, change, read (masked), list and search within scope.

use langso_domain::auth::{Permission, mask_personal};
use langso_domain::households::{normalise_phone, validate_citizen_id, validate_household_code};
use langso_domain::text::fold;
use langso_domain::units::{Level, Unit};
use langso_store::Tx;
use langso_store::households::{self as store, HouseholdRow};
use langso_store::units as unit_store;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::Actor;
use crate::auth::policy::{self, Scope};
use crate::{AppError, AppResult, CellError, Db, Message, today};

/// A household as typed in a form, an API call or an imported row (text fields untrimmed).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct HouseholdInput {
    /// The village-level unit.
    pub unit_id: Option<Uuid>,
    /// Code, unique within the commune.
    pub code: String,
    /// Xóm.
    #[serde(default)]
    pub hamlet: String,
    /// Ngõ.
    #[serde(default)]
    pub alley: String,
    /// House number.
    #[serde(default)]
    pub house_number: String,
    /// Chủ hộ.
    pub head_name: String,
    /// Representative (defaults to the head).
    #[serde(default)]
    pub representative_name: String,
    /// Representative's phone.
    #[serde(default)]
    pub representative_phone: String,
    /// Head's CCCD (optional).
    #[serde(default)]
    pub citizen_id: String,
    /// Members.
    pub members: i64,
    /// Adults.
    pub adults: i64,
    /// Business household.
    #[serde(default)]
    pub business: bool,
    /// Consent date.
    pub consent_on: Option<Date>,
    /// What the consent covers.
    #[serde(default)]
    pub consent_purpose: String,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// A household as shown: personal numbers masked unless the viewer holds the PII right.
#[derive(Clone, Debug)]
pub struct HouseholdView {
    /// The register row (phone and CCCD masked when `masked`).
    pub row: HouseholdRow,
    /// Current indicator values.
    pub values: Vec<(String, i64)>,
    /// Whether personal numbers are masked.
    pub masked: bool,
    /// The village's name, told apart from namesakes in its commune ("Thôn Hòa Bình (Hồng
    /// Hà cũ)"), worded the Vietnamese way (`units::label_among_siblings` gives the parts).
    pub village: String,
}

/// Checks every field; returns the row to store (id and timestamps left for the caller) or
/// every problem, named by field.
pub fn validate(
    input: &HouseholdInput,
    unit_id: Uuid,
    commune_id: Uuid,
) -> Result<HouseholdRow, Vec<CellError>> {
    let mut errors = Vec::new();
    let mut fail =
        |field: &str, message: Message| errors.push(CellError::from_message(0, field, message));
    let code = validate_household_code(&input.code)
        .map_err(|e| fail("code", e.message()))
        .unwrap_or_default();
    let text = |value: &str, max: usize| value.trim().chars().take(max).collect::<String>();
    let head = text(&input.head_name, 120);
    if head.is_empty() {
        fail("head_name", Message::new("households-required", &[]));
    }
    let phone = match input.representative_phone.trim() {
        "" => None,
        value => normalise_phone(value)
            .map_err(|e| fail("representative_phone", e.message()))
            .ok(),
    };
    let citizen_id = match input.citizen_id.trim() {
        "" => None,
        value => validate_citizen_id(value)
            .map_err(|e| fail("citizen_id", e.message()))
            .ok(),
    };
    if !(1..=50).contains(&input.members) {
        fail("members", Message::new("households-members-range", &[]));
    }
    if input.adults < 0 || input.adults > input.members {
        fail("adults", Message::new("households-adults-range", &[]));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let now = OffsetDateTime::now_utc();
    let representative = text(&input.representative_name, 120);
    Ok(HouseholdRow {
        id: Uuid::now_v7(),
        unit_id,
        commune_id,
        code,
        hamlet: text(&input.hamlet, 80),
        alley: text(&input.alley, 80),
        house_number: text(&input.house_number, 30),
        representative_name: if representative.is_empty() {
            head.clone()
        } else {
            representative
        },
        head_name: head,
        representative_phone: phone,
        citizen_id,
        members: input.members,
        adults: input.adults,
        business: input.business,
        consent_on: input.consent_on,
        consent_purpose: text(&input.consent_purpose, 200),
        notes: text(&input.notes, 1000),
        assigned_to: None,
        follow_up_on: None,
        last_visit_on: None,
        erased: false,
        created_at: now,
        updated_at: now,
    })
}

/// The village-level unit a household belongs to and its commune (today). Refuses units that
/// are not villages.
pub async fn village_and_commune(db: &Db, unit_id: Uuid) -> AppResult<(Unit, Uuid)> {
    let village = unit_store::get(db, unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if village.kind.level() != Level::Village {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "unit_id",
            "households-unit-not-village",
            &[],
        )]));
    }
    let commune = unit_store::ancestors(db, unit_id, today())
        .await?
        .into_iter()
        .rev()
        .find(|u| u.kind.level() == Level::Commune)
        .ok_or(AppError::NotFound)?;
    Ok((village, commune.id))
}

/// Adds the register counters of a household (negative `sign` removes them).
pub(crate) async fn count_register(tx: &mut Tx, row: &HouseholdRow, sign: i64) -> AppResult<()> {
    store::add_counter(tx, row.unit_id, "households", sign).await?;
    store::add_counter(tx, row.unit_id, "members", sign * row.members).await?;
    store::add_counter(tx, row.unit_id, "adults", sign * row.adults).await?;
    store::add_counter(tx, row.unit_id, "business", sign * i64::from(row.business)).await?;
    Ok(())
}

/// Creates a household in a village the actor may write in.
pub async fn create_household(
    db: &Db,
    actor: &Actor,
    input: &HouseholdInput,
) -> AppResult<HouseholdView> {
    let unit_id = input.unit_id.ok_or_else(|| {
        AppError::Invalid(vec![CellError::keyed(
            0,
            "unit_id",
            "households-required",
            &[],
        )])
    })?;
    policy::require(db, actor, Permission::WritePeople, unit_id).await?;
    let (_, commune) = village_and_commune(db, unit_id).await?;
    let row = validate(input, unit_id, commune).map_err(AppError::Invalid)?;
    if store::household_by_code(db, commune, &row.code)
        .await?
        .is_some()
    {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "code",
            "households-code-taken-in-commune",
            &[("code", &row.code)],
        )]));
    }
    let mut tx = db.begin().await?;
    store::insert_household(&mut tx, &row).await?;
    count_register(&mut tx, &row, 1).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "household.create",
            target_type: "household",
            target_id: row.code.clone(),
            unit_id: Some(row.unit_id),
            summary: format!(
                "members={} adults={} business={}",
                row.members, row.adults, row.business
            ),
        },
    )
    .await?;
    tx.commit().await?;
    get_household(db, actor, row.id).await
}

/// Changes a household's register fields; counters follow in the same transaction.
pub async fn update_household(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    input: &HouseholdInput,
) -> AppResult<HouseholdView> {
    let old = store::get_household(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::WritePeople, old.unit_id).await?;
    let unit_id = input.unit_id.unwrap_or(old.unit_id);
    if unit_id != old.unit_id {
        policy::require(db, actor, Permission::WritePeople, unit_id).await?;
    }
    let (_, commune) = village_and_commune(db, unit_id).await?;
    let mut row = validate(input, unit_id, commune).map_err(AppError::Invalid)?;
    if row.code != old.code
        && store::household_by_code(db, commune, &row.code)
            .await?
            .is_some()
    {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "code",
            "households-code-taken",
            &[],
        )]));
    }
    if row.adults < old.adults {
        refuse_fewer_adults_than_values(db, old.id, row.adults).await?;
    }
    row.id = old.id;
    row.created_at = old.created_at;
    row.assigned_to = old.assigned_to;
    row.follow_up_on = old.follow_up_on;
    row.last_visit_on = old.last_visit_on;
    let mut tx = db.begin().await?;
    count_register(&mut tx, &old, -1).await?;
    store::update_household(&mut tx, &row).await?;
    count_register(&mut tx, &row, 1).await?;
    // h17c: a consent changed on the register's form is an event of the consent ledger.
    if (old.consent_on, &old.consent_purpose) != (row.consent_on, &row.consent_purpose) {
        super::consent::register_changed(&mut tx, actor, &row).await?;
    }
    if unit_id != old.unit_id {
        move_indicator_counters(&mut tx, &old, unit_id).await?;
        // --- comms ---
        crate::comms::household_moved(&mut tx, old.id, old.unit_id, unit_id).await?;
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "household.update",
            target_type: "household",
            target_id: row.code.clone(),
            unit_id: Some(row.unit_id),
            summary: diff_summary(&old, &row),
        },
    )
    .await?;
    tx.commit().await?;
    get_household(db, actor, id).await
}

/// Refuses lowering a household's adults below an indicator that counts its adults (three
/// adults with VNeID in a household of two cannot be true): the visit values are corrected first.
async fn refuse_fewer_adults_than_values(db: &Db, household: Uuid, adults: i64) -> AppResult<()> {
    let most = most_adults_counted(db, household, &adult_counting(db).await?).await?;
    if most > adults {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "adults",
            "households-adults-below-values",
            &[("most", &most)],
        )]));
    }
    Ok(())
}

/// An imported row that lowers a household's adults below what its values count: the
/// refusal of `row` under the file's `header` for adults.
pub(super) async fn fewer_adults(
    db: &Db,
    (old, new): (&HouseholdRow, &HouseholdRow),
    codes: &[String],
    row: usize,
    header: &str,
) -> AppResult<Option<CellError>> {
    if new.adults >= old.adults {
        return Ok(None);
    }
    let most = most_adults_counted(db, old.id, codes).await?;
    Ok((most > new.adults).then(|| {
        CellError::keyed(
            row,
            header,
            "households-adults-below-values",
            &[("most", &most)],
        )
    }))
}

/// The codes of the indicators that count a household's adults.
pub(super) async fn adult_counting(db: &Db) -> AppResult<Vec<String>> {
    Ok(super::catalogue::catalogue(db, today())
        .await?
        .into_iter()
        .filter(|i| i.kind == langso_domain::households::IndicatorKind::AdultCount)
        .map(|i| i.code)
        .collect())
}

/// The most adults any of `codes` counts in a household.
pub(super) async fn most_adults_counted(
    db: &Db,
    household: Uuid,
    codes: &[String],
) -> AppResult<i64> {
    Ok(store::household_values(db, household)
        .await?
        .into_iter()
        .filter(|(code, _)| codes.contains(code))
        .map(|(_, value)| value)
        .max()
        .unwrap_or(0))
}

/// A household moving village takes its indicator values (and visited mark) with it.
pub(crate) async fn move_indicator_counters(
    tx: &mut Tx,
    old: &HouseholdRow,
    to: Uuid,
) -> AppResult<()> {
    for (code, value) in store::household_values(&mut *tx, old.id).await? {
        let key = format!("ind:{code}");
        store::add_counter(tx, old.unit_id, &key, -value).await?;
        store::add_counter(tx, to, &key, value).await?;
    }
    if old.last_visit_on.is_some() {
        store::add_counter(tx, old.unit_id, "visited", -1).await?;
        store::add_counter(tx, to, "visited", 1).await?;
    }
    Ok(())
}

/// What changed, personal numbers masked.
fn diff_summary(old: &HouseholdRow, new: &HouseholdRow) -> String {
    let mut parts = Vec::new();
    let mut field = |name: &str, a: String, b: String| {
        if a != b {
            parts.push(format!("{name}: {a} → {b}"));
        }
    };
    field("head_name", old.head_name.clone(), new.head_name.clone());
    field("members", old.members.to_string(), new.members.to_string());
    field("adults", old.adults.to_string(), new.adults.to_string());
    field(
        "phone",
        old.representative_phone
            .as_deref()
            .map(mask_personal)
            .unwrap_or_default(),
        new.representative_phone
            .as_deref()
            .map(mask_personal)
            .unwrap_or_default(),
    );
    field(
        "citizen_id",
        old.citizen_id
            .as_deref()
            .map(mask_personal)
            .unwrap_or_default(),
        new.citizen_id
            .as_deref()
            .map(mask_personal)
            .unwrap_or_default(),
    );
    field(
        "address",
        format!("{} {} {}", old.hamlet, old.alley, old.house_number),
        format!("{} {} {}", new.hamlet, new.alley, new.house_number),
    );
    field("unit", old.unit_id.to_string(), new.unit_id.to_string());
    parts.join("; ")
}

/// Masks personal numbers for viewers without the PII right.
pub(crate) fn masked(mut row: HouseholdRow, actor: &Actor) -> (HouseholdRow, bool) {
    if actor.pii {
        return (row, false);
    }
    row.representative_phone = row.representative_phone.as_deref().map(mask_personal);
    row.citizen_id = row.citizen_id.as_deref().map(mask_personal);
    (row, true)
}

/// One household with its current values; 404 outside the actor's scope. A view with personal
/// numbers unmasked is recorded in the audit log.
pub async fn get_household(db: &Db, actor: &Actor, id: Uuid) -> AppResult<HouseholdView> {
    let row = store::get_household(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadPeople, row.unit_id).await?;
    let values = store::household_values(db, id).await?;
    let village = unit_store::get(db, row.unit_id)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    // "Thôn Hòa Bình (Hồng Hà cũ)" when the commune has other villages of that name.
    let village = crate::units::label_among_siblings(db, row.unit_id, today())
        .await?
        .map_or(village, |label| label.to_string());
    let (row, is_masked) = masked(row, actor);
    if !is_masked
        && !actor.is_system()
        && (row.representative_phone.is_some() || row.citizen_id.is_some())
    {
        super::seen::record_seen(
            db,
            actor,
            Change {
                action: "household.view_unmasked",
                target_type: "household",
                target_id: row.code.clone(),
                unit_id: Some(row.unit_id),
                summary: String::new(),
            },
            &[row.id],
        )
        .await?;
    }
    Ok(HouseholdView {
        row,
        values,
        masked: is_masked,
        village,
    })
}

/// Households under `unit` (default: the actor's units) matching `query` (name, address or code;
/// accents ignored), by village, alley and house number. Personal numbers masked as for
/// [`get_household`].
pub async fn list_households(
    db: &Db,
    actor: &Actor,
    unit: Option<Uuid>,
    query: &str,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<HouseholdRow>> {
    let roots = match unit {
        Some(unit) => {
            policy::require(db, actor, Permission::ReadPeople, unit).await?;
            vec![unit]
        }
        None => match policy::scope(actor, Permission::ReadPeople)? {
            Scope::All => unit_store::roots(db, today())
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect(),
            Scope::Under(roots) => roots,
        },
    };
    let folded = fold(query);
    let query = (!folded.is_empty()).then_some(folded.as_str());
    let mut rows = Vec::new();
    for root in roots.iter().copied() {
        rows.extend(
            store::list_households(
                db,
                root,
                today(),
                query,
                limit.clamp(1, 1000),
                offset.max(0),
            )
            .await?,
        );
    }
    if let Some(query) = query {
        // Ranked: a code or a head's name that starts with the query first.
        rows.sort_by_key(|r| {
            let name = fold(&r.head_name);
            (
                !(fold(&r.code) == query
                    || name.starts_with(query)
                    || name.contains(&format!(" {query}"))),
                r.alley.clone(),
                r.house_number.clone(),
            )
        });
    }
    let rows: Vec<HouseholdRow> = rows.into_iter().map(|r| masked(r, actor).0).collect();
    let listed_under = roots.first().copied().filter(|_| roots.len() == 1);
    audit_unmasked_list(db, actor, &rows, "household.list_unmasked", listed_under).await?;
    Ok(rows)
}

/// Records in the audit log a list shown with personal numbers unmasked, as a single unmasked
/// view is recorded: one entry per list, naming every household whose numbers were shown.
pub(crate) async fn audit_unmasked_list(
    db: &Db,
    actor: &Actor,
    rows: &[HouseholdRow],
    action: &'static str,
    listed_under: Option<Uuid>,
) -> AppResult<()> {
    if !actor.pii || actor.is_system() {
        return Ok(());
    }
    let shown: Vec<&HouseholdRow> = rows
        .iter()
        .filter(|r| r.representative_phone.is_some() || r.citizen_id.is_some())
        .collect();
    let Some(first) = shown.first() else {
        return Ok(());
    };
    let same_unit = shown.iter().all(|r| r.unit_id == first.unit_id);
    let codes: Vec<&str> = shown.iter().map(|r| r.code.as_str()).collect();
    super::seen::record_seen(
        db,
        actor,
        Change {
            action,
            target_type: "household",
            target_id: format!("{} households", shown.len()),
            unit_id: if same_unit {
                Some(first.unit_id)
            } else {
                listed_under
            },
            summary: codes.join(", "),
        },
        &shown.iter().map(|r| r.id).collect::<Vec<_>>(),
    )
    .await
}
