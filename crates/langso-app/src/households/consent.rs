//! Consent given and withdrawn by the people of a household, kept as a ledger (who in the
//! household, the purposes, the day, how: a paper form with its scan, on the phone with the
//! team member who heard it, in person). The household row keeps the current state in the
//! same transaction ([`langso_domain::consent`] says how the people's consents combine).
//! Withdrawing stops messages at once: the household's queued messages become withheld in
//! the withdrawal's transaction, and [`may_contact`] answers no from then on; a withdrawn
//! survey refuses new indicator values on a visit ([`survey_withdrawn`]).

use langso_domain::auth::Permission;
use langso_domain::consent::{self as rules, Event, METHODS, PURPOSES, RELATIONS};
use langso_store::Exec;
use langso_store::households::{self as store, ConsentRow, HouseholdRow};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::policy;
use crate::{Actor, AppError, AppResult, CellError, Db, today};

/// Why queued messages were withheld.
pub const WITHDRAWN_REASON: &str = "consent-withdrawn";
/// The longest name, relation note or confirmer's name accepted.
const MAX_NAME: usize = 100;

/// A giving or withdrawal as typed into the form.
#[derive(Clone, Debug, Default)]
pub struct ConsentInput {
    /// The day, `YYYY-MM-DD` (empty: today).
    pub on: String,
    /// Purpose codes (given; or withdrawn, none: all).
    pub purposes: Vec<String>,
    /// The purpose as written on the form, or a note.
    pub purpose: String,
    /// `paper`, `phone` or `in_person`.
    pub method: String,
    /// Who in the household (empty: the representative).
    pub person_name: String,
    /// Their relation, one of [`RELATIONS`] (empty: `representative`).
    pub relation: String,
    /// The team member who heard the person on the phone (empty: the actor).
    pub confirmed_by: String,
}

fn event_of(row: &ConsentRow) -> Event<'_> {
    Event {
        person: &row.person_name,
        relation: &row.relation,
        given: row.event == "given",
        purposes: &row.purposes,
        on: row.on_date,
    }
}

/// The people's consents of a household now; `None` when no event was recorded yet (then
/// the register's own consent day is all there is).
pub async fn consent_state(
    ex: impl Into<Exec<'_>>,
    household: Uuid,
) -> AppResult<Option<rules::Household>> {
    let events = store::consent_events(ex, household).await?;
    Ok((!events.is_empty()).then(|| rules::fold_events(events.iter().map(event_of))))
}

/// Whether a household may be contacted for `purpose` (`announcements`: SMS/Zalo messages,
/// `programme`: the village group): someone's consent to it is in force and nobody's
/// withdrawal is. Before any event, the register's consent covers every kind of contact.
/// Every enqueuer of messages to households asks this in its transaction.
pub async fn may_contact(
    ex: impl Into<Exec<'_>>,
    household: Uuid,
    purpose: &str,
) -> AppResult<bool> {
    let mut ex = ex.into();
    Ok(match consent_state(ex.reborrow(), household).await? {
        Some(state) => state.allows(purpose),
        None => matches!(
            store::contact_consent(ex, household).await?,
            Some((Some(_), _))
        ),
    })
}

/// Whether someone in the household withdrew the digital-adoption survey. A visit then
/// records no indicator values (help and notes still): the survey is refused only after a
/// withdrawal, because every household visited before consent was kept per person would
/// otherwise stop the programme's work until a paper form came back.
pub async fn survey_withdrawn(ex: impl Into<Exec<'_>>, household: Uuid) -> AppResult<bool> {
    Ok(consent_state(ex, household)
        .await?
        .is_some_and(|s| s.withdrawn(rules::SURVEY)))
}

/// Before the first event of a household whose register says it consented (an import, the
/// demo): that consent becomes the representative's event, so the people's ledger starts
/// from what the register held.
async fn carry_register(tx: &mut langso_store::Tx, row: &HouseholdRow) -> AppResult<()> {
    let Some(on) = row.consent_on else {
        return Ok(());
    };
    if !store::consent_events(&mut *tx, row.id).await?.is_empty() {
        return Ok(());
    }
    let carried = ConsentRow {
        id: Uuid::now_v7(),
        household_id: row.id,
        unit_id: row.unit_id,
        event: "given".to_owned(),
        on_date: on,
        purposes: PURPOSES.join(","),
        purpose: row.consent_purpose.clone(),
        method: "register".to_owned(),
        actor_label: "register".to_owned(),
        created_at: row.updated_at.min(OffsetDateTime::now_utc()),
        person_name: row.representative_name.clone(),
        relation: "representative".to_owned(),
        confirmed_by: String::new(),
        has_scan: false,
    };
    store::insert_event(tx, &carried).await?;
    Ok(())
}

/// Keeps the ledger in step when the register's own form (or file) changes the consent day
/// or purpose: the representative's event "by the register", and a withdrawal withholds
/// queued messages.
pub(crate) async fn register_changed(
    tx: &mut langso_store::Tx,
    actor: &Actor,
    row: &HouseholdRow,
) -> AppResult<()> {
    let given = row.consent_on.is_some();
    let event = ConsentRow {
        id: Uuid::now_v7(),
        household_id: row.id,
        unit_id: row.unit_id,
        event: if given { "given" } else { "withdrawn" }.to_owned(),
        on_date: row.consent_on.unwrap_or_else(today),
        purposes: if given {
            PURPOSES.join(",")
        } else {
            String::new()
        },
        purpose: row.consent_purpose.clone(),
        method: "register".to_owned(),
        actor_label: actor.label.clone(),
        created_at: OffsetDateTime::now_utc(),
        person_name: row.representative_name.clone(),
        relation: "representative".to_owned(),
        confirmed_by: String::new(),
        has_scan: false,
    };
    store::insert_consent(tx, &event).await?;
    if !given {
        langso_store::comms::withhold_household_messages(tx, row.id, WITHDRAWN_REASON).await?;
    }
    Ok(())
}

