//! Village groups: the groups of a unit and adding one, a group's roster with bulk addition by
//! household codes, a household's groups (reached from its page), and coverage per village
//! with the households in no group, to visit.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use langso_app::auth::policy;
use langso_app::comms::{self as actions, CoverageRow, GroupRow, MemberRow, NewGroup};
use langso_domain::auth::Permission;
use langso_domain::comms::Platform;
use langso_domain::units::Unit;
use serde::Deserialize;
use uuid::Uuid;

use super::UnitQuery;
use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, Routes, render};

/// The group screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route(
            "/groups",
            &["GET", "POST"],
            axum::routing::get(groups).post(create_group),
        )
        .get("/groups/{id}", group)
        .post("/groups/{id}/members", add_members)
        .get("/households/{id}/groups", household_groups)
        .get("/coverage", coverage)
        .get("/coverage/uncovered", uncovered)
}

/// The new-group form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
struct GroupForm {
    unit: String,
    platform: String,
    name: String,
    link: String,
    admins: String,
}

/// Households to add: codes typed one per line, or one household (from its page).
#[derive(Deserialize, Default)]
#[serde(default)]
struct MembersForm {
    codes: String,
    household: String,
}

#[derive(Template)]
#[template(path = "groups.html")]
struct GroupsPage {
    chrome: Chrome,
    unit: Unit,
    groups: Vec<GroupRow>,
    platforms: Vec<&'static str>,
    write: bool,
    form: GroupForm,
    errors: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage {
    chrome: Chrome,
    group: GroupRow,
    members: Vec<MemberRow>,
    write: bool,
    codes: String,
    errors: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "household_groups.html")]
struct HouseholdGroupsPage {
    chrome: Chrome,
    household: Uuid,
    code: String,
    member_of: Vec<GroupRow>,
    available: Vec<GroupRow>,
}

#[derive(Template)]
#[template(path = "coverage.html")]
struct CoveragePage {
    chrome: Chrome,
    unit: Unit,
    rows: Vec<CoverageRow>,
    households: i64,
    covered: i64,
}

#[derive(Template)]
#[template(path = "uncovered.html")]
struct UncoveredPage {
    chrome: Chrome,
    unit: Unit,
    rows: Vec<MemberRow>,
    /// This page (1-based) and whether another follows.
    page: usize,
    more: bool,
}

/// Households per page of the uncovered list: a phone's worth, well under 20 KB.
const UNCOVERED_PAGE: usize = 100;

/// `?unit=&page=` of the uncovered list.
#[derive(serde::Deserialize)]
struct UncoveredQuery {
    unit: Option<String>,
    page: Option<String>,
}

/// The groups under `unit` and, for those who may write, the form (refilled after a refusal).
async fn groups_page(
    state: &AppState,
    page: &Page,
    unit: Unit,
    form: GroupForm,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let groups = actions::list_groups(&state.db, &page.actor, unit.id)
        .await
        .map_err(page.failing())?;
    let write = policy::allows(&state.db, &page.actor, Permission::WritePeople, unit.id)
        .await
        .map_err(page.failing())?;
    let status = crate::html::form_status(&errors);
    let view = GroupsPage {
        chrome: page.chrome.clone(),
        unit,
        groups,
        platforms: Platform::ALL.iter().map(|p| p.as_str()).collect(),
        write,
        form,
        errors,
    };
    Ok((status, render(&view)).into_response())
}

/// `/groups?unit=`: the groups under a unit, and the form to add one.
async fn groups(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    groups_page(&state, &page, unit, GroupForm::default(), Vec::new()).await
}

/// POST `/groups`: adds a group, then shows it.
async fn create_group(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<GroupForm>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(&form.unit)).await?;
    let input = NewGroup {
        unit_id: Some(unit.id),
        platform: form.platform.clone(),
        name: form.name.clone(),
        link: form.link.clone(),
        admins: form.admins.clone(),
    };
    let result = actions::create_group(&state.db, &page.actor, &input).await;
    page.form_or_redirect(
        result,
        |group| format!("/groups/{}", group.id),
        async |errors| groups_page(&state, &page, unit, form, errors).await,
    )
    .await
}

/// A group's roster and, for those who may write, the bulk-add form.
async fn group_page(
    state: &AppState,
    page: &Page,
    id: Uuid,
    codes: String,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let members = actions::members(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let group = actions::group(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let write = policy::allows(
        &state.db,
        &page.actor,
        Permission::WritePeople,
        group.unit_id,
    )
    .await
    .map_err(page.failing())?;
    let status = crate::html::form_status(&errors);
    let view = GroupPage {
        chrome: page.chrome.clone(),
        group,
        members,
        write,
        codes,
        errors,
    };
    Ok((status, render(&view)).into_response())
}

/// `/groups/{id}`: the roster and the bulk-add form.
async fn group(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    group_page(&state, &page, id, String::new(), Vec::new()).await
}

/// POST `/groups/{id}/members`: adds households by code (one per line), or one household by
/// id (from its page; then back there).
async fn add_members(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<MembersForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let household = match form.household.trim() {
        "" => None,
        text => Some(page.id(text)?),
    };
    let result = match household {
        Some(household) => actions::add_members(&state.db, &page.actor, id, &[household]).await,
        None => actions::add_members_by_codes(&state.db, &page.actor, id, &form.codes).await,
    };
    page.form_or_redirect(
        result,
        |_| match household {
            Some(household) => format!("/households/{household}/groups"),
            None => format!("/groups/{id}"),
        },
        async |errors| group_page(&state, &page, id, form.codes, errors).await,
    )
    .await
}

/// `/households/{id}/groups`: the groups a household is in, and its unit's groups to join.
async fn household_groups(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let view = langso_app::households::get_household(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let member_of = actions::groups_of_household(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let available = actions::joinable_groups(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    Ok(render(&HouseholdGroupsPage {
        chrome: page.chrome,
        household: id,
        code: view.row.code,
        member_of,
        available,
    }))
}

/// `/coverage?unit=`: households in a group ÷ households, per village, from the counters.
async fn coverage(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    let rows = actions::coverage(&state.db, &page.actor, unit.id)
        .await
        .map_err(page.failing())?;
    Ok(render(&CoveragePage {
        chrome: page.chrome,
        unit,
        households: rows.iter().map(|r| r.households).sum(),
        covered: rows.iter().map(|r| r.covered).sum(),
        rows,
    }))
}

/// `/coverage/uncovered?unit=`: the households in no group, to visit.
async fn uncovered(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UncoveredQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    let number = query
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 10_000);
    // One more than a page tells whether another follows.
    let mut rows = actions::uncovered_page(
        &state.db,
        &page.actor,
        unit.id,
        (UNCOVERED_PAGE + 1) as i64,
        ((number - 1) * UNCOVERED_PAGE) as i64,
    )
    .await
    .map_err(page.failing())?;
    let more = rows.len() > UNCOVERED_PAGE;
    rows.truncate(UNCOVERED_PAGE);
    Ok(render(&UncoveredPage {
        chrome: page.chrome,
        unit,
        rows,
        page: number,
        more,
    }))
}
