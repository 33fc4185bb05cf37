//! Communications pages: the groups of a unit and adding one, a group's roster with bulk
//! addition by household codes, a household's groups (from its page), coverage per village and
//! the households in no group, announcements (list, writing, one with its delivery status per
//! channel and the officer's decision).

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::auth::policy;
use langso_app::comms::{
    self as actions, AnnouncementRow, AnnouncementView, CoverageRow, GUIDES, GroupRow, MemberRow,
    NewAnnouncement, NewGroup,
};
use langso_app::{AppError, today};
use langso_domain::auth::Permission;
use langso_domain::comms::{Category, Platform};
use langso_domain::units::Unit;
use serde::Deserialize;
use time::PrimitiveDateTime;
use uuid::Uuid;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{Authenticated, csrf_ok};
use crate::html::PageError;
use crate::html::chosen_unit;
use crate::messages::Lang;

#[derive(Template)]
#[template(path = "groups.html")]
struct GroupsPage {
    chrome: Chrome,
    unit: Unit,
    groups: Vec<GroupRow>,
    platforms: Vec<&'static str>,
    write: bool,
    errors: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage {
    chrome: Chrome,
    group: GroupRow,
    members: Vec<MemberRow>,
    write: bool,
    errors: Vec<String>,
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
}

#[derive(Template)]
#[template(path = "announcements.html")]
struct AnnouncementsPage {
    chrome: Chrome,
    unit: Unit,
    rows: Vec<AnnouncementRow>,
    write: bool,
}

#[derive(Template)]
#[template(path = "announcement_new.html")]
struct NewAnnouncementPage {
    chrome: Chrome,
    unit: Unit,
    categories: Vec<&'static str>,
    links: Vec<(String, String)>,
    indicators: Vec<(String, String)>,
    form: HashMap<String, String>,
    errors: Vec<(String, String)>,
}

impl NewAnnouncementPage {
    fn value(&self, name: &str) -> String {
        self.form.get(name).cloned().unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "announcement.html")]
struct AnnouncementPage {
    chrome: Chrome,
    view: AnnouncementView,
    unit: Unit,
    approve: bool,
    publish_at: String,
}

#[derive(Deserialize)]
pub(super) struct UnitQuery {
    unit: Option<String>,
}

fn fail(lang: Lang) -> impl Fn(AppError) -> PageError {
    move |error| PageError { error, lang }
}

fn parse_uuid(text: &str, lang: Lang) -> Result<Uuid, PageError> {
    Uuid::parse_str(text.trim()).map_err(|_| PageError {
        error: AppError::NotFound,
        lang,
    })
}

fn check_csrf(
    actor: &langso_app::Actor,
    form: &HashMap<String, String>,
    lang: Lang,
) -> Result<(), PageError> {
    if csrf_ok(actor, form.get("csrf").map_or("", String::as_str)) {
        Ok(())
    } else {
        Err(PageError {
            error: AppError::Forbidden,
            lang,
        })
    }
}

fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

async fn groups_page(
    state: &AppState,
    actor: &langso_app::Actor,
    headers: &HeaderMap,
    uri: &Uri,
    unit: Unit,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(headers);
    let groups = actions::list_groups(&state.db, actor, unit.id)
        .await
        .map_err(fail(lang))?;
    let write = policy::allows(&state.db, actor, Permission::WritePeople, unit.id)
        .await
        .map_err(fail(lang))?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = GroupsPage {
        chrome: Chrome::for_request(state, headers, uri, Some(actor)),
        unit,
        groups,
        platforms: Platform::ALL.iter().map(|p| p.as_str()).collect(),
        write,
        errors,
    };
    Ok((status, render(&page)).into_response())
}

/// `/groups?unit=`: the groups under a unit, and the form to add one.
pub(super) async fn groups(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = chosen_unit(&state, &actor, query.unit.as_deref(), lang).await?;
    groups_page(&state, &actor, &headers, &uri, unit, Vec::new()).await
}

/// POST `/groups`: adds a group.
pub(super) async fn create_group(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    check_csrf(&actor, &form, lang)?;
    let unit = chosen_unit(&state, &actor, Some(&field(&form, "unit")), lang).await?;
    let input = NewGroup {
        unit_id: Some(unit.id),
        platform: field(&form, "platform"),
        name: field(&form, "name"),
        link: field(&form, "link"),
        admins: field(&form, "admins"),
    };
    match actions::create_group(&state.db, &actor, &input).await {
        Ok(group) => Ok(Redirect::to(&format!("/groups/{}", group.id)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let errors = crate::messages::field_errors(problems, lang);
            groups_page(&state, &actor, &headers, &uri, unit, errors).await
        }
        Err(error) => Err(PageError { error, lang }),
    }
}

async fn group_page(
    state: &AppState,
    actor: &langso_app::Actor,
    headers: &HeaderMap,
    uri: &Uri,
    id: Uuid,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(headers);
    let members = actions::members(&state.db, actor, id)
        .await
        .map_err(fail(lang))?;
    let group = actions::group(&state.db, actor, id)
        .await
        .map_err(fail(lang))?;
    let write = policy::allows(&state.db, actor, Permission::WritePeople, group.unit_id)
        .await
        .map_err(fail(lang))?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = GroupPage {
        chrome: Chrome::for_request(state, headers, uri, Some(actor)),
        group,
        members,
        write,
        errors,
    };
    Ok((status, render(&page)).into_response())
}

/// `/groups/{id}`: the roster and the bulk-add form.
pub(super) async fn group(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse_uuid(&id, lang)?;
    group_page(&state, &actor, &headers, &uri, id, Vec::new()).await
}

/// POST `/groups/{id}/members`: adds households by code (one per line), or one household by
/// id (from its page; then back there).
pub(super) async fn add_members(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    check_csrf(&actor, &form, lang)?;
    let id = parse_uuid(&id, lang)?;
    let household = form
        .get("household")
        .map(|h| parse_uuid(h, lang))
        .transpose()?;
    let result = match household {
        Some(household) => actions::add_members(&state.db, &actor, id, &[household]).await,
        None => actions::add_members_by_codes(&state.db, &actor, id, &field(&form, "codes")).await,
    };
    match (result, household) {
        (Ok(_), Some(household)) => {
            Ok(Redirect::to(&format!("/households/{household}/groups")).into_response())
        }
        (Ok(_), None) => Ok(Redirect::to(&format!("/groups/{id}")).into_response()),
        (Err(AppError::Invalid(problems)), _) => {
            let errors = problems.iter().map(ToString::to_string).collect();
            group_page(&state, &actor, &headers, &uri, id, errors).await
        }
        (Err(error), _) => Err(PageError { error, lang }),
    }
}

/// `/households/{id}/groups`: the groups a household is in, and its unit's groups to join.
pub(super) async fn household_groups(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse_uuid(&id, lang)?;
    let view = langso_app::households::get_household(&state.db, &actor, id)
        .await
        .map_err(fail(lang))?;
    let member_of = actions::groups_of_household(&state.db, &actor, id)
        .await
        .map_err(fail(lang))?;
    let available = actions::joinable_groups(&state.db, &actor, id)
        .await
        .map_err(fail(lang))?;
    let page = HouseholdGroupsPage {
        chrome: Chrome::for_request(&state, &headers, &uri, Some(&actor)),
        household: id,
        code: view.row.code,
        member_of,
        available,
    };
    Ok(render(&page))
}

/// `/coverage?unit=`: households in a group ÷ households, per village, from the counters.
pub(super) async fn coverage(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = chosen_unit(&state, &actor, query.unit.as_deref(), lang).await?;
    let rows = actions::coverage(&state.db, &actor, unit.id)
        .await
        .map_err(fail(lang))?;
    let page = CoveragePage {
        chrome: Chrome::for_request(&state, &headers, &uri, Some(&actor)),
        unit,
        households: rows.iter().map(|r| r.households).sum(),
        covered: rows.iter().map(|r| r.covered).sum(),
        rows,
    };
    Ok(render(&page))
}

/// `/coverage/uncovered?unit=`: the households in no group, to visit.
pub(super) async fn uncovered(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = chosen_unit(&state, &actor, query.unit.as_deref(), lang).await?;
    let rows = actions::uncovered(&state.db, &actor, unit.id, 1000)
        .await
        .map_err(fail(lang))?;
    let page = UncoveredPage {
        chrome: Chrome::for_request(&state, &headers, &uri, Some(&actor)),
        unit,
        rows,
    };
    Ok(render(&page))
}

/// `/announcements?unit=`.
pub(super) async fn announcements(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = chosen_unit(&state, &actor, query.unit.as_deref(), lang).await?;
    let rows = actions::list_announcements(&state.db, &actor, unit.id, 200)
        .await
        .map_err(fail(lang))?;
    let write = policy::allows(&state.db, &actor, Permission::WritePeople, unit.id)
        .await
        .map_err(fail(lang))?;
    let page = AnnouncementsPage {
        chrome: Chrome::for_request(&state, &headers, &uri, Some(&actor)),
        unit,
        rows,
        write,
    };
    Ok(render(&page))
}

async fn new_page(
    state: &AppState,
    actor: &langso_app::Actor,
    headers: &HeaderMap,
    uri: &Uri,
    unit: Unit,
    form: HashMap<String, String>,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(headers);
    let en = lang == Lang::En;
    let mut links: Vec<(String, String)> = GUIDES
        .iter()
        .map(|g| {
            (
                format!("/huong-dan/{}", g.slug),
                if en { g.title_en } else { g.title_vi }.to_owned(),
            )
        })
        .collect();
    for v in langso_app::procedures::guides(&state.db)
        .await
        .map_err(fail(lang))?
    {
        let name = if en {
            v.content.name_en
        } else {
            v.content.name_vi
        };
        links.push((format!("/thu-tuc/{}", v.code), name));
    }
    let indicators = langso_app::households::catalogue(&state.db, today())
        .await
        .map_err(fail(lang))?
        .into_iter()
        .map(|i| (i.code, if en { i.label_en } else { i.label_vi }))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = NewAnnouncementPage {
        chrome: Chrome::for_request(state, headers, uri, Some(actor)),
        unit,
        categories: Category::ALL.iter().map(|c| c.as_str()).collect(),
        links,
        indicators,
        form,
        errors,
    };
    Ok((status, render(&page)).into_response())
}

/// `/announcements/new?unit=`: the form.
pub(super) async fn new_form(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = chosen_unit(&state, &actor, query.unit.as_deref(), lang).await?;
    policy::require(&state.db, &actor, Permission::WritePeople, unit.id)
        .await
        .map_err(fail(lang))?;
    new_page(
        &state,
        &actor,
        &headers,
        &uri,
        unit,
        HashMap::new(),
        Vec::new(),
    )
    .await
}

/// `YYYY-MM-DDTHH:MM` typed in Vietnam time, as an instant.
fn parse_local(text: &str) -> Option<time::OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let offset = time::UtcOffset::from_hms(7, 0, 0).ok()?;
    PrimitiveDateTime::parse(text.trim(), format)
        .ok()
        .map(|t| t.assume_offset(offset))
}

/// POST `/announcements/new`.
pub(super) async fn create(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    check_csrf(&actor, &form, lang)?;
    let unit = chosen_unit(&state, &actor, Some(&field(&form, "unit")), lang).await?;
    let when = field(&form, "publish_at");
    let publish_at = parse_local(&when);
    if !when.trim().is_empty() && publish_at.is_none() {
        policy::require(&state.db, &actor, Permission::WritePeople, unit.id)
            .await
            .map_err(fail(lang))?;
        let errors = vec![(
            "publish_at".to_owned(),
            "ngày giờ không hợp lệ / not a date and time".to_owned(),
        )];
        return new_page(&state, &actor, &headers, &uri, unit, form, errors).await;
    }
    let input = NewAnnouncement {
        unit_id: Some(unit.id),
        title: field(&form, "title"),
        body: field(&form, "body"),
        category: field(&form, "category"),
        link: field(&form, "link"),
        indicator: form.get("indicator").cloned(),
        publish_at,
    };
    match actions::create_announcement(&state.db, &actor, &input).await {
        Ok(row) => {
            state.public.clear();
            Ok(Redirect::to(&format!("/announcements/{}", row.id)).into_response())
        }
        Err(AppError::Invalid(problems)) => {
            let errors = crate::messages::field_errors(problems, lang);
            new_page(&state, &actor, &headers, &uri, unit, form, errors).await
        }
        Err(error) => Err(PageError { error, lang }),
    }
}

/// `/announcements/{id}`: the announcement, its villages, delivery per channel, opens, reach.
pub(super) async fn show(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse_uuid(&id, lang)?;
    let view = actions::announcement(&state.db, &actor, id)
        .await
        .map_err(fail(lang))?;
    let unit = langso_app::units::get(&state.db, view.row.unit_id)
        .await
        .map_err(fail(lang))?;
    let approve = view.row.status == "pending"
        && policy::allows(&state.db, &actor, Permission::ApproveAnnouncements, unit.id)
            .await
            .map_err(fail(lang))?;
    let offset = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let publish_at = langso_store_millis(view.row.publish_at)
        .to_offset(offset)
        .format(time::macros::format_description!(
            "[hour]:[minute] [day]/[month]/[year]"
        ))
        .unwrap_or_default();
    let page = AnnouncementPage {
        chrome: Chrome::for_request(&state, &headers, &uri, Some(&actor)),
        view,
        unit,
        approve,
        publish_at,
    };
    Ok(render(&page))
}

fn langso_store_millis(ms: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// POST `/announcements/{id}/decision`: an officer approves (`approve=1`) or refuses.
pub(super) async fn decide(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    check_csrf(&actor, &form, lang)?;
    let id = parse_uuid(&id, lang)?;
    actions::decide(&state.db, &actor, id, field(&form, "approve") == "1")
        .await
        .map_err(fail(lang))?;
    state.public.clear();
    Ok(Redirect::to(&format!("/announcements/{id}")).into_response())
}
