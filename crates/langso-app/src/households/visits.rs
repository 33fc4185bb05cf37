//! Door-to-door visits: the append-only ledger, the household's current values and the
//! village counters, all changed in one transaction; rounds and assignments.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use langso_domain::auth::Permission;
use langso_domain::households::{HELP_KINDS, check_together};
use langso_store::audit as audit_store;
use langso_store::auth as auth_store;
use langso_store::households::{self as store, HouseholdRow, VisitMark, VisitRow};
use langso_store::units as unit_store;
use langso_store::{Script, Tx};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::catalogue::{Indicator, catalogue};
use super::register::masked;
use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db, today};

/// A visit as recorded on a phone.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct VisitInput {
    /// Set by a phone that creates the visit offline, so a retry is recognised.
    pub id: Option<Uuid>,
    /// The day of the visit (default today).
    pub visited_on: Option<Date>,
    /// Observed values by indicator code; indicators not named keep their value.
    #[serde(default)]
    pub values: BTreeMap<String, i64>,
    /// Help given (codes of `HELP_KINDS`).
    #[serde(default)]
    pub help: Vec<String>,
    /// When to come back.
    pub follow_up_on: Option<Date>,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// A visit that passed every check and may be written: by [`record_visit`] in its own
/// transaction, or by the [`super::VisitWriter`] together with other visits (group commit).
#[derive(Clone, Debug)]
pub struct CheckedVisit {
    household: HouseholdRow,
    visit: VisitRow,
    values: BTreeMap<String, i64>,
    actor: Actor,
}

impl CheckedVisit {
    /// The visit as it will be stored.
    pub fn visit(&self) -> &VisitRow {
        &self.visit
    }

    /// Who records it.
    pub(crate) fn actor_mut(&mut self) -> &mut Actor {
        &mut self.actor
    }

    /// Applies to the household only the values of indicators in `codes` (today's catalogue);
    /// the others stay in the ledger row as observed.
    pub(crate) fn apply_only(&mut self, codes: &BTreeSet<String>) {
        self.values.retain(|code, _| codes.contains(code));
    }

    /// Names `user` as the visitor (a held visit accepted by the village head is still the
    /// member's visit).
    pub(crate) fn visited_by(&mut self, user: Option<Uuid>, label: &str) {
        self.visit.visitor_id = user;
        self.visit.visitor_label = label.to_owned();
    }
}

/// Records a visit: appends it, sets the household's values, moves the village counters and
/// writes the audit entry, in one transaction. A visit whose id was already recorded changes
/// nothing (the phone retried).
pub async fn record_visit(
    db: &Db,
    actor: &Actor,
    household: Uuid,
    input: &VisitInput,
) -> AppResult<VisitRow> {
    let checked = check_visit(db, actor, household, input, None).await?;
    let mut tx = db.begin().await?;
    write_visits(&mut tx, &[&checked]).await?;
    tx.commit().await?;
    Ok(checked.visit)
}

/// Checks a visit before any write: the household exists and is in the actor's scope, the
/// dates are sensible, every value fits its indicator, every help code is known. `todays`
/// is today's indicator catalogue when the caller keeps it (the visit writer); otherwise, or
/// for a visit on another day, the catalogue is read.
pub async fn check_visit(
    db: &Db,
    actor: &Actor,
    household: Uuid,
    input: &VisitInput,
    todays: Option<Arc<Vec<Indicator>>>,
) -> AppResult<CheckedVisit> {
    let today = today();
    let visited_on = input.visited_on.unwrap_or(today);
    let indicators = match todays {
        Some(list) if visited_on == today => list,
        _ => Arc::new(catalogue(db, visited_on.min(today)).await?),
    };
    check_visit_against(db, actor, household, input, indicators).await
}

