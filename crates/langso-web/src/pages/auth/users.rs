//! The accounts an officer manages: the list with the creation form, one account, disabling
//! it (which ends its open sessions).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use langso_app::auth::{self as actions, NewAccount, UserView};
use langso_app::{Actor, AppError, AppResult, CellError};
use langso_domain::auth::Permission;
use langso_domain::auth::Role;
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, UnitPicker};

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserView>,
    roles: Vec<&'static str>,
    errors: Vec<(String, String)>,
    form: UserForm,
    /// The unit the new account is granted on, picked by its told-apart name.
    unit_picker: UnitPicker,
}

/// The creation form, as typed (the password is never sent back).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct UserForm {
    login: String,
    display_name: String,
    password: String,
    role: String,
    unit: String,
    pii: Option<String>,
}

/// The role a new account or grant is offered first: the least powerful that still works
/// (a team member), never an administrator.
pub(super) const DEFAULT_ROLE: &str = "team_member";

/// The roles `actor` may give.
pub(super) fn roles_for(actor: &Actor) -> Vec<&'static str> {
    Role::ALL
        .into_iter()
        .filter(|r| actor.is_admin() || actor.grants.iter().any(|g| g.role.may_grant(*r)))
        .map(Role::as_str)
        .collect()
}

pub(super) fn refused(
    field: &str,
    key: &'static str,
    args: &[(&'static str, &dyn std::fmt::Display)],
) -> AppError {
    AppError::Invalid(vec![CellError::keyed(0, field, key, args)])
}

/// The list and the creation form, with `errors` beside their fields.
async fn list_page(
    state: &AppState,
    page: &Page,
    errors: Vec<(String, String)>,
    form: UserForm,
) -> Result<Response, PageError> {
    let users = actions::list_users(&state.db, &page.actor)
        .await
        .map_err(page.failing())?;
    let mut unit_picker = unit_picker(state, page).await?;
    if !form.unit.trim().is_empty() {
        unit_picker.picked(&form.unit);
    }
    Ok(crate::html::render_form(
        &UsersPage {
            chrome: page.chrome.clone(),
            users,
            roles: roles_for(&page.actor),
            errors: errors.clone(),
            form: UserForm {
                password: String::new(),
                role: if form.role.is_empty() {
                    DEFAULT_ROLE.to_owned()
                } else {
                    form.role
                },
                ..form
            },
            unit_picker,
        },
        &errors,
    ))
}

/// The units the reader manages accounts on, to grant the new account on one of them.
pub(super) async fn unit_picker(state: &AppState, page: &Page) -> Result<UnitPicker, PageError> {
    UnitPicker::load(
        &state.db,
        page,
        Permission::ManageAccounts,
        "unit",
        "users-unit",
        None,
    )
    .await
}

/// The accounts in the officer's scope.
pub(super) async fn index(
    State(state): State<AppState>,
    page: Page,
) -> Result<Response, PageError> {
    list_page(&state, &page, Vec::new(), UserForm::default()).await
}

/// The account the form asks for: the role and the unit (picked by the reader, `None` when
/// what was typed names none) read first.
async fn create_account(
    state: &AppState,
    actor: &Actor,
    form: &UserForm,
    unit: Option<Uuid>,
) -> AppResult<UserView> {
    let role = Role::parse(&form.role)
        .map_err(|_| refused("role", "users-role-unknown", &[("role", &form.role)]))?;
    let unit_id = unit.ok_or_else(|| refused("unit", "units-picker-none", &[]))?;
    let input = NewAccount {
        login: form.login.clone(),
        display_name: form.display_name.clone(),
        password: form.password.clone(),
        role,
        unit_id,
        pii: form.pii.is_some(),
    };
    actions::create_user(&state.db, actor, &input).await
}

/// Creates the account and shows it; or the form again, each refused field named.
pub(super) async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<UserForm>,
) -> Result<Response, PageError> {
    let mut picker = unit_picker(&state, &page).await.ok();
    let unit = crate::html::picked_or_named(&state.db, picker.as_mut(), &form.unit).await;
    let result = create_account(&state, &page.actor, &form, unit).await;
    page.form_or_redirect(
        result,
        |view| format!("/admin/users/{}", view.user.id),
        async |errors| list_page(&state, &page, errors, form).await,
    )
    .await
}
