//! The monthly report as an administrative document: a form for what only the office knows
//! (the number from its register, the recipients, who signs), prefilled with the defaults of
//! the unit's level, then the PDF or XLSX. Both are plain GETs: nothing changes but the audit
//! log, and the link can be kept.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use langso_app::dashboard::{self as actions, Signing};
use langso_app::{AppError, CellError, today};
use serde::Deserialize;
use time::Date;

use crate::AppState;
use crate::html::{Chrome, Page, PageError, Routes, render};

/// The form and the file.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/reports/monthly", form)
        .get("/reports/monthly/file", file)
}

/// `?unit=&month=YYYY-MM`, and the form's fields.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ReportQuery {
    unit: String,
    month: String,
    number: String,
    recipients: String,
    capacity: String,
    signer_title: String,
    signer_name: String,
    format: String,
}

#[derive(Template)]
#[template(path = "report_form.html")]
struct ReportForm {
    chrome: Chrome,
    unit: String,
    unit_name: String,
    month: String,
    number: String,
    recipients: String,
    capacity: String,
    signer_title: String,
    signer_name: String,
}

/// The last day of `YYYY-MM` (today for the current month), or this month.
fn month_end(page: &Page, month: &str) -> Result<Date, PageError> {
    let month = month.trim();
    if month.is_empty() {
        return Ok(today());
    }
    let bad = || {
        let refused = CellError::keyed(0, "month", "dashboard-date-invalid", &[]);
        page.fail(AppError::Invalid(vec![refused]))
    };
    let (y, m) = month.split_once('-').ok_or_else(bad)?;
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month = m
        .parse::<u8>()
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .ok_or_else(bad)?;
    let first = Date::from_calendar_date(year, month, 1).map_err(|_| bad())?;
    let last = first.replace_day(month.length(year)).map_err(|_| bad())?;
    Ok(last.min(today()))
}

async fn form(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(query.unit.as_str())).await?;
    let date = month_end(&page, &query.month)?;
    // Only someone who may read the report is shown its form.
    actions::require_as_of(&state.db, &page.actor, unit.id, date)
        .await
        .map_err(page.failing())?;
    let (_, parent) = actions::report_units(&state.db, unit.id, today())
        .await
        .map_err(page.failing())?;
    let defaults = Signing::defaults(&unit, parent.as_ref());
    Ok(render(&ReportForm {
        chrome: page.chrome,
        unit: unit.id.to_string(),
        unit_name: unit.name,
        month: format!("{:04}-{:02}", date.year(), u8::from(date.month())),
        number: String::new(),
        recipients: defaults.recipients.join("\n"),
        capacity: defaults.capacity,
        signer_title: defaults.signer_title,
        signer_name: String::new(),
    }))
}

async fn file(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(query.unit.as_str())).await?;
    let date = month_end(&page, &query.month)?;
    let signing = Signing {
        number: query.number,
        recipients: query.recipients.lines().map(str::to_owned).collect(),
        capacity: query.capacity,
        signer_title: query.signer_title,
        signer_name: query.signer_name,
    };
    let (db, actor) = (&state.db, &page.actor);
    let (bytes, kind, extension) = if query.format == "xlsx" {
        let bytes = actions::official_report_xlsx(db, actor, unit.id, date, &signing).await;
        let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        (bytes, kind, "xlsx")
    } else {
        let bytes = actions::official_report_pdf(db, actor, unit.id, date, &signing).await;
        (bytes, "application/pdf", "pdf")
    };
    Ok(crate::files::download(
        crate::files::Disposition::Attachment,
        kind,
        &format!("bao-cao-{}-{date}.{extension}", unit.code),
        bytes.map_err(page.failing())?,
    ))
}