/// A household's consent events, newest first.
pub async fn consent_history(
    db: &Db,
    actor: &Actor,
    household: Uuid,
) -> AppResult<Vec<ConsentRow>> {
    let row = store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadPeople, row.unit_id).await?;
    Ok(store::consents_of(db, household).await?)
}

/// Records consent given; returns the event (a paper form's scan is attached to it).
pub async fn record_consent(
    db: &Db,
    actor: &Actor,
    household: Uuid,
    input: &ConsentInput,
) -> AppResult<ConsentRow> {
    write(db, actor, household, input, true).await
}

/// Records consent withdrawn: when the household may no longer receive messages, its queued
/// messages are withheld at once.
pub async fn withdraw_consent(
    db: &Db,
    actor: &Actor,
    household: Uuid,
    input: &ConsentInput,
) -> AppResult<ConsentRow> {
    write(db, actor, household, input, false).await
}

fn keyed(field: &str, key: &'static str) -> CellError {
    CellError::keyed(0, field, key, &[])
}

/// A name-like field: trimmed, XML-safe, at most [`MAX_NAME`] characters.
fn name_field(text: &str, field: &str, errors: &mut Vec<CellError>) -> String {
    let text = langso_domain::public_text::xml_safe(text.trim()).into_owned();
    if text.chars().count() > MAX_NAME {
        errors.push(CellError::keyed(
            0,
            field,
            "households-consent-name-length",
            &[("limit", &MAX_NAME)],
        ));
    }
    text
}

async fn write(
    db: &Db,
    actor: &Actor,
    household: Uuid,
    input: &ConsentInput,
    given: bool,
) -> AppResult<ConsentRow> {
    let row = store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::WritePeople, row.unit_id).await?;
    let mut errors = Vec::new();
    let on = match input.on.trim() {
        "" => Some(today()),
        text => match langso_domain::units::parse_date(text) {
            Ok(d) if d <= today() => Some(d),
            _ => {
                errors.push(keyed("on", "households-consent-date"));
                None
            }
        },
    };
    let mut purposes = Vec::new();
    for p in &input.purposes {
        match PURPOSES.iter().find(|k| **k == p.as_str()) {
            Some(k) if !purposes.contains(k) => purposes.push(*k),
            Some(_) => {}
            None => errors.push(keyed("purposes", "households-consent-purpose")),
        }
    }
    if given && purposes.is_empty() {
        errors.push(keyed("purposes", "households-consent-purpose"));
    }
    if !METHODS.contains(&input.method.as_str()) {
        errors.push(keyed("method", "households-consent-method"));
    }
    let relation = match input.relation.trim() {
        "" => "representative",
        r => RELATIONS
            .iter()
            .find(|k| **k == r)
            .copied()
            .unwrap_or_else(|| {
                errors.push(keyed("relation", "households-consent-relation"));
                "representative"
            }),
    };
    let mut person_name = name_field(&input.person_name, "person_name", &mut errors);
    if person_name.is_empty() {
        person_name = row.representative_name.clone();
    }
    // On the phone: the team member who heard the person; by default the one recording it.
    let mut confirmed_by = name_field(&input.confirmed_by, "confirmed_by", &mut errors);
    if confirmed_by.is_empty() {
        confirmed_by = actor.label.clone();
    }
    let purpose = langso_domain::public_text::xml_safe(input.purpose.trim()).into_owned();
    if purpose.chars().count() > 200 {
        errors.push(CellError::keyed(
            0,
            "purpose",
            "households-consent-note-length",
            &[("limit", &200)],
        ));
    }
    let (Some(on), true) = (on, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let event = ConsentRow {
        id: Uuid::now_v7(),
        household_id: row.id,
        unit_id: row.unit_id,
        event: if given { "given" } else { "withdrawn" }.to_owned(),
        on_date: on,
        purposes: purposes.join(","),
        purpose,
        method: input.method.clone(),
        actor_label: actor.label.clone(),
        created_at: OffsetDateTime::now_utc(),
        person_name,
        relation: relation.to_owned(),
        confirmed_by: if input.method == "phone" {
            confirmed_by
        } else {
            String::new()
        },
        has_scan: false,
    };
    let mut tx = db.begin().await?;
    carry_register(&mut tx, &row).await?;
    store::insert_event(&mut tx, &event).await?;
    let state = consent_state(&mut tx, row.id).await?.unwrap_or_default();
    let since = state.in_force_since();
    let words = match (since, given) {
        (None, _) => "",
        (Some(_), true) => event.purpose.as_str(),
        (Some(_), false) => row.consent_purpose.as_str(),
    };
    store::set_current(&mut tx, row.id, since, words, event.created_at).await?;
    let withheld = if given || state.allows("announcements") {
        0
    } else {
        langso_store::comms::withhold_household_messages(&mut tx, row.id, WITHDRAWN_REASON).await?
    };
    audit::record(
        &mut tx,
        actor,
        Change {
            action: if given {
                "household.consent_given"
            } else {
                "household.consent_withdrawn"
            },
            target_type: "household",
            target_id: row.code.clone(),
            unit_id: Some(row.unit_id),
            summary: format!(
                "on={on} method={} purposes={} relation={} withheld={withheld}",
                event.method, event.purposes, event.relation
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}
