//! One account as its manager sees it: its roles, each with a revoke button; a form granting
//! one more role on a unit picked from the list; resetting its password (typed by the officer,
//! or a temporary one shown once); disabling it. Every change goes through the same
//! langso-app functions as the CLI and the API, so the rule that nobody grants more than they
//! hold on that unit holds here too.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use langso_app::auth::{self as actions, UserView};
use langso_app::{Actor, AppResult};
use langso_domain::auth::Role;
use serde::Deserialize;
use uuid::Uuid;

use super::users::{DEFAULT_ROLE, refused, roles_for, unit_picker};
use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, UnitPicker};

#[derive(Template)]
#[template(path = "user.html")]
struct UserPage {
    chrome: Chrome,
    view: UserView,
    /// The roles the reader may grant, and the one the grant form shows chosen.
    roles: Vec<&'static str>,
    role: String,
    /// The unit of the next grant, picked by its told-apart name.
    unit_picker: UnitPicker,
    /// Refused fields of the grant or password form.
    errors: Vec<(String, String)>,
    /// A temporary password just made: shown on this answer only.
    temporary: Option<String>,
    /// Whether the reader is looking at their own account (no reset, no disable here).
    own: bool,
    /// The typed password was just set.
    reset_done: bool,
    /// The phones holding a copy of the member's offline round, each with "revoke" (issue 18).
    devices: Vec<crate::html::DeviceLine>,
    device_action: String,
    device_verb: &'static str,
    device_button: &'static str,
    /// The account's e-mail and phone as the form shows them (the phone masked without the
    /// PII right), or as just typed when refused.
    contacts: ContactsForm,
    /// The phone is shown whole.
    phone_full: bool,
    /// The contacts were just saved.
    contacts_saved: bool,
}

/// What the account page says besides the account: a temporary password shown once, a
/// password or contacts just set, contacts as typed when refused.
#[derive(Default)]
struct Notes {
    temporary: Option<String>,
    reset_done: bool,
    contacts_saved: bool,
    typed: Option<ContactsForm>,
}

/// The contacts form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ContactsForm {
    email: String,
    phone: String,
}

/// `?reset=1` after a typed password was set.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ShowQuery {
    reset: Option<String>,
    contacts: Option<String>,
}

/// The grant form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct GrantForm {
    role: String,
    unit: String,
}

/// A revoke button: the grant's role and unit id.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RevokeForm {
    role: String,
    unit: String,
}

/// The reset form: a password typed by the officer, or nothing for a temporary one.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PasswordForm {
    password: String,
}

/// The account page, with `errors` beside the grant and password fields and `temporary` shown
/// once. Never cached: it may carry a password.
async fn user_page(
    state: &AppState,
    page: &Page,
    id: Uuid,
    errors: Vec<(String, String)>,
    grant: GrantForm,
    notes: Notes,
) -> Result<Response, PageError> {
    let Notes {
        temporary,
        reset_done,
        contacts_saved,
        typed,
    } = notes;
    let (email, phone, phone_full) =
        langso_app::comms::preferences::managed_contacts(&state.db, &page.actor, id)
            .await
            .map_err(page.failing())?;
    let contacts = typed.unwrap_or(ContactsForm { email, phone });
    let view = actions::get_user(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let mut unit_picker = unit_picker(state, page).await?;
    if !grant.unit.trim().is_empty() {
        unit_picker.picked(&grant.unit);
    }
    let own = page.actor.user_id == Some(id);
    let devices = langso_app::households::offline::user_devices(&state.db, &page.actor, id)
        .await
        .unwrap_or_default();
    let body = UserPage {
        devices: crate::html::device_lines(&page.chrome, &devices),
        device_action: format!("/admin/users/{id}/devices"),
        device_verb: "revoke",
        device_button: "rounds-devices-revoke",
        chrome: page.chrome.clone(),
        view,
        roles: roles_for(&page.actor),
        role: if grant.role.is_empty() {
            DEFAULT_ROLE.to_owned()
        } else {
            grant.role
        },
        unit_picker,
        errors: errors.clone(),
        temporary,
        own,
        reset_done,
        contacts,
        phone_full,
        contacts_saved,
    };
    let mut response = crate::html::render_form(&body, &errors);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// `GET /admin/users/{id}`.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let notes = Notes {
        reset_done: query.reset.is_some(),
        contacts_saved: query.contacts.is_some(),
        ..Notes::default()
    };
    user_page(&state, &page, id, Vec::new(), GrantForm::default(), notes).await
}

