//! The breach register in the web: the unit's incidents with their 72-hour clocks and the
//! form to record one; an incident's page with its facts, its follow-up and the notification
//! draft (a PDF to number and sign); the access-anomaly thresholds, changed by the top of the
//! tree's administrators only.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use langso_app::dashboard::Signing;
use langso_app::privacy::anomaly::{self, Thresholds};
use langso_app::privacy::breaches::{
    self as actions, BreachInput, BreachRow, FollowUpInput, STATUSES,
};
use langso_app::privacy::record::DATA_KINDS;
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::AppState;
use crate::files::{Disposition, download};
use crate::html::{Chrome, CsrfForm, Page, PageError, Routes, render_form};
use crate::messages::{Lang, render};

/// The register's screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/privacy/breaches", index)
        .post("/privacy/breaches", create)
        .get("/privacy/breaches/{id}", show)
        .post("/privacy/breaches/{id}", update)
        .get("/privacy/breaches/{id}/notice", notice)
        .post("/privacy/anomaly", set_thresholds)
}

/// `?unit=`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct UnitQuery {
    unit: String,
}

/// A new incident as typed; one box per kind of data.
#[derive(Deserialize, Default)]
#[serde(default)]
struct BreachForm {
    unit: String,
    what: String,
    occurred_at: String,
    discovered_at: String,
    units_affected: String,
    people: String,
    measures: String,
    kind_households: String,
    kind_members: String,
    kind_phones: String,
    kind_citizen_ids: String,
    kind_digital_habits: String,
    kind_visits: String,
    kind_fault_contacts: String,
    kind_devices: String,
}

impl BreachForm {
    fn kinds(&self) -> Vec<String> {
        [
            ("households", &self.kind_households),
            ("members", &self.kind_members),
            ("phones", &self.kind_phones),
            ("citizen_ids", &self.kind_citizen_ids),
            ("digital_habits", &self.kind_digital_habits),
            ("visits", &self.kind_visits),
            ("fault_contacts", &self.kind_fault_contacts),
            ("devices", &self.kind_devices),
        ]
        .into_iter()
        .filter(|(_, ticked)| !ticked.is_empty())
        .map(|(code, _)| code.to_owned())
        .collect()
    }
}

/// An incident as listed: its clock in words.
struct Row {
    id: Uuid,
    status: String,
    what: String,
    discovered_at: OffsetDateTime,
    clock: String,
    overdue: bool,
}

/// The 72-hour clock in the reader's language: time left, overdue, or stopped.
fn clock_words(lang: Lang, row: &BreachRow) -> (String, bool) {
    let c = actions::clock(row, OffsetDateTime::now_utc());
    if c.stopped {
        let key = if row.notified_on.is_some() {
            "privacy-breach-clock-notified"
        } else {
            "privacy-breach-clock-stopped"
        };
        let on = row
            .notified_on
            .map(langso_domain::locale::day)
            .unwrap_or_default();
        return (render(lang, key, &[("day", on)]), false);
    }
    let minutes = c.minutes_left.abs();
    let args = [
        ("hours", (minutes / 60).to_string()),
        ("minutes", (minutes % 60).to_string()),
        ("deadline", langso_domain::locale::minute(c.deadline)),
    ];
    if c.minutes_left >= 0 {
        (render(lang, "privacy-breach-clock-left", &args), false)
    } else {
        (render(lang, "privacy-breach-clock-overdue", &args), true)
    }
}

