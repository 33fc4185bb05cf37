//! Where a person is reached (e-mail, phone) and how they want to be told (channels, quiet
//! hours, at once or in the digest, per kind). A person changes their own; whoever manages
//! their account changes their contacts. Every change is audited.

use langso_domain::notices::{CHANNELS, MODES, Preferences, parse_clock, phone_84, validate_email};
use langso_store::comms::{self as store, PreferenceRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::notify::preferences_of;
use crate::audit::{self, Change};
use crate::{Actor, AppError, AppResult, CellError, Db};

/// A person's contacts and preferences, as their page shows them.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The user.
    pub user_id: Uuid,
    /// Their name.
    pub display_name: String,
    /// E-mail address.
    pub email: String,
    /// Phone, `84…` form.
    pub phone: String,
    /// Preferences (the defaults when never saved).
    pub preferences: Preferences,
}

/// Contacts as typed into a form.
#[derive(Clone, Debug, Default)]
pub struct ContactsInput {
    /// E-mail address, may be empty.
    pub email: String,
    /// Phone, may be empty.
    pub phone: String,
}

/// Preferences as typed into a form.
#[derive(Clone, Debug, Default)]
pub struct PreferencesInput {
    /// Chosen channels.
    pub channels: Vec<String>,
    /// "HH:MM".
    pub quiet_start: String,
    /// "HH:MM".
    pub quiet_end: String,
    /// Mode for new fault reports.
    pub fault: String,
    /// Mode for raised alarms.
    pub alarm: String,
    /// Mode for follow-ups due.
    pub follow_up: String,
}

/// The settings of `user`: their own, or of an account the actor manages.
pub async fn settings(db: &Db, actor: &Actor, user: Uuid) -> AppResult<Settings> {
    crate::auth::get_user(db, actor, user).await?;
    let r = store::recipient(db, user)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Settings {
        user_id: r.id,
        display_name: r.display_name.clone(),
        email: r.email.clone().unwrap_or_default(),
        phone: r.phone.clone().unwrap_or_default(),
        preferences: preferences_of(&r),
    })
}

