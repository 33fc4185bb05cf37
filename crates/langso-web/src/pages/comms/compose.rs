//! Writing an announcement: whom it goes to (communes, villages, village groups picked from a
//! list that a GET search narrows, so it works without JavaScript), on which channels, a
//! preview per channel (the page as HTML, the SMS as sent with its segments, the Zalo-group
//! copy), and, for the commune radio, its priority and broadcast times.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use langso_app::auth::policy;
use langso_app::comms::{self as actions, CHANNELS, GUIDES, NewAnnouncement, TargetChoice};
use langso_app::{AppError, CellError, today};
use langso_domain::auth::Permission;
use langso_domain::comms::Category;
use langso_domain::markdown::{self, SmsEncoding};
use langso_domain::radio::Priority;
use langso_domain::units::Unit;
use serde::Deserialize;
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, Routes, render};
use crate::messages::Lang;

/// The composer's routes.
pub(super) fn routes() -> Routes {
    Routes::new().route(
        "/announcements/new",
        &["GET", "POST"],
        axum::routing::get(new_form).post(create),
    )
}

/// Choices shown in the target list besides those chosen (refine the search for more).
const LIST_LIMIT: usize = 60;

/// The form as posted: `target`, `channel` and `radio_at` repeat, so it is read from its pairs.
#[derive(Deserialize, Default)]
#[serde(from = "Vec<(String, String)>")]
struct AnnouncementForm {
    unit: String,
    title: String,
    body: String,
    category: String,
    link: String,
    indicator: String,
    publish_at: String,
    targets: Vec<String>,
    channels: Vec<String>,
    radio_priority: String,
    radio_at: Vec<String>,
    action: String,
}

impl From<Vec<(String, String)>> for AnnouncementForm {
    fn from(pairs: Vec<(String, String)>) -> Self {
        let mut form = AnnouncementForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "unit" => form.unit = value,
                "title" => form.title = value,
                "body" => form.body = value,
                "category" => form.category = value,
                "link" => form.link = value,
                "indicator" => form.indicator = value,
                "publish_at" => form.publish_at = value,
                "target" if form.targets.len() < 1000 => form.targets.push(value),
                "channel" if form.channels.len() < 20 => form.channels.push(value),
                "radio_priority" => form.radio_priority = value,
                "radio_at" if form.radio_at.len() < 100 => form.radio_at.push(value),
                "action" => form.action = value,
                _ => {}
            }
        }
        form
    }
}

/// `?unit=&q=&target=…`: the composer, its target list narrowed by `q`.
#[derive(Deserialize, Default)]
#[serde(from = "Vec<(String, String)>")]
struct ComposeQuery {
    unit: String,
    q: String,
    targets: Vec<String>,
}

impl From<Vec<(String, String)>> for ComposeQuery {
    fn from(pairs: Vec<(String, String)>) -> Self {
        let mut query = ComposeQuery::default();
        for (name, value) in pairs {
            match name.as_str() {
                "unit" => query.unit = value,
                "q" => query.q = value.chars().take(100).collect(),
                "target" if query.targets.len() < 1000 => query.targets.push(value),
                _ => {}
            }
        }
        query
    }
}

/// What the preview shows.
struct Preview {
    html: String,
    sms: String,
    sms_chars: usize,
    sms_segments: usize,
    sms_unicode: bool,
    zalo: String,
}

#[derive(Template)]
#[template(path = "announcement_new.html")]
struct NewAnnouncementPage {
    chrome: Chrome,
    unit: Unit,
    q: String,
    choices: Vec<TargetChoice>,
    more: usize,
    categories: Vec<&'static str>,
    channels: Vec<&'static str>,
    priorities: Vec<&'static str>,
    radio_times: Vec<(i64, OffsetDateTime)>,
    links: Vec<(String, String)>,
    indicators: Vec<(String, String)>,
    form: AnnouncementForm,
    preview: Option<Preview>,
    errors: Vec<(String, String)>,
}

impl NewAnnouncementPage {
    fn channel_on(&self, channel: &str) -> bool {
        self.form.channels.iter().any(|c| c == channel)
    }

    fn any_selected(&self) -> bool {
        self.choices.iter().any(|c| c.selected)
    }

    fn time_on(&self, at: &i64) -> bool {
        self.form.radio_at.iter().any(|t| *t == at.to_string())
    }
}

/// The indicators in force, as (code, label in `lang`).
pub(super) async fn indicators(
    state: &AppState,
    page: &Page,
) -> Result<Vec<(String, String)>, PageError> {
    let english = page.lang == Lang::En;
    Ok(langso_app::households::catalogue(&state.db, today())
        .await
        .map_err(page.failing())?
        .into_iter()
        .map(|i| (i.code, if english { i.label_en } else { i.label_vi }))
        .collect())
}

