//! Retention and the working-day calendar, for the installation's top administrators: the
//! rules (period and action per kind of data), a dry run showing what would go, the runs kept
//! with their counts, the backups' own retention; the deadlines per kind of request and the
//! days off entered each year (Tết, the Hùng Kings' day, the day next to 2/9).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use langso_app::privacy::calendar;
use langso_app::privacy::calendar::{DeadlineRow, HolidayRow};
use langso_app::privacy::retention::{self as actions, RuleOutcome};
use langso_app::privacy::retention::{CountRow, RuleRow, RunRow};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use crate::AppState;
use crate::html::{Chrome, CsrfForm, Page, PageError, Routes, render, render_form};

pub(super) fn routes() -> Routes {
    use axum::routing::get;
    Routes::new()
        .route(
            "/privacy/retention",
            &["GET", "POST"],
            get(index).post(change_rule),
        )
        .post("/privacy/retention/dry-run", dry_run)
        .route(
            "/privacy/calendar",
            &["GET", "POST"],
            get(calendar_page).post(change_calendar),
        )
}

/// A rule with the actions its kind allows.
struct Rule {
    row: RuleRow,
    anonymise: bool,
    delete: bool,
}

#[derive(Template)]
#[template(path = "privacy_retention.html")]
struct RetentionPage {
    chrome: Chrome,
    rules: Vec<Rule>,
    /// The dry run just made, if any.
    dry: Option<(RunRow, Vec<RuleOutcome>)>,
    runs: Vec<(RunRow, Vec<CountRow>)>,
    /// Scheduled backups: (every, in words; how many kept).
    backups: Option<(String, usize)>,
    errors: Vec<(String, String)>,
}

fn every_words(page: &Page, every: std::time::Duration) -> String {
    let secs = every.as_secs();
    let (n, unit) = if secs.is_multiple_of(86_400) {
        (secs / 86_400, "days")
    } else if secs.is_multiple_of(3_600) {
        (secs / 3_600, "hours")
    } else {
        (secs.div_ceil(60), "minutes")
    };
    crate::messages::render(
        page.lang,
        &format!("privacy-every-{unit}"),
        &[("n", n.to_string())],
    )
}

async fn retention_page(
    state: &AppState,
    page: &Page,
    dry: Option<(RunRow, Vec<RuleOutcome>)>,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let runs = actions::history(&state.db, &page.actor, 20)
        .await
        .map_err(page.failing())?;
    let rules = actions::rules(&state.db)
        .await
        .map_err(page.failing())?
        .into_iter()
        .map(|row| {
            let (anonymise, delete) = actions::actions(&row.kind);
            Rule {
                row,
                anonymise,
                delete,
            }
        })
        .collect();
    let backups = state
        .settings
        .backup_schedule
        .map(|(every, keep)| (every_words(page, every), keep));
    let html = RetentionPage {
        chrome: page.chrome.clone(),
        rules,
        dry,
        runs,
        backups,
        errors: errors.clone(),
    };
    Ok(render_form(&html, &errors))
}

async fn index(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    retention_page(&state, &page, None, Vec::new()).await
}

/// A rule's new period and action.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RuleForm {
    kind: String,
    days: String,
    action: String,
}

async fn change_rule(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<RuleForm>,
) -> Result<Response, PageError> {
    let days = form.days.trim().parse::<i64>().unwrap_or(0);
    let result = actions::set_rule(&state.db, &page.actor, &form.kind, days, &form.action).await;
    page.form_or_redirect(
        result,
        |()| "/privacy/retention".to_owned(),
        async |errors| retention_page(&state, &page, None, errors).await,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct DryForm {}

async fn dry_run(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(_): CsrfForm<DryForm>,
) -> Result<Response, PageError> {
    let dry = actions::dry_run(&state.db, &page.actor, OffsetDateTime::now_utc())
        .await
        .map_err(page.failing())?;
    retention_page(&state, &page, Some(dry), Vec::new()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct YearQuery {
    year: String,
}

#[derive(Template)]
#[template(path = "privacy_calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    year: i32,
    entered: Vec<HolidayRow>,
    fixed: Vec<(i64, i64, String)>,
    deadlines: Vec<DeadlineRow>,
    errors: Vec<(String, String)>,
}

async fn calendar_view(
    state: &AppState,
    page: &Page,
    year: i32,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let (entered, fixed) = calendar::holidays(&state.db, &page.actor, year)
        .await
        .map_err(page.failing())?;
    let deadlines = calendar::deadlines(&state.db)
        .await
        .map_err(page.failing())?;
    let html = CalendarPage {
        chrome: page.chrome.clone(),
        year,
        entered,
        fixed,
        deadlines,
        errors: errors.clone(),
    };
    Ok(if errors.is_empty() {
        render(&html)
    } else {
        render_form(&html, &errors)
    })
}

async fn calendar_page(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<YearQuery>,
) -> Result<Response, PageError> {
    let year = query
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| langso_app::today().year());
    calendar_view(&state, &page, year, Vec::new()).await
}

/// `action`: `add` (day, name), `remove` (day) or `deadline` (kind, days, confirmed).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct CalendarForm {
    action: String,
    day: String,
    name: String,
    kind: String,
    days: String,
    confirmed: String,
}

async fn change_calendar(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<CalendarForm>,
) -> Result<Response, PageError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = Date::parse(form.day.trim(), &format).ok();
    let year = day.map_or_else(|| langso_app::today().year(), Date::year);
    let result = match (form.action.as_str(), day) {
        ("deadline", _) => {
            let days = form.days.trim().parse::<i64>().unwrap_or(0);
            let confirmed = !form.confirmed.is_empty();
            calendar::set_deadline(&state.db, &page.actor, &form.kind, days, confirmed).await
        }
        (_, None) => Err(langso_app::AppError::Invalid(vec![
            langso_app::CellError::keyed(0, "day", "privacy-request-date", &[]),
        ])),
        ("remove", Some(day)) => calendar::remove_holiday(&state.db, &page.actor, day).await,
        (_, Some(day)) => calendar::enter_holiday(&state.db, &page.actor, day, &form.name).await,
    };
    page.form_or_redirect(
        result,
        |()| format!("/privacy/calendar?year={year}"),
        async |errors| calendar_view(&state, &page, year, errors).await,
    )
    .await
}