/// [`check_visit`] against a given indicator catalogue: the one a phone recorded the visit
/// under, which may be older than today's (see `offline::sync`).
pub(crate) async fn check_visit_against(
    db: &Db,
    actor: &Actor,
    household: Uuid,
    input: &VisitInput,
    indicators: Arc<Vec<Indicator>>,
) -> AppResult<CheckedVisit> {
    let today = today();
    // One read for the household, the actor's scope and whether consent events exist; the
    // policy's own check (which tells 403 from 404) runs only when the scope says no.
    let roots = actor.roots(Permission::WritePeople);
    let found = store::household_for_visit(db, household, &roots, today)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = found.row;
    if !found.in_scope {
        policy::require(db, actor, Permission::WritePeople, row.unit_id).await?;
    }
    let visited_on = input.visited_on.unwrap_or(today);
    let mut errors = Vec::new();
    if visited_on > today || visited_on.year() < 2000 {
        errors.push(CellError::keyed(
            0,
            "visited_on",
            "households-visited-on-invalid",
            &[],
        ));
    }
    if input.follow_up_on.is_some_and(|f| f < visited_on) {
        errors.push(CellError::keyed(
            0,
            "follow_up_on",
            "households-follow-up-before-visit",
            &[],
        ));
    }
    // Someone in the household withdrew the digital-adoption survey: the visit may
    // still record help and notes, not indicator values.
    if !input.values.is_empty()
        && found.has_consent_events
        && super::consent::survey_withdrawn(db, row.id).await?
    {
        errors.push(CellError::keyed(
            0,
            "values",
            "households-visit-survey-withdrawn",
            &[],
        ));
    }
    for (code, value) in &input.values {
        match indicators.iter().find(|i| &i.code == code) {
            None => errors.push(CellError::keyed(
                0,
                code,
                "households-indicator-unknown",
                &[],
            )),
            Some(i) if i.business_only && !row.business => {
                errors.push(CellError::keyed(
                    0,
                    code,
                    "households-indicator-business-only",
                    &[],
                ));
            }
            Some(i) => {
                if let Err(e) = i.kind.check(*value, row.adults) {
                    errors.push(CellError::from_message(0, code, e.message()));
                }
            }
        }
    }
    // Values that cannot be true together (VNeID level 2 above level 1), judged on the
    // household's values after this visit: read only when the visit touches them.
    let touches = |code: &str| input.values.contains_key(code);
    if errors.is_empty() && (touches("vneid_1") || touches("vneid_2")) {
        let mut after: BTreeMap<String, i64> = BTreeMap::new();
        if !(touches("vneid_1") && touches("vneid_2")) {
            after.extend(
                store::household_values(db, row.id)
                    .await?
                    .into_iter()
                    .filter(|(code, _)| code.starts_with("vneid_")),
            );
        }
        after.extend(input.values.iter().map(|(k, v)| (k.clone(), *v)));
        for (field, message) in check_together(&after) {
            errors.push(CellError::from_message(0, field, message));
        }
    }
    for help in &input.help {
        if !HELP_KINDS.iter().any(|(code, _, _)| code == help) {
            errors.push(CellError::keyed(
                0,
                "help",
                "households-help-unknown",
                &[("help", help)],
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let visit = VisitRow {
        id: input.id.unwrap_or_else(Uuid::now_v7),
        household_id: row.id,
        unit_id: row.unit_id,
        visited_on,
        visitor_id: actor.user_id,
        visitor_label: actor.label.clone(),
        observed: serde_json::to_string(&input.values).unwrap_or_else(|_| "{}".to_owned()),
        help_given: input.help.join(","),
        follow_up_on: input.follow_up_on,
        notes: input.notes.trim().chars().take(1000).collect(),
        created_at: OffsetDateTime::now_utc(),
    };
    Ok(CheckedVisit {
        household: row,
        visit,
        values: input.values.clone(),
        actor: actor.clone(),
    })
}

/// Refuses the group with [`AppError::Unauthenticated`] if a visit's API token was taken
/// from memory at an older credential generation than the one read in this transaction (the
/// visit writer then checks each such token again): a token ended before the write never
/// writes. `read` is the generation the group's first read brought along.
async fn check_credentials(
    tx: &mut Tx,
    visits: &[&CheckedVisit],
    read: Option<i64>,
) -> AppResult<()> {
    let Some(oldest) = visits.iter().filter_map(|c| c.actor.checked_at).min() else {
        return Ok(());
    };
    let current = match read {
        Some(generation) => generation,
        None => auth_store::credential_generation(&mut *tx).await?,
    };
    if oldest < current {
        return Err(AppError::Unauthenticated);
    }
    Ok(())
}

/// Writes checked visits inside `tx`, in a fixed number of statements however many there
/// are: the ledger rows, the households' changed values, their last visit and follow-up, the
/// audit entries and the village counters. Visits are applied in order, so two visits of one
/// household in the same group end as if written one after the other. A visit id already in
/// the ledger writes nothing when it was for the same household (the phone retried); for
/// another household it is a [`AppError::Conflict`] and the whole group is refused (the
/// visit writer then writes its visits one by one, so only the clashing one fails): a visit
/// is never acknowledged without being written. Returns the ids newly written.
///
/// The household's current state follows the latest visit *date*: a visit dated before the
/// household's last visit (a phone that synced late) goes into the ledger and counts as a
/// visit, but changes neither the current values (so the indicator counters, which stay the
/// sum of those values, do not move) nor the follow-up day. Every visit raises the
/// household's version by one.
pub(crate) async fn write_visits(tx: &mut Tx, visits: &[&CheckedVisit]) -> AppResult<Vec<Uuid>> {
    let mut seen: BTreeMap<Uuid, Uuid> = BTreeMap::new();
    let mut unique: Vec<&CheckedVisit> = Vec::with_capacity(visits.len());
    for checked in visits.iter().copied() {
        match seen.insert(checked.visit.id, checked.household.id) {
            None => unique.push(checked),
            Some(household) if household == checked.household.id => {}
            Some(_) => return Err(visit_id_taken(checked.visit.id)),
        }
    }
    let households: Vec<Uuid> = unique
        .iter()
        .map(|c| c.household.id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    store::lock_households(tx, &households).await?;
    let ids: Vec<Uuid> = unique.iter().map(|c| c.visit.id).collect();
    let before = store::before_visits(tx, &ids, &households).await?;
    check_credentials(tx, &unique, before.generation).await?;
    let mut replayed = BTreeSet::new();
    for (visit, household) in before.recorded {
        if seen.get(&visit).is_some_and(|mine| *mine != household) {
            return Err(visit_id_taken(visit));
        }
        replayed.insert(visit);
    }
    let new: Vec<&CheckedVisit> = unique
        .into_iter()
        .filter(|c| !replayed.contains(&c.visit.id))
        .collect();
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let mut current: BTreeMap<(Uuid, String), i64> = before
        .values
        .into_iter()
        .map(|(household, code, value)| ((household, code), value))
        .collect();
    // (last visit, follow-up) of each household, read under the lock, moved as visits apply;
    // a household without a last visit is visited for the first time.
    let mut latest: BTreeMap<Uuid, (Option<Date>, Option<Date>)> = before
        .states
        .into_iter()
        .map(|(id, last, follow_up)| (id, (last, follow_up)))
        .collect();
    let mut first: BTreeSet<Uuid> = latest
        .iter()
        .filter(|(_, (last, _))| last.is_none())
        .map(|(id, _)| *id)
        .collect();
    let mut set = BTreeMap::new();
    let mut counters: BTreeMap<(Uuid, String), i64> = BTreeMap::new();
    let mut marks: BTreeMap<Uuid, VisitMark> = BTreeMap::new();
    let mut entries = Vec::with_capacity(new.len());
    for checked in &new {
        let (row, visit) = (&checked.household, &checked.visit);
        let mut changes = Vec::new();
        let state = latest.entry(row.id).or_insert((None, None));
        let applies = state.0.is_none_or(|last| visit.visited_on >= last);
        if applies {
            *state = (Some(visit.visited_on), visit.follow_up_on);
        }
        let follow_up_on = state.1;
        for (code, value) in checked.values.iter().filter(|_| applies) {
            let key = (row.id, code.clone());
            let old = current.get(&key).copied();
            if old == Some(*value) {
                continue;
            }
            *counters
                .entry((row.unit_id, format!("ind:{code}")))
                .or_default() += value - old.unwrap_or(0);
            if old.unwrap_or(0) != *value {
                changes.push(format!("{code}: {} → {value}", old.unwrap_or(0)));
            }
            current.insert(key.clone(), *value);
            set.insert(key, *value);
        }
        let mut count = |key: String| *counters.entry((row.unit_id, key)).or_default() += 1;
        if first.remove(&row.id) {
            count("visited".to_owned());
        }
        count("visits".to_owned());
        if let Some(user) = visit.visitor_id {
            count(format!("visits:{user}"));
        }
        count(format!(
            "month:{:04}-{:02}",
            visit.visited_on.year(),
            u8::from(visit.visited_on.month())
        ));
        let mark = marks.entry(row.id).or_insert(VisitMark {
            household: row.id,
            visited_on: visit.visited_on,
            follow_up_on: None,
            visits: 0,
        });
        mark.visited_on = mark.visited_on.max(visit.visited_on);
        mark.follow_up_on = follow_up_on;
        mark.visits += 1;
        entries.push(audit::entry(
            &checked.actor,
            Change {
                action: "household.visit",
                target_type: "household",
                target_id: row.code.clone(),
                unit_id: Some(row.unit_id),
                summary: format!(
                    "{}; {}; help: {}",
                    visit.visited_on,
                    changes.join(", "),
                    visit.help_given
                ),
            },
        ));
    }
    let set: Vec<(Uuid, String, i64)> = set.into_iter().map(|((h, c), v)| (h, c, v)).collect();
    let rows: Vec<VisitRow> = new.iter().map(|c| c.visit.clone()).collect();
    let marks: Vec<VisitMark> = marks.into_values().collect();
    // Everything else needs no answer: one script (one round trip on SQLite).
    let mut script = Script::for_tx(tx);
    store::queue_visits(&mut script, &rows);
    store::queue_values(&mut script, &set);
    store::queue_marks(&mut script, &marks);
    audit_store::queue_many(&mut script, &entries);
    store::queue_counters(&mut script, &counters);
    script.run(tx).await?;
    Ok(new.iter().map(|c| c.visit.id).collect())
}

fn visit_id_taken(id: Uuid) -> AppError {
    AppError::Conflict(vec![CellError::keyed(
        0,
        "id",
        "households-visit-id-taken",
        &[("id", &id)],
    )])
}

/// A household's visits, newest first.
pub async fn visits_of(db: &Db, actor: &Actor, household: Uuid) -> AppResult<Vec<VisitRow>> {
    let row = store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadPeople, row.unit_id).await?;
    Ok(store::visits_of(db, household).await?)
}

/// "My round": the households assigned to the actor, overdue follow-ups first, then those
/// never visited, then by alley and house number.
pub async fn my_round(db: &Db, actor: &Actor, limit: i64) -> AppResult<Vec<HouseholdRow>> {
    let user = actor.user_id.ok_or(AppError::Forbidden)?;
    let rows = store::round(db, user, today(), limit.clamp(1, 500)).await?;
    let mut visible = Vec::with_capacity(rows.len());
    for row in rows {
        if policy::allows(db, actor, Permission::ReadPeople, row.unit_id).await? {
            visible.push(masked(row, actor).0);
        }
    }
    super::register::audit_unmasked_list(db, actor, &visible, "household.round_unmasked", None)
        .await?;
    Ok(visible)
}

/// Assigns a household to a team member who holds a role covering its village (or to nobody).
pub async fn assign(db: &Db, actor: &Actor, household: Uuid, user: Option<Uuid>) -> AppResult<()> {
    let row = store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::WritePeople, row.unit_id).await?;
    if let Some(user) = user
        && !visits_in(db, user, row.unit_id).await?
    {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "user",
            "households-visitor-not-in-village",
            &[],
        )]));
    }
    let mut tx = db.begin().await?;
    store::assign(&mut tx, household, user).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "household.assign",
            target_type: "household",
            target_id: row.code.clone(),
            unit_id: Some(row.unit_id),
            summary: format!("assigned_to: {:?} → {:?}", row.assigned_to, user),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `user` holds a role that writes people's data on `village` (there or above): who
/// may be given a household there to visit.
pub(crate) async fn visits_in(db: &Db, user: Uuid, village: Uuid) -> AppResult<bool> {
    for grant in auth_store::grants_of(db, user).await? {
        let role = langso_domain::auth::Role::parse(&grant.role).ok();
        let writes = role.is_some_and(|r| r.allows(Permission::WritePeople));
        if writes
            && (grant.unit_id == village
                || unit_store::is_within(db, village, grant.unit_id, today()).await?)
        {
            return Ok(true);
        }
    }
    Ok(false)
}