/// Sets the contacts of `user` (their own, or an account the actor manages): each checked,
/// an empty field clears it.
pub async fn save_contacts(
    db: &Db,
    actor: &Actor,
    user: Uuid,
    input: &ContactsInput,
) -> AppResult<()> {
    let view = crate::auth::get_user(db, actor, user).await?;
    let mut errors = Vec::new();
    let (email, phone) = check_contacts(input, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    write_contacts(&mut tx, actor, &view, email, phone).await?;
    tx.commit().await?;
    Ok(())
}

/// The contacts of an account the actor manages, as its page shows them: the phone masked
/// unless the actor holds the PII right (then the flag is true and the number is whole).
pub async fn managed_contacts(
    db: &Db,
    actor: &Actor,
    user: Uuid,
) -> AppResult<(String, String, bool)> {
    let s = settings(db, actor, user).await?;
    let phone = if actor.pii || s.phone.is_empty() {
        s.phone
    } else {
        langso_domain::auth::mask_personal(&s.phone)
    };
    Ok((s.email, phone, actor.pii))
}

/// Sets the contacts of an account the actor manages from its page: as [`save_contacts`],
/// except that a manager without the PII right, who saw the phone masked, keeps it by leaving
/// the field empty (they can replace it, not read it).
pub async fn save_managed_contacts(
    db: &Db,
    actor: &Actor,
    user: Uuid,
    input: &ContactsInput,
) -> AppResult<()> {
    let mut input = input.clone();
    if !actor.pii && input.phone.trim().is_empty() {
        input.phone = settings(db, actor, user).await?.phone;
    }
    save_contacts(db, actor, user, &input).await
}

/// Sets the actor's own preferences.
pub async fn save_preferences(db: &Db, actor: &Actor, input: &PreferencesInput) -> AppResult<()> {
    let user = actor.user_id.ok_or(AppError::Forbidden)?;
    let mut errors = Vec::new();
    let row = check_preferences(user, input, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    write_preferences(&mut tx, actor, &row).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the actor's own contacts and preferences at once: both checked before anything is
/// written, so a refusal changes nothing.
pub async fn save_own(
    db: &Db,
    actor: &Actor,
    user: Uuid,
    contacts: &ContactsInput,
    prefs: &PreferencesInput,
) -> AppResult<()> {
    if actor.user_id != Some(user) {
        return Err(AppError::NotFound);
    }
    let view = crate::auth::get_user(db, actor, user).await?;
    let mut errors = Vec::new();
    let (email, phone) = check_contacts(contacts, &mut errors);
    let row = check_preferences(user, prefs, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    write_contacts(&mut tx, actor, &view, email, phone).await?;
    write_preferences(&mut tx, actor, &row).await?;
    tx.commit().await?;
    Ok(())
}

fn check_contacts(
    input: &ContactsInput,
    errors: &mut Vec<CellError>,
) -> (Option<String>, Option<String>) {
    let email = match input.email.trim() {
        "" => None,
        text => validate_email(text)
            .map_err(|m| errors.push(CellError::from_message(0, "email", m)))
            .ok(),
    };
    let phone = match input.phone.trim() {
        "" => None,
        text => phone_84(text)
            .map_err(|m| errors.push(CellError::from_message(0, "phone", m)))
            .ok(),
    };
    (email, phone)
}

async fn write_contacts(
    tx: &mut langso_store::Tx,
    actor: &Actor,
    view: &crate::auth::UserView,
    email: Option<String>,
    phone: Option<String>,
) -> AppResult<()> {
    store::set_contacts(tx, view.user.id, email.as_deref(), phone.as_deref()).await?;
    audit::record(
        tx,
        actor,
        Change {
            action: "user.contacts",
            target_type: "user",
            target_id: view.user.login.clone(),
            unit_id: view.grants.first().map(|g| g.unit_id),
            summary: format!(
                "email={} phone={}",
                email.is_some(),
                phone.as_deref().map(mask).unwrap_or_default()
            ),
        },
    )
    .await
}

fn mask(phone: &str) -> String {
    let tail: String = phone
        .chars()
        .skip(phone.chars().count().saturating_sub(3))
        .collect();
    format!("…{tail}")
}

fn check_preferences(
    user: Uuid,
    input: &PreferencesInput,
    errors: &mut Vec<CellError>,
) -> PreferenceRow {
    let mut channels = Vec::new();
    for channel in &input.channels {
        match CHANNELS.iter().find(|c| **c == channel.as_str()) {
            Some(c) if !channels.contains(c) => channels.push(*c),
            Some(_) => {}
            None => errors.push(CellError::keyed(
                0,
                "channels",
                "comms-channel-unknown",
                &[],
            )),
        }
    }
    let mut clock = |field: &str, text: &str| {
        parse_clock(text).unwrap_or_else(|| {
            errors.push(CellError::keyed(0, field, "comms-clock-invalid", &[]));
            0
        })
    };
    let quiet_start = clock("quiet_start", &input.quiet_start);
    let quiet_end = clock("quiet_end", &input.quiet_end);
    let mut mode = |field: &str, text: &str| {
        if MODES.contains(&text) {
            text.to_owned()
        } else {
            errors.push(CellError::keyed(0, field, "comms-mode-unknown", &[]));
            String::new()
        }
    };
    PreferenceRow {
        user_id: user,
        channels: channels.join(","),
        quiet_start,
        quiet_end,
        fault_mode: mode("fault", &input.fault),
        alarm_mode: mode("alarm", &input.alarm),
        follow_up_mode: mode("follow_up", &input.follow_up),
        updated_at: OffsetDateTime::now_utc(),
    }
}

async fn write_preferences(
    tx: &mut langso_store::Tx,
    actor: &Actor,
    row: &PreferenceRow,
) -> AppResult<()> {
    store::upsert_preferences(tx, row).await?;
    audit::record(
        tx,
        actor,
        Change {
            action: "user.preferences",
            target_type: "user",
            target_id: row.user_id.to_string(),
            unit_id: actor.grants.first().map(|g| g.unit_id),
            summary: format!(
                "channels={} quiet={}-{} modes={}/{}/{}",
                row.channels,
                row.quiet_start,
                row.quiet_end,
                row.fault_mode,
                row.alarm_mode,
                row.follow_up_mode
            ),
        },
    )
    .await
}
