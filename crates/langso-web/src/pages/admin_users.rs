//! Managing accounts in the web: list, create with a first role, view, disable.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::auth::{self as actions, NewAccount, UserView};
use langso_app::{Actor, AppError, today, units};
use langso_domain::auth::Role;
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{Authenticated, csrf_ok};
use crate::html::PageError;
use crate::messages::Lang;

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserView>,
    roles: Vec<&'static str>,
    errors: Vec<(String, String)>,
    form: UserForm,
}

#[derive(Template)]
#[template(path = "user.html")]
struct UserPage {
    chrome: Chrome,
    view: UserView,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    pii: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

fn roles_for(actor: &Actor) -> Vec<&'static str> {
    Role::ALL
        .into_iter()
        .filter(|r| actor.is_admin() || actor.grants.iter().any(|g| g.role.may_grant(*r)))
        .map(Role::as_str)
        .collect()
}

async fn list_page(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    uri: &Uri,
    errors: Vec<(String, String)>,
    form: UserForm,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(headers);
    let users = actions::list_users(&state.db, actor)
        .await
        .map_err(|error| PageError { error, lang })?;
    let chrome = Chrome::for_request(state, headers, uri, Some(actor));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = render(&UsersPage {
        chrome,
        users,
        roles: roles_for(actor),
        errors,
        form,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub(super) async fn index(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    list_page(
        &state,
        &actor,
        &headers,
        &uri,
        Vec::new(),
        UserForm::default(),
    )
    .await
}

pub(super) async fn create(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<UserForm>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&actor, &form.csrf) {
        return Err(PageError {
            error: AppError::Forbidden,
            lang,
        });
    }
    let field = |name: &str, message: String| vec![(name.to_owned(), message)];
    let role = match Role::parse(&form.role) {
        Ok(role) => role,
        Err(e) => {
            return list_page(
                &state,
                &actor,
                &headers,
                &uri,
                field("role", e.to_string()),
                form,
            )
            .await;
        }
    };
    let unit = match units::by_code(&state.db, &form.unit, today()).await {
        Ok(unit) => unit,
        Err(AppError::NotFound) => {
            let message = format!(
                "không có đơn vị mã \"{}\" / no unit with code \"{}\"",
                form.unit.trim(),
                form.unit.trim()
            );
            return list_page(&state, &actor, &headers, &uri, field("unit", message), form).await;
        }
        Err(error) => return Err(PageError { error, lang }),
    };
    let input = NewAccount {
        login: form.login.clone(),
        display_name: form.display_name.clone(),
        password: form.password.clone(),
        role,
        unit_id: unit.id,
        pii: form.pii.is_some(),
    };
    match actions::create_user(&state.db, &actor, &input).await {
        Ok(view) => Ok(Redirect::to(&format!("/admin/users/{}", view.user.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let errors = crate::messages::field_errors(errors, lang);
            list_page(
                &state,
                &actor,
                &headers,
                &uri,
                errors,
                UserForm {
                    password: String::new(),
                    ..form
                },
            )
            .await
        }
        Err(error) => Err(PageError { error, lang }),
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = Uuid::parse_str(&id).map_err(|_| PageError {
        error: AppError::NotFound,
        lang,
    })?;
    let view = actions::get_user(&state.db, &actor, id)
        .await
        .map_err(|error| PageError { error, lang })?;
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    Ok(render(&UserPage { chrome, view }))
}

pub(super) async fn disable(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&actor, &form.csrf) {
        return Err(PageError {
            error: AppError::Forbidden,
            lang,
        });
    }
    let id = Uuid::parse_str(&id).map_err(|_| PageError {
        error: AppError::NotFound,
        lang,
    })?;
    actions::disable_user(&state.db, &actor, id)
        .await
        .map_err(|error| PageError { error, lang })?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}
