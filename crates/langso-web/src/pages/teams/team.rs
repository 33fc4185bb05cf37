//! The digital teams at or under a unit with the form to set one up, and one team with its
//! members (phones masked without the PII right) and the form to add one.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use langso_app::auth::policy;
use langso_app::teams::{self as actions, MemberInput, TeamInput, TeamSummary, TeamView};
use langso_domain::auth::Permission;
use langso_domain::teams::{Affiliation, MemberRole};
use langso_domain::units::{Level, Unit};
use serde::Deserialize;
use uuid::Uuid;

use super::{Errors, UnitQuery, day, refuse};
use crate::html::render_form;
use crate::html::{Chrome, CsrfForm, Page, PageError};
use crate::{AppState, messages};

/// The form to set up a team, as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TeamForm {
    unit: String,
    name: String,
    decision_number: String,
    decision_date: String,
}

#[derive(Template)]
#[template(path = "teams.html")]
struct TeamsPage {
    chrome: Chrome,
    unit: Unit,
    teams: Vec<TeamSummary>,
    /// "3 teams", in the reader's language.
    teams_count: String,
    /// May set up a team in this unit (a commune or village without one).
    create: bool,
    form: TeamForm,
    errors: Errors,
}

async fn teams_page(
    state: &AppState,
    page: &Page,
    unit: Unit,
    form: TeamForm,
    errors: Errors,
) -> Result<Response, PageError> {
    let teams = actions::list_teams(&state.db, &page.actor, unit.id)
        .await
        .map_err(page.failing())?;
    let may = policy::allows(&state.db, &page.actor, Permission::ManageProgramme, unit.id)
        .await
        .map_err(page.failing())?;
    let level_ok = matches!(unit.kind.level(), Level::Commune | Level::Village);
    let create = may && level_ok && !teams.iter().any(|t| t.team.unit_id == unit.id);
    let teams_count = messages::render(
        page.lang,
        "teams-count-n",
        &[("n", page.chrome.count(teams.len()))],
    );
    let view = TeamsPage {
        chrome: page.chrome.clone(),
        unit,
        teams,
        teams_count,
        create: create || !errors.is_empty(),
        form,
        errors,
    };
    Ok(render_form(&view, &view.errors))
}

/// `/teams?unit=`: the teams at or under a unit, and the form to set one up.
pub(super) async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    teams_page(&state, &page, unit, TeamForm::default(), Vec::new()).await
}

/// POST `/teams`: sets up a team.
pub(super) async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<TeamForm>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(&form.unit)).await?;
    let result = match day(&form.decision_date, "decision_date") {
        Ok(decision_date) => {
            let input = TeamInput {
                unit_id: unit.id,
                name: form.name.trim().to_owned(),
                decision_number: form.decision_number.trim().to_owned(),
                decision_date,
            };
            actions::create_team(&state.db, &page.actor, &input).await
        }
        Err(refused) => refuse(&state, &page, unit.id, refused).await,
    };
    page.form_or_redirect(
        result,
        |team| format!("/teams/{}", team.id),
        async |errors| teams_page(&state, &page, unit, form, errors).await,
    )
    .await
}

/// The form to add a member, as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct MemberForm {
    full_name: String,
    role: String,
    affiliation: String,
    phone: String,
    joined_on: String,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    chrome: Chrome,
    view: TeamView,
    write: bool,
    roles: Vec<&'static str>,
    affiliations: Vec<&'static str>,
    form: MemberForm,
    errors: Errors,
}

async fn team_page(
    state: &AppState,
    page: &Page,
    id: Uuid,
    form: MemberForm,
    errors: Errors,
) -> Result<Response, PageError> {
    let view = actions::team(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let write = policy::allows(
        &state.db,
        &page.actor,
        Permission::ManageProgramme,
        view.team.unit_id,
    )
    .await
    .map_err(page.failing())?;
    let shown = TeamPage {
        chrome: page.chrome.clone(),
        view,
        write,
        roles: MemberRole::ALL.iter().map(|r| r.as_str()).collect(),
        affiliations: Affiliation::ALL.iter().map(|a| a.as_str()).collect(),
        form,
        errors,
    };
    Ok(render_form(&shown, &shown.errors))
}

/// `/teams/{id}`: a team and its members (phones masked without the PII right).
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    team_page(&state, &page, id, MemberForm::default(), Vec::new()).await
}

/// POST `/teams/{id}/members`: adds a member.
pub(super) async fn add_member(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let joined_on = match form.joined_on.trim() {
        "" => Ok(None),
        text => day(text, "joined_on").map(Some),
    };
    let result = match joined_on {
        Ok(joined_on) => {
            let input = MemberInput {
                full_name: form.full_name.trim().to_owned(),
                role: form.role.trim().to_owned(),
                affiliation: form.affiliation.trim().to_owned(),
                phone: form.phone.trim().to_owned(),
                joined_on,
            };
            actions::add_member(&state.db, &page.actor, id, &input).await
        }
        Err(refused) => match actions::team(&state.db, &page.actor, id).await {
            Ok(view) => refuse(&state, &page, view.team.unit_id, refused).await,
            Err(error) => Err(error),
        },
    };
    page.form_or_redirect(
        result,
        |_| format!("/teams/{id}"),
        async |errors| team_page(&state, &page, id, form, errors).await,
    )
    .await
}
