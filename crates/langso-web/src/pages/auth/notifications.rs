//! "My notifications": where I am reached (e-mail, phone) and how I want to be told of new
//! fault reports, raised alarms and follow-ups due (channels, quiet hours, at once or in the
//! morning digest). One plain form; checkboxes and selects, no script.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use langso_app::comms::preferences::{self as actions, ContactsInput, PreferencesInput};
use langso_domain::notices::{CHANNELS, KINDS, MODES, clock};
use serde::Deserialize;

use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, render_form};

/// The form as typed (checkboxes arrive only when ticked).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct NotificationsForm {
    email: String,
    phone: String,
    channel_email: String,
    channel_sms: String,
    channel_zns: String,
    quiet_start: String,
    quiet_end: String,
    fault: String,
    alarm: String,
    follow_up: String,
}

#[derive(Template)]
#[template(path = "account_notifications.html")]
struct NotificationsPage {
    chrome: Chrome,
    form: NotificationsForm,
    channels: Vec<(&'static str, bool)>,
    /// (kind, chosen mode).
    kinds: Vec<(&'static str, String)>,
    modes: [&'static str; 3],
    errors: Vec<(String, String)>,
    saved: bool,
}

impl NotificationsForm {
    fn chosen(&self, channel: &str) -> bool {
        match channel {
            "email" => !self.channel_email.is_empty(),
            "sms" => !self.channel_sms.is_empty(),
            _ => !self.channel_zns.is_empty(),
        }
    }

    fn mode(&self, kind: &str) -> String {
        match kind {
            "fault" => self.fault.clone(),
            "alarm" => self.alarm.clone(),
            _ => self.follow_up.clone(),
        }
    }
}

fn notifications_page(
    page: &Page,
    form: NotificationsForm,
    errors: Vec<(String, String)>,
    saved: bool,
) -> Response {
    let channels = CHANNELS.iter().map(|c| (*c, form.chosen(c))).collect();
    let kinds = KINDS.iter().map(|k| (*k, form.mode(k))).collect();
    let refused = errors.clone();
    render_form(
        &NotificationsPage {
            chrome: page.chrome.clone(),
            form,
            channels,
            kinds,
            modes: MODES,
            errors,
            saved,
        },
        &refused,
    )
}

/// `?saved=1` after a save.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SavedQuery {
    saved: String,
}

/// The page, filled with what is stored.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    axum::extract::Query(query): axum::extract::Query<SavedQuery>,
) -> Result<Response, PageError> {
    let user = page.actor.user_id.ok_or_else(|| page.not_found())?;
    let s = actions::settings(&state.db, &page.actor, user)
        .await
        .map_err(page.failing())?;
    let p = &s.preferences;
    let has = |c: &str| {
        if p.channels.iter().any(|x| x == c) {
            "1"
        } else {
            ""
        }
        .to_owned()
    };
    let form = NotificationsForm {
        email: s.email,
        phone: s.phone,
        channel_email: has("email"),
        channel_sms: has("sms"),
        channel_zns: has("zns"),
        quiet_start: clock(p.quiet_start),
        quiet_end: clock(p.quiet_end),
        fault: p.fault.clone(),
        alarm: p.alarm.clone(),
        follow_up: p.follow_up.clone(),
    };
    Ok(notifications_page(
        &page,
        form,
        Vec::new(),
        !query.saved.is_empty(),
    ))
}

/// Saves contacts and preferences; the form again with what was refused.
pub(super) async fn save(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<NotificationsForm>,
) -> Result<Response, PageError> {
    let user = page.actor.user_id.ok_or_else(|| page.not_found())?;
    let contacts = ContactsInput {
        email: form.email.clone(),
        phone: form.phone.clone(),
    };
    let prefs = PreferencesInput {
        channels: CHANNELS
            .iter()
            .filter(|c| form.chosen(c))
            .map(|c| (*c).to_owned())
            .collect(),
        quiet_start: form.quiet_start.clone(),
        quiet_end: form.quiet_end.clone(),
        fault: form.fault.clone(),
        alarm: form.alarm.clone(),
        follow_up: form.follow_up.clone(),
    };
    let result = actions::save_own(&state.db, &page.actor, user, &contacts, &prefs).await;
    page.form_or_redirect(
        result,
        |_| "/account/notifications?saved=1".to_owned(),
        async |errors| Ok(notifications_page(&page, form, errors, false)),
    )
    .await
}