/// The form with its lists; `preview` renders the body once per channel.
async fn new_page(
    state: &AppState,
    page: &Page,
    (unit, q): (Unit, String),
    form: AnnouncementForm,
    preview: Option<Preview>,
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
    let selected = actions::parse_targets(&form.targets).unwrap_or_default();
    let (choices, total) =
        actions::target_choices(&state.db, &page.actor, unit.id, &q, &selected, LIST_LIMIT)
            .await
            .map_err(page.failing())?;
    let shown = choices.iter().filter(|c| !c.selected).count();
    let radio_times = actions::radio(&state.db, &page.actor, unit.id)
        .await
        .map_err(page.failing())?
        .map(|r| r.upcoming.into_iter().take(28).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|t| (t.unix_timestamp() * 1000, t))
        .collect();
    let status = crate::html::form_status(&errors);
    let view = NewAnnouncementPage {
        chrome: page.chrome.clone(),
        unit,
        q,
        choices,
        more: total.saturating_sub(shown),
        categories: Category::ALL.iter().map(|c| c.as_str()).collect(),
        channels: CHANNELS.to_vec(),
        priorities: Priority::ALL.iter().rev().map(|p| p.as_str()).collect(),
        radio_times,
        links,
        indicators: indicators(state, page).await?,
        form,
        preview,
        errors,
    };
    Ok((status, render(&view)).into_response())
}

/// GET `/announcements/new?unit=&q=&target=…`: the form (fresh: feed and webhooks ticked).
async fn new_form(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ComposeQuery>,
) -> Result<Response, PageError> {
    let unit = page
        .unit(
            &state,
            Some(&query.unit)
                .filter(|u| !u.is_empty())
                .map(|u| u.as_str()),
        )
        .await?;
    policy::require(&state.db, &page.actor, Permission::WritePeople, unit.id)
        .await
        .map_err(page.failing())?;
    let form = AnnouncementForm {
        targets: query.targets,
        channels: vec!["feed".into(), "webhook".into(), "zalo".into()],
        ..AnnouncementForm::default()
    };
    new_page(&state, &page, (unit, query.q), form, None, Vec::new()).await
}

/// `YYYY-MM-DDTHH:MM` typed in Vietnam time, as an instant.
fn parse_local(text: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    PrimitiveDateTime::parse(text.trim(), format)
        .ok()
        .map(|t| t.assume_offset(langso_domain::locale::VIETNAM))
}

/// The body rendered for each channel, as the preview shows it.
fn preview(form: &AnnouncementForm, unit: &Unit, base: &str) -> Preview {
    let link = format!("{}/a/…", base.trim_end_matches('/'));
    let sms = markdown::sms(&form.title, &form.body, base, &link);
    let (encoding, segments) = markdown::sms_segments(&sms);
    let date = langso_domain::locale::day(today());
    Preview {
        html: markdown::html(&form.body),
        sms_chars: sms.chars().count(),
        sms_segments: segments,
        sms_unicode: encoding == SmsEncoding::Ucs2,
        sms,
        zalo: markdown::zalo(&unit.name, &date, &form.title, &form.body, base, &link),
    }
}

/// POST `/announcements/new`: `action=preview` shows the form again with the preview;
/// otherwise writes it (published, scheduled or pending approval) and shows it.
async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    page: Page,
    CsrfForm(form): CsrfForm<AnnouncementForm>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(&form.unit)).await?;
    let base = state.poster_settings(&headers).public_url;
    if form.action == "preview" {
        policy::require(&state.db, &page.actor, Permission::WritePeople, unit.id)
            .await
            .map_err(page.failing())?;
        let shown = preview(&form, &unit, &base);
        return new_page(
            &state,
            &page,
            (unit, String::new()),
            form,
            Some(shown),
            Vec::new(),
        )
        .await;
    }
    let publish_at = parse_local(&form.publish_at);
    let radio_at: Option<Vec<i64>> = form
        .radio_at
        .iter()
        .map(|t| t.trim().parse().ok())
        .collect();
    let result = if !form.publish_at.trim().is_empty() && publish_at.is_none() {
        refused(&state, &page, &unit, "publish_at", "ann-publish-at-invalid").await?
    } else if radio_at.is_none() {
        refused(&state, &page, &unit, "radio_at", "radio-time-invalid").await?
    } else {
        let input = NewAnnouncement {
            unit_id: Some(unit.id),
            title: form.title.clone(),
            body: form.body.clone(),
            category: form.category.clone(),
            link: form.link.clone(),
            indicator: Some(form.indicator.clone()),
            publish_at,
            targets: form.targets.clone(),
            channels: form.channels.clone(),
            radio_priority: Some(form.radio_priority.clone()).filter(|p| !p.is_empty()),
            radio_at: radio_at.unwrap_or_default(),
            public_url: base,
        };
        actions::create_announcement(&state.db, &page.actor, &input).await
    };
    if result.is_ok() {
        state.public.clear();
    }
    page.form_or_redirect(
        result,
        |row| format!("/announcements/{}", row.id),
        async |errors| new_page(&state, &page, (unit, String::new()), form, None, errors).await,
    )
    .await
}

/// A refusal of one field the page itself checks (after the same permission the action needs).
async fn refused(
    state: &AppState,
    page: &Page,
    unit: &Unit,
    field: &str,
    key: &'static str,
) -> Result<Result<langso_app::comms::AnnouncementRow, AppError>, PageError> {
    policy::require(&state.db, &page.actor, Permission::WritePeople, unit.id)
        .await
        .map_err(page.failing())?;
    Ok(Err(AppError::Invalid(vec![CellError::keyed(
        0,
        field,
        key,
        &[("limit", &20)],
    )])))
}
