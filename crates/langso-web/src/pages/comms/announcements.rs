//! Announcements: the list under a unit, writing one (linked to a guide, narrowed by an
//! indicator, scheduled), and one announcement with its villages, delivery per channel, opens,
//! reach and the officer's decision.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::auth::policy;
use langso_app::comms::{
    self as actions, AnnouncementRow, AnnouncementView, GUIDES, NewAnnouncement,
};
use langso_app::{AppError, CellError, today};
use langso_domain::auth::Permission;
use langso_domain::comms::Category;
use langso_domain::units::Unit;
use serde::Deserialize;
use time::{OffsetDateTime, PrimitiveDateTime};

use super::UnitQuery;
use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, Routes, render};
use crate::messages::Lang;

/// The announcement screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/announcements", announcements)
        .route(
            "/announcements/new",
            &["GET", "POST"],
            axum::routing::get(new_form).post(create),
        )
        .get("/announcements/{id}", show)
        .post("/announcements/{id}/decision", decide)
}

/// The announcement form as posted (kept to refill the form after a refusal).
#[derive(Deserialize, Default)]
#[serde(default)]
struct AnnouncementForm {
    unit: String,
    title: String,
    body: String,
    category: String,
    link: String,
    indicator: String,
    publish_at: String,
}

/// An officer's decision: `approve=1` approves, anything else refuses.
#[derive(Deserialize, Default)]
#[serde(default)]
struct DecisionForm {
    approve: String,
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
    form: AnnouncementForm,
    errors: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "announcement.html")]
struct AnnouncementPage {
    chrome: Chrome,
    view: AnnouncementView,
    unit: Unit,
    approve: bool,
    publish_at: OffsetDateTime,
    /// The narrowing indicator's label in the page's language.
    indicator: Option<String>,
}

/// `/announcements?unit=`.
async fn announcements(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    let rows = actions::list_announcements(&state.db, &page.actor, unit.id, 200)
        .await
        .map_err(page.failing())?;
    let write = policy::allows(&state.db, &page.actor, Permission::WritePeople, unit.id)
        .await
        .map_err(page.failing())?;
    Ok(render(&AnnouncementsPage {
        chrome: page.chrome,
        unit,
        rows,
        write,
    }))
}

/// The indicators in force, as (code, label in `lang`).
async fn indicators(state: &AppState, page: &Page) -> Result<Vec<(String, String)>, PageError> {
    let english = page.lang == Lang::En;
    Ok(langso_app::households::catalogue(&state.db, today())
        .await
        .map_err(page.failing())?
        .into_iter()
        .map(|i| (i.code, if english { i.label_en } else { i.label_vi }))
        .collect())
}

/// The form, with the guides and procedures it may link to and the indicators it may narrow by.
async fn new_page(
    state: &AppState,
    page: &Page,
    unit: Unit,
    form: AnnouncementForm,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let english = page.lang == Lang::En;
    let mut links: Vec<(String, String)> = GUIDES
        .iter()
        .map(|g| {
            let title = if english { g.title_en } else { g.title_vi };
            (format!("/huong-dan/{}", g.slug), title.to_owned())
        })
        .collect();
    for v in langso_app::procedures::guides(&state.db)
        .await
        .map_err(page.failing())?
    {
        let name = if english {
            v.content.name_en
        } else {
            v.content.name_vi
        };
        links.push((format!("/thu-tuc/{}", v.code), name));
    }
    let status = crate::html::form_status(&errors);
    let view = NewAnnouncementPage {
        chrome: page.chrome.clone(),
        unit,
        categories: Category::ALL.iter().map(|c| c.as_str()).collect(),
        links,
        indicators: indicators(state, page).await?,
        form,
        errors,
    };
    Ok((status, render(&view)).into_response())
}

/// `/announcements/new?unit=`: the form.
async fn new_form(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, query.unit.as_deref()).await?;
    policy::require(&state.db, &page.actor, Permission::WritePeople, unit.id)
        .await
        .map_err(page.failing())?;
    new_page(&state, &page, unit, AnnouncementForm::default(), Vec::new()).await
}

/// `YYYY-MM-DDTHH:MM` typed in Vietnam time, as an instant.
fn parse_local(text: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    PrimitiveDateTime::parse(text.trim(), format)
        .ok()
        .map(|t| t.assume_offset(langso_domain::locale::VIETNAM))
}

/// POST `/announcements/new`: writes it (published, scheduled or pending approval), then shows
/// it; a date and time that does not parse is refused beside its field.
async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<AnnouncementForm>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(&form.unit)).await?;
    let publish_at = parse_local(&form.publish_at);
    let result = if !form.publish_at.trim().is_empty() && publish_at.is_none() {
        policy::require(&state.db, &page.actor, Permission::WritePeople, unit.id)
            .await
            .map_err(page.failing())?;
        Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "publish_at",
            "ann-publish-at-invalid",
            &[],
        )]))
    } else {
        let input = NewAnnouncement {
            unit_id: Some(unit.id),
            title: form.title.clone(),
            body: form.body.clone(),
            category: form.category.clone(),
            link: form.link.clone(),
            indicator: Some(form.indicator.clone()),
            publish_at,
        };
        actions::create_announcement(&state.db, &page.actor, &input).await
    };
    if result.is_ok() {
        state.public.clear();
    }
    page.form_or_redirect(
        result,
        |row| format!("/announcements/{}", row.id),
        async |errors| new_page(&state, &page, unit, form, errors).await,
    )
    .await
}

/// An instant stored as Unix milliseconds.
fn from_millis(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `/announcements/{id}`: the announcement, its villages, delivery per channel, opens, reach.
async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let view = actions::announcement(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let unit = langso_app::units::get(&state.db, view.row.unit_id)
        .await
        .map_err(page.failing())?;
    let approve = view.row.status == "pending"
        && policy::allows(
            &state.db,
            &page.actor,
            Permission::ApproveAnnouncements,
            unit.id,
        )
        .await
        .map_err(page.failing())?;
    let indicator = match &view.row.indicator {
        Some(code) => indicators(&state, &page)
            .await?
            .into_iter()
            .find(|(known, _)| known == code)
            .map(|(_, label)| label),
        None => None,
    };
    Ok(render(&AnnouncementPage {
        chrome: page.chrome,
        publish_at: from_millis(view.row.publish_at),
        view,
        unit,
        approve,
        indicator,
    }))
}

/// POST `/announcements/{id}/decision`: an officer approves (`approve=1`) or refuses.
async fn decide(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    actions::decide(&state.db, &page.actor, id, form.approve == "1")
        .await
        .map_err(page.failing())?;
    state.public.clear();
    Ok(Redirect::to(&format!("/announcements/{id}")).into_response())
}
