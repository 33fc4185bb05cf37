//! The teams domain for officers: the digital teams at or under a unit (and the form to set one
//! up), one team with its members (and the form to add one), and the trainings and outreach of
//! a unit (and the form to record one). Every action goes through the same `langso_app`
//! function as the API; each form is answered by [`Page::form_or_redirect`].

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use langso_app::auth::policy;
use langso_app::teams::{
    self as actions, MemberInput, OutreachInput, OutreachRow, TeamInput, TeamSummary, TeamView,
};
use langso_app::{AppError, AppResult, CellError, today};
use langso_domain::auth::Permission;
use langso_domain::teams::{Affiliation, MemberRole, OutreachKind};
use langso_domain::units::{Level, Unit, parse_date};
use serde::Deserialize;
use time::{Date, Duration};
use uuid::Uuid;

use crate::html::{Chrome, CsrfForm, Page, PageError, Routes, render};
use crate::{AppState, messages};

/// The teams screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/teams", teams_index)
        .post("/teams", create_team)
        .get("/teams/{id}", team)
        .post("/teams/{id}/members", add_member)
        .get("/outreach", outreach_index)
        .post("/outreach", record_outreach)
}

type Errors = Vec<(String, String)>;

/// `?unit=<id>`: the unit a list is about (the reader's first unit without it).
#[derive(Deserialize)]
struct UnitQuery {
    unit: Option<String>,
}

/// The unit asked for, else the reader's first grant; an id that does not parse is not found.
async fn chosen_unit(
    state: &AppState,
    page: &Page,
    asked: Option<&str>,
) -> Result<Unit, PageError> {
    let id = match asked.map(str::trim).filter(|text| !text.is_empty()) {
        Some(text) => Uuid::parse_str(text).map_err(|_| page.not_found())?,
        None => page
            .actor
            .grants
            .first()
            .map(|grant| grant.unit_id)
            .ok_or_else(|| page.fail(AppError::Forbidden))?,
    };
    langso_app::units::get(&state.db, id)
        .await
        .map_err(page.failing())
}

/// A date as the browser's date field sends it (`YYYY-MM-DD`), or its refusal under `field`.
fn day(text: &str, field: &str) -> Result<Date, CellError> {
    parse_date(text).map_err(|_| CellError::keyed(0, field, "teams-date-invalid", &[]))
}

/// A page with a form: 422 when it comes back with refusals, so scripts and tests can tell.
fn answer(page: &impl Template, errors: &Errors) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, render(page)).into_response()
}

// --- teams ---------------------------------------------------------------------------------

/// The form to set up a team, as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
struct TeamForm {
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
    Ok(answer(&view, &view.errors))
}

/// `/teams?unit=`: the teams at or under a unit, and the form to set one up.
async fn teams_index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = chosen_unit(&state, &page, query.unit.as_deref()).await?;
    teams_page(&state, &page, unit, TeamForm::default(), Vec::new()).await
}

/// POST `/teams`: sets up a team.
async fn create_team(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<TeamForm>,
) -> Result<Response, PageError> {
    let unit = chosen_unit(&state, &page, Some(&form.unit)).await?;
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

/// A field refused before the action ran: access is checked first, so a caller outside the
/// unit learns nothing from a form error.
async fn refuse<T>(state: &AppState, page: &Page, unit: Uuid, refused: CellError) -> AppResult<T> {
    policy::require(&state.db, &page.actor, Permission::ManageProgramme, unit).await?;
    Err(AppError::Invalid(vec![refused]))
}

/// The form to add a member, as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
struct MemberForm {
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
    Ok(answer(&shown, &shown.errors))
}

/// `/teams/{id}`: a team and its members (phones masked without the PII right).
async fn team(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = Uuid::parse_str(&id).map_err(|_| page.not_found())?;
    team_page(&state, &page, id, MemberForm::default(), Vec::new()).await
}

/// POST `/teams/{id}/members`: adds a member.
async fn add_member(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> Result<Response, PageError> {
    let id = Uuid::parse_str(&id).map_err(|_| page.not_found())?;
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

// --- outreach ------------------------------------------------------------------------------

/// The form to record an event, as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
struct OutreachForm {
    unit: String,
    kind: String,
    held_on: String,
    topic: String,
    attendance: String,
    public: String,
}

#[derive(Template)]
#[template(path = "outreach.html")]
struct OutreachPage {
    chrome: Chrome,
    unit: Unit,
    events: Vec<OutreachRow>,
    kinds: Vec<&'static str>,
    write: bool,
    form: OutreachForm,
    errors: Errors,
}

async fn outreach_page(
    state: &AppState,
    page: &Page,
    unit: Unit,
    mut form: OutreachForm,
    errors: Errors,
) -> Result<Response, PageError> {
    let to = today();
    let from = to - Duration::days(3 * 366);
    let events = actions::list_outreach(&state.db, &page.actor, unit.id, from, to)
        .await
        .map_err(page.failing())?;
    let write = policy::allows(&state.db, &page.actor, Permission::ManageProgramme, unit.id)
        .await
        .map_err(page.failing())?;
    if form.held_on.is_empty() {
        form.held_on = to.to_string();
    }
    let shown = OutreachPage {
        chrome: page.chrome.clone(),
        unit,
        events,
        kinds: OutreachKind::ALL.iter().map(|k| k.as_str()).collect(),
        write,
        form,
        errors,
    };
    Ok(answer(&shown, &shown.errors))
}

/// `/outreach?unit=`: trainings, conferences, billboards and broadcasts of the last three
/// years, and the form to record one.
async fn outreach_index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = chosen_unit(&state, &page, query.unit.as_deref()).await?;
    outreach_page(&state, &page, unit, OutreachForm::default(), Vec::new()).await
}

/// POST `/outreach`: records an event.
async fn record_outreach(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<OutreachForm>,
) -> Result<Response, PageError> {
    let unit = chosen_unit(&state, &page, Some(&form.unit)).await?;
    let held_on = day(&form.held_on, "held_on");
    let attendance = match form.attendance.trim() {
        "" => Ok(0),
        text => text
            .parse::<i64>()
            .map_err(|_| CellError::keyed(0, "attendance", "outreach-attendance-not-number", &[])),
    };
    let result = match (held_on, attendance) {
        (Ok(held_on), Ok(attendance)) => {
            let input = OutreachInput {
                unit_id: unit.id,
                kind: form.kind.trim().to_owned(),
                held_on,
                topic: form.topic.trim().to_owned(),
                attendance,
                public: form.public == "1",
            };
            actions::record_outreach(&state.db, &page.actor, &input).await
        }
        (Err(refused), _) | (_, Err(refused)) => refuse(&state, &page, unit.id, refused).await,
    };
    let unit_id = unit.id;
    page.form_or_redirect(
        result,
        move |_| format!("/outreach?unit={unit_id}"),
        async |errors| outreach_page(&state, &page, unit, form, errors).await,
    )
    .await
}