/// The role named by a form field, or a refusal naming the field.
fn role_of(text: &str) -> AppResult<Role> {
    Role::parse(text).map_err(|_| refused("role", "users-role-unknown", &[("role", &text)]))
}

/// Grants the role on the picked unit (refused, beside its field, when it would give more
/// than the reader holds there).
async fn grant_on(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    form: &GrantForm,
    unit: Option<Uuid>,
) -> AppResult<()> {
    // Someone the reader may not manage is not found (or forbidden) before any field is read.
    actions::get_user(&state.db, actor, id).await?;
    let role = role_of(&form.role)?;
    let unit = unit.ok_or_else(|| refused("unit", "units-picker-none", &[]))?;
    if !langso_app::auth::policy::may_grant_on(&state.db, actor, role, unit).await? {
        return Err(refused("role", "users-grant-too-much", &[]));
    }
    actions::grant_role(&state.db, actor, id, role, unit).await
}

/// `POST /admin/users/{id}/grant`.
pub(super) async fn grant(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<GrantForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let mut picker = unit_picker(&state, &page).await.ok();
    let unit = crate::html::picked_or_named(&state.db, picker.as_mut(), &form.unit).await;
    let result = grant_on(&state, &page.actor, id, &form, unit).await;
    page.form_or_redirect(
        result,
        |_| format!("/admin/users/{id}"),
        async |errors| user_page(&state, &page, id, errors, form, Notes::default()).await,
    )
    .await
}

/// `POST /admin/users/{id}/revoke`: one role on one unit.
pub(super) async fn revoke(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<RevokeForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let unit = page.id(&form.unit)?;
    let result = match role_of(&form.role) {
        Ok(role) => actions::revoke_role(&state.db, &page.actor, id, role, unit).await,
        Err(e) => Err(e),
    };
    page.form_or_redirect(
        result,
        |_| format!("/admin/users/{id}"),
        async |errors| {
            user_page(
                &state,
                &page,
                id,
                errors,
                GrantForm::default(),
                Notes::default(),
            )
            .await
        },
    )
    .await
}

/// `POST /admin/users/{id}/password`: the typed password, or a temporary one shown on the
/// answer (not a redirect: it must not be kept anywhere to be shown again).
pub(super) async fn password(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    match actions::reset_password_or_temporary(&state.db, &page.actor, id, &form.password).await {
        Ok(Some(temporary)) => {
            let notes = Notes {
                temporary: Some(temporary),
                ..Notes::default()
            };
            user_page(&state, &page, id, Vec::new(), GrantForm::default(), notes).await
        }
        result => {
            page.form_or_redirect(
                result,
                |_| format!("/admin/users/{id}?reset=1"),
                async |errors| {
                    user_page(
                        &state,
                        &page,
                        id,
                        errors,
                        GrantForm::default(),
                        Notes::default(),
                    )
                    .await
                },
            )
            .await
        }
    }
}

/// `POST /admin/users/{id}/disable`: the account can no longer sign in; its sessions end.
pub(super) async fn disable(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    actions::disable_user(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    Ok(axum::response::Redirect::to(&format!("/admin/users/{id}")).into_response())
}

/// `POST /admin/users/{id}/contacts`: the account's e-mail and phone, set by its manager
/// (scoped and audited as the other changes here; a manager without the PII right keeps the
/// masked phone by leaving the field empty).
pub(super) async fn contacts(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ContactsForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let input = langso_app::comms::preferences::ContactsInput {
        email: form.email.clone(),
        phone: form.phone.clone(),
    };
    let result =
        langso_app::comms::preferences::save_managed_contacts(&state.db, &page.actor, id, &input)
            .await;
    page.form_or_redirect(
        result,
        |_| format!("/admin/users/{id}?contacts=1"),
        async |errors| {
            let notes = Notes {
                typed: Some(form),
                ..Notes::default()
            };
            user_page(&state, &page, id, errors, GrantForm::default(), notes).await
        },
    )
    .await
}
