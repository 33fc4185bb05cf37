//! A household's consent to be contacted, kept as a ledger (given, withdrawn) with the day,
//! what it covers and how it was given; the household row keeps the current state in the same
//! transaction. Withdrawing stops messages at once: the household's queued messages become
//! withheld in the withdrawal's transaction, and [`may_contact`] answers no from then on.

use langso_domain::auth::Permission;
use langso_domain::notices::{METHODS, PURPOSES};
use langso_store::Exec;
use langso_store::households::{self as store, ConsentRow};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::policy;
use crate::{Actor, AppError, AppResult, CellError, Db, today};

/// Why queued messages were withheld.
pub const WITHDRAWN_REASON: &str = "consent-withdrawn";

/// A giving or withdrawal as typed into the form.
#[derive(Clone, Debug, Default)]
pub struct ConsentInput {
    /// The day, `YYYY-MM-DD` (empty: today).
    pub on: String,
    /// Purpose codes (for a giving).
    pub purposes: Vec<String>,
    /// The purpose as written on the form, or a note.
    pub purpose: String,
    /// `paper`, `phone` or `in_person`.
    pub method: String,
}

/// Whether a household may be contacted for `purpose` (one of `announcements`, `programme`):
/// it has consent today (the register's `consent_on`, kept by every event), and its latest
/// event covers the purpose (a consent from the register, before any event, covers all).
/// Every enqueuer of messages to households asks this in its transaction.
pub async fn may_contact(
    ex: impl Into<Exec<'_>>,
    household: Uuid,
    purpose: &str,
) -> AppResult<bool> {
    Ok(match store::contact_consent(ex, household).await? {
        Some((Some(_), purposes)) => {
            purposes.is_none_or(|p| p.split(',').any(|code| code == purpose))
        }
        _ => false,
    })
}

/// Keeps the ledger in step when the register's own form (or file) changes the consent day
/// or purpose: an event "by the register", and a withdrawal withholds queued messages.
pub(crate) async fn register_changed(
    tx: &mut langso_store::Tx,
    actor: &Actor,
    row: &langso_store::households::HouseholdRow,
) -> AppResult<()> {
    let event = ConsentRow {
        id: Uuid::now_v7(),
        household_id: row.id,
        unit_id: row.unit_id,
        event: if row.consent_on.is_some() {
            "given"
        } else {
            "withdrawn"
        }
        .to_owned(),
        on_date: row.consent_on.unwrap_or_else(today),
        purposes: if row.consent_on.is_some() {
            PURPOSES.join(",")
        } else {
            String::new()
        },
        purpose: row.consent_purpose.clone(),
        method: "register".to_owned(),
        actor_label: actor.label.clone(),
        created_at: OffsetDateTime::now_utc(),
    };
    store::insert_consent(tx, &event).await?;
    if row.consent_on.is_none() {
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

/// Records consent given.
pub async fn record_consent(
    db: &Db,
    actor: &Actor,
    household: Uuid,
    input: &ConsentInput,
) -> AppResult<()> {
    write(db, actor, household, input, true).await
}

/// Records consent withdrawn: the household's queued messages are withheld at once.
pub async fn withdraw_consent(
    db: &Db,
    actor: &Actor,
    household: Uuid,
    input: &ConsentInput,
) -> AppResult<()> {
    write(db, actor, household, input, false).await
}

async fn write(
    db: &Db,
    actor: &Actor,
    household: Uuid,
    input: &ConsentInput,
    given: bool,
) -> AppResult<()> {
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
                errors.push(CellError::keyed(0, "on", "households-consent-date", &[]));
                None
            }
        },
    };
    let mut purposes = Vec::new();
    if given {
        for p in &input.purposes {
            match PURPOSES.iter().find(|k| **k == p.as_str()) {
                Some(k) if !purposes.contains(k) => purposes.push(*k),
                Some(_) => {}
                None => errors.push(CellError::keyed(
                    0,
                    "purposes",
                    "households-consent-purpose",
                    &[],
                )),
            }
        }
        if purposes.is_empty() {
            errors.push(CellError::keyed(
                0,
                "purposes",
                "households-consent-purpose",
                &[],
            ));
        }
    }
    if !METHODS.contains(&input.method.as_str()) {
        errors.push(CellError::keyed(
            0,
            "method",
            "households-consent-method",
            &[],
        ));
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
    };
    let mut tx = db.begin().await?;
    store::insert_consent(&mut tx, &event).await?;
    let withheld = if given {
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
                "on={on} method={} purposes={} withheld={withheld}",
                event.method, event.purposes
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