#[derive(Template)]
#[template(path = "privacy_breaches.html")]
struct ListPage {
    chrome: Chrome,
    unit: String,
    unit_name: String,
    rows: Vec<Row>,
    form: BreachForm,
    kinds: Vec<(&'static str, bool)>,
    thresholds: Thresholds,
    root_admin: bool,
    errors: Vec<(String, String)>,
}

async fn list_page(
    state: &AppState,
    page: &Page,
    unit: &str,
    form: BreachForm,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let unit = page.unit(state, Some(unit)).await?;
    let (db, actor) = (&state.db, &page.actor);
    let listed = actions::list_breaches(db, actor, unit.id)
        .await
        .map_err(page.failing())?;
    let rows = listed
        .iter()
        .map(|r| {
            let (clock, overdue) = clock_words(page.lang, r);
            Row {
                id: r.id,
                status: r.status.clone(),
                what: r.what.chars().take(140).collect(),
                discovered_at: r.discovered_at,
                clock,
                overdue,
            }
        })
        .collect();
    let ticked = form.kinds();
    let kinds = DATA_KINDS
        .iter()
        .map(|(code, _)| (*code, ticked.iter().any(|t| t == code)))
        .collect();
    let thresholds = anomaly::thresholds(db).await.map_err(page.failing())?;
    let root_admin = anomaly::is_root_admin(db, actor)
        .await
        .map_err(page.failing())?;
    Ok(render_form(
        &ListPage {
            chrome: page.chrome.clone(),
            unit: unit.id.to_string(),
            unit_name: unit.name,
            rows,
            form,
            kinds,
            thresholds,
            root_admin,
            errors: errors.clone(),
        },
        &errors,
    ))
}

async fn index(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    list_page(
        &state,
        &page,
        &query.unit,
        BreachForm::default(),
        Vec::new(),
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<BreachForm>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(&form.unit)).await?;
    let input = BreachInput {
        unit_id: unit.id,
        what: form.what.clone(),
        occurred_at: form.occurred_at.clone(),
        discovered_at: form.discovered_at.clone(),
        units_affected: form.units_affected.clone(),
        people: form.people.clone(),
        data_kinds: form.kinds(),
        measures: form.measures.clone(),
    };
    let result = actions::record_breach(&state.db, &page.actor, &input).await;
    let unit = form.unit.clone();
    page.form_or_redirect(
        result,
        |row| format!("/privacy/breaches/{}", row.id),
        async |errors| list_page(&state, &page, &unit, form, errors).await,
    )
    .await
}

/// The follow-up as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
struct FollowUpForm {
    status: String,
    notified_on: String,
    actions: String,
}

#[derive(Template)]
#[template(path = "privacy_breach.html")]
struct DetailPage {
    chrome: Chrome,
    row: BreachRow,
    kind_codes: Vec<String>,
    clock: String,
    overdue: bool,
    statuses: [&'static str; 5],
    form: FollowUpForm,
    signing: Signing,
    errors: Vec<(String, String)>,
}

async fn detail_page(
    state: &AppState,
    page: &Page,
    id: Uuid,
    form: Option<FollowUpForm>,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let row = actions::get_breach(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let (unit, parent) =
        langso_app::dashboard::report_units(&state.db, row.unit_id, langso_app::today())
            .await
            .map_err(page.failing())?;
    let (clock, overdue) = clock_words(page.lang, &row);
    let form = form.unwrap_or_else(|| FollowUpForm {
        status: row.status.clone(),
        notified_on: row.notified_on.map(|d| d.to_string()).unwrap_or_default(),
        actions: row.actions.clone(),
    });
    Ok(render_form(
        &DetailPage {
            chrome: page.chrome.clone(),
            kind_codes: row
                .data_kinds
                .split(',')
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect(),
            row,
            clock,
            overdue,
            statuses: STATUSES,
            form,
            signing: actions::notice_signing(&unit, parent.as_ref()),
            errors: errors.clone(),
        },
        &errors,
    ))
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    detail_page(&state, &page, id, None, Vec::new()).await
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<FollowUpForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let input = FollowUpInput {
        status: form.status.clone(),
        notified_on: form.notified_on.clone(),
        actions: form.actions.clone(),
    };
    let result = actions::follow_up(&state.db, &page.actor, id, &input).await;
    page.form_or_redirect(
        result,
        |row| format!("/privacy/breaches/{}", row.id),
        async |errors| detail_page(&state, &page, id, Some(form), errors).await,
    )
    .await
}

/// What the office writes on the draft before printing it.
#[derive(Deserialize, Default)]
#[serde(default)]
struct NoticeQuery {
    number: String,
    recipients: String,
    capacity: String,
    signer_title: String,
    signer_name: String,
}

/// The notification draft as a PDF: a GET, nothing changes but the audit log.
async fn notice(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let signing = Signing {
        number: query.number,
        recipients: query.recipients.lines().map(str::to_owned).collect(),
        capacity: query.capacity,
        signer_title: query.signer_title,
        signer_name: query.signer_name,
    };
    let bytes = actions::notice_pdf(&state.db, &page.actor, id, &signing)
        .await
        .map_err(page.failing())?;
    Ok(download(
        Disposition::Attachment,
        "application/pdf",
        &format!("thong-bao-vi-pham-{id}.pdf"),
        bytes,
    ))
}

/// The thresholds as typed, and the unit whose register to return to.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ThresholdsForm {
    unit: String,
    factor: String,
    threshold_people: String,
}

async fn set_thresholds(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<ThresholdsForm>,
) -> Result<Response, PageError> {
    let result =
        anomaly::set_thresholds(&state.db, &page.actor, &form.factor, &form.threshold_people).await;
    let unit = form.unit.clone();
    page.form_or_redirect(
        result,
        |_| format!("/privacy/breaches?unit={}", form.unit.trim()),
        async |errors| list_page(&state, &page, &unit, BreachForm::default(), errors).await,
    )
    .await
}
